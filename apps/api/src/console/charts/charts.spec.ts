import { barChart, groupedOrStackedBars, heatMap, lineChart, scatterPlot } from '.';
import { SUPPRESSED_STUB } from './bar-chart';
import { PALETTE, WIDTH } from './chart-kit';
import { GROUP_STUB, STACK_STUB, VALUE_ROOM } from './grouped-bars';
import { heatColour, luminance } from './heat-map';

/* A few readers of the markup, enough to measure what was drawn. */
type Attrs = Record<string, string>;

function tags(html: string, tag: string, cls?: string): Attrs[] {
  return [...html.matchAll(new RegExp(`<${tag}\\b([^>]*?)/?>`, 'g'))]
    .map((m) => Object.fromEntries([...m[1].matchAll(/([\w:-]+)="([^"]*)"/g)].map((a) => [a[1], a[2]])))
    .filter((a) => !cls || (a.class ?? '').split(' ').includes(cls));
}

/** The chart's own SVG, without the legend's swatches. */
const plot = (html: string) => html.split('<ul class="viz-legend">')[0];
const num = (a: Attrs, name: string) => Number(a[name]);
/** The text of every <text> element (entities left as written). */
const texts = (html: string) => [...html.matchAll(/<text\b[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
/** The cells of the figures table, row by row. */
const tableRows = (html: string) =>
  [...html.matchAll(/<tr><th scope="row">([^<]*)<\/th>(.*?)<\/tr>/g)].map((m) => [m[1], ...[...m[2].matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((c) => c[1])]);

function expectAccessible(html: string, id: string, title: string, opts: { table?: boolean } = {}) {
  expect(html.startsWith(`<figure class="viz" id="${id}">`)).toBe(true);
  expect(html).toContain(`<figcaption class="viz-caption">${title}</figcaption>`);
  const [svg] = tags(html, 'svg', 'viz-svg');
  expect(svg).toMatchObject({ role: 'img', 'aria-labelledby': `${id}-title`, 'aria-describedby': `${id}-desc`, viewBox: expect.stringMatching(new RegExp(`^0 0 ${WIDTH} \\d`)) });
  expect(html).toContain(`<title id="${id}-title">${title}</title>`);
  expect(html).toMatch(new RegExp(`<desc id="${id}-desc">[^<]{20,}</desc>`));
  if (opts.table !== false) {
    expect(html).toMatch(/<details class="viz-data"><summary>[^<]+<\/summary>/);
    expect(html).toContain(`<caption id="${id}-table" class="visually-hidden">`);
    expect(html).toContain(`aria-labelledby="${id}-table"`);
  }
  // No scripts, no inline styles or handlers, no broken numbers.
  expect(html).not.toMatch(/<script|style=|\son\w+=|NaN|Infinity|undefined/);
  // Every id is the chart's own.
  for (const m of html.matchAll(/\sid="([^"]+)"/g)) expect(m[1] === id || m[1].startsWith(`${id}-`)).toBe(true);
}

const HOSTILE = `<script>alert("x")</script> & 'y'`;

function expectEscaped(html: string) {
  expect(html).not.toContain('<script>');
  expect(html).not.toContain(`"x"`);
  expect(html).not.toContain(`'y'`);
  expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;y&#x27;');
}

describe('barChart', () => {
  const rows = [
    { label: 'Fatality', value: 10 },
    { label: 'Near fatality', value: 25 },
    { label: 'Serious injury', value: 50 },
    { label: 'Other', value: 0 },
  ];

  it('draws bars proportional to their values, the largest across the whole plot', () => {
    const html = barChart({ id: 'types', title: 'Incidents by type', rows });
    const bars = tags(html, 'rect', 'viz-bar');
    expect(bars).toHaveLength(4);
    expect(bars.map((b) => num(b, 'width'))).toEqual([WIDTH / 5, WIDTH / 2, WIDTH, 0]);
    expect(bars.every((b) => num(b, 'x') === 0)).toBe(true);
    expect(tableRows(html)).toEqual([
      ['Fatality', '10'],
      ['Near fatality', '25'],
      ['Serious injury', '50'],
      ['Other', '0'],
    ]);
    expectAccessible(html, 'types', 'Incidents by type');
    expect(html).toMatch(/<desc[^>]*>[^<]*Highest: Serious injury, 50\.[^<]*Lowest: Other, 0\./);
  });

  it('puts a second series on the same scale, in its own colour and with a legend', () => {
    const html = barChart({
      id: 'mine',
      title: 'Yours and the partnership’s',
      seriesNames: ['Your agency', 'Partnership'],
      rows: [
        { label: 'A', value: 20, comparison: 40 },
        { label: 'B', value: 10, comparison: 30 },
      ],
    });
    const bars = tags(html, 'rect', 'viz-bar');
    expect(bars.map((b) => [num(b, 'width'), b.fill])).toEqual([
      [WIDTH / 2, PALETTE[0]],
      [WIDTH, PALETTE[1]],
      [WIDTH / 4, PALETTE[0]],
      [(WIDTH * 3) / 4, PALETTE[1]],
    ]);
    expect(html).toMatch(/<ul class="viz-legend">.*Your agency.*Partnership.*<\/ul>/);
    expect(tableRows(html)[0]).toEqual(['A', '20', '40']);
    expect(html).toContain('<th scope="col" class="num">Partnership</th>');
  });

  it('draws a suppressed figure as a hatched stub with the word, never as zero', () => {
    const html = barChart({ id: 's', title: 'T', suppressionThreshold: 5, rows: [{ label: 'Tribal', value: null }, { label: 'County', value: 8 }] });
    const [stub] = tags(html, 'rect', 'viz-suppressed');
    expect(stub).toMatchObject({ fill: 'url(#s-hatch)', width: String(SUPPRESSED_STUB) });
    expect(html).toContain('<pattern id="s-hatch"');
    expect(texts(html)).toContain('suppressed');
    expect(texts(html)).not.toContain('0');
    expect(tableRows(html)[0]).toEqual(['Tribal', 'suppressed']);
    expect(html).toContain('<td class="num viz-missing">suppressed</td>');
    expect(html).toContain('Fewer than 5: suppressed');
    expect(html).toMatch(/<title>Tribal, Value: suppressed<\/title>/);
    expect(html).toMatch(/<desc[^>]*>[^<]*1 figure is suppressed \(fewer than 5\)/);
  });

  it('draws negative values left of a zero line', () => {
    const html = barChart({ id: 'neg', title: 'Change', rows: [{ label: 'Down', value: -20 }, { label: 'Up', value: 10 }] });
    const [down, up] = tags(html, 'rect', 'viz-bar');
    const zero = (WIDTH * 2) / 3;
    expect(num(down, 'x')).toBe(0);
    expect(num(down, 'width')).toBeCloseTo(zero, 1);
    expect(num(up, 'x')).toBeCloseTo(zero, 1);
    expect(num(up, 'width')).toBeCloseTo(WIDTH / 3, 1);
    expect(num(tags(html, 'line', 'viz-zero')[0], 'x1')).toBeCloseTo(zero, 1);
    expectAccessible(html, 'neg', 'Change');
  });

  it('renders empty and all-suppressed data sensibly', () => {
    const empty = barChart({ id: 'empty', title: 'Nothing yet', rows: [] });
    expectAccessible(empty, 'empty', 'Nothing yet', { table: false });
    expect(texts(empty)).toEqual(['No figures to show.']);
    expect(empty).not.toContain('<table');

    const hidden = barChart({ id: 'all', title: 'All hidden', suppressionThreshold: 10, rows: [{ label: 'A', value: null }, { label: 'B', value: null }] });
    expectAccessible(hidden, 'all', 'All hidden');
    expect(tags(hidden, 'rect', 'viz-bar')).toHaveLength(0);
    expect(tags(hidden, 'rect', 'viz-suppressed')).toHaveLength(2);
    expect(tableRows(hidden)).toEqual([
      ['A', 'suppressed'],
      ['B', 'suppressed'],
    ]);
    expect(hidden).toContain('Fewer than 10: suppressed');
  });

  it('escapes hostile labels and titles everywhere', () => {
    const html = barChart({ id: 'hostile', title: HOSTILE, summary: HOSTILE, seriesNames: [HOSTILE, HOSTILE], rows: [{ label: HOSTILE, value: 3, comparison: 4 }] });
    expectEscaped(html);
    expectAccessible(html, 'hostile', '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;y&#x27;');
  });

  it('refuses an id that could break out of its attribute', () => {
    expect(() => barChart({ id: 'a" onload="x', title: 'T', rows: [] })).toThrow(/Chart id/);
  });
});

describe('groupedOrStackedBars', () => {
  const base = { id: 'q', title: 'Incidents by type and quarter', categories: ['Fatality', 'Injury'], groups: ['Q1', 'Q2', 'Q3'] };

  it('groups bars by category, one colour per group, proportional, the largest across the plot', () => {
    const html = groupedOrStackedBars({ ...base, values: [[10, 20, 40], [5, 0, 30]] });
    const bars = tags(html, 'rect', 'viz-bar');
    const plot = WIDTH - VALUE_ROOM;
    expect(bars.map((b) => num(b, 'width'))).toEqual([plot / 4, plot / 2, plot, plot / 8, 0, (plot * 3) / 4]);
    expect(bars.map((b) => b.fill)).toEqual([PALETTE[0], PALETTE[1], PALETTE[2], PALETTE[0], PALETTE[1], PALETTE[2]]);
    expect(tableRows(html)).toEqual([
      ['Fatality', '10', '20', '40'],
      ['Injury', '5', '0', '30'],
    ]);
    expectAccessible(html, 'q', base.title);
    expect(html).toMatch(/Highest: Fatality, Q3, 40\./);
  });

  it('stacks the groups end to end, with a total, and suppressed parts as hatched stubs after them', () => {
    const html = groupedOrStackedBars({ ...base, mode: 'stacked', suppressionThreshold: 5, values: [[10, null, 30], [5, 5, 10]] });
    const parts = tags(html, 'rect', 'viz-bar');
    expect(parts).toHaveLength(5);
    const [a, b] = parts;
    expect(num(a, 'x')).toBe(0);
    expect(num(b, 'x')).toBeCloseTo(num(a, 'width'), 1);
    expect(num(b, 'width') / num(a, 'width')).toBeCloseTo(3, 5);
    const [stub] = tags(html, 'rect', 'viz-suppressed');
    expect(num(stub, 'x')).toBeCloseTo(num(b, 'x') + num(b, 'width'), 1);
    expect(num(stub, 'width')).toBe(STACK_STUB);
    // The longest stack leaves room for the stubs, and no part runs off the plot.
    expect(num(b, 'x') + num(b, 'width')).toBeCloseTo(WIDTH - STACK_STUB, 1);
    expect(texts(html)).toEqual(expect.arrayContaining(['Total 40 + suppressed', 'Total 20']));
    expect(tableRows(html)).toEqual([
      ['Fatality', '10', 'suppressed', '30', '40 + suppressed'],
      ['Injury', '5', '5', '10', '20'],
    ]);
    expect(html).toContain('Fewer than 5: suppressed');
    expectAccessible(html, 'q', base.title);
  });

  it('writes a suppressed grouped bar as such, and survives ragged, empty and all-suppressed input', () => {
    const html = groupedOrStackedBars({ ...base, values: [[null, 3]] });
    const [stub] = tags(html, 'rect', 'viz-suppressed');
    expect(num(stub, 'width')).toBe(GROUP_STUB);
    expect(texts(html)).toEqual(expect.arrayContaining(['suppressed', 'no data']));
    expect(tableRows(html)[1]).toEqual(['Injury', 'no data', 'no data', 'no data']);
    expectAccessible(html, 'q', base.title);

    for (const mode of ['grouped', 'stacked'] as const) {
      expectAccessible(groupedOrStackedBars({ ...base, mode, categories: [], values: [] }), 'q', base.title, { table: false });
      expectAccessible(groupedOrStackedBars({ ...base, mode, groups: [], values: [] }), 'q', base.title);
      const hidden = groupedOrStackedBars({ ...base, mode, values: [[null, null, null], [null, null, null]] });
      expectAccessible(hidden, 'q', base.title);
      expect(tags(hidden, 'rect', 'viz-bar')).toHaveLength(0);
      expect(tags(hidden, 'rect', 'viz-suppressed')).toHaveLength(6);
      const negative = groupedOrStackedBars({ ...base, mode, values: [[-5, 10, -2], [3, 3, 3]] });
      expectAccessible(negative, 'q', base.title);
      expect(tags(negative, 'line', 'viz-zero')).toHaveLength(1);
    }
  });

  it('keeps room for long numbers beside the longest bar', () => {
    const html = groupedOrStackedBars({ ...base, values: [[1234567, 5, 7]] });
    const [longest] = tags(html, 'rect', 'viz-bar');
    const label = texts(html).indexOf('1,234,567');
    expect(label).toBeGreaterThan(-1);
    const end = num(longest, 'x') + num(longest, 'width');
    expect(end + 3 + '1,234,567'.length * 13 * 0.6).toBeLessThanOrEqual(WIDTH);
  });

  it('escapes hostile categories and groups', () => {
    expectEscaped(groupedOrStackedBars({ id: 'h', title: 'T', categories: [HOSTILE], groups: [HOSTILE], values: [[1]] }));
    expectEscaped(groupedOrStackedBars({ id: 'h', title: 'T', mode: 'stacked', categories: [HOSTILE], groups: [HOSTILE], values: [[null]] }));
  });
});

describe('heatMap', () => {
  const base = { id: 'hm', title: 'Findings by domain', rows: ['Safety', 'Supervision'], columns: ['State', 'County', 'Tribal'] };

  it('colours each cell by its share, darker for more, and prints the value in it', () => {
    const values = [
      [0.1, 0.9, 0.5],
      [0, 1, 0.3],
    ];
    const html = heatMap({ ...base, values });
    const cells = tags(html, 'rect', 'viz-cell');
    expect(cells.map((c) => c.fill)).toEqual(values.flat().map(heatColour));
    const byValue = values.flat().map((v, i) => ({ v, l: luminance(cells[i].fill) })).sort((a, b) => a.v - b.v);
    for (let i = 1; i < byValue.length; i++) expect(byValue[i].l).toBeLessThan(byValue[i - 1].l);
    expect(texts(html)).toEqual(expect.arrayContaining(['10%', '90%', '50%', '0%', '100%', '30%']));
    expect(tableRows(html)).toEqual([
      ['Safety', '10%', '90%', '50%'],
      ['Supervision', '0%', '100%', '30%'],
    ]);
    expectAccessible(html, 'hm', base.title);
    expect(html).toMatch(/Highest: Supervision, County, 100%\..*Lowest: Supervision, State, 0%\./);
  });

  it('hatches a suppressed cell and writes "suppressed", distinct from a zero', () => {
    const html = heatMap({ ...base, suppressionThreshold: 3, values: [[null, 0, 0.5]] });
    const [cell] = tags(html, 'rect', 'viz-suppressed');
    expect(cell.fill).toBe('url(#hm-hatch)');
    expect(tags(html, 'rect', 'viz-cell')[0].fill).toBe(heatColour(0));
    expect(texts(html).filter((t) => t === 'suppressed')).toHaveLength(1);
    expect(html).toContain('<title>Safety, State: suppressed</title>');
    expect(tableRows(html)[0]).toEqual(['Safety', 'suppressed', '0%', '50%']);
    expect(tableRows(html)[1]).toEqual(['Supervision', 'no data', 'no data', 'no data']);
    expect(html).toContain('Fewer than 3: suppressed');
    expectAccessible(html, 'hm', base.title);
  });

  it('prints whole numbers in narrow cells, smaller rather than cut', () => {
    const columns = Array.from({ length: 14 }, (_, i) => `Region ${i + 1}`);
    const html = heatMap({ ...base, columns, values: [columns.map(() => 1)] });
    const sizes = [...html.matchAll(/<text [^>]*font-size="([\d.]+)"[^>]*>100%<\/text>/g)].map((m) => Number(m[1]));
    expect(sizes).toHaveLength(14);
    for (const size of sizes) expect(size).toBeLessThan(12);
    expect(html).not.toMatch(/>10…</);
  });

  it('survives empty, all-suppressed and out-of-range input, and escapes hostile labels', () => {
    expectAccessible(heatMap({ ...base, rows: [], values: [] }), 'hm', base.title, { table: false });
    const hidden = heatMap({ ...base, values: [[null, null, null], [null, null, null]] });
    expectAccessible(hidden, 'hm', base.title);
    expect(tags(hidden, 'rect', 'viz-suppressed')).toHaveLength(6);
    const odd = heatMap({ ...base, values: [[-0.2, 1.5, 0.5]] });
    expect(tags(odd, 'rect', 'viz-cell').map((c) => c.fill)).toEqual([heatColour(0), heatColour(1), heatColour(0.5)]);
    expect(texts(odd)).toEqual(expect.arrayContaining(['-20%', '150%']));
    expectEscaped(heatMap({ id: 'hm', title: 'T', rows: [HOSTILE], columns: [HOSTILE], values: [[0.5]] }));
  });
});

describe('lineChart', () => {
  const base = { id: 'trend', title: 'Reviews on time', xLabels: ['Q1', 'Q2', 'Q3', 'Q4', 'Q5'] };

  it('breaks the line where a figure is missing or suppressed, and marks the suppressed one', () => {
    const html = lineChart({ ...base, suppressionThreshold: 5, series: [{ name: 'Ours', values: [10, 20, null, 40, undefined] }] });
    const [path] = tags(html, 'path', 'viz-line');
    expect(path.d.match(/M/g)).toHaveLength(2);
    expect(path.d.match(/L/g)).toHaveLength(1);
    expect(tags(html, 'rect', 'viz-suppressed')).toHaveLength(1);
    expect(html).toContain('<title>Ours, Q3: suppressed</title>');
    expect(tableRows(html).map((r) => r[1])).toEqual(['10', '20', 'suppressed', '40', 'no data']);
    expect(html).toContain('Fewer than 5: suppressed');
    expectAccessible(html, 'trend', base.title);
    expect(html).toMatch(/Ours: from 10 in Q1 to 40 in Q4\./);
  });

  it('places points linearly from a zero baseline, one marker and dash per series', () => {
    const html = lineChart({ ...base, series: [{ name: 'A', values: [0, 10, 20, 30, 40] }, { name: 'B', values: [5, 5, 5, 5, 5] }] });
    const ys = tags(plot(html), 'circle').map((c) => num(c, 'cy'));
    expect(ys).toHaveLength(5);
    for (let i = 1; i < 5; i++) expect((ys[0] - ys[i]) / (ys[0] - ys[1])).toBeCloseTo(i, 1);
    const [a, b] = tags(html, 'path', 'viz-line');
    expect(a.stroke).toBe(PALETTE[0]);
    expect(b.stroke).toBe(PALETTE[1]);
    expect(a['stroke-dasharray']).toBeUndefined();
    expect(b['stroke-dasharray']).toBeDefined();
    expect(tags(plot(html), 'rect').filter((r) => r.fill === PALETTE[1])).toHaveLength(5); // series B's square markers
  });

  it('survives empty, all-suppressed and negative series, and escapes hostile names', () => {
    expectAccessible(lineChart({ ...base, series: [] }), 'trend', base.title, { table: false });
    expectAccessible(lineChart({ ...base, xLabels: [], series: [{ name: 'A', values: [] }] }), 'trend', base.title, { table: false });
    const hidden = lineChart({ ...base, series: [{ name: 'A', values: [null, null, null, null, null] }] });
    expectAccessible(hidden, 'trend', base.title);
    expect(tags(hidden, 'path', 'viz-line')).toHaveLength(0);
    expect(tags(hidden, 'rect', 'viz-suppressed')).toHaveLength(5);
    expectAccessible(lineChart({ ...base, series: [{ name: 'A', values: [-3, -1, 2, 0, -8] }] }), 'trend', base.title);
    expectAccessible(lineChart({ ...base, xLabels: ['Only'], series: [{ name: 'A', values: [4] }] }), 'trend', base.title);
    expectEscaped(lineChart({ id: 'l', title: 'T', yTitle: HOSTILE, xLabels: [HOSTILE], series: [{ name: HOSTILE, values: [1] }] }));
  });
});

describe('scatterPlot', () => {
  const base = { id: 'sc', title: 'Caseload and turnover', xTitle: 'Cases per worker', yTitle: 'Turnover' };

  it('places points linearly, labels them, and draws the trend line with r in the description', () => {
    const points = [
      { label: 'A', x: 10, y: 20 },
      { label: 'B', x: 20, y: 40 },
      { label: 'C', x: 30, y: 60 },
    ];
    const html = scatterPlot({ ...base, points, trendLine: true });
    const dots = tags(html, 'circle');
    expect(dots).toHaveLength(3);
    const [p0, p1, p2] = dots.map((d) => [num(d, 'cx'), num(d, 'cy')]);
    expect(p2[0] - p1[0]).toBeCloseTo(p1[0] - p0[0], 1);
    expect(p2[1] - p1[1]).toBeCloseTo(p1[1] - p0[1], 1);
    expect(p1[1]).toBeLessThan(p0[1]);
    const [trend] = tags(html, 'line', 'viz-trend');
    expect(num(trend, 'x1')).toBeCloseTo(p0[0], 1);
    expect(num(trend, 'y2')).toBeCloseTo(p2[1], 1);
    expect(texts(html)).toEqual(expect.arrayContaining(['A', 'B', 'C', 'Cases per worker', 'Turnover']));
    expect(html).toMatch(/Correlation r &#x3D; 1\.00\./);
    expect(tableRows(html)[1]).toEqual(['B', '20', '40']);
    expectAccessible(html, 'sc', base.title);
  });

  it('lists points with a suppressed coordinate below the plot instead of placing them at zero', () => {
    const html = scatterPlot({ ...base, suppressionThreshold: 5, points: [{ label: 'A', x: 1, y: 2 }, { label: 'Small', x: 3, y: null }] });
    expect(tags(html, 'circle')).toHaveLength(1);
    expect(texts(html)).toContain('Suppressed: Small');
    expect(tableRows(html)[1]).toEqual(['Small', '3', 'suppressed']);
    expect(html).toContain('Fewer than 5: suppressed');
    expect(html).toMatch(/1 point is not plotted/);
    expectAccessible(html, 'sc', base.title);
  });

  it('survives empty, all-suppressed, one-point and constant input, and escapes hostile text', () => {
    expectAccessible(scatterPlot({ ...base, points: [] }), 'sc', base.title, { table: false });
    const hidden = scatterPlot({ ...base, trendLine: true, points: [{ label: 'A', x: null, y: null }] });
    expectAccessible(hidden, 'sc', base.title);
    expect(tags(hidden, 'circle')).toHaveLength(0);
    const flat = scatterPlot({ ...base, trendLine: true, points: [{ label: 'A', x: 2, y: -1 }, { label: 'B', x: 2, y: 5 }] });
    expectAccessible(flat, 'sc', base.title);
    expect(tags(flat, 'line', 'viz-trend')).toHaveLength(0);
    expectAccessible(scatterPlot({ ...base, points: [{ label: 'A', x: 0, y: 0 }] }), 'sc', base.title);
    expectEscaped(scatterPlot({ id: 's', title: 'T', xTitle: HOSTILE, yTitle: HOSTILE, points: [{ label: HOSTILE, x: 1, y: 1 }, { label: HOSTILE, x: null, y: 1 }] }));
  });
});
