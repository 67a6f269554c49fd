/**
 * street_address: a residential or incident location precise enough to find a household — house
 * number + street (812 Bayou Teche Rd., 118 1/2 Locust Street), "the 2300 block of" + street,
 * rural routes with a box (RR 2 Box 118, HC 63 Box 27), apartment/unit/lot numbers of a dwelling,
 * a named trailer or RV park with its lot. Not: public venues and agency offices presented as
 * such, roads without a house number, cities, ZIP codes.
 */
import { Candidate, candidate, DeidDetector, matches } from '../detector';
import { COMMON_WORDS } from '../lexicon/words';
import { ScanContext, withoutHyphenatedWords } from '../text-context';

const STREET_SUFFIX =
  'Street|St|Avenue|Ave|Av|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Place|Pl|Terrace|Ter|Way|Circle|Cir|Parkway|Pkwy|Highway|Hwy|Trail|Trl|Pike|Square|Sq|Loop|Row|Alley|Crossing|Path|Ridge|Heights|Grove|Commons|Cove|Landing|Hollow|Plaza|Walk|Point|Bend|Run|Creek|Pass|Spur|Route|Rte';
const UNIT = String.raw`(?:Apt\.?|Apartment|Unit|Suite|Ste\.?|Lot|Trailer|Space|Rm\.?|Room|#)\s{0,3}#?\s{0,2}[A-Za-z0-9-]{1,6}\b`;
const ADDRESS_RE = new RegExp(
  String.raw`(?<![\w$#.,/-])(?<num>\d{1,6}[A-Z]?(?:\s?1\/2|½)?)\s{1,3}(?<block>block\s{1,3}of\s{1,3}(?:the\s{1,3})?)?(?:(?:[NSEW]\.?|North|South|East|West|NE|NW|SE|SW)\s{1,3})?(?<words>(?:(?:[A-Z][A-Za-z'’-]{0,24}|\d{1,3}(?:st|nd|rd|th))\s{1,3}){1,4}?)(?<suffix>${STREET_SUFFIX})\b(?<dot>\.)?(?<roadnum>\s{1,2}\d{1,4}\b)?(?<unit>,?\s{1,3}${UNIT})?`,
  'g',
);
const UNIT_RE = /\b(?<kw>Apt\.?|Apartment|Unit|Suite|Ste\.?|Lot|Trailer|Space)\s{0,3}#?\s{0,2}(?<val>\d{1,5}[A-Za-z]?|[A-Za-z]\d{1,4})\b/gi;
const RURAL_RE = /\b(?:RR|R\.R\.|Rural\s+Route|HC|H\.C\.|HCR|Highway\s+Contract|Star\s+Route)\s{0,2}#?\d{1,4},?\s{1,3}(?:Box|Bx)\s{0,2}#?\d{1,5}[A-Z]?\b/gi;
const PARK_LOT_RE =
  /\b(?:Lot|Space|Site|Unit|Trailer|Pad)\s{0,2}#?\s{0,2}[A-Z0-9]{1,5}\b,?\s{1,3}(?:at|in|of)?\s{0,3}(?:the\s{1,3})?(?:[A-Z][\w'’-]{1,24}\s{1,3}){1,4}(?:Mobile\s+Home\s+(?:Park|Community|Estates)|Trailer\s+(?:Park|Court)|RV\s+(?:Park|Resort)|Acres|Estates|Meadows|Manor|Village|Homes|Court|Park|Manufactured\s+Home\s+Community|Motor\s+Court|Motel|Apartments|Estates)\b/g;
const DWELLING_RE =
  /\b(?:single-wide|double-wide|mobile\s+home|camper|RV|home|house|residence|apartment|apartments|lived|lives|living|reside|resides|family|family's|household|address|discharged|placement|grandmother|grandfather|mother|father|parent|caregiver|relative|motel|hotel|trailer|complex|mobile|rental|duplex)\b/i;
/** Around a bare unit number: words that put it in a dwelling or at an incident. */
const UNIT_CONTEXT_RE = new RegExp(`${DWELLING_RE.source.slice(0, -5)}|building|floor|window|officers|deputies|responded|paramedics|found|fire|blaze|where)\\b`, 'i');
/** "the 1200 block of West Maple": a block needs no street suffix. */
/** "house 14 on Tribal Route 7", "home #22 off BIA Route 12": a numbered dwelling on a rural or tribal road. */
const ROUTE_HOUSE_RE = /\b(?:house|home|residence|trailer|HC|homesite|lot)\s{1,2}#?\d{1,5}[A-Z]?\s{1,3}(?:on|off|along)\s{1,3}(?:(?:Tribal|County|State|Indian|BIA|Navajo|Forest\s+Service)\s{1,3})?(?:Route|Road|Rd\.?|Highway|Hwy\.?|N|CR|SR)\s{0,2}\d{1,4}\b/gi;
const BLOCK_RE = /\b\d{2,5}\s{1,3}block\s{1,3}of\s{1,3}(?:the\s{1,3})?(?:(?:[NSEW]\.?|North|South|East|West)\s{1,3})?(?:[A-Z][\w'’-]{1,24}|\d{1,3}(?:st|nd|rd|th))(?:\s[A-Z][\w'’-]{1,24}){0,2}/g;
/** "at the Capitol Annex, 301 W. Jefferson St.": a named public building's own address. */
const BUILDING_BEFORE_RE =
  /(?:[A-Z][\w'’.-]+\s){1,5}(?:Annex|Center|Centre|Hall|Building|Library|Church|School|Park|Plaza|Tower|Complex|Courthouse|Station|Capitol|Office|Offices|Campus|Arena|Auditorium|Museum|Fairgrounds|Armory|Gym|Gymnasium|Stadium|Hotel|Inn|Headquarters|Pavilion)(?:\s\([^)]{0,30}\))?,\s{1,2}$/;
const VENUE_BEFORE_RE =
  /\b(?:oficinas?|sede|biblioteca|centro\s+comunitario|reuni[óo]n|capacitaci[óo]n|taller|held|hosted|meeting|meetings|hearing|fair|set\s+for|scheduled|workshop|session|sessions|open\s+house|take\s+place|takes\s+place|training|conference|office|offices|headquarters|library|auditorium|venue|event|summit|webinar|drop[- ]off|pick[- ]up|distribution|courthouse|located\s+at|visit\s+us|our\s+(?:office|building|center)|pick[- ]?ups?|drop[- ]?offs?|public|boat\s+(?:launch|ramp)|beach|library|clinic|open\s+(?:to|at)|available\s+at|services,?)\b/i;
const VENUE_AFTER_RE = /^,?\s*(?:\((?:[A-Z][\w'’-]*\s?){1,4}(?:Park|Center|Library|Beach|Pool|Hall|Building)\)|Building\s+[A-Z0-9]|Suite\s|Floor\s|\d+(?:st|nd|rd|th)\s+floor|training\s+center|conference|office|offices|building|headquarters|library|auditorium|community\s+center|center|room|suite\s+\d+\s*,?\s*(?:of|for)\b)/i;
/** "Tribal Family Services, 101 Council Drive": an organisation's own address. */
const ORG_BEFORE_RE = /(?:Services|Department|Office|Agency|Center|Centre|Clinic|Hospital|Library|Program|Division|Bureau|Unit|Section|Branch|Registry|Complex|(?<![A-Za-z])[A-Z]{3,6}|Council|Authority|Headquarters|Court|Courthouse|Church|School|Association|Foundation|Coalition|Inc\.?|LLC|(?:St\.|Saint)\s[A-Z][\w]+['’]s),\s{1,2}$/;
/** Round twenty-nine: an address the text calls public ("The youth shelter's public donation address is ..."). */
const CALLED_PUBLIC_BEFORE_RE = /\bpublic\b[^.;\n]{0,30}\baddress\b[^.;\n]{0,10}$/i;
/** "PO Box 1187, Chinle, AZ", "P.O. Box 22", "Apartado Postal 14": a household's mailing box (not an office's). */
const PO_BOX_RE = /\b(?:P\.?\s?O\.?\s?|Post\s+Office\s+)(?:Box|Bx)\s{0,2}#?\s{0,2}\d{1,6}\b(?:,\s{0,2}[A-Z][\p{L}'’-]{1,24}(?:\s[A-Z][\p{L}'’-]{1,24}){0,2}(?:,\s{0,2}[A-Z]{2}\b)?)?|\bApartado\s+(?:Postal\s+)?\d{1,6}\b/giu;
const SEND_TO_RE = /\b(?:send|submit|return|mail|remit|fax|deliver)\b[^.;\n]{0,60}\bto\s*:?\s*$/i;
const AGENCY_MAIL_RE = /\b(?:send|submit|return|remit|mail|records|forms?|payments?|applications?|correspondence|department|dept|division|office|agency|bureau|unit|program|services|attn|attention|clearinghouse|headquarters|director|commissioner|superintendent|registrar)\b/i;
/** The same house-number shape in any case and with the common suffixes only ("1412 e main st", "4417 QUAIL RUN RD"). */
const ANY_CASE_ADDRESS_RE =
  /(?<![\w$#.,/-])\d{1,6}[A-Za-z]?\s{1,3}(?:(?:[NSEW]\.?|north|south|east|west)\s{1,3})?(?:[A-Za-z][A-Za-z'’-]{1,24}\s{1,3}){1,3}?(?:street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|circle|cir|terrace|ter|parkway|pkwy|highway|hwy|trail|trl|pike|place|pl)\b/gi;
const FUNCTION_WORD_RE = /^(?:the|a|an|of|in|on|to|and|or|for|per|at|from|by|with|more|than|new|other|each|every|all|total|children|infants|kids|cases|deaths|families|people|years?|months?|weeks?|days?|hours?|minutes?|times?|percent)$/i;
/** Spanish order: street word, name, then the number ("Calle Luna 45", "Avenida Juárez #1203"). */
const SPANISH_ADDRESS_RE = /\b(?:[Cc]alle|[Aa]venida|Av\.|Avda\.|Camino|Carretera|Callej[óo]n|Privada|Cerrada|Boulevard|Blvd\.)\s{1,3}(?:[\p{Lu}\d][\p{L}'’.-]{0,24}\s{1,3}){1,4}?(?:#|No\.?|N[úu]m\.?|n[º°])?\s{0,2}\d{1,5}[A-Za-z]?\b/gu;
/** Round six: "el 2210 de la Calle Alameda, departamento 4"; a lot in a park named in any case ("lot 31 at shady rest mhp off hwy 64"); a house number, a street, a unit, a city and a ZIP code ("908 W Magnolia #C, Fort Worth 76104"). */
const SPANISH_NUMBER_FIRST_RE = /\b\d{1,5}\s{1,2}de\s{1,2}la\s{1,2}(?:[Cc]alle|[Aa]venida|[Cc]arretera)\s{1,3}\p{Lu}[\p{L}'’.-]{1,24}(?:\s\p{Lu}[\p{L}'’.-]{1,24}){0,2}(?:,\s{0,2}(?:departamento|depto\.?|apartamento|apto\.?|interior|int\.)\s{0,2}\d{1,4}[A-Za-z]?)?/gu;
const ANY_PARK_LOT_RE = /\b(?:lot|space|site|spc|pad)\s{0,2}#?\s{0,2}\d{1,4}[a-z]?\b,?\s{1,3}(?:at|in|of)?\s{0,3}(?:the\s{1,3})?(?:[\w'’-]{2,24}\s{1,3}){1,4}?(?:MHP|mobile\s+home\s+(?:park|community|estates|village)|mobile\s+park|trailer\s+(?:park|court)|RV\s+(?:park|resort))\b(?:\s{1,3}off\s{1,3}(?:hwy|highway|route|rte|rd|road|county\s+road|cr)\.?\s{0,2}\d{1,4}\b)?/gi;
const CITY_ZIP_RE = /(?<![\w$#.,/-])\d{1,6}[A-Z]?\s{1,3}(?:[NSEW]\.?\s{1,3})?(?:[A-Z][\p{L}'’-]{1,24}\s{0,3}){1,3}(?:#\s?[A-Za-z0-9-]{1,5}|(?:Apt|Unit)\.?\s{0,2}[A-Za-z0-9-]{1,5})?,\s{1,2}(?:[A-Z][\p{L}'’-]{1,24}\s{1,2}){1,3}(?:[A-Z]{2},?\s{1,2})?\d{5}(?:-\d{4})?\b/gu;
/** "lives on Juniper Lane", "the house at the end of Cedar Ridge Road": a home on a named street, with no number. */
const HOME_ON_STREET_RE = new RegExp(
  String.raw`\b(?:lives|lived|living|resides|resided|staying|stays|stayed|moved|home|house|trailer|apartment|residence)\s{1,3}(?:(?:at|on|off|near)\s{1,3}(?:the\s{1,3}(?:end|corner|top|bottom)\s{1,3}of\s{1,3})?)(?:[A-Z][A-Za-z'’-]{1,24}\s{1,3}){1,3}?(?:${STREET_SUFFIX})\b(?:\s(?:Road|Rd|Street|St|Lane|Ln|Drive|Dr|Avenue|Ave|Way|Court|Ct)\b)?`,
  'g',
);
/** A family named near the facility word ("the family's apartment complex at"), not in a facility's name ("the family visitation center at"). */
const FAMILY_NEAR_RE = /\b(?:family|familia)\b(?!\s+(?:[\w-]+\s+){0,2}(?:cent(?:er|re)s?|services|court|clinic|shelter|office)\b)[^.;\n]{0,25}$/i;
/** Round nine: a public facility named right before the address ("Fire Station 7, ", "the crisis nursery at ", "the Consulate in Phoenix ("). */
const FACILITY_BEFORE_RE =
  /\b(?:station|hospital|clinic|consulate|embassy|office|offices|complex|building|cent(?:er|re)|library|park|pavilion|lab|laboratory|nursery|shelter|school|church|courthouse|department|agency|services|headquarters|museum|fairgrounds|firehouse|precinct|city\s+hall|town\s+hall|YMCA|YWCA|campus|university|college|pharmacy|arena|stadium|auditorium|chapter|coalition)\b(?:\s+(?:#?\d{1,4}|[A-Za-z][\w'’.-]*)){0,3}\s*(?:,|\(|\bat\b|\bis\s+at\b|:|\n)\s*$/i;
/** ... unless a person of the case or a dwelling is named before it. */
const HOUSEHOLD_BEFORE_RE =
  /\b(?:her|his|their|lives|lived|living|resides|resided|staying|stayed|stays|home|house|apartment|trailer|mother|father|mom|dad|grandmother|grandfather|grandma|grandpa|parents?|caregiver|relative|aunt|uncle|boyfriend|girlfriend|child['’]s|found|discharged\s+to)\b/i;
/** A table's column of offices or sites. */
const SITE_HEADER_RE = /^(?:office|offices|location|locations|site|sites|facility|facilities|branch|clinic|venue|where)\b/i;
const COURT_WORDS = new Set(`juvenile family probate supreme district circuit county municipal federal superior appeals tax drug dependency`.split(' '));
const YEAR_PREP = new Set(`in since during by from until through of the fiscal year fy`.split(' '));
const ROAD_NUMBERED = new Set(['Road', 'Rd', 'Highway', 'Hwy', 'Route', 'Rte']);
const ABBREVIATED_SUFFIXES = new Set(['St', 'Ave', 'Av', 'Rd', 'Blvd', 'Ln', 'Dr', 'Ct', 'Pl', 'Ter', 'Cir', 'Pkwy', 'Hwy', 'Trl', 'Sq', 'Rte']);

export const streetAddressDetector: DeidDetector = {
  kind: 'street_address',
  detect(ctx: ScanContext): Candidate[] {
    const text = ctx.text;
    const out: Candidate[] = [];
    const venue = (start: number, end: number): boolean => {
      const before = ctx.before(start, 200);
      const near = text.slice(Math.max(0, start - 100), start);
      if (FACILITY_BEFORE_RE.test(near) && !HOUSEHOLD_BEFORE_RE.test(near) && !FAMILY_NEAR_RE.test(near)) return true;
      const placed = ctx.placementOf(start);
      if (placed !== undefined && SITE_HEADER_RE.test(placed.header.replace(/[*_]/g, '').trim()) && !HOUSEHOLD_BEFORE_RE.test(placed.rowLabel)) return true;
      // (A hyphenated word names no household: "the resource-parent conference is at the Hilton Garden Inn, ...".)
      if (BUILDING_BEFORE_RE.test(text.slice(Math.max(0, start - 80), start)) && !DWELLING_RE.test(withoutHyphenatedWords(ctx.before(start, 80)))) return true;
      return (VENUE_BEFORE_RE.test(before) || VENUE_AFTER_RE.test(text.slice(end, end + 30))) && !DWELLING_RE.test(ctx.before(start, 80));
    };
    for (const m of matches(ADDRESS_RE, text)) {
      const g = m.groups ?? {};
      let end = m.index + m[0].length;
      const nameWords = (g.words ?? '').trim().split(/\s+/);
      // "2025 Juvenile Court", "in 2024 Safe Sleep Way": years before court names or after a preposition.
      if (/^(?:19|20)\d\d$/.test(g.num)) {
        const prev = /(\p{L}+)\s*$/u.exec(text.slice(Math.max(0, m.index - 20), m.index));
        if (prev && YEAR_PREP.has(prev[1].toLowerCase())) continue;
      }
      if (g.suffix === 'Court' && nameWords.some((w) => COURT_WORDS.has(w.toLowerCase()))) continue;
      if (nameWords.every((w) => COMMON_WORDS.has(w.toLowerCase()) && !/^\d/.test(w)) && ['Way', 'Place', 'Run', 'Point', 'Walk', 'Row', 'Path', 'Pass', 'Route'].includes(g.suffix)) continue;
      if (g.roadnum && !ROAD_NUMBERED.has(g.suffix) && !g.unit) end -= g.roadnum.length;
      else if (g.dot && !g.roadnum && !g.unit && !ABBREVIATED_SUFFIXES.has(g.suffix)) end -= 1; // "Euclid Avenue." ends a sentence
      if (venue(m.index, end) || /^,?\s*(?:Suite|Ste\.?|Room|Rm\.?)/i.test(g.unit ?? '')) continue;
      const lead = text.slice(Math.max(0, m.index - 60), m.index);
      if (CALLED_PUBLIC_BEFORE_RE.test(lead)) {
        ctx.clear(m.index, end);
        continue;
      }
      if (ORG_BEFORE_RE.test(lead)) {
        // An office's address, with its floor or suite after it: the token model may not re-add it.
        const tail = /^(?:\s(?:[NSEW]|NE|NW|SE|SW)\b\.?)?(?:,?\s{0,2}(?:\d{1,3}(?:st|nd|rd|th)\s+Floor|Floor\s+\d{1,3}|Suite\s+\w{1,6}|Ste\.?\s+\w{1,6}|Room\s+\w{1,6}|Building\s+\w{1,6}))*/i.exec(text.slice(end, end + 60))![0];
        ctx.clear(m.index, end + tail.length);
        continue;
      }
      const shown = `${g.words ?? ''}${g.suffix}`.replace(/\s+/g, ' ');
      out.push(candidate('street_address', m.index, end, g.block ? `Block-level street address ('block of ${shown}')` : `House number and street name ('${g.num} ${shown}')`));
    }
    for (const m of matches(PO_BOX_RE, text)) {
      const lead = ctx.before(m.index, 80);
      if (AGENCY_MAIL_RE.test(lead) && !DWELLING_RE.test(lead) && !/\b(?:her|his|their)\b/i.test(lead)) continue;
      // Round fourteen: "Send completed foster parent applications to P.O. Box 1840": where forms are sent to is an office's box.
      // (Round seventeen: but "Mail for the kinship caregiver goes to P.O. Box 311" is a household's, unless forms are what is sent.)
      const formsSent = /\b(?:applications?|forms?|packets?|paperwork|payments?|renewals?|requests?)\b/i.test(lead) && !/\b(?:her|his|their)\b/i.test(lead);
      if (SEND_TO_RE.test(lead) && (formsSent || !/\b(?:her|his|their|mother|father|mom|dad|grand\w*|aunt|uncle|family|caregivers?|kin|kinship|foster|relatives?|parents?|guardians?|child|youth|boy|girl)\b/i.test(lead))) continue;
      if (venue(m.index, m.index + m[0].length)) continue;
      out.push(candidate('street_address', m.index, m.index + m[0].length, 'Post office box of a household'));
    }
    for (const m of matches(ANY_CASE_ADDRESS_RE, text)) {
      const words = m[0].split(/\s+/).slice(1, -1);
      if (/^(?:19|20)\d\d$/.test(m[0].split(/\s/)[0]) || words.some((w) => FUNCTION_WORD_RE.test(w))) continue;
      const lead = text.slice(Math.max(0, m.index - 60), m.index);
      if (venue(m.index, m.index + m[0].length) || ORG_BEFORE_RE.test(lead) || CALLED_PUBLIC_BEFORE_RE.test(lead)) continue;
      out.push(candidate('street_address', m.index, m.index + m[0].length, 'House number and street name'));
    }
    for (const m of matches(SPANISH_ADDRESS_RE, text)) if (!venue(m.index, m.index + m[0].length)) out.push(candidate('street_address', m.index, m.index + m[0].length, 'Street name and house number'));
    for (const m of matches(HOME_ON_STREET_RE, text)) {
      const at = m.index + m[0].search(/\s(?:at|on|off|near)\s/) + 1;
      if (!venue(at, m.index + m[0].length)) out.push(candidate('street_address', at, m.index + m[0].length, 'A home on a named street', 1));
    }
    for (const m of matches(ROUTE_HOUSE_RE, text)) out.push(candidate('street_address', m.index, m.index + m[0].length, 'Numbered home on a rural or tribal road'));
    for (const m of matches(BLOCK_RE, text)) if (!venue(m.index, m.index + m[0].length)) out.push(candidate('street_address', m.index, m.index + m[0].length, 'Block-level street address'));
    for (const m of matches(RURAL_RE, text)) out.push(candidate('street_address', m.index, m.index + m[0].length, 'Rural route or highway contract box of a household'));
    for (const re of [SPANISH_NUMBER_FIRST_RE, ANY_PARK_LOT_RE]) for (const m of matches(re, text)) out.push(candidate('street_address', m.index, m.index + m[0].length, 'A dwelling: a house number on a street, or a lot in a named park'));
    for (const m of matches(CITY_ZIP_RE, text)) {
      if (venue(m.index, m.index + m[0].length) || ORG_BEFORE_RE.test(text.slice(Math.max(0, m.index - 60), m.index)) || AGENCY_MAIL_RE.test(ctx.before(m.index, 80))) continue;
      out.push(candidate('street_address', m.index, m.index + m[0].length, 'House number, street, city and ZIP code'));
    }
    for (const m of matches(PARK_LOT_RE, text)) out.push(candidate('street_address', m.index, m.index + m[0].length, 'Lot in a named mobile-home or RV park'));
    for (const m of matches(UNIT_RE, text)) {
      const kw = (m.groups?.kw ?? '').toLowerCase();
      if (!/^apt|^apartment/.test(kw)) {
        const [s, e] = ctx.sentenceSpan(m.index);
        const around = text.slice(Math.max(s, m.index - 60), Math.min(e, m.index + m[0].length + 60));
        if (!UNIT_CONTEXT_RE.test(around)) continue;
        if (kw === 'lot' && /\blot\s*(?:no\.?|number|#)/i.test(m[0])) continue;
        if (/^(?:lot|unit|space|suite)$/.test(kw) && /\b(?:lot|batch|model|recall|product|unit\s+(?:of|price|cost|manager|supervisor)|parking)\b/i.test(around) && !/\b(?:home|house|apartment|trailer|park)\b/i.test(around)) continue;
      }
      out.push(candidate('street_address', m.index, m.index + m[0].length, `Apartment or unit number of a dwelling ('${m[0]}')`, 1));
    }
    return out;
  },
};
