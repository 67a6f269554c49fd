import { answerProblems, cultureDomainPairs, cultureInstrument, cultureVersions, isPositive, scored } from './culture-instrument';
import { baselineInstrument } from '../reviews/instrument';

describe('the culture survey instrument files', () => {
  it.each(cultureVersions())('version %s: 3–5 Likert items per domain, unique ids, at most two open questions, a 1–5 scale', (v) => {
    const ins = cultureInstrument(v)!;
    expect(ins.scale.map((s) => s.value)).toEqual([1, 2, 3, 4, 5]);
    for (const d of ins.domains) expect(d.items.length).toBeGreaterThanOrEqual(3);
    for (const d of ins.domains) expect(d.items.length).toBeLessThanOrEqual(5);
    const ids = [...ins.domains.flatMap((d) => d.items.map((i) => i.id)), ...ins.openQuestions.map((q) => q.id)];
    expect(new Set(ids).size).toBe(ids.length);
    expect(ins.openQuestions.length).toBeLessThanOrEqual(2);
    expect(ins.domains.some((d) => d.items.some((i) => i.reverse))).toBe(true);
  });

  it('pairs every culture domain with a real review domain', () => {
    const review = new Set(baselineInstrument().domains.map((d) => d.id));
    const culture = new Set(cultureInstrument('1')!.domains.map((d) => d.id));
    for (const p of cultureDomainPairs()) {
      expect(review.has(p.review)).toBe(true);
      expect(culture.has(p.culture)).toBe(true);
    }
  });

  it('scores reverse-worded items the other way round', () => {
    expect([1, 2, 3, 4, 5].map((a) => isPositive({ id: 'x', text: '' }, a))).toEqual([false, false, false, true, true]);
    expect([1, 2, 3, 4, 5].map((a) => isPositive({ id: 'x', text: '', reverse: true }, a))).toEqual([true, true, false, false, false]);
    expect(scored({ id: 'x', text: '', reverse: true }, 1)).toBe(5);
  });

  it('checks answers', () => {
    expect(answerProblems('1', { 'ps.speak-up': 4 }, { 'q.anything-else': 'More time.' })).toEqual([]);
    expect(answerProblems('1', { 'ps.speak-up': 6, 'no.such': 3 }, { 'q.nope': 'x' })).toHaveLength(3);
    expect(answerProblems('7', {})).toHaveLength(1);
  });
});
