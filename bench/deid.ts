/**
 * `npm run bench:deid`: evaluates the de-identification scanner on test/fixtures/deid/corpus.json
 * and times it on long bodies.
 *
 *   npm run bench:deid                     table + false negatives/positives by id
 *   npm run bench:deid -- --summary        tables only
 *   npm run bench:deid -- path/to/corpus.json
 *
 * Prints text-level recall and precision for the dev half, the held-out test split (and each of
 * its batches) and the whole corpus, per-kind span recall, then the misses by id. Exits 1 when the
 * whole corpus is below recall 0.98 or precision 0.90.
 */
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { scanForIdentifyingData } from '../libs/core/src/deid/deid-scanner';
import { evaluateSplits, findDeidCorpus, formatDeidReport, loadDeidCorpus } from '../libs/core/src/deid/evaluate';

function main(): void {
  const args = process.argv.slice(2);
  const explicit = args.find((a) => !a.startsWith('--'));
  // Runs from dist/bench/deid.js: the corpus is found by walking up to the repository root.
  const path = explicit ? resolve(explicit) : findDeidCorpus(__dirname);
  const corpus = loadDeidCorpus(path);
  console.log(`corpus: ${path} (${corpus.items.length} texts)\n`);

  const e = evaluateSplits(corpus);
  console.log(formatDeidReport([e.dev, e.test, e.testOriginal, e.testBlind, e.testBlind2, e.all], { details: !args.includes('--summary') }));

  console.log('\ntiming (scanForIdentifyingData, one 50,000-character body)');
  const body = longBody(corpus.items.map((i) => i.text), 50_000);
  const first = time(() => scanForIdentifyingData({ body }));
  const warm: number[] = [];
  for (let i = 0; i < 20; i++) warm.push(time(() => scanForIdentifyingData({ body })));
  warm.sort((a, b) => a - b);
  console.log(`  corpus texts concatenated   first ${first.toFixed(1)} ms   median ${warm[10].toFixed(1)} ms   max ${warm[19].toFixed(1)} ms`);
  const adversarial: Array<[string, string]> = [
    ['one long word', 'a'.repeat(50_000)],
    ['capitalised words', 'Aaaa '.repeat(10_000)],
    ['at signs', '@'.repeat(50_000)],
    ['titles', 'Mr. '.repeat(12_500)],
    ['digits and dashes', '1-'.repeat(25_000)],
    ['street-like words', '12 Main Main Main Main Main '.repeat(1_850)],
  ];
  for (const [name, text] of adversarial) {
    const t = Math.min(...[0, 1, 2].map(() => time(() => scanForIdentifyingData({ body: text }))));
    console.log(`  ${name.padEnd(27)} best of 3 ${t.toFixed(1)} ms`);
  }

  const ok = (e.all.recall ?? 0) >= 0.98 && (e.all.precision ?? 0) >= 0.9;
  console.log(`\nwhole corpus: recall ${pct(e.all.recall)}, precision ${pct(e.all.precision)} -> ${ok ? 'meets' : 'BELOW'} the 0.98 / 0.90 targets`);
  if (!ok) process.exitCode = 1;
}

function longBody(texts: string[], length: number): string {
  let s = '';
  for (let i = 0; s.length < length; i++) s += texts[i % texts.length] + (i % 3 ? ' ' : '\n');
  return s.slice(0, length);
}

function time(fn: () => unknown): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

function pct(x: number | null): string {
  return x === null ? 'n/a' : `${(x * 100).toFixed(1)}%`;
}

main();
