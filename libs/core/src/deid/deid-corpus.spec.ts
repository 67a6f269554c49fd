/**
 * The de-identification scanner against the labelled corpus (test/fixtures/deid/corpus.json).
 * Thresholds: text-level recall >= 0.98 and precision >= 0.90, on the whole corpus, on the dev
 * half and on the held-out test split. A drop below fails with the full report.
 * (`npm run bench:deid` prints the same report with the per-batch figures.)
 */
import { DEID_KINDS } from './deid-scanner';
import { DeidCorpus, DeidEvaluation, evaluateSplits, findDeidCorpus, formatDeidReport, loadDeidCorpus, validateDeidCorpus } from './evaluate';

const MIN_RECALL = 0.98;
const MIN_PRECISION = 0.9;

describe('de-identification corpus', () => {
  let corpus: DeidCorpus;
  beforeAll(() => {
    corpus = loadDeidCorpus(findDeidCorpus(__dirname));
  });

  it('is well formed: unique ids, known kinds, every labelled span present in its text', () => {
    expect(validateDeidCorpus(corpus)).toEqual([]);
  });

  it('has at least 240 texts, about half identifying, in a dev and a test split', () => {
    const items = corpus.items;
    expect(items.length).toBeGreaterThanOrEqual(240);
    const identifying = items.filter((i) => i.identifying).length / items.length;
    expect(identifying).toBeGreaterThan(0.4);
    expect(identifying).toBeLessThan(0.6);
    for (const split of ['dev', 'test'] as const) {
      const part = items.filter((i) => i.split === split);
      expect(part.length).toBeGreaterThanOrEqual(120);
      expect(part.some((i) => i.identifying) && part.some((i) => !i.identifying)).toBe(true);
    }
  });

  it('documents its labelling conventions for every kind and covers every kind', () => {
    const kinds = (corpus.conventions as { kinds: Record<string, string> }).kinds;
    for (const kind of DEID_KINDS) {
      expect(typeof kinds[kind]).toBe('string');
      expect(corpus.items.filter((i) => i.kinds.includes(kind)).length).toBeGreaterThanOrEqual(5);
    }
  });

  it(`reaches recall >= ${MIN_RECALL} and precision >= ${MIN_PRECISION} on the corpus, the dev half and the test split`, () => {
    const e = evaluateSplits(corpus);
    const report = formatDeidReport([e.dev, e.test, e.testOriginal, e.testBlind, e.testBlind2, e.all], { details: true });
    const failing = (x: DeidEvaluation): boolean => (x.recall ?? 0) < MIN_RECALL || (x.precision ?? 0) < MIN_PRECISION;
    const failed = [e.all, e.dev, e.test].filter(failing).map((x) => x.label);
    if (failed.length) throw new Error(`below threshold on ${failed.join(', ')}\n\n${report}`);
    expect(e.all.recall).toBeGreaterThanOrEqual(MIN_RECALL);
    expect(e.all.precision).toBeGreaterThanOrEqual(MIN_PRECISION);
  });
});
