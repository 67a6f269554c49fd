/**
 * phone: a telephone number of a person or household, in any North American writing
 * ((614) 555-0182, 614.555.0182, +1 918 555 0122, 9185550139, or seven digits after a phone word).
 * A number needs something that ties it to a person (a relative, "cell", "direct", "call Marisol
 * at", a list line "Grandpa Earl — ..."): numbers in notices are otherwise the agency's own lines.
 * Not: toll-free numbers, N11 lines, a number presented as an agency's line or hotline, the
 * issuing agency's own published numbers, product or identifier numbers.
 */
import { Candidate, candidate, DeidDetector, matches } from '../detector';
import { isGivenName, isPlaceWord, ROLE_WORDS } from '../lexicon/name-lexicon';
import { KIN_TITLES, ORG_SUFFIX_WORDS } from '../lexicon/words';
import { fold, ScanContext } from '../text-context';

/** A person of the case (child, relative, household member, caregiver): a row label or a word in the sentence. */
const PERSON_ROLE_RE = new RegExp(
  String.raw`\b(?:${[...ROLE_WORDS].filter(([, cat]) => cat !== 'professional').map(([w]) => w).join('|')}|foster\s+(?:parent|mother|father|mom|dad)|resource\s+parent|kin|reporter|caller|witness|tenant|landlord)\b`,
  'i',
);
/** Singular roles only as a cue before a number: "the grandmother at ..." (not "parents can dial ..."). */
const PERSON_ROLE_GLOBAL_RE = new RegExp(
  String.raw`\b(?:${[...ROLE_WORDS].filter(([w, cat]) => cat !== 'professional' && !/s$/.test(w)).map(([w]) => w).join('|')}|foster\s+(?:parent|mother|father|mom|dad)|resource\s+parent|reporter|caller|witness)\b|\b(?:the|her|his|their)\s+(?:\w+\s)?(?:parents|grandparents|relatives|siblings|foster\s+parents)\b`,
  'gi',
);
const DIGIT_WORD = '(?:zero|oh|one|two|three|four|five|six|seven|eight|nine)';
/** A number read out: "five-five-five, five-five-five, zero-one-six-three" (7 or 10 digit words). */
const SPOKEN_RE = new RegExp(`(?<![\\p{L}-])${DIGIT_WORD}(?:[\\s,-]{1,3}${DIGIT_WORD}){6,9}(?![\\p{L}-])`, 'giu');
const PHONE_WORD_RE = /\b(?:phone|number|cell|mobile|call|text|texted|line|reached|contact|tel[eé]fono|n[úu]mero|celular|m[óo]vil)\b/i;
const SSN_WORD_RE = /\b(?:ssn|social(?!\s+(?:worker|work|services|media|history))|soc\.?\s+sec)\b/i;
/** Digits one by one, spaced ("4 0 5 - 5 5 5 - 0 1 6 8", "6 0 2 5 5 5 0 1 9 1"), as a transcript writes a number read out. */
const SPACED_DIGITS_RE = /(?<![\w-])[2-9](?:\s{1,2}[-.–]?\s{0,2}\d){9}(?![\w-]|\s{1,2}\d)/g;
/** A number dialled abroad from the US (011 ...) or with another country's trunk prefix (00 ..., 07700 900461). */
const TRUNK_RE = /(?<![\w+.-])(?:(?:011|00)[\s.-][1-9]\d{0,2}(?:[\s.-]\d{2,4}){2,4}|0[1-9]\d{2,3}[\s-]\d{3}[\s-]?\d{3,4})(?![\w-]|\.\d|\s\d)/g;
/**
 * A person of the case or a personal phone in Spanish ("Celular de la mamá:", "su celular", "la tía"),
 * and kin words in Somali, Haitian Creole, Hmong, Vietnamese and Arabic ("Lambarka hooyada:").
 */
const OTHER_LANGUAGE_PERSONAL_RE = /(?<![\p{L}])(?:celular|cel|m[óo]vil|mam[áa]|pap[áa]|madre|padre|t[íi][ao]|abuel[ao]|novi[ao]|vecin[ao]|herman[ao]|prim[ao]|hooyada|hooyo|aabaha|aabo|ayeeyo|manman|granmoun|niam|txiv|pog|yawm|mẹ|bố|ba|bà|ông|الأم|الأب|أم|أب)(?![\p{L}])/giu;
/** A conference line: "Dial-in 1-646-...", "meeting code", a bridge. */
const CONFERENCE_RE = /\b(?:dial-?\s?in|conference\s+(?:line|bridge|number|call)|bridge\s+line|meeting\s+(?:id|code|number)|passcode|webinar|zoom|teams)\b/i;

const PHONE_RE = /(?<![\w-])(?:\+?1[\s.-]?)?(?:\((?<a1>\d{3})\)\s?[2-9]\d{2}[\s.\-–—‑]?\d{4}|(?<a2>\d{3})(?:[\s./\-–—‑]|\s[\-–—]\s)[2-9]\d{2}(?:[\s./\-–—‑]|\s[\-–—]\s)\d{4})(?![\w-]|\.\d)|(?<![\w.-])(?<bare>[2-9]\d{2}[2-9]\d{6})(?![\w-]|\.\d)/g;
/** Ten digits grouped as other countries write them: "81 1234 5678" (Mexico), "06 12 34 56 78" (France); only with a phone word. */
const FOREIGN_GROUPS_RE = /(?<![\w+.\/-])(?:\d{2}\s\d{4}\s\d{4}|\d{2}(?:[ .]\d{2}){4})(?![\w-]|[ .]\d)/g;
const SEVEN_RE = /(?<![\w.-])[2-9]\d{2}[-.]\d{4}(?![\w-]|\.\d)/g;
const INTERNATIONAL_RE = /(?<![\w+])\+\d{1,3}[\s.-]?\(?\d{1,4}\)?(?:[\s.-]?\d{2,4}){2,4}(?![\w-]|\.\d)/g;
const SEVEN_SPACED_RE = /\b(?:phone|cell|number|tel|call|text|texted|reached)\b[^.;\n\d]{0,20}?(?<val>(?<![\d-])[2-9]\d{2}\s\d{4})(?![\w-]|\s\d)/gi;
const TOLL_FREE = new Set(['800', '833', '844', '855', '866', '877', '888']);
const PERSONAL_CUE_RE =
  /\b(?:cell|cellphone|mobile|home\s+phone|landline|land\s+line|direct(?:ly)?|personal|callback|call-back|contact\s+number|texted|texts?|(?:her|his|their|my|[\p{L}-]+['’]s)\s+(?:work\s+|job\s+|home\s+|own\s+|personal\s+|private\s+)?(?:number|phone|cell|line)|mother|father|mom|dad|grandmother|grandfather|grandma|grandpa|aunt|uncle|boyfriend|girlfriend|paramour|babysitter|neighbou?r|home|household|residence|family|kinship\s+home|(?:his|her|their|the\s+family['’]s|the\s+child['’]s)\s+(?:case\s*worker|worker|nurse|officer|investigator|therapist|counselor|teacher|coach|doctor|pediatrician))\b(?!\s+(?:services|visiting|resource|support|line|center|program))/giu;
const AGENCY_CUE_RE =
  /\b(?:hotline|helpline|help\s+line|warmline|(?<!\b(?:direct|personal|home|land|cell|own|private|work|job|her|his|their|mom's|dad's|aunt's|grandmother's)\s)line|call\s+center|switchboard|department|office|poison|24\/7|24-hour|toll-free|after-hours|on-call|contact|specialist|manager|coordinator|director|supervisor|liaison|administrator|reception|front\s+desk|questions|for\s+more\s+information|reach\s+(?:us|our|the\s+(?:program|unit|office|team|department))|call\s+(?:us|our)|program|unit|agency|division|bureau|clinic|services|navigator|center|centre)\b/gi;
const STRONG_AGENCY_CUE_RE =
  /\b(?:questions\s*:|contact\s*:|(?<!\b(?:direct|personal|home|land|cell|own|private|work|job|her|his|their|mom's|dad's|aunt's|grandmother's|mother's|father's|family's)\s)line|hotline|helpline|help\s+line|warmline|call\s+center|switchboard|department|office|poison|24\/7|24-hour|toll-free|after-hours|on-call|reception|front\s+desk|for\s+more\s+information|reach\s+(?:us|our)|call\s+(?:us|our))\b/gi;
const NOT_A_PHONE_BEFORE_RE =
  /\b(?:model|lot|sku|upc|part|item|serial|catalog|style|record|member|case|client|person|referral|report|docket|cause|medicaid|recipient|cin|pmi|enrollment|census|account|course|policy|form|rule|recall|OAR|OAC|WAC|RCW|ARM|CFR|USC|TAC|K\.S\.A\.|K\.A\.R\.|ILCS|section|sec\.|chapter|code|regulation|statute|§)\s*(?:no\.?|number|#|id)?\s*[:#(,]?\s*$/i;

/** More signs of an organisation's number: its main number, Spanish office words, a fax, a menu option. */
const AGENCY_EXTRA_RE = /\b(?:main\s+(?:number|line)|our\s+(?:number|line)|oficina|l[íi]nea|departamento|programa|ll[áa]me(?:nos)?|fax|option\s+\d|press\s+\d|tty|tdd|relay|911|988|211)\b/i;
/** One person of the case: "the grandmother", "her aunt", "the family's", a possessive name. */
const ONE_PERSON_RE = new RegExp(
  String.raw`\b(?:the|her|his|their|a|an|this|that)\s+(?:\w+\s)?(?:${[...ROLE_WORDS].filter(([w, cat]) => cat !== 'professional' && !/s$/.test(w)).map(([w]) => w).join('|')}|foster\s+(?:parent|mother|father))\b|\b(?:family|household|child|infant|baby|mother|father)['’]s\b|\b[A-Z][a-z]+['’]s\s+(?:number|phone|cell|line)\b`,
  'i',
);
/** A person of the case named with a determiner: "the foster parent's", "her grandmother" (not "Child Safety Program"). */
const CASE_PERSON_GLOBAL_RE = new RegExp(ONE_PERSON_RE.source, 'gi');
/** A number offered to an audience or as a service. */
const AUDIENCE_RE =
  /\b(?:parents|families|caregivers|anyone|callers|residents|you|your|workers|staff|providers|public|community|dial|request|free|available|statewide|around\s+the\s+clock|services?|resources|support|information|visiting|consultant|schedule|appointments?|reminders|sign\s+up|enroll|register)\b/i;
const AGENCY_ROW_RE = /\b(?:hotline|helpline|line|office|agency|department|unit|program|center|clinic|poison|crisis|intake|after[-\s]hours|on-call|supervisor)\b/i;
const OWNER_AFTER_RE =
  /^\s?(?:[,—–-]\s?(?:(?:the|her|his|their)\s)?(?:maternal\s|paternal\s|great-?|step-?)?(?:mother|father|mom|dad|grandmother|grandfather|grandma|grandpa|aunt|uncle|boyfriend|girlfriend|babysitter|neighbou?r|sister|brother|cousin)\b(?!['’-]|\s(?:baby|unit|line|services|support|program))|\(\s?(?:cell|mobile|home|personal|her|his|their|the\s+)?\s?(?:cell|mobile|home|mother|father|mom|dad|grandmother|grandfather|grandma|grandpa|aunt|uncle|boyfriend|girlfriend|babysitter|neighbou?r|caregiver|foster\s+(?:mother|father|parent)|sister|brother|cousin|family)['’]?s?\b|[,—–-]\s?(?:the\s+|her\s+|his\s+)?(?:mother|father|mom|dad|grandmother|grandfather|aunt|uncle|boyfriend|girlfriend|babysitter|neighbou?r|caregiver)['’]s\s+(?:cell|number|phone))/i;
/** After an extension: a person or household of the case it reaches. */
const PERSON_AFTER_EXTENSION_RE = /\b(?:the|her|his|their)\s+(?:\w+\s)?(?:family|mother|father|mom|dad|parents?|grand\w+|aunt|uncle|caregiver|relative|household|child|boy|girl|baby|infant|foster\s+(?:parent|mother|father|home))\b/i;
/** A row label that is only the word for a phone (and the start of the number the layout took with it). */
const PHONE_ONLY_LABEL_RE = /^[\s*•-]*(?:phone|ph|tel|telephone|tel[eé]fono|number|no|#)\s*[:#.]?[\s\d()+.-]*$/i;
/** "call Marisol at", "text Ms. Ruiz on": a person named right before the number. */
const NAMED_CALL_RE = /\b(?:[Cc]all|[Tt]ext|[Rr]each|[Pp]hone|[Cc]ontact|[Rr]ing)\s+(?:(?:Mr|Mrs|Ms|Dr)\.?\s)?[A-Z][\p{L}'’-]+(?:\s[A-Z][\p{L}'’-]+)?\s+(?:at|on)\s*:?\s*$/u;
/** A list line "Grandpa Earl — 9185550139": a name, a dash, the number. */
const NAME_DASH_RE = /(?:^|\n)[\s*•-]*(?:[A-Z][\p{L}'’-]+\s){0,3}[A-Z][\p{L}'’-]+\s?[—–:-]\s*$/u;

/** "- Tulsa: 918-555-0101" lists places; "Grandpa Earl — ..." or "Marisol Vega: ..." a person (a given name or a kin word first). */
function personLabel(label: string): boolean {
  const words = label.replace(/[^\p{L}' -]/gu, ' ').trim().split(/\s+/).filter(Boolean);
  if (!words.length) return false;
  const nlp = { lexicon: true, tagger: false };
  const first = fold(words[0]);
  return (isGivenName(first, nlp) || KIN_TITLES.has(first) || ROLE_WORDS.has(first)) && !isPlaceWord(first, nlp) && !words.some((w) => ORG_SUFFIX_WORDS.has(fold(w)));
}

function lastIndexOf(re: RegExp, s: string): number {
  re.lastIndex = 0;
  let last = -1;
  for (let m = re.exec(s); m; m = re.exec(s)) last = m.index;
  return last;
}

export const phoneDetector: DeidDetector = {
  kind: 'phone',
  detect(ctx: ScanContext): Candidate[] {
    const text = ctx.text;
    const out: Candidate[] = [];
    const judge = (start: number, end: number, bare: boolean, sevenDigit: boolean): void => {
      const digits = text.slice(start, end).replace(/\D/g, '').slice(-10);
      if (ctx.publicValues.phones.has(digits)) return ctx.clear(start, end);
      const before = ctx.before(start, 80);
      if (NOT_A_PHONE_BEFORE_RE.test(before.slice(-30))) return;
      const personal = Math.max(lastIndexOf(PERSONAL_CUE_RE, before), lastIndexOf(PERSON_ROLE_GLOBAL_RE, before), lastIndexOf(OTHER_LANGUAGE_PERSONAL_RE, before));
      if (CONFERENCE_RE.test(before.slice(-40)) || CONFERENCE_RE.test(text.slice(end, end + 30))) return ctx.clear(start, end);
      const agency = lastIndexOf(AGENCY_CUE_RE, before);
      // A weak agency word ("contact", "program") does not outweigh a person of the case earlier in the sentence.
      const strongAgency = lastIndexOf(STRONG_AGENCY_CUE_RE, before);
      const caseBefore = lastIndexOf(CASE_PERSON_GLOBAL_RE, ctx.before(start, 160));
      const agencyLine = (): void => ctx.clear(start, end); // the token model may not re-add an agency's number
      // "555-0134 (cell)", "405-555-0187 — grandmother": the owner named right after the number outweighs a "Contact:" label.
      const ownerAfter = OWNER_AFTER_RE.test(text.slice(end, end + 40));
      if (agency >= 0 && !ownerAfter && agency > personal && (strongAgency >= 0 || caseBefore < 0)) return agencyLine();
      // An extension (", ext. 2") belongs to an organisation's switchboard.
      // Round fifteen: unless a person of the case follows ("(808) 935 1124 x4 to reach the resource family").
      if (personal < 0 && /^\s*,?\s*(?:ext\.?|x|extension)\s*\d/i.test(text.slice(end, end + 16)) && !PERSON_AFTER_EXTENSION_RE.test(text.slice(end, end + 80))) return agencyLine();
      // "..., which rings to the supervisor line": an agency line described after the number.
      if (personal < 0 && /^[\s,)]*(?:which|that|,)?[^.;\n]{0,40}\b(?:hotline|helpline|line|desk|office|switchboard|voicemail\s+box)\b/i.test(text.slice(end, end + 60))) return agencyLine();
      const dashLabel = NAME_DASH_RE.exec(before);
      const named = NAMED_CALL_RE.test(before) || (dashLabel !== null && personLabel(dashLabel[0]));
      // A table row or list line whose label is a person ("| Babysitter (neighbor) | (555)5550124 |").
      const placed = ctx.placementOf(start);
      const rowPerson = placed !== undefined && PERSON_ROLE_RE.test(placed.rowLabel) && !AGENCY_ROW_RE.test(placed.rowLabel);
      if (rowPerson || personal >= 0 || named || ownerAfter) {
        out.push(candidate('phone', start, end, personal >= 0 || rowPerson ? 'Phone number of a person or household' : 'Phone number given for a named person'));
        return;
      }
      // No cue before it: a number is a person's unless its sentence or line presents an agency's line.
      const [ss, se] = ctx.sentenceSpan(start);
      const sentence = text.slice(Math.max(ss, start - 200), Math.min(se, end + 120));
      // The paragraph before it too: a contact block puts the title on the line above the number.
      const para = text.slice(Math.max(0, start - 200), start);
      const line = para.slice(para.lastIndexOf('\n\n') + 1);
      if (lastIndexOf(AGENCY_CUE_RE, sentence) >= 0 || lastIndexOf(AGENCY_CUE_RE, line) >= 0 || AGENCY_EXTRA_RE.test(sentence)) return agencyLine();
      // ... and it speaks of one person of the case, not to an audience ("parents can dial ...", "families may call ...").
      // A directory: a list line or table row labelled with a place or an office, not a person ("- Tulsa: 918-555-0101").
      // (Round fifteen: a label that only says "phone" names no office: "phone: 1-828-497-0063 (Cherokee NC) - mom wants ...".)
      if (placed !== undefined && (AGENCY_ROW_RE.test(placed.header) || (placed.rowLabel.trim() !== '' && !personLabel(placed.rowLabel) && !PHONE_ONLY_LABEL_RE.test(placed.rowLabel)))) return agencyLine();
      // Any phone-shaped number not marked as an agency's is a finding: a sentence about one person of the case
      // always; any other sentence unless it offers the number to an audience.
      if (!ONE_PERSON_RE.test(sentence) && AUDIENCE_RE.test(sentence)) return agencyLine();
      if ((bare || sevenDigit) && !PHONE_WORD_RE.test(sentence)) return;
      out.push(candidate('phone', start, end, 'Phone number with nothing to say it is an agency line'));
    };
    const full: Array<[number, number]> = [];
    for (const m of matches(PHONE_RE, text)) {
      full.push([m.index, m.index + m[0].length]);
      const g = m.groups ?? {};
      const area = g.a1 ?? g.a2 ?? g.bare?.slice(0, 3) ?? '';
      if (TOLL_FREE.has(area) || area[0] === '0' || area[0] === '1') {
        ctx.clear(m.index, m.index + m[0].length);
        continue;
      }
      judge(m.index, m.index + m[0].length, !!g.bare, false);
    }
    for (const m of matches(SPOKEN_RE, text)) {
      const before = ctx.before(m.index, 120);
      if (!PHONE_WORD_RE.test(before) || SSN_WORD_RE.test(before)) continue;
      // A phone number has 7 or 10 digits; nine read out are a Social Security number; "one eight hundred" a toll-free line.
      const count = m[0].split(/[\s,-]+/).filter(Boolean).length;
      if (count === 8 || count === 9 || /\b(?:eight|seven)\s+hundred[\s,]*$/i.test(before)) continue;
      out.push(candidate('phone', m.index, m.index + m[0].length, 'Phone number read out in words'));
    }
    // A number in another country's format ("+52 55 1234 5678", "+1 809 555 0143" is matched above): a relative abroad.
    for (const m of matches(INTERNATIONAL_RE, text)) {
      if (/^\+1\b/.test(m[0]) || m[0].replace(/\D/g, '').length < 9) continue;
      judge(m.index, m.index + m[0].length, false, false);
    }
    // Digits read out one by one, and numbers with a trunk or exit prefix: only with a phone word in the sentence.
    for (const re of [SPACED_DIGITS_RE, TRUNK_RE, FOREIGN_GROUPS_RE]) for (const m of matches(re, text)) judge(m.index, m.index + m[0].length, true, false);
    // "her cell phone number was 555 0134": seven digits with a space, only right after a phone word.
    for (const m of matches(SEVEN_SPACED_RE, text)) {
      const at = m.index + m[0].length - (m.groups?.val ?? '').length;
      judge(at, m.index + m[0].length, false, true);
    }
    let f = 0;
    for (const m of matches(SEVEN_RE, text)) {
      while (f < full.length && full[f][1] <= m.index) f++;
      if ((f < full.length && full[f][0] <= m.index) || /\d[\s.-]?$/.test(text.slice(Math.max(0, m.index - 2), m.index))) continue;
      judge(m.index, m.index + m[0].length, false, true);
    }
    return out;
  },
};
