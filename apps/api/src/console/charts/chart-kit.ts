/**
 * What every chart shares: escaping, number formats, the colour-blind-safe palette, the hatch
 * for suppressed figures, scales and the accessible frame (figure, svg with title and desc,
 * legend, and the same figures as a table). The SVG uses presentation attributes only (no
 * style attributes, no scripts), so it works under any CSP and on paper.
 */
import Handlebars from 'handlebars';

/** A figure: a number; `null` = suppressed (too few cases to show); `undefined` or not finite = no data. */
export type Figure = number | null | undefined;

/** How a figure is written: counts ("1,204"), shares 0..1 ("42%") or plain numbers ("3.25"), or your own. */
export type FigureFormat = 'count' | 'share' | 'number' | ((value: number) => string);

/** What every chart takes. */
export interface ChartBase {
  /** Unique on the page: the figure's id and the prefix of every id inside it. */
  id: string;
  /** The caption, and the SVG's title. */
  title: string;
  /** A sentence put before the generated summary in the SVG's desc (what the data is, its period). */
  summary?: string;
  /** Suppression threshold, for the legend note "fewer than k: suppressed". */
  suppressionThreshold?: number;
}

/** The console's HTML escaping (the one its Handlebars templates use): & < > " ' ` = are all escaped. */
export function esc(value: unknown): string {
  return Handlebars.Utils.escapeExpression(value == null ? '' : String(value));
}

const ID = /^[A-Za-z][A-Za-z0-9_-]*$/;

/** The chart's id, checked: it becomes part of other ids and of `url(#…)` references. */
export function chartId(id: string): string {
  if (!ID.test(id)) throw new Error(`Chart id "${id}" must start with a letter and hold only letters, digits, - and _`);
  return id;
}

export const isSuppressed = (v: Figure): v is null => v === null;
export const hasValue = (v: Figure): v is number => typeof v === 'number' && Number.isFinite(v);

/** A figure as text: "suppressed", "no data" or the formatted number. */
export function formatFigure(v: Figure, format: FigureFormat = 'count'): string {
  if (isSuppressed(v)) return 'suppressed';
  if (!hasValue(v)) return 'no data';
  return formatNumber(v, format);
}

export function formatNumber(v: number, format: FigureFormat = 'count'): string {
  if (typeof format === 'function') return format(v);
  if (format === 'share') {
    const pct = v * 100;
    return `${Math.abs(pct) < 10 && !Number.isInteger(Math.round(pct * 10) / 10) ? pct.toFixed(1) : Math.round(pct).toString()}%`;
  }
  return v.toLocaleString('en-US', { maximumFractionDigits: format === 'count' ? 1 : 2 });
}

/** Coordinates rounded to hundredths: short markup, same picture. */
export function r(n: number): string {
  return String(Math.round(n * 100) / 100);
}

/** The SVG's coordinate width: a fixed viewBox scaled to the container (390 px phones to desktop). */
export const WIDTH = 480;
export const FONT = 'system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif';
export const TEXT = '#0b0c0c';
export const MUTED = '#484949';
export const GRID = '#b1b4b6';
export const SUPPRESSED_STROKE = '#6f777b';

/** Okabe–Ito, darkened where needed so every colour has at least 3:1 contrast on white. */
export const PALETTE = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#a66f00', '#0b0c0c'];
export const seriesColour = (i: number): string => PALETTE[i % PALETTE.length];

/** Roughly how wide text is, in viewBox units: 0.6 em a character, a little more than system sans-serif's average (bold, digits). */
export const CHAR_EM = 0.6;

export function textWidth(text: string, size: number): number {
  return [...text].length * size * CHAR_EM;
}

/** Bold text runs about a tenth wider. */
export const BOLD = 1.1;

/** Text cut to fit a width, with an ellipsis; the full text stays in the table and the tooltip. */
export function fit(text: string, width: number, size: number, bold = false): string {
  const chars = [...text];
  const max = Math.max(1, Math.floor(width / (size * CHAR_EM * (bold ? BOLD : 1))));
  return chars.length <= max ? text : `${chars.slice(0, Math.max(1, max - 1)).join('').trimEnd()}…`;
}

export function svgText(
  x: number,
  y: number,
  text: string,
  opts: { size?: number; anchor?: 'start' | 'middle' | 'end'; fill?: string; weight?: number; cls?: string; halo?: boolean } = {},
): string {
  const size = opts.size ?? 13;
  return (
    `<text x="${r(x)}" y="${r(y)}" font-size="${size}" fill="${opts.fill ?? TEXT}"` +
    `${opts.anchor && opts.anchor !== 'start' ? ` text-anchor="${opts.anchor}"` : ''}${opts.weight ? ` font-weight="${opts.weight}"` : ''}` +
    `${opts.cls ? ` class="${opts.cls}"` : ''}${opts.halo ? ' stroke="#ffffff" stroke-width="3" paint-order="stroke"' : ''}>${esc(text)}</text>`
  );
}

/** The hatch suppressed figures are drawn with (grey, diagonal): `fill="url(#<id>-hatch)"`. */
export function hatchDef(id: string): string {
  return (
    `<pattern id="${id}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">` +
    `<rect width="6" height="6" fill="#f3f2f1"/><line x1="0" y1="0" x2="0" y2="6" stroke="${SUPPRESSED_STROKE}" stroke-width="2"/></pattern>`
  );
}

export const hatchFill = (id: string): string => `url(#${id}-hatch)`;

/** A linear scale from a domain to a pixel range. */
export function scale(domain: [number, number], range: [number, number]): (v: number) => number {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0 || 1;
  return (v) => r0 + ((v - d0) / span) * (r1 - r0);
}

/** Round tick values covering [min, max] (about `count` of them). */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) {
    const pad = Math.abs(min) > 0 ? Math.abs(min) / 2 : 1;
    return niceTicks(min - pad, max + pad, count);
  }
  const raw = (max - min) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const ticks: number[] = [];
  for (let t = Math.floor(min / step) * step; t <= Math.ceil(max / step) * step + step / 2; t += step) ticks.push(Math.round(t / step) * step);
  return ticks;
}

/** The domain a bar scale needs: always from zero, so the largest magnitude spans the plot. */
export function barDomain(values: number[]): [number, number] {
  const lo = Math.min(0, ...values);
  const hi = Math.max(0, ...values);
  return hi === lo ? [0, 1] : [lo, hi];
}

/** A legend entry: a small swatch (its own tiny SVG, hidden from screen readers) and its text. */
export interface LegendItem {
  label: string;
  swatch: string;
}

export const swatchRect = (fill: string): string => `<rect x="1" y="1" width="18" height="12" fill="${fill}"/>`;

export const swatchSuppressed = (): string =>
  `<rect x="1" y="1" width="18" height="12" fill="#f3f2f1" stroke="${SUPPRESSED_STROKE}"/>` +
  [3, 8, 13, 18].map((x) => `<line x1="${x - 4}" y1="13" x2="${x}" y2="1" stroke="${SUPPRESSED_STROKE}" stroke-width="1.5"/>`).join('');

/** The legend note every chart with a suppressed figure shows. */
export function suppressedLegend(base: ChartBase): LegendItem {
  const k = base.suppressionThreshold;
  return { label: k ? `Fewer than ${k}: suppressed` : 'Too few to show: suppressed', swatch: swatchSuppressed() };
}

export function suppressedNote(count: number, base: ChartBase): string {
  if (!count) return '';
  const k = base.suppressionThreshold ? ` (fewer than ${base.suppressionThreshold})` : '';
  return ` ${count} ${count === 1 ? 'figure is' : 'figures are'} suppressed${k}.`;
}

/** The same figures as a table: a header row and rows headed by their first cell. */
export interface FigureTable {
  head: string[];
  rows: { label: string; cells: string[] }[];
}

export interface FrameParts {
  base: ChartBase;
  height: number;
  /** What the chart shows, in words (after `base.summary`). */
  desc: string;
  body: string;
  legend?: LegendItem[];
  table?: FigureTable;
}

/**
 * The accessible frame: a figure with a visible caption, the SVG (role img, labelled by its title,
 * described by its desc), the legend, and the figures as a table inside a details element.
 */
export function frame(p: FrameParts): string {
  const id = chartId(p.base.id);
  const desc = [p.base.summary?.trim(), p.desc.trim(), p.table?.rows.length ? 'The figures are in the table that follows.' : ''].filter(Boolean).join(' ');
  const svg =
    `<svg class="viz-svg" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${r(p.height)}" preserveAspectRatio="xMinYMin meet"` +
    ` role="img" aria-labelledby="${id}-title" aria-describedby="${id}-desc" focusable="false" font-family="${FONT}">` +
    `<title id="${id}-title">${esc(p.base.title)}</title><desc id="${id}-desc">${esc(desc)}</desc>` +
    `<defs>${hatchDef(id)}</defs>${p.body}</svg>`;
  const legend = p.legend?.length
    ? `<ul class="viz-legend">${p.legend
        .map((l) => `<li><svg class="viz-key" viewBox="0 0 20 14" aria-hidden="true" focusable="false">${l.swatch}</svg>${esc(l.label)}</li>`)
        .join('')}</ul>`
    : '';
  return `<figure class="viz" id="${id}"><figcaption class="viz-caption">${esc(p.base.title)}</figcaption>${svg}${legend}${p.table?.rows.length ? table(id, p.base.title, p.table) : ''}</figure>`;
}

function table(id: string, title: string, t: FigureTable): string {
  const cell = (c: string) => `<td class="num${c === 'suppressed' || c === 'no data' ? ' viz-missing' : ''}">${esc(c)}</td>`;
  return (
    `<details class="viz-data"><summary>Show the figures as a table</summary>` +
    `<div class="table-scroll" role="region" aria-labelledby="${id}-table" tabindex="0"><table class="viz-table">` +
    `<caption id="${id}-table" class="visually-hidden">${esc(title)}: the figures</caption>` +
    `<thead><tr>${t.head.map((h, i) => `<th scope="col"${i ? ' class="num"' : ''}>${esc(h)}</th>`).join('')}</tr></thead>` +
    `<tbody>${t.rows.map((row) => `<tr><th scope="row">${esc(row.label)}</th>${row.cells.map(cell).join('')}</tr>`).join('')}</tbody>` +
    `</table></div></details>`
  );
}

/** The SVG when there is nothing to draw: one line of text. */
export function emptyBody(height: number, text = 'No figures to show.'): string {
  return svgText(WIDTH / 2, height / 2 + 5, text, { anchor: 'middle', fill: MUTED, size: 14 });
}

/** A tooltip for a shape (`<title>` inside it). */
export const tip = (text: string): string => `<title>${esc(text)}</title>`;
