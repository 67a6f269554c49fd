import { chartId, esc, fit, formatFigure, niceTicks } from './chart-kit';
import { contrast, heatColour, luminance, textOn } from './heat-map';
import { leastSquares } from './scatter-plot';

describe('chart kit', () => {
  it('escapes with the console’s HTML escaping: tags, both quotes, ampersands, backticks', () => {
    expect(esc(`<script>alert("x")</script> & 'y' \`z\``)).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;y&#x27; &#x60;z&#x60;');
    expect(esc(null)).toBe('');
    expect(esc(42)).toBe('42');
  });

  it('takes only ids that are safe inside other ids and url(#…) references', () => {
    expect(chartId('by-type_2')).toBe('by-type_2');
    for (const bad of ['', '2nd', 'a b', 'a"b', 'x)', 'a#b']) expect(() => chartId(bad)).toThrow(/Chart id/);
  });

  it('writes suppressed as "suppressed" and missing as "no data", never as zero', () => {
    expect(formatFigure(null)).toBe('suppressed');
    expect(formatFigure(null, 'share')).toBe('suppressed');
    expect(formatFigure(undefined)).toBe('no data');
    expect(formatFigure(Number.NaN)).toBe('no data');
    expect(formatFigure(Number.POSITIVE_INFINITY)).toBe('no data');
    expect(formatFigure(0)).toBe('0');
    expect(formatFigure(0, 'share')).toBe('0%');
  });

  it('formats counts, shares and numbers', () => {
    expect(formatFigure(1204)).toBe('1,204');
    expect(formatFigure(0.425, 'share')).toBe('43%');
    expect(formatFigure(0.055, 'share')).toBe('5.5%');
    expect(formatFigure(1, 'share')).toBe('100%');
    expect(formatFigure(-3.14159, 'number')).toBe('-3.14');
    expect(formatFigure(7, (v) => `${v} days`)).toBe('7 days');
  });

  it('cuts long text with an ellipsis and leaves short text alone', () => {
    expect(fit('Short', 200, 13)).toBe('Short');
    const cut = fit('Interagency communication and information sharing', 100, 13);
    expect(cut.endsWith('…')).toBe(true);
    expect(cut.length).toBeLessThan(20);
  });

  it('finds round ticks covering the data, also for one value or a negative range', () => {
    const ticks = niceTicks(3, 97, 5);
    expect(ticks[0]).toBeLessThanOrEqual(3);
    expect(ticks[ticks.length - 1]).toBeGreaterThanOrEqual(97);
    expect(ticks).toEqual([...ticks].sort((a, b) => a - b));
    const steps = new Set(ticks.slice(1).map((t, i) => Math.round((t - ticks[i]) * 1e9) / 1e9));
    expect(steps.size).toBe(1);
    expect([1, 2, 2.5, 5]).toContain([...steps][0] / 10 ** Math.floor(Math.log10([...steps][0])));
    for (const [lo, hi] of [
      [5, 5],
      [0, 0],
      [-40, -10],
      [-0.2, 0.7],
    ]) {
      const t = niceTicks(lo, hi, 5);
      expect(t.length).toBeGreaterThanOrEqual(2);
      expect(t.length).toBeLessThan(15);
      expect(t[0]).toBeLessThanOrEqual(lo);
      expect(t[t.length - 1]).toBeGreaterThanOrEqual(hi);
    }
  });

  it('colours the heat map darker as the share grows, strictly, and clamps outside 0..1', () => {
    const fills = Array.from({ length: 101 }, (_, i) => heatColour(i / 100));
    for (let i = 1; i < fills.length; i++) expect(luminance(fills[i])).toBeLessThan(luminance(fills[i - 1]));
    expect(heatColour(-0.5)).toBe(heatColour(0));
    expect(heatColour(1.7)).toBe(heatColour(1));
    expect(heatColour(0)).not.toBe(heatColour(1));
  });

  it('prints every heat-map value in a colour readable on its cell (WCAG AA, 4.5:1)', () => {
    for (let i = 0; i <= 100; i++) {
      const fill = heatColour(i / 100);
      expect(contrast(fill, textOn(fill))).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('fits a least-squares line, and gives none when x does not vary', () => {
    const fit2 = leastSquares([1, 2, 3, 4].map((x) => ({ x, y: 2 * x + 1 })))!;
    expect(fit2.slope).toBeCloseTo(2);
    expect(fit2.intercept).toBeCloseTo(1);
    expect(fit2.r).toBeCloseTo(1);
    expect(leastSquares([{ x: 1, y: 1 }])).toBeUndefined();
    expect(leastSquares([{ x: 2, y: 1 }, { x: 2, y: 5 }])).toBeUndefined();
    expect(leastSquares([{ x: 1, y: 3 }, { x: 2, y: 3 }])!.r).toBeUndefined();
    expect(leastSquares([{ x: 1, y: 3 }, { x: 2, y: 1 }, { x: 3, y: -1 }])!.r).toBeCloseTo(-1);
  });
});
