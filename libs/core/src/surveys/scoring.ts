/**
 * Scoring a culture survey (pure: no database, no suppression — results.ts decides what is shown).
 *
 * THE RULES, for one group of responses (a team, or an agency) and one domain:
 * - An answer is one Likert value 1–5 to one item; unanswered items are left out everywhere.
 * - Reverse-worded items are reversed first: the scored value is 6 − answer (culture-instrument.ts
 *   `scored`), so every figure below is on the positive-is-high scale.
 * - positive: scored value 4 or 5 (Agree / Strongly agree; for a reverse-worded item Disagree /
 *   Strongly disagree).
 * - percentPositive (AHRQ composite style): for each item with at least one answer, the share of its
 *   answers that are positive; then the plain mean of those item shares (every item weighs the same,
 *   however many answered it). null when no item of the domain was answered. A share 0..1.
 * - positives / answers: the integer counts behind it (positive answers, all answers, over the
 *   domain's items). They are the numerators suppression protects.
 * - mean: the mean of every scored answer in the domain. distribution: counts of scored values
 *   1..5 (index 0 = 1).
 * - respondents: responses that answered at least one item of the domain (the n of the change CI).
 * - responseRate: responses / expected headcount (may pass 1 when a headcount was set too low).
 *
 * CHANGE between two waves (changeBetween): the difference of the domain's percentPositive,
 * current − previous, with a 95% interval by NEWCOMBE's hybrid score method (his method 10: Wilson
 * score intervals of each proportion, combined by the square-and-add rule). Each wave's proportion
 * is its percentPositive and its n the domain's respondents, so a respondent counts once however
 * many items they answered (their answers are not independent). Verdict: "no clear change" when the
 * interval includes 0, otherwise "up" or "down".
 */
import { CultureDomain, CultureInstrument, isPositive, LIKERT_MAX, LIKERT_MIN, scored } from './culture-instrument';

export interface SurveyResponseInput {
  teamId: string;
  answers: Record<string, unknown>;
}

export interface DomainScore {
  domainId: string;
  title: string;
  respondents: number;
  answers: number;
  positives: number;
  percentPositive: number | null;
  mean: number | null;
  /** Counts of scored values 1..5. */
  distribution: number[];
}

export interface GroupScore {
  responses: number;
  expected: number;
  responseRate: number | null;
  domains: DomainScore[];
}

const answerOf = (answers: Record<string, unknown>, itemId: string): number | undefined => {
  const v = answers[itemId];
  return typeof v === 'number' && Number.isInteger(v) && v >= LIKERT_MIN && v <= LIKERT_MAX ? v : undefined;
};

export function scoreDomain(domain: CultureDomain, responses: SurveyResponseInput[]): DomainScore {
  const distribution = [0, 0, 0, 0, 0];
  let positives = 0;
  let answers = 0;
  let sum = 0;
  let respondents = 0;
  const itemShares: number[] = [];
  for (const item of domain.items) {
    let itemAnswers = 0;
    let itemPositives = 0;
    for (const r of responses) {
      const a = answerOf(r.answers, item.id);
      if (a === undefined) continue;
      itemAnswers++;
      if (isPositive(item, a)) itemPositives++;
      const s = scored(item, a);
      distribution[s - LIKERT_MIN]++;
      sum += s;
    }
    answers += itemAnswers;
    positives += itemPositives;
    if (itemAnswers > 0) itemShares.push(itemPositives / itemAnswers);
  }
  for (const r of responses) if (domain.items.some((i) => answerOf(r.answers, i.id) !== undefined)) respondents++;
  return {
    domainId: domain.id,
    title: domain.title,
    respondents,
    answers,
    positives,
    percentPositive: itemShares.length ? itemShares.reduce((s, x) => s + x, 0) / itemShares.length : null,
    mean: answers ? sum / answers : null,
    distribution,
  };
}

/**
 * How many of the responses answered each item of the domain (in the domain's item order). Never
 * published: suppression (domain-suppression.ts) tests these, since percent positive is built
 * per item and so carries each item's answers.
 */
export function itemAnswerCounts(domain: CultureDomain, responses: SurveyResponseInput[]): number[] {
  return domain.items.map((item) => responses.filter((r) => answerOf(r.answers, item.id) !== undefined).length);
}

/** Every domain's scores for one group of responses, and its response rate against the expected headcount. */
export function scoreGroup(instrument: CultureInstrument, responses: SurveyResponseInput[], expectedHeadcount: number): GroupScore {
  return {
    responses: responses.length,
    expected: expectedHeadcount,
    responseRate: expectedHeadcount > 0 ? responses.length / expectedHeadcount : null,
    domains: instrument.domains.map((d) => scoreDomain(d, responses)),
  };
}

/** z for a two-sided 95% interval. */
export const Z95 = 1.959963984540054;

/** Wilson's score interval for a proportion p of n (p may be a mean of shares: successes need not be whole). */
export function wilson(p: number, n: number, z = Z95): { lower: number; upper: number } {
  if (!(n > 0)) throw new Error('wilson: n must be positive');
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { lower: Math.max(0, centre - half), upper: Math.min(1, centre + half) };
}

export type ChangeVerdict = 'up' | 'down' | 'no clear change';

export interface Change {
  difference: number;
  lower: number;
  upper: number;
  verdict: ChangeVerdict;
}

/** Newcombe's hybrid score interval for p1 − p2 (current minus previous). */
export function newcombeDifference(p1: number, n1: number, p2: number, n2: number, z = Z95): Change {
  const a = wilson(p1, n1, z);
  const b = wilson(p2, n2, z);
  const difference = p1 - p2;
  const lower = difference - Math.sqrt((p1 - a.lower) ** 2 + (b.upper - p2) ** 2);
  const upper = difference + Math.sqrt((a.upper - p1) ** 2 + (p2 - b.lower) ** 2);
  return { difference, lower, upper, verdict: lower > 0 ? 'up' : upper < 0 ? 'down' : 'no clear change' };
}

/** The change of one domain between two waves; undefined when either wave has no answers to it. */
export function changeBetween(current: DomainScore, previous: DomainScore): Change | undefined {
  if (current.percentPositive === null || previous.percentPositive === null || !current.respondents || !previous.respondents) return undefined;
  return newcombeDifference(current.percentPositive, current.respondents, previous.percentPositive, previous.respondents);
}

/** "up 12 points (95% CI 3 to 21)" / "no clear change (−8 to 14 points)". */
export function describeChange(c: Change): string {
  const pts = (x: number) => `${x < 0 ? '−' : ''}${Math.abs(Math.round(x * 100))}`;
  const ci = `95% CI ${pts(c.lower)} to ${pts(c.upper)} points`;
  if (c.verdict === 'no clear change') return `no clear change (${pts(c.difference)} points; ${ci})`;
  return `${c.verdict} ${Math.abs(Math.round(c.difference * 100))} points (${ci})`;
}
