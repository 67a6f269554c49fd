import V1 from './instruments/culture-v1.json';
import DOMAIN_MAP from './instruments/culture-to-review-domains.json';

/**
 * The team safety-culture survey instrument: domains of Likert items (1–5, some reverse-worded) and
 * at most two open questions. Data, versioned in instruments/ like the review instrument; a wave
 * pins the version it used. `culture-to-review-domains.json` pairs each culture domain with the
 * incident-review domain it is compared with.
 */
export interface CultureItem {
  id: string;
  text: string;
  reverse?: boolean;
}
export interface CultureDomain {
  id: string;
  title: string;
  items: CultureItem[];
}
export interface CultureInstrument {
  id: string;
  version: string;
  title: string;
  publishedOn: string;
  positive: string;
  scale: { value: number; label: string }[];
  domains: CultureDomain[];
  openQuestions: { id: string; text: string }[];
}

const INSTRUMENTS: CultureInstrument[] = [V1 as CultureInstrument];

export const LIKERT_MIN = 1;
export const LIKERT_MAX = 5;

export function cultureInstrument(version: string): CultureInstrument | undefined {
  return INSTRUMENTS.find((i) => i.version === version);
}

export function currentCultureInstrument(): CultureInstrument {
  return INSTRUMENTS[INSTRUMENTS.length - 1];
}

export function cultureVersions(): string[] {
  return INSTRUMENTS.map((i) => i.version);
}

/** Agree or strongly agree; for a reverse-worded item, disagree or strongly disagree. */
export function isPositive(item: CultureItem, answer: number): boolean {
  return item.reverse ? answer <= 2 : answer >= 4;
}

/** The answer on the positive-is-high scale (a reverse-worded 1 counts as 5). */
export function scored(item: CultureItem, answer: number): number {
  return item.reverse ? LIKERT_MAX + LIKERT_MIN - answer : answer;
}

/** The incident-review domain a culture domain is compared with, if any. */
export function reviewDomainFor(cultureDomainId: string): string | undefined {
  return DOMAIN_MAP.pairs.find((p) => p.culture === cultureDomainId)?.review;
}

export function cultureDomainPairs(): { culture: string; review: string }[] {
  return DOMAIN_MAP.pairs;
}

/** Checks one response's answers: every key an item (or open question) of the version, Likert answers 1–5; unanswered items are allowed. */
export function answerProblems(version: string, answers: Record<string, unknown>, openAnswers: Record<string, unknown> = {}): string[] {
  const ins = cultureInstrument(version);
  if (!ins) return [`unknown survey instrument version "${version}"`];
  const items = new Set(ins.domains.flatMap((d) => d.items.map((i) => i.id)));
  const open = new Set(ins.openQuestions.map((q) => q.id));
  const problems: string[] = [];
  for (const [id, v] of Object.entries(answers)) {
    if (!items.has(id)) problems.push(`"${id}" is not a question of this survey`);
    else if (typeof v !== 'number' || !Number.isInteger(v) || v < LIKERT_MIN || v > LIKERT_MAX) problems.push(`${id}: an answer is a whole number from ${LIKERT_MIN} to ${LIKERT_MAX}`);
  }
  for (const [id, v] of Object.entries(openAnswers)) {
    if (!open.has(id)) problems.push(`"${id}" is not an open question of this survey`);
    else if (typeof v !== 'string' || v.length > 4000) problems.push(`${id}: at most 4,000 characters of text`);
  }
  return problems;
}
