/**
 * `npm run bench:deid`: evaluates the de-identification guard on every labelled set in
 * test/fixtures/deid/ (corpus.json, dev2.json, ...); with --heldout also the frozen held-out sets in
 * test/fixtures/deid/heldout/, which nobody tuning the guard runs
 * and times it on long bodies.
 *
 *   npm run bench:deid                          summary of every set and its views, per-kind table of each set
 *   npm run bench:deid -- --file path.json      one labelled set (any file in the labelled-set format)
 *   npm run bench:deid -- --details "dev2: half A"   also list that view's misses by id
 *   npm run bench:deid -- --per-kind "dev3: half B"  per-kind figures of one view, without its texts (a checkpoint)
 *   npm run bench:deid -- --nlp lexicon=0,tagger=1   switch the NLP helpers (for measuring them)
 *   npm run bench:deid -- --weights /tmp/w.json      the token model with other weights (a leave-out model
 *                                                     from `npm run train:deid-model -- --exclude ... --out`)
 *   npm run bench:deid -- --no-model                 the rules alone, without the token model or the text model
 *   npm run bench:deid -- --no-text-model            without the text model
 *   npm run bench:deid -- --no-timing
 *
 * Exits 1 when any set's whole-set figures are below recall 0.98 or precision 0.90.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { scanForIdentifyingData } from '../libs/core/src/deid/deid-scanner';
import { DeidEvaluation, evaluateSet, findDeidFixtures, labelledSetPaths, loadLabelledSet, scanFnWith } from '../libs/core/src/deid/evaluate';
import { NlpSwitches } from '../libs/core/src/deid/kinds';
import { formatMisses, formatPerKind, formatSummary } from '../libs/core/src/deid/report';

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

function parseNlp(spec: string | undefined): Partial<NlpSwitches> {
  const out: Partial<NlpSwitches> = {};
  for (const part of (spec ?? '').split(',').filter(Boolean)) {
    const [k, v] = part.split('=');
    if (k === 'lexicon' || k === 'tagger') out[k] = v === '1' || v === 'true';
  }
  return out;
}

function main(): void {
  const args = process.argv.slice(2);
  const file = option(args, '--file');
  const details = option(args, '--details');
  const perKindView = option(args, '--per-kind');
  const nlp = parseNlp(option(args, '--nlp'));
  // Runs from dist/bench/deid.js: the fixtures are found by walking up to the repository root.
  // The held-out sets (test/fixtures/deid/heldout/) are evaluated only when asked: whoever tunes
  // the guard never runs with --heldout, so their figures never steer a change.
  const heldout = args.includes('--heldout') ? labelledSetPaths(join(fixturesDir(), 'heldout')) : [];
  const paths = file ? [resolve(file)] : [...labelledSetPaths(fixturesDir()), ...heldout];
  const weightsPath = option(args, '--weights');
  const tokenModel = args.includes('--no-model') ? { enabled: false } : weightsPath ? { weights: JSON.parse(readFileSync(weightsPath, 'utf8')) as unknown } : undefined;
  const textModel = args.includes('--no-model') || args.includes('--no-text-model') ? { enabled: false } : undefined;
  const scan = scanFnWith({ nlp, tokenModel, textModel });
  const all: DeidEvaluation[] = [];
  const wholeSets: DeidEvaluation[] = [];
  for (const path of paths) {
    const set = loadLabelledSet(path);
    console.log(`${set.name} (${set.items.length} texts): ${path}${set.writtenBy ? `\n  written by ${set.writtenBy}` : ''}`);
    const evals = evaluateSet(set, scan);
    all.push(...evals);
    wholeSets.push(evals[0]);
  }
  if (Object.keys(nlp).length) console.log(`\nNLP switches: ${JSON.stringify(nlp)}`);
  if (tokenModel) console.log(`\ntoken model: ${weightsPath ? `weights from ${weightsPath}` : 'off (rules alone)'}`);
  if (textModel) console.log('\ntext model: off');
  console.log(`\n${formatSummary(all)}\n`);
  for (const e of wholeSets) console.log(`${formatPerKind(e)}\n`);
  if (perKindView) {
    const e = all.find((x) => x.label === perKindView);
    console.log(e ? formatPerKind(e) : `no view named '${perKindView}'`);
  }
  if (details) {
    const e = all.find((x) => x.label === details);
    console.log(e ? formatMisses(e) : `no view named '${details}' (views: ${all.map((x) => x.label).join(', ')})`);
  }
  if (!args.includes('--no-timing')) timing();
  const below = wholeSets.filter((e) => (e.recall ?? 0) < 0.98 || (e.precision ?? 0) < 0.9);
  console.log(below.length ? `\nBELOW the 0.98 / 0.90 bar: ${below.map((e) => e.label).join(', ')}` : '\nevery set meets the 0.98 / 0.90 bar');
  if (below.length) process.exitCode = 1;
}

function fixturesDir(): string {
  try {
    return findDeidFixtures(__dirname);
  } catch {
    return findDeidFixtures(process.cwd());
  }
}

function timing(): void {
  console.log('\ntiming (scanForIdentifyingData, one body; best of 5 after a warm-up)');
  const sample =
    'The infant, Jayden, was found prone on March 3, 2026 at 12 Orchard Road. Call 1-800-222-1222 for Poison Control. CPS case 19-4432 was screened out. Effective May 1, 2026, workers must check the sleep space. Contact Dana Whitfield, Safety Program Manager, at safety@dcf.example.gov.\n';
  const sizes = [12_500, 50_000];
  const inputs: Array<[string, (n: number) => string]> = [
    ['notice prose', (n) => sample.repeat(Math.ceil(n / sample.length)).slice(0, n)],
    ['one long word', (n) => 'a'.repeat(n)],
    ['capitalised words', (n) => 'Aaaa '.repeat(n / 5)],
    ['digits and dashes', (n) => '1-'.repeat(n / 2)],
    ['dotted words', (n) => 'a.'.repeat(n / 2)],
    ['titles', (n) => 'Mr. '.repeat(n / 4)],
  ];
  scanForIdentifyingData({ body: sample });
  for (const [name, make] of inputs) {
    const ms = sizes.map((n) => {
      const body = make(n);
      return Math.min(...[0, 1, 2, 3, 4].map(() => time(() => scanForIdentifyingData({ body }))));
    });
    console.log(`  ${name.padEnd(20)} 12,500 chars ${ms[0].toFixed(1).padStart(7)} ms   50,000 chars ${ms[1].toFixed(1).padStart(7)} ms   ratio ${(ms[1] / ms[0]).toFixed(1)}`);
  }
}

function time(fn: () => unknown): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

main();
