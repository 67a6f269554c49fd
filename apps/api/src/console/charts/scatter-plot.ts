import {
  ChartBase,
  emptyBody,
  Figure,
  FigureFormat,
  fit,
  formatFigure,
  formatNumber,
  frame,
  GRID,
  hasValue,
  hatchFill,
  isSuppressed,
  LegendItem,
  MUTED,
  niceTicks,
  r,
  scale,
  seriesColour,
  suppressedLegend,
  suppressedNote,
  SUPPRESSED_STROKE,
  svgText,
  swatchRect,
  textWidth,
  tip,
  WIDTH,
} from './chart-kit';

export interface ScatterPoint {
  label: string;
  x: Figure;
  y: Figure;
}

export interface ScatterPlotOptions extends ChartBase {
  points: ScatterPoint[];
  xTitle: string;
  yTitle: string;
  /** Draw the least-squares line through the points (needs two with different x). */
  trendLine?: boolean;
  /** Print each point's label beside it (default true). */
  labelPoints?: boolean;
  /** The table's first column heading. Default "Point". */
  pointTitle?: string;
  xFormat?: FigureFormat;
  yFormat?: FigureFormat;
}

const AXIS_SIZE = 13;
const LABEL_SIZE = 12;
const PLOT_HEIGHT = 280;

export interface Fit {
  slope: number;
  intercept: number;
  /** Pearson's r; undefined when y does not vary. */
  r?: number;
}

/** Least squares through the points; undefined for fewer than two or when x does not vary. */
export function leastSquares(points: { x: number; y: number }[]): Fit | undefined {
  if (points.length < 2) return undefined;
  const n = points.length;
  const mx = points.reduce((a, p) => a + p.x, 0) / n;
  const my = points.reduce((a, p) => a + p.y, 0) / n;
  const sxx = points.reduce((a, p) => a + (p.x - mx) ** 2, 0);
  const syy = points.reduce((a, p) => a + (p.y - my) ** 2, 0);
  const sxy = points.reduce((a, p) => a + (p.x - mx) * (p.y - my), 0);
  if (sxx === 0) return undefined;
  const slope = sxy / sxx;
  return { slope, intercept: my - slope * mx, r: syy === 0 ? undefined : sxy / Math.sqrt(sxx * syy) };
}

/** x/y points with labels, axis titles and an optional trend line; points with a suppressed or missing coordinate are listed below the plot. */
export function scatterPlot(o: ScatterPlotOptions): string {
  const placed = o.points.filter((p): p is ScatterPoint & { x: number; y: number } => hasValue(p.x) && hasValue(p.y));
  const hidden = o.points.filter((p) => !(hasValue(p.x) && hasValue(p.y)));
  const suppressedPoints = hidden.filter((p) => isSuppressed(p.x) || isSuppressed(p.y));
  const trend = o.trendLine ? leastSquares(placed) : undefined;
  const xs = placed.map((p) => p.x);
  const xTicks = xs.length ? niceTicks(Math.min(...xs), Math.max(...xs), 5) : niceTicks(0, 1, 5);
  const xDomain: [number, number] = [xTicks[0], xTicks[xTicks.length - 1]];
  const trendEnds = trend && xs.length ? [Math.min(...xs), Math.max(...xs)].map((x) => ({ x, y: trend.intercept + trend.slope * x })) : [];
  const ys = placed.map((p) => p.y).concat(trendEnds.map((e) => e.y));
  const yTicks = ys.length ? niceTicks(Math.min(...ys), Math.max(...ys), 5) : niceTicks(0, 1, 5);
  const yDomain: [number, number] = [yTicks[0], yTicks[yTicks.length - 1]];

  const left = Math.max(...yTicks.map((t) => textWidth(formatNumber(t, o.yFormat), AXIS_SIZE))) + 14;
  const top = 28;
  const bottom = PLOT_HEIGHT - 46;
  const right = WIDTH - 6;
  const x = scale(xDomain, [left, right]);
  const y = scale(yDomain, [bottom, top]);
  const strip = suppressedPoints.length ? 24 : 0;
  const height = PLOT_HEIGHT + strip;

  const grid =
    yTicks
      .map(
        (t) =>
          `<line x1="${r(left)}" x2="${r(right)}" y1="${r(y(t))}" y2="${r(y(t))}" stroke="${GRID}" stroke-width="0.75"/>` +
          svgText(left - 6, y(t) + 4, formatNumber(t, o.yFormat), { size: AXIS_SIZE, anchor: 'end', fill: MUTED }),
      )
      .join('') +
    xTicks
      .map(
        (t) =>
          `<line x1="${r(x(t))}" x2="${r(x(t))}" y1="${r(top)}" y2="${r(bottom)}" stroke="${GRID}" stroke-width="0.75"/>` +
          svgText(x(t), bottom + 18, formatNumber(t, o.xFormat), { size: AXIS_SIZE, anchor: 'middle', fill: MUTED }),
      )
      .join('');
  const titles =
    svgText(0, 13, fit(o.yTitle, WIDTH, AXIS_SIZE, true), { size: AXIS_SIZE, fill: MUTED, weight: 600, cls: 'viz-y-title' }) +
    svgText((left + right) / 2, bottom + 38, fit(o.xTitle, WIDTH - 10, AXIS_SIZE, true), { size: AXIS_SIZE, anchor: 'middle', fill: MUTED, weight: 600, cls: 'viz-x-title' });
  const line =
    trendEnds.length === 2
      ? `<line class="viz-trend" x1="${r(x(trendEnds[0].x))}" y1="${r(y(trendEnds[0].y))}" x2="${r(x(trendEnds[1].x))}" y2="${r(y(trendEnds[1].y))}" stroke="${seriesColour(1)}" stroke-width="2" stroke-dasharray="7 3"/>`
      : '';
  const dots = placed
    .map((p) => {
      const px = x(p.x);
      const py = y(p.y);
      const what = tip(`${p.label}: ${o.xTitle} ${formatNumber(p.x, o.xFormat)}, ${o.yTitle} ${formatNumber(p.y, o.yFormat)}`);
      const text = fit(p.label, 110, LABEL_SIZE);
      const onLeft = px + 7 + textWidth(text, LABEL_SIZE) > WIDTH;
      const label = o.labelPoints === false ? '' : svgText(onLeft ? px - 7 : px + 7, py + 3.5, text, { size: LABEL_SIZE, anchor: onLeft ? 'end' : 'start', halo: true });
      return `<g class="viz-point">${what}<circle cx="${r(px)}" cy="${r(py)}" r="4.5" fill="${seriesColour(0)}" fill-opacity="0.85" stroke="#ffffff" stroke-width="1"/>${label}</g>`;
    })
    .join('');
  const suppressedStrip = suppressedPoints.length
    ? `<g class="viz-suppressed-points"><rect class="viz-suppressed" x="0" y="${PLOT_HEIGHT + 4}" width="18" height="12" fill="${hatchFill(o.id)}" stroke="${SUPPRESSED_STROKE}"/>` +
      svgText(24, PLOT_HEIGHT + 14, fit(`Suppressed: ${suppressedPoints.map((p) => p.label).join(', ')}`, WIDTH - 24, AXIS_SIZE), { size: AXIS_SIZE, fill: MUTED, cls: 'viz-suppressed-list' }) +
      `</g>`
    : '';

  const legend: LegendItem[] = [];
  if (line) legend.push({ label: 'Trend (least squares)', swatch: `<line x1="0" y1="7" x2="20" y2="7" stroke="${seriesColour(1)}" stroke-width="2" stroke-dasharray="7 3"/>` });
  if (placed.length && legend.length) legend.unshift({ label: o.pointTitle ?? 'Point', swatch: swatchRect(seriesColour(0)) });
  const suppressedCount = o.points.flatMap((p) => [p.x, p.y]).filter(isSuppressed).length;
  if (suppressedCount) legend.push(suppressedLegend(o));
  const empty = !o.points.length;
  return frame({
    base: o,
    height: empty ? 60 : height,
    desc: empty ? 'There are no figures to show.' : describe(o, placed.length, hidden.length, trend) + suppressedNote(suppressedCount, o),
    body: empty ? emptyBody(60) : titles + grid + line + dots + suppressedStrip,
    legend,
    table: {
      head: [o.pointTitle ?? 'Point', o.xTitle, o.yTitle],
      rows: o.points.map((p) => ({ label: p.label, cells: [formatFigure(p.x, o.xFormat), formatFigure(p.y, o.yFormat)] })),
    },
  });
}

function describe(o: ScatterPlotOptions, shown: number, hidden: number, trend?: Fit): string {
  const parts = [`Scatter plot of ${shown} ${shown === 1 ? 'point' : 'points'}: ${o.xTitle} across, ${o.yTitle} up.`];
  if (hidden) parts.push(`${hidden} ${hidden === 1 ? 'point is' : 'points are'} not plotted (a figure suppressed or missing).`);
  if (trend) {
    parts.push(`The trend line ${trend.slope >= 0 ? 'rises' : 'falls'} by ${formatNumber(Math.abs(trend.slope), 'number')} per unit of ${o.xTitle}.`);
    if (trend.r !== undefined) parts.push(`Correlation r = ${trend.r.toFixed(2)}.`);
  }
  return parts.join(' ');
}
