/**
 * quasi_identifier: no single identifier, but a combination that singles the family out —
 *  - a rare combination: "the only set of triplets born in the county last spring", "the 14-year-old
 *    who was the county's spelling bee champion", "the family that runs the only gas station in Ruby";
 *  - a named school, daycare, foster or group home, or church tied to a child: "a second grader at
 *    Lincoln Elementary", "placed at the Miller foster home";
 *  - an exact time and date together with a small place: "at 2:40 a.m. on March 3 in the town of Waldo".
 * The span is the most specific phrase. Not: aggregate statistics, generic settings ("a licensed
 * family child care home").
 */
import { findDates } from '../dates';
import { Candidate, candidate, DeidDetector, matches } from '../detector';
import { ScanContext } from '../text-context';

const PERSON_NOUN = String.raw`(?:set\s+of\s+\w+|triplets|quadruplets|quintuplets|twins|family|families|household|child|children|kid|girl|boy|student|students|teen|teenager|infant|baby|toddler|person|resident|residents|youth|player|athlete|[\w-]+-speaking\s+(?:family|household|child|student)|(?:[\w-]+\s+)?(?:family|household))`;
const ONLY_RE = new RegExp(String.raw`\b(?:one\s+of\s+)?the\s+only\s+(?:[\p{L}\d'’-]+\s+){0,5}?${PERSON_NOUN}\b[^.;\n]{0,120}`, 'giu');
const GRADER = String.raw`(?:\d{1,2}(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|kindergarten)[\s-]grader|kindergartner|freshman|sophomore|junior|senior|student|pupil|cheerleader|quarterback|player`;
const DISTINCTION = String.raw`\b(?:champion|championship|first\s+place|valedictorian|salutatorian|homecoming|on\s+the\s+(?:evening\s+|local\s+|nightly\s+)?news|in\s+the\s+(?:local\s+)?(?:paper|newspaper)|famous|well[\s-]known|the\s+only|state\s+record|viral|award|prize|the\s+(?:mayor|pastor|sheriff|principal|coach|judge)['’]s\s+(?:son|daughter|child|grandson|granddaughter|nephew|niece))\b`;
const RELATIVE_RE = new RegExp(
  String.raw`\bthe\s+(?:(?:\d{1,2}|[a-z]+)-(?:year|month)-old|${GRADER}|teen|teenager|girl|boy|child|family|household|infant|baby|toddler|youth),?\s+(?:who|that|whose)\b[^.;\n]{0,160}`,
  'gi',
);
const DISTINCTION_RE = new RegExp(DISTINCTION, 'i');
/** "the county's youngest spelling bee champion", "the school's only female quarterback". */
const LOCAL_DISTINCTION_RE =
  /\bthe\s+(?:county|town|city|village|school|district|state|tribe|nation|pueblo|reservation|team|league)['’]s\s+(?:[\p{L}-]+\s+){0,4}?(?:champion|valedictorian|salutatorian|queen|king|winner|record[\s-]holder|quarterback|captain|star|mascot|only\s+[\p{L}-]+)\b/giu;
const INSTITUTION = String.raw`(?:Elementary(?:\s+School)?|Middle\s+School|High\s+School|Junior\s+High|Intermediate(?:\s+School)?|Academy|Primary(?:\s+School)?|Preschool|Pre-K|Head\s+Start|Early\s+Head\s+Start|Montessori|Learning\s+Center|Learning\s+Academy|Child\s+Development\s+Center|Child\s?Care(?:\s+Center)?|Day\s?care(?:\s+Center)?|Kindergarten|Church|Chapel|Temple|Mosque|Synagogue|Parish|foster\s+home|group\s+home|Group\s+Home|Foster\s+Home|Children['’]s\s+Home|Youth\s+(?:Home|Ranch|Shelter)|Shelter)`;
const PROPER_RUN = String.raw`(?:St\.\s)?[A-Z][\p{L}'’.-]{1,24}(?:\s(?:[A-Z][\p{L}'’.-]{1,24}|of|the|and|de|la)){0,4}`;
const INSTITUTION_RE = new RegExp(
  String.raw`\b(?:(?:[Aa]n?|[Tt]he)\s+(?:${GRADER})\s+(?:at|in|from|of)\s+|(?:enrolled|attended|attends|attending|attend|placed|living|lived|staying|stayed|cared\s+for|registered|a\s+student|a\s+member|members|worshipped|baptized)\s+(?:at|in|with)\s+)(?:the\s+)?${PROPER_RUN}\s+${INSTITUTION}\b(?:\s+(?:on|in)\s+(?:Route\s+\d{1,4}|[A-Z][\p{L}'’-]{2,24}(?:\s[A-Z][\p{L}'’-]{2,24})?))?|\bthe\s+[A-Z][\p{L}'’-]{1,24}\s+(?:foster|group)\s+home\b`,
  'gu',
);
const CHILD_RE = /\b(?:child|children|infant|baby|toddler|boy|girl|son|daughter|teen|teenager|youth|student|grader|kid|niece|nephew|grandson|granddaughter|\d{1,2}-(?:year|month|week)-old|she|he|her|his)\b/i;
const TIME = String.raw`(?:(?:shortly|just|right|sometime)\s+(?:after|before)\s+|around\s+|about\s+|at\s+)?\b\d{1,2}(?::\d{2})?\s?(?:a\.m\.|p\.m\.|am\b|pm\b|AM\b|PM\b|o['’]clock)`;
const TIME_RE = new RegExp(TIME, 'g');
const SMALL_PLACE_RE =
  /^[^.;\n]{0,80}?\b(?:in|at|near|outside|of)\s+(?:the\s+(?:(?:small\s+)?(?:town|village|hamlet|community|settlement|unincorporated\s+community|township)\s+of\s+)?)?(?:[A-Z][\p{L}'’-]{1,24}\s){0,4}[A-Z][\p{L}'’-]{1,24}(?:,\s(?:pop(?:ulation)?\.?\s[\d,]{2,9}|[A-Z]{2}))?/u;

const SCOPE_RE = /\b(?:born|in|at|of|on)\s+(?:the\s+)?(?:county|town|village|city|community|school|district|state|tribe|nation|reservation|pueblo|rancheria|area|region|valley|island|parish|island|[A-Z][\p{L}'’-]+)/u;

function clauseEnd(text: string, from: number, max: number): number {
  const limit = Math.min(text.length, from + max);
  for (let i = from; i < limit; i++) if (text[i] === '.' && /\s|$/.test(text[i + 1] ?? '') && !/\b(?:a\.m|p\.m|pop|St|Dr|Mr|Ms|Mrs)$/.test(text.slice(Math.max(from, i - 4), i))) return i;
  return limit;
}

export const quasiIdentifierDetector: DeidDetector = {
  kind: 'quasi_identifier',
  detect(ctx: ScanContext): Candidate[] {
    const text = ctx.text;
    const out: Candidate[] = [];
    for (const m of matches(ONLY_RE, text)) {
      const end = trimClause(text, m.index, m.index + m[0].length);
      if (/\b(?:only\s+(?:one|1)\s+in|per|percent|%|rate)\b/i.test(m[0])) continue;
      // Rare within a population: "born in the county", "enrolled at Riverside Head Start", "in Ruby".
      if (!SCOPE_RE.test(text.slice(m.index, end))) continue;
      out.push(candidate('quasi_identifier', m.index, end, 'A rare combination that singles out one family'));
    }
    for (const m of matches(RELATIVE_RE, text)) {
      if (!DISTINCTION_RE.test(m[0])) continue;
      // "The girl, who was ..., had been": the relative clause ends at its closing comma.
      const aside = /^[^,]{0,40},\s+(?:who|that|whose)\b[^,]*/.exec(m[0]);
      const end = aside ? m.index + aside[0].length : trimClause(text, m.index, m.index + m[0].length);
      out.push(candidate('quasi_identifier', m.index, end, 'A description that singles out one child or family'));
    }
    for (const m of matches(LOCAL_DISTINCTION_RE, text)) out.push(candidate('quasi_identifier', m.index, m.index + m[0].length, 'A local distinction that singles out one child'));
    for (const m of matches(INSTITUTION_RE, text)) {
      const [s, e] = ctx.sentenceSpan(m.index);
      if (!CHILD_RE.test(text.slice(Math.max(s, m.index - 300), Math.min(e, m.index + m[0].length + 300)))) continue;
      const start = m.index + (/^(?:enrolled|attended|attends|attending|attend|placed|living|lived|staying|stayed|cared\s+for|registered|worshipped|baptized)\s+(?:at|in|with)\s+/i.exec(m[0])?.[0].length ?? 0);
      out.push(candidate('quasi_identifier', start, m.index + m[0].length, 'A named school, daycare, home or church tied to a child'));
    }
    const dates = findDates(text).filter((d) => d.precision === 'day');
    let d0 = 0;
    for (const m of matches(TIME_RE, text)) {
      while (d0 < dates.length && dates[d0].end < m.index - 40) d0++;
      const near = dates.slice(d0, d0 + 4).find((d) => Math.abs(d.start - (m.index + m[0].length)) <= 40 || Math.abs(m.index - d.end) <= 40);
      if (!near) continue;
      const from = Math.max(m.index + m[0].length, near.end);
      const place = SMALL_PLACE_RE.exec(text.slice(from, from + 200));
      if (!place) continue;
      const start = Math.min(m.index, near.start);
      let end = from + place[0].length;
      while (end > start && /[\s,;]/.test(text[end - 1])) end--;
      out.push(candidate('quasi_identifier', start, end, 'An exact date and time together with a small place'));
    }
    return out;
  },
};

/** Ends a phrase at the first sentence end or ", and/but/so" after it, within the match. */
function trimClause(text: string, start: number, end: number): number {
  const s = text.slice(start, end);
  const cut = /,\s(?:and|but|so|which|where|while)\s|;|\.\s/.exec(s);
  let e = cut ? start + cut.index : end;
  while (e > start && /[\s,.;:]/.test(text[e - 1])) e--;
  return Math.min(e, clauseEnd(text, start, e - start + 1));
}
