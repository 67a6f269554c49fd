import {
  BOLD,
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
  r,
  suppressedLegend,
  suppressedNote,
  SUPPRESSED_STROKE,
  svgText,
  swatchRect,
  textWidth,
  TEXT,
  tip,
  WIDTH,
} from './chart-kit';

export interface HeatMapOptions extends ChartBase {
  rows: string[];
  columns: string[];
  /** values[row][column]: shares 0..1 (values outside are drawn at the nearer end and printed as they are). */
  values: Figure[][];
  /** The table's first column heading. Default "Row". */
  rowTitle?: string;
  format?: FigureFormat;
}

/**
 * ColorBrewer "Blues": one hue, lightness alone carries the value, so it reads the same with
 * any colour-vision deficiency and in greyscale. Every channel falls from stop to stop, so the
 * colour darkens monotonically with the value.
 */
const STOPS = ['#f7fbff', '#deebf7', '#c6dbef', '#9ecae1', '#6baed6', '#4292c6', '#2171b5', '#08519c', '#08306b'].map(rgb);

function rgb(hex: string): [number, number, number] {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
}

const hex = (c: number[]): string => `#${c.map((v) => Math.round(v).toString(16).padStart(2, '0')).join('')}`;

/** The fill for a share: light for 0, dark for 1, clamped. */
export function heatColour(share: number): string {
  const t = Math.min(1, Math.max(0, Number.isFinite(share) ? share : 0)) * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(t));
  const f = t - i;
  return hex(STOPS[i].map((a, k) => a + (STOPS[i + 1][k] - a) * f));
}

/** WCAG relative luminance of a #rrggbb colour. */
export function luminance(colour: string): number {
  const [R, G, B] = rgb(colour).map((v) => v / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
  return 0.2126 * R + 0.7152 * G + 0.0722 * B;
}

export function contrast(a: string, b: string): number {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

/** Black text on light cells, white on dark: whichever contrasts more (at worst 4.58:1, as black and white meet halfway). */
export function textOn(fill: string): string {
  return contrast(fill, '#000000') >= contrast(fill, '#ffffff') ? '#000000' : '#ffffff';
}

const HEAD_SIZE = 12;
const LABEL_SIZE = 14;
const CELL_HEIGHT = 32;

/** Shares by row × column, each cell coloured on a sequential scale and printed with its value. */
export function heatMap(o: HeatMapOptions): string {
  const format = o.format ?? 'share';
  const cell = (i: number, j: number): Figure => o.values[i]?.[j];
  const empty = !o.rows.length || !o.columns.length;
  const labelWidth = Math.min(170, Math.max(60, ...o.rows.map((l) => textWidth(l, LABEL_SIZE) * BOLD + 10)));
  const cellWidth = (WIDTH - labelWidth) / Math.max(1, o.columns.length);
  const headHeight = 2 * (HEAD_SIZE + 2) + 8;
  const height = empty ? 60 : headHeight + o.rows.length * CELL_HEIGHT + 2;

  const head = o.columns
    .map((column, j) => {
      const cx = labelWidth + (j + 0.5) * cellWidth;
      return wrap(column, cellWidth - 4, HEAD_SIZE, 2)
        .map((line, k) => svgText(cx, HEAD_SIZE + 1 + k * (HEAD_SIZE + 2), line, { size: HEAD_SIZE, anchor: 'middle', weight: 600 }))
        .join('');
    })
    .join('');
  const rows = o.rows
    .map((row, i) => {
      const y = headHeight + i * CELL_HEIGHT;
      const label = svgText(0, y + CELL_HEIGHT / 2 + 4, fit(row, labelWidth - 8, LABEL_SIZE, true), { size: LABEL_SIZE, weight: 600 });
      const cells = o.columns.map((column, j) => {
        const v = cell(i, j);
        const x = labelWidth + j * cellWidth;
        const what = tip(`${row}, ${column}: ${formatFigure(v, format)}`);
        const attrs = `x="${r(x)}" y="${r(y)}" width="${r(cellWidth)}" height="${CELL_HEIGHT}"`;
        // A number is never cut: it gets smaller to fit a narrow cell.
        const text = (t: string, fill: string, size = LABEL_SIZE, halo = false) =>
          svgText(x + cellWidth / 2, y + CELL_HEIGHT / 2 + 4, t, { size: shrinkToFit(t, cellWidth - 4, size), anchor: 'middle', fill, halo });
        if (isSuppressed(v)) {
          const word = textWidth('suppressed', 11) <= cellWidth - 4 ? 'suppressed' : 'supp.';
          return `<rect class="viz-suppressed" ${attrs} fill="${hatchFill(o.id)}" stroke="#ffffff" stroke-width="2">${what}</rect>${text(word, TEXT, 11, true)}`;
        }
        if (!hasValue(v)) return `<rect class="viz-nodata" ${attrs} fill="#ffffff" stroke="${GRID}">${what}</rect>${text('no data', MUTED, 11)}`;
        const fill = heatColour(v);
        return `<rect class="viz-cell" ${attrs} fill="${fill}" stroke="#ffffff" stroke-width="2">${what}</rect>${text(formatNumber(v, format), textOn(fill))}`;
      });
      return `<g class="viz-row">${label}${cells.join('')}</g>`;
    })
    .join('');

  const suppressed = o.rows.flatMap((_, i) => o.columns.map((__, j) => cell(i, j))).filter(isSuppressed).length;
  const legend: LegendItem[] = [0, 0.25, 0.5, 0.75, 1].map((s) => ({ label: formatNumber(s, 'share'), swatch: swatchRect(heatColour(s)) }));
  if (suppressed) legend.push(suppressedLegend(o));
  return frame({
    base: o,
    height,
    desc: empty ? 'There are no figures to show.' : describe(o, cell, format) + suppressedNote(suppressed, o),
    body: empty ? emptyBody(60) : `<g class="viz-head">${head}</g>${rows}`,
    legend: empty ? [] : legend,
    table: {
      head: [o.rowTitle ?? 'Row', ...o.columns],
      rows: o.rows.map((row, i) => ({ label: row, cells: o.columns.map((_, j) => formatFigure(cell(i, j), format)) })),
    },
  });
}

function describe(o: HeatMapOptions, cell: (i: number, j: number) => Figure, format: FigureFormat): string {
  const parts = [`Heat map of ${o.rows.length} rows by ${o.columns.length} columns (${o.columns.join(', ')}); darker cells are higher.`];
  let lo: { i: number; j: number; v: number } | undefined;
  let hi: typeof lo;
  o.rows.forEach((_, i) =>
    o.columns.forEach((__, j) => {
      const v = cell(i, j);
      if (!hasValue(v)) return;
      if (!lo || v < lo.v) lo = { i, j, v };
      if (!hi || v > hi.v) hi = { i, j, v };
    }),
  );
  if (hi && lo) {
    parts.push(`Highest: ${o.rows[hi.i]}, ${o.columns[hi.j]}, ${formatNumber(hi.v, format)}.`);
    if (lo !== hi) parts.push(`Lowest: ${o.rows[lo.i]}, ${o.columns[lo.j]}, ${formatNumber(lo.v, format)}.`);
  }
  return parts.join(' ');
}

/** The font size (at most `size`, at least 7) at which text fits a width. */
function shrinkToFit(text: string, width: number, size: number): number {
  return Math.max(7, Math.min(size, Math.floor((width / textWidth(text, 1)) * 10) / 10));
}

/** Words into at most `lines` lines that fit `width`; the last one cut with an ellipsis. */
function wrap(text: string, width: number, size: number, lines: number): string[] {
  const out: string[] = [];
  let line = '';
  const words = text.split(/\s+/).filter(Boolean);
  for (let w = 0; w < words.length; w++) {
    const next = line ? `${line} ${words[w]}` : words[w];
    if (textWidth(next, size) * BOLD <= width || !line) {
      line = next;
      continue;
    }
    if (out.length === lines - 1) return [...out, fit(`${line} ${words.slice(w).join(' ')}`, width, size, true)];
    out.push(line);
    line = words[w];
  }
  if (line) out.push(fit(line, width, size, true));
  return out.map((l) => fit(l, width, size, true));
}
