import { cultureInstrument } from './culture-instrument';
import { changeBetween, describeChange, newcombeDifference, scoreDomain, scoreGroup, wilson } from './scoring';

const ins = cultureInstrument('1')!;
const teamwork = ins.domains.find((d) => d.id === 'teamwork')!;

/**
 * The hand-computed example. Teamwork has three items; tw.work-alone is reverse-worded (scored 6 − answer).
 *
 *           tw.support  tw.share-information  tw.work-alone (answer → scored)
 *   R1          5              4                   1 → 5
 *   R2          3              4                   4 → 2
 *   R3          2              5                   2 → 4
 *   R4          4              –                   3 → 3
 *
 * Positive (scored 4 or 5): support 5,4 → 2 of 4; share 4,4,5 → 3 of 3; work-alone 5,4 → 2 of 4.
 * percentPositive = (2/4 + 3/3 + 2/4) / 3 = 2/3. positives 7 of 11 answers.
 * Scored values: 5,3,2,4 | 4,4,5 | 5,2,4,3: sum 41, mean 41/11.
 * Distribution of scored values 1..5: [0, 2, 2, 4, 3]. Respondents 4; expected 8 → rate 0.5.
 */
const HAND = [
  { teamId: 't', answers: { 'tw.support': 5, 'tw.share-information': 4, 'tw.work-alone': 1 } },
  { teamId: 't', answers: { 'tw.support': 3, 'tw.share-information': 4, 'tw.work-alone': 4 } },
  { teamId: 't', answers: { 'tw.support': 2, 'tw.share-information': 5, 'tw.work-alone': 2 } },
  { teamId: 't', answers: { 'tw.support': 4, 'tw.work-alone': 3 } },
];

describe('scoring a culture survey', () => {
  it('matches the hand-computed example', () => {
    const d = scoreDomain(teamwork, HAND);
    expect(d.percentPositive).toBeCloseTo(2 / 3, 12);
    expect(d.positives).toBe(7);
    expect(d.answers).toBe(11);
    expect(d.mean).toBeCloseTo(41 / 11, 12);
    expect(d.distribution).toEqual([0, 2, 2, 4, 3]);
    expect(d.respondents).toBe(4);
    const g = scoreGroup(ins, HAND, 8);
    expect(g.responses).toBe(4);
    expect(g.responseRate).toBe(0.5);
    expect(g.domains.map((x) => x.domainId)).toEqual(ins.domains.map((x) => x.id));
  });

  it('weighs every item the same, however many answered it (AHRQ composite), not every answer', () => {
    // support: 1 of 1 positive; share: 0 of 3 → (1 + 0) / 2 = 0.5, while the pooled share would be 1/4.
    const d = scoreDomain(teamwork, [
      { teamId: 't', answers: { 'tw.support': 5, 'tw.share-information': 1 } },
      { teamId: 't', answers: { 'tw.share-information': 2 } },
      { teamId: 't', answers: { 'tw.share-information': 3 } },
    ]);
    expect(d.percentPositive).toBe(0.5);
    expect(d.positives / d.answers).toBe(0.25);
  });

  it('edge cases: no responses, nothing answered in a domain, answers out of range ignored, neutral is not positive', () => {
    const none = scoreDomain(teamwork, []);
    expect(none).toMatchObject({ respondents: 0, answers: 0, positives: 0, percentPositive: null, mean: null, distribution: [0, 0, 0, 0, 0] });
    const other = scoreDomain(teamwork, [{ teamId: 't', answers: { 'ps.speak-up': 5, 'tw.support': 7, 'tw.work-alone': 'x' } }]);
    expect(other.respondents).toBe(0);
    expect(other.percentPositive).toBeNull();
    const neutral = scoreDomain(teamwork, [{ teamId: 't', answers: { 'tw.support': 3, 'tw.work-alone': 3 } }]);
    expect(neutral.percentPositive).toBe(0);
    expect(neutral.mean).toBe(3);
    expect(scoreGroup(ins, [], 0).responseRate).toBeNull();
    expect(scoreGroup(ins, HAND, 2).responseRate).toBe(2); // a headcount set too low: said as it is
  });
});

describe('change between waves: Newcombe hybrid score interval', () => {
  it("reproduces Newcombe's (1998) worked example 56/70 − 48/80: 0.0524 to 0.3339", () => {
    const c = newcombeDifference(56 / 70, 70, 48 / 80, 80);
    expect(c.difference).toBeCloseTo(0.2, 12);
    expect(c.lower).toBeCloseTo(0.0524, 4);
    expect(c.upper).toBeCloseTo(0.3339, 4);
    expect(c.verdict).toBe('up');
  });

  it('matches a hand computation: Wilson 6/10 = 0.3127 to 0.8318; 0.6 − 0.4 (n 10 each) = 0.2, −0.2063 to 0.5278: no clear change', () => {
    const w = wilson(0.6, 10);
    expect(w.lower).toBeCloseTo(0.31267, 4);
    expect(w.upper).toBeCloseTo(0.83182, 4);
    const c = newcombeDifference(0.6, 10, 0.4, 10);
    expect(c.lower).toBeCloseTo(-0.20634, 4);
    expect(c.upper).toBeCloseTo(0.52784, 4);
    expect(c.verdict).toBe('no clear change');
    expect(describeChange(c)).toBe('no clear change (20 points; 95% CI −21 to 53 points)');
  });

  it('is symmetric and says "down" when the interval is below 0', () => {
    const c = newcombeDifference(48 / 80, 80, 56 / 70, 70);
    expect(c.lower).toBeCloseTo(-0.3339, 4);
    expect(c.upper).toBeCloseTo(-0.0524, 4);
    expect(c.verdict).toBe('down');
    expect(describeChange(c)).toBe('down 20 points (95% CI −33 to −5 points)');
  });

  it('uses each wave’s domain respondents as n (the hand example 2/3 of 4 against 1/2 of 6)', () => {
    const previous = scoreDomain(teamwork, [
      ...[5, 4, 4].map((a) => ({ teamId: 't', answers: { 'tw.support': a } })),
      ...[1, 2, 3].map((a) => ({ teamId: 't', answers: { 'tw.support': a } })),
    ]);
    expect(previous.percentPositive).toBe(0.5);
    const c = changeBetween(scoreDomain(teamwork, HAND), previous)!;
    expect(c.difference).toBeCloseTo(1 / 6, 12);
    expect(c.lower).toBeCloseTo(-0.35801, 4);
    expect(c.upper).toBeCloseTo(0.57198, 4);
    expect(changeBetween(scoreDomain(teamwork, []), previous)).toBeUndefined();
  });

  it('stays inside −1..1 at the extremes', () => {
    const c = newcombeDifference(1, 3, 0, 3);
    expect(c.upper).toBeLessThanOrEqual(1);
    expect(c.lower).toBeGreaterThan(0);
    expect(() => wilson(0.5, 0)).toThrow();
  });
});
