/**
 * Quasi-identifiers by structure (round ten): one child or family of the case, a proper-named small
 * place or event (a motel, a store, a park, an apartment complex, a fair, a team), and a sentence
 * that tells what happened there or where they live, go or play. No list of phrasings: any
 * capitalised name ending in a word for a small place or a local event counts, unless it is a
 * public body (an agency, a hospital, a court) or the sentence speaks of many or of a public event.
 */
import { Candidate, candidate, matches } from '../detector';
import { ScanContext } from '../text-context';
import { SENTENCE_PATTERNS } from './incident-dates';
import { globalOf, matchIn } from './word-positions';

const NAME_WORD = String.raw`\p{Lu}[\p{L}'’.&-]{1,24}`;
/** Words that end the name of a small place or a local event. */
const SMALL_PLACE = String.raw`(?:Motel|Inn|Lodge|Hotel|Suites|Apartments|Apts\.?|Estates|Terrace|Gardens|Village|Manor|Homes|Trailer\s+Park|Mobile\s+Home\s+Park|RV\s+Park|Park|Playground|Pool|Aquatic\s+Center|Splash\s+Pad|Lake|Pond|Creek|Campground|Camp|Ranch|Farm|Orchard|Marina|Beach|Trail|Mall|Plaza|Market|Mart|Store|Shop|Grocery|Foods|Supermarket|Pharmacy|Gas|Station|Truck\s+Stop|Diner|Cafe|Café|Grill|Restaurant|Pizza|Bar|Tavern|Saloon|Laundromat|Gym|Rink|Arena|Skate\s+Park|Bowling|Lanes|Fairgrounds|Fair|Festival|Rodeo|Parade|Carnival|Tournament|Classic|Invitational|Derby|Jamboree|Expo|Show|Club|Troop|Team|Library|Shelter|Motor\s+Lodge|Court|Courts|Heights|Crossing|Landing|Commons|Square)`;
const NAMED_PLACE_RE = new RegExp(String.raw`(?<![\p{L}])(?:(?:the|at|in|behind|near|outside|inside|from|by)\s+)(?<name>(?:${NAME_WORD}\s){1,3}${SMALL_PLACE})(?![\p{L}])`, 'gu');
/** Public bodies and big institutions: naming them singles out no one. */
const PUBLIC_BODY_RE =
  /\b(?:Department|Dept|Division|Office|Bureau|Agency|Services|Administration|Commission|Council|County\s+Court|Hospital|Medical|Health|University|College|Institute|Foundation|Coalition|Association|Program|Project|Network|Alliance|Partnership|Task\s+Force|Police|Sheriff|Fire|Safe\s+Kids|State|National|Federal|Capitol|Walmart|Target|Costco|McDonald['’]s)\b/;
/** Where one lives, goes or plays: a present tie counts as much as a past event. */
const TIE_RE = /\b(?:lives?|living|stays?|staying|attends?|attending|plays?|playing|works?|working|goes|visits?|is\s+(?:at|in|on)|are\s+(?:at|in|on))\b/i;

const G = { ...SENTENCE_PATTERNS, tie: globalOf(TIE_RE) };

/** A table row (cells between pipes) whose last cell is a count of one. */
const SINGLE_CASE_END_RE = /\|[ \t]*1[ \t]*\|?[ \t]*$/;
const SEX_CELL_RE = /(?:^|\|)\s*(?:female|male|girl|boy|F|M|niña|niño)\s*(?=\|)/i;
const AGE_CELL_RE = /(?:^|\|)\s*\d{1,2}\s*(?:days?|weeks?|wks?|months?|mos?|years?|yrs?|y\/o)(?:\s+old)?\s*(?=\|)/i;

export function structuralQuasiIdentifiers(ctx: ScanContext): Candidate[] {
  const text = ctx.text;
  const out: Candidate[] = [];
  for (const m of matches(NAMED_PLACE_RE, text)) {
    const name = m.groups?.name ?? '';
    if (PUBLIC_BODY_RE.test(name)) continue;
    const start = m.index + m[0].length - name.length;
    const [ss, se] = ctx.sentenceSpan(start);
    // The sentence around the name, the name itself left out ("the Family Fun Fair" is no family).
    const skip: [number, number] = [start, start + name.length];
    const has = (re: RegExp): boolean => matchIn(ctx, re, Math.max(ss, start - 250), Math.min(se, skip[1] + 250), skip);
    if (has(G.event) || has(G.many)) continue;
    if (!has(G.one) && !has(G.named)) continue;
    if (!has(G.past) && !has(G.tie)) continue;
    out.push(candidate('quasi_identifier', start, start + name.length, 'A named small place or local event tied to one child or family', 1));
  }
  // Round twenty-two: a table row of one case, a place with a sex and an age and a count of one
  // ("Todd County (Rosebud Sioux) | female | 7 weeks | twin | 1"): the small cell suppression was for.
  // (Line by line, each line tested from its end: one long line without cells stays linear.)
  for (let at = 0; at < text.length; ) {
    const nl = text.indexOf('\n', at);
    const end = nl < 0 ? text.length : nl;
    const line = text.slice(at, end);
    if (SINGLE_CASE_END_RE.test(line) && line.split('|').length >= 4 && /\p{Lu}/u.test(line) && SEX_CELL_RE.test(line) && AGE_CELL_RE.test(line)) {
      out.push(candidate('quasi_identifier', at + (line.length - line.trimStart().length), at + line.trimEnd().length, 'A table row of a single case: a place, a sex and an age with a count of one'));
    }
    at = end + 1;
  }
  return out;
}
