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
  svgText,
  textWidth,
  tip,
  WIDTH,
} from './chart-kit';

export interface LineSeries {
  name: string;
  /** One figure per x label; `undefined` leaves a gap, `null` (suppressed) leaves a gap and a hatched marker. */
  values: Figure[];
}

export interface LineChartOptions extends ChartBase {
  /** The periods along the x axis (e.g. "2026 Q1"). */
  xLabels: string[];
  series: LineSeries[];
  /** Written above the y axis. */
  yTitle?: string;
  /** The table's first column heading. Default "Period". */
  xTitle?: string;
  format?: FigureFormat;
  /** Start the y axis at zero (default true; false fits the data). */
  zeroBaseline?: boolean;
}

/** Besides colour, each series has its own marker and dash, so none depends on colour alone. */
const DASHES = ['', '7 3', '2 3', '9 3 2 3', '4 4', '1 3'];
const AXIS_SIZE = 13;
const HEIGHT = 260;

export function marker(i: number, x: number, y: number, colour: string, fill = colour): string {
  const s = 4;
  switch (i % 4) {
    case 0:
      return `<circle cx="${r(x)}" cy="${r(y)}" r="${s}" fill="${fill}" stroke="${colour}" stroke-width="1.5"/>`;
    case 1:
      return `<rect x="${r(x - s)}" y="${r(y - s)}" width="${2 * s}" height="${2 * s}" fill="${fill}" stroke="${colour}" stroke-width="1.5"/>`;
    case 2:
      return `<path d="M${r(x)} ${r(y - s - 1)}L${r(x + s + 1)} ${r(y + s)}L${r(x - s - 1)} ${r(y + s)}Z" fill="${fill}" stroke="${colour}" stroke-width="1.5"/>`;
    default:
      return `<path d="M${r(x)} ${r(y - s - 1)}L${r(x + s + 1)} ${r(y)}L${r(x)} ${r(y + s + 1)}L${r(x - s - 1)} ${r(y)}Z" fill="${fill}" stroke="${colour}" stroke-width="1.5"/>`;
  }
}

/** Trends over periods, several series; a missing or suppressed figure breaks the line. */
export function lineChart(o: LineChartOptions): string {
  const n = o.xLabels.length;
  const values = o.series.flatMap((s) => s.values.slice(0, n)).filter(hasValue);
  const zeroBase = o.zeroBaseline !== false;
  const lo = values.length ? Math.min(zeroBase ? 0 : Infinity, ...values) : 0;
  const hi = values.length ? Math.max(zeroBase ? 0 : -Infinity, ...values) : 1;
  const ticks = niceTicks(lo, hi, 5);
  const domain: [number, number] = [ticks[0], ticks[ticks.length - 1]];
  const left = Math.max(...ticks.map((t) => textWidth(formatNumber(t, o.format), AXIS_SIZE))) + 14;
  const top = o.yTitle ? 28 : 10;
  const bottom = HEIGHT - 30;
  const y = scale(domain, [bottom, top]);
  const xLabels = o.xLabels.map((l) => fit(l, 90, AXIS_SIZE));
  const widest = Math.max(0, ...xLabels.map((l) => textWidth(l, AXIS_SIZE)));
  const pad = Math.max(14, widest / 2 + 2);
  const x = (i: number) => (n <= 1 ? (left + WIDTH) / 2 : left + pad + (i * (WIDTH - left - 2 * pad)) / (n - 1));

  const grid = ticks
    .map(
      (t) =>
        `<line x1="${r(left)}" x2="${WIDTH}" y1="${r(y(t))}" y2="${r(y(t))}" stroke="${GRID}" stroke-width="${t === 0 ? 1.5 : 0.75}"/>` +
        svgText(left - 6, y(t) + 4, formatNumber(t, o.format), { size: AXIS_SIZE, anchor: 'end', fill: MUTED }),
    )
    .join('');
  // Every label when they fit, else every second, third…: the table has them all.
  const every = Math.max(1, Math.ceil((widest + 8) / ((WIDTH - left - 2 * pad) / Math.max(1, n - 1))));
  const xAxis = xLabels
    .map((label, i) => (i % every === 0 ? svgText(x(i), bottom + 20, label, { size: AXIS_SIZE, anchor: 'middle', fill: MUTED }) : ''))
    .join('');
  const yTitle = o.yTitle ? svgText(0, 13, o.yTitle, { size: AXIS_SIZE, fill: MUTED, weight: 600 }) : '';

  const lines = o.series
    .map((s, k) => {
      const colour = seriesColour(k);
      let d = '';
      let drawing = false;
      const marks: string[] = [];
      for (let i = 0; i < n; i++) {
        const v = s.values[i];
        if (hasValue(v)) {
          d += `${drawing ? 'L' : 'M'}${r(x(i))} ${r(y(v))}`;
          drawing = true;
          marks.push(`<g class="viz-point">${tip(`${s.name}, ${o.xLabels[i]}: ${formatNumber(v, o.format)}`)}${marker(k, x(i), y(v), colour)}</g>`);
        } else {
          drawing = false;
          if (isSuppressed(v)) {
            const my = bottom - 7 - k * 11;
            marks.push(
              `<rect class="viz-suppressed" x="${r(x(i) - 4.5)}" y="${r(my - 4.5)}" width="9" height="9" fill="${hatchFill(o.id)}" stroke="${colour}" stroke-width="1.5">${tip(`${s.name}, ${o.xLabels[i]}: suppressed`)}</rect>`,
            );
          }
        }
      }
      const path = d ? `<path class="viz-line" d="${d}" fill="none" stroke="${colour}" stroke-width="2.5"${DASHES[k % DASHES.length] ? ` stroke-dasharray="${DASHES[k % DASHES.length]}"` : ''}/>` : '';
      return `<g class="viz-series">${path}${marks.join('')}</g>`;
    })
    .join('');

  const all = o.series.flatMap((s) => o.xLabels.map((_, i) => s.values[i]));
  const suppressed = all.filter(isSuppressed).length;
  const legend: LegendItem[] = o.series.map((s, k) => ({ label: s.name, swatch: swatchLine(k) }));
  if (suppressed) legend.push(suppressedLegend(o));
  const empty = !n || !o.series.length;
  return frame({
    base: o,
    height: empty ? 60 : HEIGHT,
    desc: empty ? 'There are no figures to show.' : describe(o) + suppressedNote(suppressed, o),
    body: empty ? emptyBody(60) : yTitle + grid + xAxis + lines,
    legend: empty ? [] : legend,
    table: {
      head: [o.xTitle ?? 'Period', ...o.series.map((s) => s.name)],
      rows: empty ? [] : o.xLabels.map((label, i) => ({ label, cells: o.series.map((s) => formatFigure(s.values[i], o.format)) })),
    },
  });
}

/** A legend key for series k: its colour, dash and marker. */
export function swatchLine(k: number): string {
  const colour = seriesColour(k);
  const dash = DASHES[k % DASHES.length];
  return `<line x1="0" y1="7" x2="20" y2="7" stroke="${colour}" stroke-width="2.5"${dash ? ` stroke-dasharray="${dash}"` : ''}/>${marker(k, 10, 7, colour)}`;
}

function describe(o: LineChartOptions): string {
  const n = o.xLabels.length;
  const parts = [
    `Line chart of ${o.series.length} ${o.series.length === 1 ? 'series' : 'series'} over ${n} ${n === 1 ? 'period' : 'periods'}${n ? `, ${o.xLabels[0]} to ${o.xLabels[n - 1]}` : ''}.`,
  ];
  for (const s of o.series) {
    const known = o.xLabels.map((label, i) => ({ label, v: s.values[i] })).filter((p): p is { label: string; v: number } => hasValue(p.v));
    if (!known.length) parts.push(`${s.name}: no figures shown.`);
    else if (known.length === 1) parts.push(`${s.name}: ${formatNumber(known[0].v, o.format)} in ${known[0].label}.`);
    else {
      const [first, last] = [known[0], known[known.length - 1]];
      parts.push(`${s.name}: from ${formatNumber(first.v, o.format)} in ${first.label} to ${formatNumber(last.v, o.format)} in ${last.label}.`);
    }
  }
  return parts.join(' ');
}
