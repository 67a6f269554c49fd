/**
 * personal_name: the name of a person connected to the case. A capitalised run counts as a name
 * when context says so — a role before or after it ("the infant, Jayden", "Ronald Pike, the
 * mother's uncle"), an age in apposition ("Deshawn, 13,"), a possessive relation ("Kaylee's crib"),
 * a family noun ("the Harmon family"), a label ("Father: Luis Maldonado", a table row), a naming
 * phrase ("a youth named Tyler") — or when its words are names on their own (a given name that is
 * not an ordinary word, or two capitalised words that are not English words nor places). Never: an
 * official, contact or signatory; an organisation, place, product or law; a cited author.
 */
import { Candidate, DeidDetector } from '../detector';
import { US_STATES } from '../lexicon/places';
import { ScanContext } from '../text-context';
import { NameScan } from './name-scan';
import { publicContextOfName, publicElsewhere } from './name-public-context';
import { shapedNames } from './name-shapes';
import { quotedNames } from './quoted-names';

export interface NameScanResult {
  candidates: Candidate[];
  /** Name words found with evidence: folded -> as written (looked for in the other fields). */
  words: Map<string, string>;
}

export function scanNames(ctx: ScanContext): NameScanResult {
  const scan = new NameScan(ctx);
  scan.detect();
  const shaped = shapedNames(ctx);
  const quoted = quotedNames(ctx);
  for (const w of [...shaped.words, ...quoted.words]) if (!scan.words.has(w)) scan.words.set(w, w);
  const candidates: Candidate[] = [];
  const cache = new Map<string, boolean>();
  const dropped = new Set<string>();
  const wordsOf = (c: Candidate): string[] => ctx.text.slice(c.start, c.end).toLowerCase().split(/\s+/);
  for (const c of [...scan.cands, ...shaped.candidates, ...quoted.candidates]) {
    // Round nine: an official, a thing named after a person, a language or a platform, by the phrase around it.
    if (!publicContextOfName(ctx, c.start, c.end) && !publicElsewhere(ctx, c.start, c.end, cache)) candidates.push(c);
    else {
      ctx.clear(c.start, c.end); // the token model may not re-add it
      for (const w of wordsOf(c)) dropped.add(w);
    }
  }
  // A word only a dropped name held is not looked for in the other fields.
  for (const c of candidates) for (const w of wordsOf(c)) dropped.delete(w);
  for (const w of dropped) scan.words.delete(w);
  return { candidates, words: scan.words };
}

/** Finds, in this field, the names that were found with evidence in any field. */
export function propagateNames(ctx: ScanContext, found: Candidate[], known: Map<string, string>): Candidate[] {
  const scan = new NameScan(ctx);
  scan.cands.push(...found);
  scan.propagate(known);
  return scan.cands.slice(found.length);
}

const JUDGES = new WeakMap<ScanContext, NameScan>();

/** Round twenty: states named in two words ("South Dakota", "New Mexico"); one-word ones may be given names ("Georgia"). */
const TWO_WORD_STATE_RE = new RegExp(String.raw`\b(?:${US_STATES.filter((s) => s.includes(' ')).join('|')})\b`, 'g');

const CITATION_WORDS = new Set(['vol', 'vols', 'no', 'nos', 'pp', 'ch', 'sec', 'art', 'ed', 'eds', 'rev', 'suppl', 'fig', 'pt', 'iss']);

function insideStateName(text: string, start: number, end: number): boolean {
  const from = Math.max(0, start - 16);
  for (const m of text.slice(from, end + 16).matchAll(TWO_WORD_STATE_RE)) {
    if (from + m.index! <= start && end <= from + m.index! + m[0].length) return true;
  }
  return false;
}

/**
 * Would the name rules reject text[start, end) as a name: none of its words is shaped like a name
 * (a common word, a weekday, a role, a title), or it is an official, place, product or cited author?
 */
export function rejectedAsName(ctx: ScanContext, start: number, end: number): boolean {
  if (insideStateName(ctx.text, start, end)) return true;
  // Round twenty: a citation's abbreviation before its number ("MMWR Vol. 72, No. 14").
  if (CITATION_WORDS.has(ctx.text.slice(start, end).toLowerCase()) && /^\.?\s?\d/.test(ctx.text.slice(end, end + 3))) return true;
  const toks = ctx.toks;
  const first = ctx.tokenAt(start);
  if (first >= toks.length || toks[first].s >= end) return true;
  let last = first;
  while (last + 1 < toks.length && toks[last + 1].s < end) last++;
  // One scan per field: its look-ups (titles elsewhere in the field) are built once, not per name asked about.
  let scan = JUDGES.get(ctx);
  if (!scan) JUDGES.set(ctx, (scan = new NameScan(ctx)));
  let shaped = false;
  for (let k = first; k <= last; k++) shaped ||= scan.nameShaped(k);
  return !shaped || scan.rejected(first, last, undefined, 2, true);
}

export const personalNameDetector: DeidDetector = {
  kind: 'personal_name',
  detect: (ctx) => scanNames(ctx).candidates,
};
