/**
 * Server-rendered, accessible SVG charts for the console. Each function returns one `<figure>`
 * as an HTML string, every text in it already escaped: put it in the page model and write it
 * with a triple-stash, `{{{incidentsChart}}}`. Give each chart on a page its own `id`.
 * A figure of `null` is suppressed (drawn hatched, written "suppressed", never as zero);
 * `undefined` is no data (a gap).
 *
 *   const incidentsChart = barChart({ id: 'by-type', title: 'Incidents by type', suppressionThreshold: 5,
 *     seriesNames: ['Your agency', 'Partnership'], rows: [{ label: 'Fatality', value: 12, comparison: 9 }] });
 */
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
