import {
  barDomain,
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
  MUTED,
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

export interface GroupedBarsOptions extends ChartBase {
  /** One row per category (e.g. incident type). */
  categories: string[];
  /** The groups within each category (e.g. quarters): one colour each. */
  groups: string[];
  /** values[category][group]. */
  values: Figure[][];
  /** Side by side (default) or stacked into one bar per category. */
  mode?: 'grouped' | 'stacked';
  categoryTitle?: string;
  format?: FigureFormat;
}

const LABEL_SIZE = 15;
const VALUE_SIZE = 13;
const GROUP_BAR = 13;
const STACK_BAR = 16;
const GAP = 12;
/** Room kept beside the longest grouped bar for its value: at least this, more for long numbers. */
export const VALUE_ROOM = 36;
/** Width of a suppressed stub: a grouped bar of unknown length, or an unknown part of a stack. */
export const GROUP_STUB = 24;
export const STACK_STUB = 12;

/** Counts by category × group, as bars side by side within each category or stacked into one bar. */
export function groupedOrStackedBars(o: GroupedBarsOptions): string {
  const stacked = o.mode === 'stacked';
  const cell = (c: number, g: number): Figure => o.values[c]?.[g];
  const all = o.categories.flatMap((_, c) => o.groups.map((__, g) => cell(c, g)));
  const suppressed = all.filter(isSuppressed).length;
  const rows = stacked ? stackRows(o, cell) : groupRows(o, cell);
  const empty = !o.categories.length || !o.groups.length;
  return frame({
    base: o,
    height: empty ? 60 : rows.height,
    desc: empty ? 'There are no figures to show.' : describe(o, cell) + suppressedNote(suppressed, o),
    body: empty ? emptyBody(60) : rows.body,
    legend: [...o.groups.map((g, i) => ({ label: g, swatch: swatchRect(seriesColour(i)) })), ...(suppressed ? [suppressedLegend(o)] : [])],
    table: {
      head: [o.categoryTitle ?? 'Category', ...o.groups, ...(stacked ? ['Total'] : [])],
      rows: o.categories.map((label, c) => ({
        label,
        cells: [...o.groups.map((_, g) => formatFigure(cell(c, g), o.format)), ...(stacked ? [total(o.groups.map((__, g) => cell(c, g)), o.format)] : [])],
      })),
    },
  });
}

function groupRows(o: GroupedBarsOptions, cell: (c: number, g: number) => Figure) {
  const values = o.categories.flatMap((_, c) => o.groups.map((__, g) => cell(c, g))).filter(hasValue);
  const [lo, hi] = barDomain(values);
  const room = Math.max(VALUE_ROOM, ...values.map((v) => textWidth(formatNumber(v, o.format), VALUE_SIZE) + 6));
  const x = scale([lo, hi], [lo < 0 ? room : 0, WIDTH - room]);
  const zero = x(0);
  const rowHeight = LABEL_SIZE + 5 + o.groups.length * (GROUP_BAR + 2) + GAP;
  const body = o.categories
    .map((label, c) => {
      const top = 2 + c * rowHeight;
      const bars = o.groups.map((group, g) => {
        const v = cell(c, g);
        const y = top + LABEL_SIZE + 5 + g * (GROUP_BAR + 2);
        const what = tip(`${label}, ${group}: ${formatFigure(v, o.format)}`);
        const textY = y + GROUP_BAR - 2;
        if (isSuppressed(v)) {
          return (
            `<rect class="viz-suppressed" x="${r(zero)}" y="${r(y)}" width="${GROUP_STUB}" height="${GROUP_BAR}" fill="${hatchFill(o.id)}" stroke="${SUPPRESSED_STROKE}">${what}</rect>` +
            svgText(zero + GROUP_STUB + 3, textY, 'suppressed', { size: VALUE_SIZE, fill: MUTED })
          );
        }
        if (!hasValue(v)) return svgText(zero + 3, textY, 'no data', { size: VALUE_SIZE, fill: MUTED });
        const end = x(v);
        return (
          `<rect class="viz-bar" x="${r(Math.min(zero, end))}" y="${r(y)}" width="${r(Math.abs(end - zero))}" height="${GROUP_BAR}" fill="${seriesColour(g)}">${what}</rect>` +
          svgText(v < 0 ? end - 3 : end + 3, textY, formatNumber(v, o.format), { size: VALUE_SIZE, anchor: v < 0 ? 'end' : 'start', cls: 'viz-value' })
        );
      });
      return `<g class="viz-row">${svgText(0, top + LABEL_SIZE - 1, fit(label, WIDTH, LABEL_SIZE, true), { size: LABEL_SIZE, weight: 600 })}${bars.join('')}</g>`;
    })
    .join('');
  const height = o.categories.length * rowHeight + 4;
  return { height, body: zeroLine(lo, zero, height) + body };
}

function stackRows(o: GroupedBarsOptions, cell: (c: number, g: number) => Figure) {
  const sums = o.categories.map((_, c) => {
    const vs = o.groups.map((__, g) => cell(c, g));
    return {
      pos: vs.filter(hasValue).filter((v) => v > 0).reduce((a, b) => a + b, 0),
      neg: vs.filter(hasValue).filter((v) => v < 0).reduce((a, b) => a + b, 0),
      stubs: vs.filter(isSuppressed).length,
    };
  });
  const [lo, hi] = barDomain(sums.flatMap((s) => [s.pos, s.neg]));
  const stubRoom = Math.max(0, ...sums.map((s) => s.stubs)) * STACK_STUB;
  const x = scale([lo, hi], [0, WIDTH - stubRoom]);
  const zero = x(0);
  const rowHeight = LABEL_SIZE + 5 + STACK_BAR + GAP;
  const body = o.categories
    .map((label, c) => {
      const top = 2 + c * rowHeight;
      const y = top + LABEL_SIZE + 5;
      const totalText = `Total ${total(o.groups.map((_, g) => cell(c, g)), o.format)}`;
      let up = 0;
      let down = 0;
      const parts = o.groups.map((group, g) => {
        const v = cell(c, g);
        if (!hasValue(v) || v === 0) return '';
        const from = v > 0 ? up : down;
        if (v > 0) up += v;
        else down += v;
        const a = x(from);
        const b = x(from + v);
        return `<rect class="viz-bar" x="${r(Math.min(a, b))}" y="${r(y)}" width="${r(Math.abs(b - a))}" height="${STACK_BAR}" fill="${seriesColour(g)}" stroke="#ffffff" stroke-width="1">${tip(`${label}, ${group}: ${formatNumber(v, o.format)}`)}</rect>`;
      });
      let end = x(up);
      const stubs = o.groups.map((group, g) => {
        if (!isSuppressed(cell(c, g))) return '';
        const stub = `<rect class="viz-suppressed" x="${r(end)}" y="${r(y)}" width="${STACK_STUB}" height="${STACK_BAR}" fill="${hatchFill(o.id)}" stroke="${SUPPRESSED_STROKE}">${tip(`${label}, ${group}: suppressed`)}</rect>`;
        end += STACK_STUB;
        return stub;
      });
      const labelRoom = WIDTH - textWidth(totalText, LABEL_SIZE) - 12;
      return (
        `<g class="viz-row">${svgText(0, top + LABEL_SIZE - 1, fit(label, labelRoom, LABEL_SIZE, true), { size: LABEL_SIZE, weight: 600 })}` +
        `${svgText(WIDTH, top + LABEL_SIZE - 1, totalText, { size: LABEL_SIZE, anchor: 'end', cls: 'viz-value' })}${parts.join('')}${stubs.join('')}</g>`
      );
    })
    .join('');
  const height = o.categories.length * rowHeight + 4;
  return { height, body: zeroLine(lo, zero, height) + body };
}

function zeroLine(lo: number, zero: number, height: number): string {
  return lo < 0 ? `<line class="viz-zero" x1="${r(zero)}" x2="${r(zero)}" y1="0" y2="${r(height)}" stroke="${GRID}" stroke-width="1"/>` : '';
}

/** A category's total: "38", or "38 + suppressed" when a part of it is not shown. */
function total(values: Figure[], format?: FigureFormat): string {
  const known = values.filter(hasValue);
  const anySuppressed = values.some(isSuppressed);
  if (!known.length) return anySuppressed ? 'suppressed' : 'no data';
  const sum = formatNumber(known.reduce((a, b) => a + b, 0), format);
  return anySuppressed ? `${sum} + suppressed` : sum;
}

function describe(o: GroupedBarsOptions, cell: (c: number, g: number) => Figure): string {
  const kind = o.mode === 'stacked' ? 'Stacked' : 'Grouped';
  const parts = [`${kind} bar chart of ${o.categories.length} ${o.categories.length === 1 ? 'category' : 'categories'} by ${o.groups.join(', ')}.`];
  let best: { c: number; g: number; v: number } | undefined;
  o.categories.forEach((_, c) =>
    o.groups.forEach((__, g) => {
      const v = cell(c, g);
      if (hasValue(v) && (!best || v > best.v)) best = { c, g, v };
    }),
  );
  if (best) parts.push(`Highest: ${o.categories[best.c]}, ${o.groups[best.g]}, ${formatNumber(best.v, o.format)}.`);
  return parts.join(' ');
}
