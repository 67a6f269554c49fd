/**
 * The guard against the development sets in test/fixtures/deid: corpus.json (the project's first
 * corpus), dev2.json (300 texts written independently from the brief of kinds) and tuner.json
 * (written by the helper who tuned the detectors). Bar: text-level recall >= 0.98 and precision
 * >= 0.90 on every set and on each of its views (dev/test split or halves). A drop below fails with
 * the report. A held-out set placed beside them is checked for its format only: its figures are
 * for the person who evaluates it, not for this test.
 */
import { basename } from 'node:path';
import { DEID_KINDS } from './deid-scanner';
import { DeidLabelledSet, evaluateItems, evaluateSet, findDeidFixtures, halves, labelledSetPaths, loadLabelledSet } from './evaluate';
import { formatMisses, formatPerKind, formatSummary } from './report';

const MIN_RECALL = 0.98;
const MIN_PRECISION = 0.9;
const DEVELOPMENT_SETS = ['corpus.json', 'dev2.json', 'tuner.json'];

describe('de-identification development sets', () => {
  const dir = findDeidFixtures(__dirname);
  const paths = labelledSetPaths(dir);
  const sets = new Map<string, DeidLabelledSet>();
  beforeAll(() => {
    for (const p of paths) sets.set(basename(p), loadLabelledSet(p));
  });

  it('every labelled set in the folder is well formed (loading validates ids, kinds, spans, fields)', () => {
    expect(paths.map((p) => basename(p))).toEqual(expect.arrayContaining(DEVELOPMENT_SETS));
    for (const name of paths.map((p) => basename(p))) expect(sets.get(name)!.items.length).toBeGreaterThan(0);
  });

  it('the development sets are about half identifying, and together cover every kind at least five times', () => {
    for (const name of DEVELOPMENT_SETS) {
      const items = sets.get(name)!.items;
      const share = items.filter((i) => i.identifying).length / items.length;
      expect(share).toBeGreaterThan(0.3);
      expect(share).toBeLessThan(0.7);
    }
    const all = DEVELOPMENT_SETS.flatMap((n) => sets.get(n)!.items);
    for (const kind of DEID_KINDS) expect([kind, all.filter((i) => i.kinds.includes(kind)).length >= 5]).toEqual([kind, true]);
  });

  it('the original corpus documents its labelling conventions for every kind', () => {
    const kinds = (sets.get('corpus.json')!.conventions as { kinds: Record<string, string> }).kinds;
    for (const kind of DEID_KINDS) expect([kind, typeof kinds[kind]]).toEqual([kind, 'string']);
  });

  // dev3 (400 texts, written independently): the guard was tuned on its half A only, so that half is a
  // regression test; half B and the whole set are reported by the bench (README), not held to the bar here.
  // dev4 (300 texts, written independently for the third round) is held the same way: its half A only.
  it.each<[string, number]>([
    ['dev3.json', 110],
    ['dev4.json', 75],
  ])(`%s half A (the half tuned on): recall >= ${MIN_RECALL} and precision >= ${MIN_PRECISION}`, (name, identifying) => {
    const [halfA] = halves(sets.get(name)!.items);
    const e = evaluateItems(halfA, `${name}: half A`);
    if ((e.recall ?? 0) < MIN_RECALL || (e.precision ?? 0) < MIN_PRECISION) throw new Error(`${formatSummary([e])}\n\n${formatMisses(e)}`);
    expect(e.identifyingTexts).toBe(identifying);
  });

  it.each(DEVELOPMENT_SETS)(`%s: recall >= ${MIN_RECALL} and precision >= ${MIN_PRECISION} on the whole set and on each view`, (name) => {
    const evals = evaluateSet(sets.get(name)!);
    const failing = evals.filter((e) => (e.recall ?? 0) < MIN_RECALL || (e.precision ?? 0) < MIN_PRECISION);
    if (failing.length) {
      throw new Error(`below the bar on ${failing.map((e) => e.label).join(', ')}\n\n${formatSummary(evals)}\n\n${formatPerKind(evals[0])}\n\n${failing.map(formatMisses).join('\n\n')}`);
    }
    expect(failing).toEqual([]);
  });
});
