/**
 * Round eighteen: one child's incident pinned to a named place and a recent day ("the newborn
 * surrendered at the Safe Haven baby box in Seymour last Tuesday", "a toddler pulled from a pond in
 * Ravenna on Sunday night"): the local news holds the rest. Run by the quasi-identifier detector.
 * Not: several children or counts ("three infants this year"), a county, state or region (too broad),
 * events, trainings and deadlines.
 */
import { Candidate, candidate, matches } from '../detector';
import { ScanContext } from '../text-context';

const WEEKDAY = String.raw`(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)`;
const RECENT_DAY = String.raw`(?:last\s+(?:${WEEKDAY}|night|weekend)|yesterday|this\s+(?:morning|past\s+weekend|past\s+${WEEKDAY})|over\s+the\s+weekend|(?:early\s+)?(?:on\s+)?${WEEKDAY}\s+(?:night|morning|evening|afternoon)|on\s+${WEEKDAY})`;
const ONE_CHILD = String.raw`\b(?:[Tt]he|[Aa]n?|[Oo]ne|[Tt]his)\s+(?:[\w-]+\s+){0,2}?(?:newborn|infant|baby|toddler|boy|girl|child|teen|teenager|preschooler|\d{1,2}-(?:year|month|week|day)-old)\b`;
const INCIDENT_VERB = String.raw`(?:surrendered|abandoned|left|found|pulled|rescued|drowned|died|injured|hurt|hospitali[sz]ed|struck|shot|burned|bitten|mauled|ejected|hit|killed|missing|taken|airlifted|flown)`;
const CAP = String.raw`[A-Z][A-Za-z'’.-]+`;
const RECENT_INCIDENT_RE = new RegExp(
  String.raw`${ONE_CHILD}[^.;!?\n]{0,30}?\b${INCIDENT_VERB}\b[^.;!?\n]{0,60}?\b(?:in|at|near|outside)\s+(?<place>${CAP}(?:\s${CAP}){0,2})[^.;!?\n]{0,30}?\b${RECENT_DAY}\b`,
  'g',
);
const BROAD_PLACE_RE = /\b(?:County|Parish|State|Region|District|Nation|Reservation|America|US|USA)$|^(?:the|The|Safe|Haven)$/;
const EVENT_RE = /\b(?:training|webinar|meeting|conference|session|class|workshop|register|registration|deadline|effective|scheduled|will\s+be\s+held)\b/i;

export function recentIncidentsAtPlaces(ctx: ScanContext): Candidate[] {
  const out: Candidate[] = [];
  for (const m of matches(RECENT_INCIDENT_RE, ctx.text)) {
    const place = m.groups!.place;
    if (BROAD_PLACE_RE.test(place)) continue;
    const [s, e] = ctx.sentenceSpan(m.index);
    if (EVENT_RE.test(ctx.text.slice(s, e))) continue;
    out.push(candidate('quasi_identifier', m.index, m.index + m[0].length, "One child's incident tied to a named place and a recent day"));
  }
  return out;
}
