/**
 * The console's charts in a real browser (Debian's Chromium through playwright-core), without the
 * app: a tiny node http server serves one page with each chart and the console's stylesheet,
 * under a Content-Security-Policy stricter than the console's (no inline styles, no scripts).
 * At 390 px and 1280 px: axe-core finds no violations at all (tables closed and open), nothing
 * sticks out sideways, every chart is an image named by its title, the browser reports no CSP
 * violation, and hostile labels stay text. No screenshots are saved.
 */
import { readFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { Browser, Page } from 'playwright-core';
import { barChart, groupedOrStackedBars, heatMap, lineChart, scatterPlot } from '../../apps/api/src/console/charts';
import { axe, launchBrowser, overflowing, walk } from './browser';
import { expect } from './locator-expect';

/* Code passed to page.evaluate runs in the browser; the project compiles without the DOM library. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
declare const window: any, document: any;

jest.setTimeout(90_000);

const CSS = readFileSync(resolve(__dirname, '../../templates/console/assets/console.css'));
const CSP = "default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
const HOSTILE = `<script>alert("x")</script> & 'Tribal' "nations"`;
const QUARTERS = ['2025 Q3', '2025 Q4', '2026 Q1', '2026 Q2', '2026 Q3'];
const TITLES = [
  'Critical incidents reviewed, by type',
  'Incidents by type and quarter',
  'Incidents by type, quarters stacked',
  'Findings by review domain and jurisdiction type',
  'Reviews completed within 90 days',
  'Caseload against staff turnover',
];

function page(): string {
  const k = { suppressionThreshold: 5 };
  const charts = [
    barChart({
      id: 'by-type',
      title: TITLES[0],
      ...k,
      seriesNames: ['Your agency', 'Partnership'],
      rows: [
        { label: 'Child fatality', value: 12, comparison: 9.5 },
        { label: 'Near fatality with a very long name that must be cut to fit', value: 7, comparison: 11 },
        { label: HOSTILE, value: null, comparison: 6 },
        { label: 'Serious injury', value: 25, comparison: null },
      ],
    }),
    groupedOrStackedBars({
      id: 'by-quarter',
      title: TITLES[1],
      ...k,
      categories: ['Fatality', 'Near fatality', 'Serious injury'],
      groups: QUARTERS.slice(0, 4),
      values: [
        [12, 9, null, 14],
        [6, 8, 7, 5],
        [20, 18, 22, 25],
      ],
    }),
    groupedOrStackedBars({
      id: 'by-quarter-stacked',
      title: TITLES[2],
      ...k,
      mode: 'stacked',
      categories: ['Fatality', 'Near fatality', 'Serious injury'],
      groups: QUARTERS.slice(0, 4),
      values: [
        [12, 9, null, 14],
        [6, 8, 7, 5],
        [20, 18, 22, 25],
      ],
    }),
    heatMap({
      id: 'domains',
      title: TITLES[3],
      ...k,
      rowTitle: 'Review domain',
      rows: ['Safety assessment', 'Supervision', 'Interagency communication', HOSTILE],
      columns: ['State', 'County', 'Tribal nation', 'Partnership average'],
      values: [
        [0.82, 0.64, null, 0.7],
        [0.1, 0.35, 0.5, 0.3],
        [0, 1, 0.05, 0.45],
        [0.91, null, 0.2, 0.55],
      ],
    }),
    lineChart({
      id: 'timeliness',
      title: TITLES[4],
      ...k,
      format: 'share',
      yTitle: 'Share of reviews',
      xLabels: QUARTERS,
      series: [
        { name: 'Your agency', values: [0.55, 0.6, null, 0.72, 0.7] },
        { name: 'Partnership', values: [0.5, 0.52, 0.58, undefined, 0.61] },
        { name: 'Tribal nations', values: [null, 0.4, 0.45, 0.5, 0.48] },
      ],
    }),
    scatterPlot({
      id: 'caseload',
      title: TITLES[5],
      ...k,
      xTitle: 'Cases per worker',
      yTitle: 'Staff turnover',
      yFormat: 'share',
      trendLine: true,
      pointTitle: 'Agency',
      points: [
        { label: 'Franklin County', x: 14, y: 0.22 },
        { label: 'Hamilton County', x: 18, y: 0.31 },
        { label: 'Cherokee Nation', x: 11, y: 0.12 },
        { label: 'Cuyahoga County', x: 22, y: 0.35 },
        { label: HOSTILE, x: 16, y: null },
        { label: 'Ohio DCY', x: 9, y: 0.15 },
      ],
    }),
  ];
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Charts – Safety Notice Exchange</title><link rel="icon" href="data:,"><link rel="stylesheet" href="/console.css"></head>
<body><main class="wrap" id="main"><h1>Partnership dashboard</h1>${charts.map((c, i) => `<section aria-labelledby="h${i}"><h2 id="h${i}">Chart ${i + 1}</h2>${c}</section>`).join('')}</main></body></html>`;
}

describe('console charts in a browser', () => {
  let browser: Browser;
  let server: Server;
  let base = '';
  const w = walk(() => browser);

  beforeAll(async () => {
    const html = page();
    server = createServer((req, res) => {
      res.setHeader('Content-Security-Policy', CSP);
      res.setHeader('X-Content-Type-Options', 'nosniff');
      if (req.url === '/console.css') res.writeHead(200, { 'Content-Type': 'text/css; charset=utf-8' }).end(CSS);
      else if (req.url === '/') res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(html);
      else res.writeHead(404).end();
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await w.close();
    await browser?.close();
    await new Promise((done) => server?.close(done));
  });

  async function violations(p: Page): Promise<string[]> {
    return (await axe(p)).map((v) => `${v.id} (${v.impact}): ${v.help} ${v.nodes.map((n) => `${n.target.join(' ')} ${n.html}`).join('; ')}`);
  }

  for (const width of [390, 1280]) {
    it(`draws every chart accessibly at ${width} px`, async () => {
      const p = await w.open({ width });
      const dialogs: string[] = [];
      p.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      await p.goto(base);
      await expect(p.locator('figure.viz')).toHaveCount(TITLES.length);
      for (const title of TITLES) await expect(p.getByRole('img', { name: title, exact: true })).toHaveCount(1);

      // The SVGs scale to the column: none wider than the page, none collapsed.
      const sizes: { width: number; height: number }[] = await p.evaluate(() =>
        [...document.querySelectorAll('svg.viz-svg')].map((s: { getBoundingClientRect(): { width: number; height: number } }) => s.getBoundingClientRect()),
      );
      for (const s of sizes) {
        expect(s.width).toBeGreaterThan(width === 390 ? 300 : 500);
        expect(s.width).toBeLessThanOrEqual(width);
        expect(s.height).toBeGreaterThan(40);
      }
      expect(await overflowing(p)).toEqual([]);
      expect(await violations(p)).toEqual([]);

      // Open every table: the same figures, suppressed written as such, and still no violations.
      for (const summary of await p.locator('details.viz-data > summary').all()) await summary.click();
      await expect(p.locator('#by-type table')).toBeVisible();
      await expect(p.locator('#by-type tbody tr').nth(2).locator('td').first()).toHaveText('suppressed');
      await expect(p.locator('#domains tbody tr').nth(0).locator('td').nth(2)).toHaveText('suppressed');
      await expect(p.locator('#domains tbody tr').nth(2).locator('td').first()).toHaveText('0%');
      await expect(p.locator('#timeliness tbody tr').nth(2).locator('td').first()).toHaveText('suppressed');
      await expect(p.locator('#timeliness tbody tr').nth(3).locator('td').nth(1)).toHaveText('no data');
      expect(await overflowing(p)).toEqual([]);
      expect(await violations(p)).toEqual([]);

      // Hostile labels are text, never markup; nothing ran and the CSP refused nothing.
      await expect(p.locator('#by-type tbody th').nth(2)).toHaveText(HOSTILE);
      expect(await p.locator('#caseload svg text.viz-suppressed-list').textContent()).toMatch(/^Suppressed: <script>alert\("x"\)<\/script> & 'Tribal'/);
      expect(await p.evaluate(() => document.querySelectorAll('main script').length)).toBe(0);
      expect(dialogs).toEqual([]);
      expect(w.problemsOf(p)).toEqual([]);
      await p.close();
    });
  }
});
