/**
 * Round sixteen: quasi-identifiers that single out one child by a rare trait or a rare family, with
 * a named place: "the boy in Mentone with a tracheostomy and home ventilator", "the 7-year-old with
 * Prader-Willi syndrome in Ashland", "the sibling group of seven placed together in Cordova", and
 * Spanish "la única familia ... de Tenino". One child is named with "the" (not "a child with ...
 * may"), so guidance about a condition is left alone. (The same round's first births, conjoined
 * twins and figures' children widened SUPERLATIVE_RE, RARE_RE and FIGURE_KIN_RE in
 * quasi-identifier.detector.ts.)
 */
import { Candidate, candidate, matches } from '../detector';
import { US_STATES } from '../lexicon/places';
import { ScanContext } from '../text-context';

const ONE_CHILD = String.raw`the\s+(?:(?:\d{1,2}|[a-z]+)[-\s](?:year|month|week)[-\s]old|(?:\d{1,2}(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth)[\s-]grader|(?:little\s+|teenage\s+|young\s+)?(?:boy|girl|child|infant|baby|toddler|teen|teenager|son|daughter|kindergartner|preschooler|student))`;
/** Rare conditions and the devices that go with them. */
const TRAIT = String.raw`(?:a\s+|an\s+)?(?:tracheostomy|trach|(?:home\s+)?ventilator|feeding\s+tube|g-tube|cochlear\s+implants?|insulin\s+pump|shunt|pacemaker|colostomy|dialysis|prosthetic\s+\w+|spina\s+bifida|cerebral\s+palsy|osteogenesis\s+imperfecta|brittle\s+bone\s+disease|(?:harlequin\s+)?ichthyosis|albinism|hemophilia|cystic\s+fibrosis|sickle[\s-]cell(?:\s+disease)?|dwarfism|achondroplasia|progeria|(?:[A-Z][\w'’-]+[\s-])?(?:[A-Z][\w'’-]+\s)?(?:syndrome|dystrophy)|a\s+rare\s+[\w\s-]{3,40}?(?:condition|disease|disorder))`;
const PLACE = String.raw`(?:in|from|at|near)\s+(?:the\s+)?(?:new\s+)?[A-Z][\w'’-]+(?:[\s,]+[A-Z][\w'’-]+){0,2}`;
const TRAIT_IN_PLACE_RE = new RegExp(String.raw`\b${ONE_CHILD}\s+(?:${PLACE}\s+(?:with|who\s+has|who\s+uses|on)\s+${TRAIT}|(?:with|who\s+has|who\s+uses|on)\s+${TRAIT}\s+${PLACE})`, 'gi');
/** A large sibling group or family with a place: "the sibling group of seven placed together in Cordova". */
const LARGE_FAMILY_RE = new RegExp(
  String.raw`\bthe\s+(?:[A-Z][\w'’-]+\s+)?(?:sibling\s+group|family|siblings|household)\s+of\s+(?:six|seven|eight|nine|ten|eleven|twelve|thirteen|[6-9]|1\d)\b[^.;\n]{0,60}?\b${PLACE}`,
  'g',
);
/** Spanish: "la única familia guatemalteca en el pueblo de Tenino", "el único rancho de cabras de Terlingua". */
const SPANISH_ONLY_RE = /\b(?:el|la)\s+(?:únic[oa]|unic[oa])\s+(?:[\p{L}-]+\s+){0,5}?(?:de|en)\s+(?:el\s+pueblo\s+de\s+)?\p{Lu}[\p{L}'’-]+/gu;
const SPANISH_PERSON_RE = /\b(?:ni[ñn][oa]s?|beb[ée]|familia|hij[oa]|menor|madre|padre|abuel[oa])\b/i;
/**
 * Round twenty-six: "a preschooler with Prader-Willi syndrome in Elkader" is as singular as "the":
 * a rare condition and a town. Not a state or a country ("a child with spina bifida in Texas may
 * qualify"), and not guidance with a modal verb.
 */
const A_CHILD = String.raw`an?\s+(?:(?:\d{1,2}|[a-z]+)[-\s](?:year|month|week)[-\s]old|preschooler|toddler|kindergartner|boy|girl|child|infant|baby|teen|teenager|student)`;
const A_CHILD_TRAIT_IN_PLACE_RE = new RegExp(String.raw`\b${A_CHILD}\s+(?:with|who\s+has|who\s+uses|on)\s+${TRAIT}\s+(?<place>${PLACE})`, 'gi');
const LARGE_PLACE_RE = new RegExp(String.raw`^(?:in|from|at|near)\s+(?:the\s+)?(?:${[...US_STATES, 'America', 'United States', 'US', 'U.S.', 'Canada', 'Mexico'].join('|')})\b`);
const MODAL_RE = /\b(?:may|might|can|could|should|must|will|would|qualif(?:y|ies)|eligible)\b/i;
const MANY_RE = /\b(?:children|kids|families|infants|babies|students|youths|all|every|each|any)\b/i;

export function rareTraitQuasiIdentifiers(ctx: ScanContext): Candidate[] {
  const text = ctx.text;
  const out: Candidate[] = [];
  const sentence = (at: number): string => {
    const [s, e] = ctx.sentenceSpan(at);
    return text.slice(s, e);
  };
  for (const m of matches(TRAIT_IN_PLACE_RE, text)) out.push(candidate('quasi_identifier', m.index, m.index + m[0].length, 'One child named by a rare condition and a place'));
  for (const m of matches(A_CHILD_TRAIT_IN_PLACE_RE, text)) {
    if (!LARGE_PLACE_RE.test(m.groups!.place) && !MODAL_RE.test(sentence(m.index))) out.push(candidate('quasi_identifier', m.index, m.index + m[0].length, 'One child named by a rare condition and a place'));
  }
  for (const m of matches(LARGE_FAMILY_RE, text)) out.push(candidate('quasi_identifier', m.index, m.index + m[0].length, 'A large family or sibling group and its place'));
  for (const m of matches(SPANISH_ONLY_RE, text)) {
    const around = sentence(m.index);
    if (SPANISH_PERSON_RE.test(around) && !/\b(?:todas?|todos|cada|cualquier)\b/i.test(around)) out.push(candidate('quasi_identifier', m.index, m.index + m[0].length, 'A rare combination that singles out one family'));
  }
  return out.filter((c) => !MANY_RE.test(text.slice(c.start, c.end)) || /\bsibling\s+group|family\s+of\b/i.test(text.slice(c.start, c.end)));
}
