/**
 * initials: initials standing for a person tied to the case ("the child, J.M.", "infant A.R.",
 * "Mother (K.T.)", "T.J., 12", "C.D.-R."). Dotted initials are rare outside names, so every
 * pair is a finding unless it is a known abbreviation (U.S., D.C., P.O., a.m., M.D., J.D.) or part
 * of a written-out name ("J.M. Barrie" is left to the name detector's judgement of context).
 */
import { Candidate, candidate, DeidDetector, matches } from '../detector';
import { isEnglishWord } from '../lexicon/dictionary';
import { roleOf } from '../lexicon/name-lexicon';
import { MAIL_AND_TIME_ZONE_ABBREVIATIONS } from '../lexicon/words';
import { ScanContext } from '../text-context';

const DOTTED_RE = /(?<![\p{L}\d.])(?:[A-Z]\.\s?){1,3}[A-Z]\.(?:-[A-Z]\.){0,2}(?![\p{L}\d])/gu;
const KNOWN_ABBREVIATIONS = new Set(
  `U.S. U.S.A. D.C. P.O. A.M. P.M. M.D. D.O. R.N. N.P. P.A. J.D. B.A. B.S. M.A. M.S. M.S.W. L.C.S.W. L.P.C. L.M.F.T. PH.D. ED.D. D.D.S. U.K. E.U. A.D. B.C. I.E. E.G. N.B. P.S. R.I.P. S.O.S. C.P.R. T.V. U.N. O.K. A.K.A. E.T.A. N.A. N.E. N.W. S.E. S.W. D.A. G.E.D. M.E. R.S.V.P. F.B.I. C.I.A. D.O.B. S.S.N. U.S.C. C.F.R. A.A.P. C.D.C. W.I.C. H.S. J.R. S.R.`.split(' '),
);
/** Undotted initials right after a word that points at a person ("infant JM", "mother KT"). */
const UNDOTTED_RE = /\b(?:initials|child|infant|baby|toddler|boy|girl|youth|teen|minor|victim|decedent|sibling|mother|father|parent|caregiver|boyfriend|girlfriend|paramour|grandmother|grandfather|aunt|uncle|perpetrator|suspect)\s{1,2}(?:\(\s?)?(?<val>[A-Z]{2,3})(?:\s?\))?(?=[\s,.;:)]|$)/g;
const ROLE_WORDS = `child infant baby toddler boy girl youth teen minor victim decedent sibling brother sister son daughter mother father mom dad parent caregiver boyfriend girlfriend paramour grandmother grandfather aunt uncle cousin perpetrator suspect subject client patient student niño niña menor bebé madre padre abuela abuelo hijo hija hermano hermana tía tío`;
/** Role words in either case of their first letter (the initials after them must be capitals, so no 'i' flag). */
const ROLE = `(?:${ROLE_WORDS.split(' ').map((w) => `[${w[0].toUpperCase()}${w[0]}]${w.slice(1)}`).join('|')}|Baby\\sBoy|Baby\\sGirl)`;
/** One initial, or initials without the last dot, right after a role: "the mother, K., said", "Baby Boy R.", "infant J.M". */
const ROLE_INITIAL_RE = new RegExp(String.raw`\b${ROLE}(?:\s{1,2}|,\s{0,2}|\s{0,2}\(\s{0,2})(?<val>[A-Z]\.(?:[A-Z]\.?)?)(?=[\s,;:)]|$)`, 'gu');
/** Either case of role words, and plural ones, for the looser patterns below. */
const ANY_ROLE = `(?:${ROLE}|[Ss]iblings|[Cc]hildren|[Kk]ids|[Tt]wins|[Bb]rothers|[Ss]isters|[Hh]ermanos|[Hh]ermanas|[Nn]i[ñn]os)`;
/** Undotted initials after a role in either case, and lists of them: "Child JM", "siblings JM and KT", "mother of JM". */
const ROLE_UNDOTTED_RE = new RegExp(String.raw`\b${ANY_ROLE}(?:\s{1,2}of)?\s{1,2}(?<val>[A-Z]{2,3})(?:\s{1,2}(?:and|y|&)\s{1,2}(?<val2>[A-Z]{2,3}))?(?=[\s,.;:)'’]|$)`, 'gu');
/** Initials with an age after them in any common writing: "JM, age 4", "KT 3yo", "R.L. (4 yrs)", "JM - 6 mos". */
const AGE_AFTER_RE =
  /(?<![\p{L}\d.])(?<val>[A-Z]{2,3}|(?:[A-Za-z]\.\s?){1,2}[A-Za-z]\.?)(?=,?\s{0,2}[-–(]?\s{0,2}(?:(?:age|aged|edad)\s{0,2}\d{1,2}\b|\d{1,2}\s{0,2}(?:mos?|months?|yrs?|years?|y\/o|yo|wks?|weeks?|años|meses)\b|\d{1,2}-(?:year|month|week)-old\b))/gu;
/** Label lines and age appositions: "Child: JM", "JM, 4,", "JM (age 3)". */
const LABELLED_RE = new RegExp(String.raw`(?:\b${ROLE}\s{0,2}[:|]\s{0,2}(?<a>[A-Z]{2,3})\b|(?<![\p{L}.])(?<b>[A-Z]{2,3})(?=,\s{0,2}\d{1,2}(?:\s{0,2}(?:mos?|months?|yrs?|years?|y\/o))?[,)]|\s{0,2}\((?:age\s)?\d{1,2}\b))`, 'gu');
const ACTING_RE =
  /(?<![\p{L}\d.-])(?<val>[A-Z]{2})(?:['’]s\s+(?:mother|father|mom|dad|grandmother|grandfather|aunt|uncle|sister|brother|sibling|crib|bed|body|home|caregiver)|\s+(?:was\s+(?:found|left|placed|removed|born|taken|seen|alone|asleep|unresponsive|\p{Ll}{2,12}ing)|had\s+been|(?:did|does|would)\s+not|told|disclosed|denied|reported|stated|cried|died|drowned|crawled|fell|swallowed|ingested|woke|refused|said\s+(?:she|he)))\b/gu;
/** One initial for a family or a newborn: "the T. family", "the O'D. kids" (round eighteen: a surname's prefix kept), "the R household", "baby girl R", "Baby Boy M". */
const FAMILY_INITIAL_RE = /\b(?:[Tt]he\s(?<fam>(?:O['’]|Mc|Mac|D['’])?[A-Z])\.?\s(?:family(?!\s+of\b)|household|home|kids|children|boys|girls|twins|siblings|parents|couple)|[Bb]aby\s(?:[Gg]irl|[Bb]oy)\s(?<baby>[A-Z])\.?)(?=[\s,.;:)'’]|$)/g;
/** A title and one initial: "Mr. K. and the gun safe" (not "Mr. K. Dorsey"). */
const TITLE_INITIAL_RE = /\b(?:Mr|Mrs|Ms|Mx|Miss|Sr|Sra)\.?\s{1,2}(?<val>[A-Z]\.)(?=[\s,;:)]|$)/g;
/** Lower-case dotted initials after a role: "infant a.r.", "mother k.t." (not "a.m.", "e.g."). */
const LOWER_ROLE_RE = new RegExp(String.raw`\b${ANY_ROLE}(?:\s{1,2}|\s{0,2}\(\s{0,2})(?<val>[a-z]\.[a-z]\.(?:[a-z]\.)?)(?![\p{L}])`, 'gu');
const LOWER_NOT_INITIALS = new Set(['a.m.', 'p.m.', 'e.g.', 'i.e.', 'a.k.a.']);
/** The thing an abbreviation names, right after it ("T.B. test", "A.A. meetings"): not a person. */
const ABBREVIATED_THING_AFTER_RE =
  /^(?:\s(?:and|or|&)\s(?:[A-Z]\.){2,4})?\s(?:tests?|testing|screenings?|shots?|skin\s+tests?|vaccines?|meetings?|groups?|sponsors?|programs?|classes|class|clinics?|codes?|rules?|forms?|standards?|guidelines?|requirements?|funds?|funding|grants?|annotations?|citations?|regulations?|certifications?|degrees?|credits?|hours)\b/;
/** Round fourteen: initials in lower case, then the person's age ("re: m.g. - she's 14", "j.r., 6 yo"). */
const LOWER_AGE_RE = /(?<![\p{L}\d.])(?<val>[a-z]\.[a-z]\.(?:[a-z]\.)?)(?=[\s,:;()-]{1,6}(?:(?:she|he)['’]?s\s+(?:only\s+)?\d{1,2}\b|(?:age\s+)?\d{1,2}\s?(?:yo|y\/o|yrs?|years?\s+old|months?\s+old|mos?)\b|age\s+\d{1,2}\b))/gu;
/** Initials joined by a slash or hyphen, then an age: "J/R, 7", "LM-J (age 11)". */
const JOINED_AGE_RE = /(?<![\p{L}\d\/-])(?<val>[A-Z]{1,2}[\/-][A-Z]{1,2})(?=,?\s{0,2}\(?(?:age\s{0,2})?\d{1,2}\b)/gu;
const JOINED_NOT_INITIALS = new Set(['N/A', 'A/C', 'I/O', 'W/O', 'C/O', 'P/U', 'D/C', 'AM/PM', 'S/P', 'H/O']);
const NOT_INITIALS = new Set(`US UK EU UN AM PM TV ID OK NO ER ED PD DA MD RN NP PA PT OT ME SO HQ IT HR QA AI GA AL AK AZ AR CA CO CT DE FL HI IA IL IN KS KY LA MA MI MN MO MS MT NC ND NE NH NJ NM NV NY OH OR PR RI SC SD TN TX UT VA VT WA WI WV WY DC LPN LVN CNA EMT`.split(' ').concat([...MAIL_AND_TIME_ZONE_ABBREVIATIONS].map((w) => w.toUpperCase())));
const ACRONYM_AFTER = new Set(['CPS', 'DCS', 'DCF', 'ICU', 'NICU', 'PICU', 'ER', 'ED', 'EMS', 'ID', 'SSN', 'DOB', 'TPR', 'ICWA', 'SUID', 'SIDS', 'CAC', 'GAL', 'CASA', 'IEP', 'WIC', 'SNAP', 'TANF', 'MD', 'RN', 'US', 'AM', 'PM']);

function acronymOfWordsBefore(letters: string, before: string): boolean {
  const words = before.replace(/[()[\],:;]/g, ' ').split(/\s+/).filter((w) => /^\p{L}/u.test(w) && !/^(?:of|the|and|for|in|on|to|a|an|&)$/i.test(w));
  const tail = words.slice(-letters.length).map((w) => w[0].toUpperCase()).join('');
  return tail === letters;
}

/** Round nine: a placeholder's number or letter may come between the role and the parentheses ("Child 1 (M.A.)", "Sibling B (KT)"). */
const ROLE_PAREN_RE = /(?<![\p{L}])(?<role>\p{L}[\p{L}-]{1,20})(?<ph>\s(?:#?\d{1,2}|[A-Z]))?\s\((?<val>[A-Z]{2,3}|[A-Z]\.(?:\s?[A-Z]\.){1,2})\)/gu;
/** Round nine: a list of initials after a group of children ("sibling group MJ, TJ and KJ", "the twins AR and AL"). */
const GROUP_LIST_RE = /\b(?:[Ss]iblings?(?:\s+group)?|[Cc]hildren|[Kk]ids|[Bb]rothers|[Ss]isters|[Tt]wins|[Tt]riplets|[Bb]oys|[Gg]irls|[Mm]inors|[Yy]ouths)\s{1,2}(?<list>[A-Z]{2,3}(?:(?:\s?,\s{0,2}|\s{1,2}(?:and|&|y)\s{1,2}|,\s{1,2}and\s{1,2})[A-Z]{2,3}){1,6})(?=\s?(?:[,.;:)]|$)|\s(?:will|were|was|are|is|had|have|has|who|to|in|at|all|both|remain|live|lived|went|need|needs|stay|stayed)\b)/gu;
function personRoleWord(w: string): boolean {
  const role = roleOf(w.toLowerCase());
  return role !== undefined && role !== 'professional';
}

export const initialsDetector: DeidDetector = {
  kind: 'initials',
  detect(ctx: ScanContext): Candidate[] {
    const text = ctx.text;
    const out: Candidate[] = [];
    for (const m of matches(DOTTED_RE, text)) {
      const compact = m[0].replace(/\s/g, '').toUpperCase();
      // Round fourteen: "A.R.P.A. (American Rescue Plan Act)": the acronym of the words in parentheses after it;
      // "a T.B. test", "N.A. and A.A. meetings": an abbreviation before the thing it names.
      const after = text.slice(m.index + m[0].length, m.index + m[0].length + 80);
      const expansion = /^\s?\(([^)]{3,70})\)/.exec(after);
      // Cleared, so that the token model may not re-add them.
      if ((expansion && acronymOfWordsBefore(compact.replace(/[.-]/g, ''), expansion[1])) || ABBREVIATED_THING_AFTER_RE.test(after)) {
        ctx.clear(m.index, m.index + m[0].length);
        continue;
      }
      if (KNOWN_ABBREVIATIONS.has(compact) || NOT_INITIALS.has(compact.replace(/[.-]/g, ''))) continue;
      // Four letters ("A.M.R.G.", two given names and two surnames) only as a person's: not a word ("C.A.R.E.") nor a programme's name before a noun ("the J.D.A.I. workgroup").
      const letters = compact.replace(/[.-]/g, '');
      if (letters.length >= 4 && (isEnglishWord(letters.toLowerCase()) || /^\s[a-z]/.test(text.slice(m.index + m[0].length, m.index + m[0].length + 2)))) continue;
      // "(S.K.C.)" after "Safe Kids coalition": the acronym of the words before it.
      if (acronymOfWordsBefore(compact.replace(/[.-]/g, ''), text.slice(Math.max(0, m.index - 80), m.index))) continue;
      // "K.S.A. 38-2226", "s. 39.301(14)(b), F.S.": a statute citation, the code's initials before or after its section.
      if (/^\s?§?\s?\d/.test(text.slice(m.index + m[0].length, m.index + m[0].length + 4))) continue;
      if (/(?:\d[.:-]\d[\w.():-]*|\(\w{1,4}\)),\s?$/.test(text.slice(Math.max(0, m.index - 30), m.index))) continue;
      // A capitalised word after the initials makes them part of a written-out name ("J.M. Barrie").
      const next = /^\s([A-Z][a-z]+)/.exec(text.slice(m.index + m[0].length, m.index + m[0].length + 30));
      if (next && !/^(?:and|or|was|is|had|has|the)$/i.test(next[1])) continue;
      out.push(candidate('initials', m.index, m.index + m[0].length, 'Initials that stand for a person tied to the case'));
    }
    for (const m of matches(ROLE_INITIAL_RE, text)) {
      const val = m.groups?.val ?? '';
      if (/\bIn\s+re\s+$/.test(text.slice(Math.max(0, m.index - 8), m.index))) continue; // "In re Baby Girl P.": a reported case
      const at = m.index + m[0].length - val.length;
      out.push(candidate('initials', at, at + val.length, 'Initial standing for a person tied to the case'));
    }
    for (const m of matches(LABELLED_RE, text)) {
      const val = m.groups?.a ?? m.groups?.b ?? '';
      if (ACRONYM_AFTER.has(val) || NOT_INITIALS.has(val.replace(/\./g, ''))) continue;
      const at = m.index + m[0].length - val.length - (m.groups?.b ? 0 : 0);
      const start = m.groups?.b !== undefined ? m.index : at;
      out.push(candidate('initials', start, start + val.length, 'Initials standing for a person tied to the case'));
    }
    // Round six: "Mother (KT) admitted ...", "the boyfriend (J.R.)": initials in parentheses right after a role of the case.
    for (const m of matches(ROLE_PAREN_RE, text)) {
      const val = m.groups?.val ?? '';
      // A dotted abbreviation ("M.A.", "D.A.") in parentheses right after a numbered placeholder is a person's initials.
      const known = KNOWN_ABBREVIATIONS.has(val.replace(/\s/g, '').toUpperCase()) && !(m.groups?.ph && val.includes('.'));
      if (!personRoleWord(m.groups?.role ?? '') || known || ACRONYM_AFTER.has(val)) continue;
      const at = m.index + m[0].length - val.length - 1;
      out.push(candidate('initials', at, at + val.length, 'Initials in parentheses after a role of the case'));
    }
    for (const m of matches(GROUP_LIST_RE, text)) {
      const list = m.groups?.list ?? '';
      const from = m.index + m[0].length - list.length;
      const items = [...matches(/[A-Z]{2,3}/g, list)].filter((v) => !ACRONYM_AFTER.has(v[0]) && !NOT_INITIALS.has(v[0]) && !KNOWN_ABBREVIATIONS.has(v[0]));
      if (items.length < 2) continue; // "kids TV and PE time", "boys CPR and AED classes": acronyms, not children
      for (const v of items) out.push(candidate('initials', from + v.index, from + v.index + v[0].length, 'Initials in a list of children'));
    }
    for (const m of matches(ROLE_UNDOTTED_RE, text)) {
      for (const val of [m.groups?.val, m.groups?.val2]) {
        if (!val || ACRONYM_AFTER.has(val) || NOT_INITIALS.has(val.replace(/\./g, ''))) continue;
        const at = m.index + m[0].lastIndexOf(val);
        out.push(candidate('initials', at, at + val.length, 'Initials standing for a person tied to the case'));
      }
    }
    for (const m of matches(AGE_AFTER_RE, text)) {
      const val = m.groups?.val ?? '';
      const compact = val.replace(/\s/g, '').toUpperCase();
      // "A.M., 19 months" is a child; "9 A.M." is a time.
      const initialsLikeTime = /^[AP]\.M\.$/.test(compact) && !/\d\s?$/.test(text.slice(Math.max(0, m.index - 3), m.index));
      if (ACRONYM_AFTER.has(compact) || NOT_INITIALS.has(compact) || (KNOWN_ABBREVIATIONS.has(compact) && !initialsLikeTime) || /^(?:FY|SFY|FFY|HB|SB|GA|LD|AB)$/.test(compact)) continue;
      if (!/[A-Z]/.test(val[0])) continue;
      out.push(candidate('initials', m.index, m.index + val.length, 'Initials followed by an age'));
    }
    // "JM was found", "RP's mother": two capitals acting as a person.
    for (const m of matches(ACTING_RE, text)) {
      const val = m.groups?.val ?? '';
      if (ACRONYM_AFTER.has(val) || NOT_INITIALS.has(val.replace(/\./g, ''))) continue;
      out.push(candidate('initials', m.index, m.index + val.length, 'Initials standing for a person tied to the case'));
    }
    for (const m of matches(FAMILY_INITIAL_RE, text)) {
      const val = m.groups?.fam ?? m.groups?.baby ?? '';
      // The letter follows "the " at the start, or ends the match (before its dot) after "baby girl".
      const at = m.groups?.fam ? m.index + 'the '.length : m.index + m[0].length - (m[0].endsWith('.') ? 2 : 1);
      if (/^[A-Z]\.?\s[A-Z][a-z]/.test(text.slice(at, at + 4))) continue; // "Baby Girl R. Alvarez": a written-out name
      if (/\bIn\s+re\s+$/.test(text.slice(Math.max(0, m.index - 8), m.index))) continue; // "In re Baby Girl P.": a reported case
      // Strength 4: the phrase says it stands for a family or a newborn, whatever the token model reads.
      out.push(candidate('initials', at, at + val.length, 'An initial standing for a family or a child', 4));
    }
    for (const m of matches(TITLE_INITIAL_RE, text)) {
      const val = m.groups!.val;
      const at = m.index + m[0].length - val.length;
      if (/^\s[A-Z][a-z]/.test(text.slice(at + val.length, at + val.length + 3))) continue; // "Mr. K. Dorsey": a written-out name
      out.push(candidate('initials', m.index, at + val.length, 'A title and an initial standing for a person tied to the case'));
    }
    for (const m of matches(LOWER_ROLE_RE, text)) {
      const val = m.groups!.val;
      if (LOWER_NOT_INITIALS.has(val)) continue;
      const at = m.index + m[0].length - val.length;
      out.push(candidate('initials', at, at + val.length, 'Initials in lower case after a role'));
    }
    for (const m of matches(LOWER_AGE_RE, text)) {
      const val = m.groups!.val;
      if (LOWER_NOT_INITIALS.has(val)) continue;
      out.push(candidate('initials', m.index, m.index + val.length, 'Initials in lower case followed by an age'));
    }
    for (const m of matches(JOINED_AGE_RE, text)) {
      const val = m.groups!.val;
      if (JOINED_NOT_INITIALS.has(val)) continue;
      out.push(candidate('initials', m.index, m.index + val.length, 'Initials followed by an age'));
    }
    for (const m of matches(UNDOTTED_RE, text)) {
      const val = m.groups?.val ?? '';
      if (ACRONYM_AFTER.has(val)) continue;
      const at = m.index + m[0].lastIndexOf(val);
      out.push(candidate('initials', at, at + val.length, 'Initials that stand for a person tied to the case'));
    }
    return out;
  },
};
