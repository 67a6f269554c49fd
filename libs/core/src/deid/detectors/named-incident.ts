/**
 * A named local incident in the same sentence as a specific child ("the Bremen Halloween hayride
 * crash: the surviving 7-year-old", "after the Fourth of July parade fire in Hinton, the two surviving
 * children"): everyone near the place knows who was hurt, so the phrase points at the child. Run by
 * the quasi-identifier detector. Not: a court's or an agency's case, a generic "children".
 */
import { Candidate, candidate, matches } from '../detector';
import { ScanContext } from '../text-context';

const CAP = String.raw`[A-Z][A-Za-z\u00C0-\u024F'’-]*`;
const INCIDENT = String.raw`(?:crash|fire|blaze|case|shooting|collapsed?|explosion|rollover|drowning|accident|wreck|outbreak|flood|tornado|stabbing|poisoning|tragedy|incident|rescue|disappearance|abduction|kidnapping|standoff|overdose|derailment|pileup|attack)`;
const NAMED_INCIDENT_RE = new RegExp(
  String.raw`\b${CAP}(?:\s+(?:of\s+(?:the\s+)?)?${CAP}){0,3}(?:\s+(?:[a-z][a-z-]*|\d{1,4})){0,3}\s+${INCIDENT}\b(?:\s+(?:in|at|on|near)\s+(?:the\s+)?${CAP}(?:\s+${CAP})?)?`,
  'g',
);
/** Capitalised words that name no local place or event (a sentence's first word, courts, agencies, large areas). */
const GENERIC_CAPS_RE =
  /^(?:The|A|An|After|Before|Since|During|Following|Update|Follow-up|In|On|At|This|That|Each|Every|Any|Our|Your|Critical|Serious|Fatal|Near-fatal|Supreme|Court|Federal|State|National|American|County|Department|Agency|Division|Office|District|Region|DCF|DCS|CPS|DHS|ICWA|Title|Section|Baby|Jane|John|Doe|Roe|Case|Re|Matter|In\sre|Review|Report|Notice)$/;
/** A specific child or children: with a determiner, a number or an age, not "children" at large. */
const SPECIFIC_CHILD_RE =
  /\b(?:the|both|two|three|four|her|his|their|this|that|a|one)\s+(?:[a-z-]+\s+){0,2}?(?:child|children|grandchild|grandchildren|kids?|boy|girl|boys|girls|infant|baby|toddler|teen|teenager|siblings|twins|grandson|granddaughter|\d{1,2}-(?:year|month)-old)\b|\b\d{1,2}-(?:year|month)-old\b|\b(?:sole|only|lone|surviving)\s+survivor\b/i;
const BROAD_AREA_RE = /\b(?:County|State|Region|District|Nation|Reservation)$/;

export function namedIncidents(ctx: ScanContext): Candidate[] {
  const text = ctx.text;
  const out: Candidate[] = [];
  for (const m of matches(NAMED_INCIDENT_RE, text)) {
    const caps = m[0].match(new RegExp(`^${CAP}(?:\\s+(?:of\\s+(?:the\\s+)?)?${CAP}){0,3}`))![0];
    const [s, e] = ctx.sentenceSpan(m.index);
    // A sentence's (or a line's) first word is capitalised whatever it is: it names nothing alone.
    const opensSentence = /^[\s\p{P}\d]*$/u.test(text.slice(s, m.index));
    const words = caps
      .split(/\s+/)
      .filter((w) => /^[A-Z]/.test(w))
      .filter((w, i) => !(i === 0 && opensSentence));
    if (words.every((w) => GENERIC_CAPS_RE.test(w)) || BROAD_AREA_RE.test(caps)) continue;
    const sentence = text.slice(Math.max(s, m.index - 200), Math.min(e, m.index + m[0].length + 200)).replace(m[0], ' ');
    if (!SPECIFIC_CHILD_RE.test(sentence)) continue;
    const start = GENERIC_CAPS_RE.test(words[0]) ? m.index + m[0].indexOf(words[1] ?? words[0]) : m.index;
    out.push(candidate('quasi_identifier', start, m.index + m[0].length, 'A named local incident in the same sentence as a specific child', 1));
  }
  return out;
}
