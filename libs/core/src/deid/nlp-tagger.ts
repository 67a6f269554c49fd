/**
 * compromise's tagger as extra evidence for names: the spans it tags as people. Measured against
 * the word lists alone (see the README); off by default because it did not help on the development
 * sets and costs seconds per 50,000 characters.
 */
import { Candidate, candidate } from './detector';
import { ScanContext } from './text-context';

interface PersonTerm {
  offset: { start: number; length: number };
  text: string;
}

export function taggedPeople(ctx: ScanContext): Candidate[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const nlp = require('compromise') as (text: string) => { people(): { json(o: { offset: boolean }): PersonTerm[] } };
  const out: Candidate[] = [];
  for (const p of nlp(ctx.text).people().json({ offset: true })) {
    const start = p.offset.start;
    let end = start + p.offset.length;
    while (end > start && /[\s,.;:!?)]/.test(ctx.text[end - 1])) end--;
    if (end > start) out.push(candidate('personal_name', start, end, "Tagged as a person's name by compromise", 2));
  }
  return out;
}
