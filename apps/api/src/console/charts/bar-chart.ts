import {
  barDomain,
  ChartBase,
  emptyBody,
  Figure,
  FigureFormat,
  fit,
  formatFigure,
  frame,
  GRID,
  hasValue,
  hatchFill,
  isSuppressed,
  LegendItem,
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

export interface BarRow {
  label: string;
  value: Figure;
  /** The second series (e.g. the partnership beside your agency). */
  comparison?: Figure;
}

export interface BarChartOptions extends ChartBase {
  rows: BarRow[];
  /** Names of the series: [first, second]; the second only when rows carry a comparison. */
  seriesNames?: [string, string?];
  /** The table's first column heading. Default "Category". */
  categoryTitle?: string;
  format?: FigureFormat;
  /** A fixed end of the scale (e.g. 1 for shares); the data still widens it. */
  max?: number;
}

const LABEL_SIZE = 15;
const BAR = 14;
const COMPARISON_BAR = 8;
const GAP = 14;
/** Width of the hatched stub drawn for a suppressed figure (never a zero-length bar). */
export const SUPPRESSED_STUB = 36;

/** Horizontal bars, one row per category, its label above the bar; an optional second series as a thinner bar below. */
export function barChart(o: BarChartOptions): string {
  const twoSeries = o.rows.some((row) => row.comparison !== undefined) || o.seriesNames?.[1] !== undefined;
  const names = [o.seriesNames?.[0] ?? 'Value', o.seriesNames?.[1] ?? 'Comparison'];
  const figures = o.rows.flatMap((row) => (twoSeries ? [row.value, row.comparison] : [row.value]));
  const values = figures.filter(hasValue);
  const [lo, hi] = barDomain(values.concat(o.max !== undefined ? [o.max] : []));
  const x = scale([lo, hi], [0, WIDTH]);
  const zero = x(0);
  const rowHeight = LABEL_SIZE + 5 + BAR + (twoSeries ? 2 + COMPARISON_BAR : 0) + GAP;
  const height = Math.max(60, o.rows.length * rowHeight + 4);

  const bar = (v: Figure, y: number, h: number, colour: string, name: string, label: string): string => {
    const what = `${label}, ${name}: ${formatFigure(v, o.format)}`;
    if (isSuppressed(v)) {
      const from = zero + SUPPRESSED_STUB > WIDTH ? zero - SUPPRESSED_STUB : zero;
      return `<rect class="viz-suppressed" x="${r(from)}" y="${r(y)}" width="${SUPPRESSED_STUB}" height="${h}" fill="${hatchFill(o.id)}" stroke="${SUPPRESSED_STROKE}">${tip(what)}</rect>`;
    }
    if (!hasValue(v)) return '';
    const end = x(v);
    return `<rect class="viz-bar" x="${r(Math.min(zero, end))}" y="${r(y)}" width="${r(Math.abs(end - zero))}" height="${h}" fill="${colour}">${tip(what)}</rect>`;
  };

  const body = o.rows
    .map((row, i) => {
      const top = 2 + i * rowHeight;
      const value = twoSeries
        ? `${formatFigure(row.value, o.format)} (${names[1]}: ${formatFigure(row.comparison, o.format)})`
        : formatFigure(row.value, o.format);
      const labelRoom = WIDTH - textWidth(value, LABEL_SIZE) - 12;
      const barTop = top + LABEL_SIZE + 5;
      return (
        `<g class="viz-row">` +
        svgText(0, top + LABEL_SIZE - 1, fit(String(row.label), labelRoom, LABEL_SIZE, true), { size: LABEL_SIZE, weight: 600 }) +
        svgText(WIDTH, top + LABEL_SIZE - 1, value, { size: LABEL_SIZE, anchor: 'end', cls: 'viz-value' }) +
        bar(row.value, barTop, BAR, seriesColour(0), names[0], row.label) +
        (twoSeries ? bar(row.comparison, barTop + BAR + 2, COMPARISON_BAR, seriesColour(1), names[1], row.label) : '') +
        `</g>`
      );
    })
    .join('');
  const zeroLine = lo < 0 ? `<line class="viz-zero" x1="${r(zero)}" x2="${r(zero)}" y1="0" y2="${r(height)}" stroke="${GRID}" stroke-width="1"/>` : '';

  const suppressed = figures.filter(isSuppressed).length;
  const legend: LegendItem[] = twoSeries ? names.map((n, i) => ({ label: n, swatch: swatchRect(seriesColour(i)) })) : [];
  if (suppressed) legend.push(suppressedLegend(o));
  return frame({
    base: o,
    height,
    desc: o.rows.length ? describe(o, names[0], twoSeries ? names[1] : undefined) + suppressedNote(suppressed, o) : 'There are no figures to show.',
    body: o.rows.length ? zeroLine + body : emptyBody(height),
    legend,
    table: {
      head: [o.categoryTitle ?? 'Category', names[0], ...(twoSeries ? [names[1]] : [])],
      rows: o.rows.map((row) => ({
        label: String(row.label),
        cells: [formatFigure(row.value, o.format), ...(twoSeries ? [formatFigure(row.comparison, o.format)] : [])],
      })),
    },
  });
}

function describe(o: BarChartOptions, first: string, second?: string): string {
  const shown = o.rows.filter((row) => hasValue(row.value)) as (BarRow & { value: number })[];
  const parts = [`Horizontal bar chart of ${o.rows.length} ${o.rows.length === 1 ? 'category' : 'categories'}${second ? `, ${first} beside ${second}` : ''}.`];
  if (shown.length) {
    const top = shown.reduce((a, b) => (b.value > a.value ? b : a));
    const bottom = shown.reduce((a, b) => (b.value < a.value ? b : a));
    parts.push(`Highest${second ? ` for ${first}` : ''}: ${top.label}, ${formatFigure(top.value, o.format)}.`);
    if (shown.length > 1) parts.push(`Lowest: ${bottom.label}, ${formatFigure(bottom.value, o.format)}.`);
  }
  return parts.join(' ');
}
