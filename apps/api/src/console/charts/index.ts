/** Server-rendered, accessible SVG charts for the console: each function returns an HTML string (a figure). */
export { barChart } from './bar-chart';
export type { BarChartOptions, BarRow } from './bar-chart';
export { groupedOrStackedBars } from './grouped-bars';
export type { GroupedBarsOptions } from './grouped-bars';
export { heatColour, heatMap } from './heat-map';
export type { HeatMapOptions } from './heat-map';
export { lineChart } from './line-chart';
export type { LineChartOptions, LineSeries } from './line-chart';
export { leastSquares, scatterPlot } from './scatter-plot';
export type { ScatterPlotOptions, ScatterPoint } from './scatter-plot';
export { formatFigure } from './chart-kit';
export type { ChartBase, Figure, FigureFormat } from './chart-kit';
