/**
 * email: a personal mailbox — any address at a consumer provider, or an address whose local part
 * names or looks like an individual. Not findings: an agency's role mailboxes (safety@, intake@,
 * icwa.unit@, incident@, cfr-data@: every part an ordinary word or a short acronym), the issuing
 * agency's own published contacts, and a staff member's work mailbox given as the notice's contact
 * ("Questions: contact m.ortiz@dcs.example.gov", a signature line with a title) unless the
 * sentence ties that person to the case.
 */
import { Candidate, candidate, DeidDetector, matches } from '../detector';
import { isEnglishWord } from '../lexicon/dictionary';
import { isGivenName, isSurname, PUBLIC_TITLES, PUBLIC_TITLES_NOT_BEFORE } from '../lexicon/name-lexicon';
import { CONSUMER_MAIL_DOMAINS, ROLE_MAILBOX_WORDS } from '../lexicon/words';
import { ScanContext } from '../text-context';

const SPELLED_RE = /\b[A-Za-z0-9][\w.+-]{1,40}\s?(?:\[at\]|\(at\)|\sat\s)\s?(?:gmail|yahoo|hotmail|outlook|icloud|aol|proton(?:mail)?|ymail|live|msn|me)\s?(?:\[dot\]|\(dot\)|\sdot\s|\.)\s?(?:com|net|me)\b/gi;
/** Round nine: an address with the "@" spaced out, as people type or OCR reads it ("dana.k @ gmial.com"). */
const SPACED_AT_RE = /(?<![\w.@-])[A-Za-z0-9][\w.+-]{1,40}\s?@\s(?<domain>[A-Za-z0-9-]{2,30}(?:\s?\.\s?[A-Za-z]{2,6}){1,2})\b/g;
const CONTACT_CUE_RE =
  /\b(?:contact|contacts|questions?|inquiries|enquiries|for\s+more\s+information|more\s+info(?:rmation)?|rsvp|register|registration|send\s+(?:questions|comments|feedback|your|completed|the\s+completed|forms?|attestations?|acknowledg\w*)|e-?mail\s+(?:us|me|our)|write\s+to\s+us|reach\s+(?:us|me|our)|press|media|program\s+(?:manager|staff)|routing|submit|copy|cc|prepared\s+by|signed|sincerely|regards|preguntas|comun[íi]quese|m[áa]s\s+informaci[óo]n)\b/i;
/** The sentence ties the mailbox's owner to the case or family. */
const CASE_TIE_RE =
  /\b(?:case|family|families|family['’]s|household|child['’]s|infant['’]s|mother|father|parent|caregiver|relative|grandmother|grandfather|aunt|uncle|assigned|handled|investigated|investigator|carried|visited|visit\s+logs|messages|sent\s+from|wrote\s+from|used|personal|cell|home|private)\b/i;
/** Domains of governments, tribes, schools, hospitals and non-profits (and their example forms). */
const INSTITUTION_DOMAIN_RE = /(?:\.gov|\.us|\.edu|\.org|\.mil|\.nsn\.gov|\.gov\.[a-z]{2}|\.gob(?:\.[a-z]{2})?)$|\b(?:dhs|dcf|dcfs|dcs|cfs|dss|dfps|hhs|dhhs|doh|cps|state|county|co|city|tribe|tribal|nation|health|hospital|clinic|school|schools|district|court|courts|sheriff|police|agency|services)\b/;
const STAFF_TITLES = new Set([...PUBLIC_TITLES].filter((t) => !PUBLIC_TITLES_NOT_BEFORE.has(t)));

const LOCAL_CHAR = /[A-Za-z0-9._%+'-]/;
const DOMAIN_CHAR = /[A-Za-z0-9.-]/;
const DOMAIN_RE = /^[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}$/;

/** Word break over the role-mailbox words ("childsafety" = child + safety). Bounded: 16 per position. */
export function segmentsIntoRoleWords(s: string): boolean {
  const n = s.length;
  if (!n || n > 64) return false;
  const ok: boolean[] = new Array(n + 1).fill(false);
  ok[0] = true;
  for (let i = 1; i <= n; i++) {
    for (let j = Math.max(0, i - 16); j < i && !ok[i]; j++) if (ok[j] && ROLE_MAILBOX_WORDS.has(s.slice(j, i))) ok[i] = true;
  }
  return ok[n];
}

/** True for a role mailbox: every part of the local name is a role word or splits into role words. */
export function isRoleMailbox(local: string): boolean {
  const segs = local.toLowerCase().split(/[._+-]+/).filter((s) => s && !/^\d+$/.test(s));
  return segs.length > 0 && segs.every((s) => ROLE_MAILBOX_WORDS.has(s) || segmentsIntoRoleWords(s.replace(/\d+/g, '')));
}

/** A part that is an ordinary word or a short acronym, not a name: "incident", "cfr", "data", "safesleep". */
function wordPart(s: string): boolean {
  if (ROLE_MAILBOX_WORDS.has(s) || segmentsIntoRoleWords(s)) return true;
  const nlp = { lexicon: true, tagger: false };
  if (isGivenName(s, nlp) || isSurname(s, nlp)) return false;
  if (s.length <= 4 && /^[a-z]+$/.test(s) && !/[aeiouy]/.test(s)) return true; // cfr, dcs, cqi
  // Round twenty: an inflected word ("lessons.learned@") is a word too.
  return s.length >= 3 && (isEnglishWord(s) || (s.length >= 5 && [/ed$/, /d$/, /ing$/, /s$/].some((re) => re.test(s) && isEnglishWord(s.replace(re, '')))));
}

/** A short code that is no name: a unit's abbreviation with vowels ("icpc", "deid", "posc"). */
function shortCode(s: string): boolean {
  const nlp = { lexicon: true, tagger: false };
  return /^[a-z]{2,5}\d{0,2}$/.test(s) && !isGivenName(s, nlp) && !isSurname(s, nlp);
}

/**
 * Every part of the local name is a role word, an ordinary word or an acronym: an office's mailbox.
 * Short codes count too beside a word of four letters or more ("icpc.desk", "deid.help"), never alone.
 */
export function isWordMailbox(local: string): boolean {
  // Round twenty-four: words joined in camel case are words too ("CFS.SafetyLessons@").
  const segs = local.replace(/([a-z])([A-Z])/g, '$1.$2').toLowerCase().split(/[._+-]+/).filter((s) => s && !/^\d+$/.test(s));
  if (segs.length > 0 && segs.every(wordPart)) return true;
  return segs.length > 1 && segs.every((s) => wordPart(s) || shortCode(s)) && segs.some((s) => s.length >= 4 && wordPart(s));
}

/** A work mailbox given as the notice's contact: a contact cue or a staff title on its line, nothing tying it to the case. */
function staffContact(ctx: ScanContext, start: number, end: number): boolean {
  const text = ctx.text;
  // Round twenty: a signature block's title may stand a line or two above ("ICWA Program Manager, ...\nOffice: ... | jordan.whitehorse@...").
  const lineStart = [0, 1].reduce((at) => (at > 0 ? text.lastIndexOf('\n', at - 2) + 1 : 0), text.lastIndexOf('\n', start - 1) + 1);
  const nl = text.indexOf('\n', end);
  const lineEnd = nl < 0 ? Math.min(text.length, end + 100) : Math.min(nl, end + 100);
  const line = `${text.slice(Math.max(lineStart, start - 200), start)} ${text.slice(end, Math.max(end, lineEnd))}`;
  const sentence = `${ctx.before(start, 200)} ${ctx.after(end, 100)}`;
  if (CASE_TIE_RE.test(sentence)) return false;
  if (CONTACT_CUE_RE.test(sentence) || CONTACT_CUE_RE.test(line)) return true;
  return line.toLowerCase().split(/[^a-z-]+/).some((w) => STAFF_TITLES.has(w));
}

/** The local part is a unit's acronym written in capitals elsewhere in the text ("| ICPC | icpc@dcs.example.gov |"). */
function unitAcronym(text: string, local: string): boolean {
  if (!/^[a-z]{2,8}$/i.test(local)) return false;
  const upper = local.toUpperCase();
  for (let k = text.indexOf(upper); k >= 0; k = text.indexOf(upper, k + 1)) {
    if (!/[A-Za-z]/.test(text[k - 1] ?? '') && !/[A-Za-z]/.test(text[k + upper.length] ?? '')) return true;
  }
  return false;
}

const TEMPLATE_LOCAL_RE = /^(?:(?:first|given)(?:[._-]?name)?|f(?:irst)?name|fname|first[._-]?initial|[a-z]|john|jane)[._-]?(?:(?:last|family|sur)(?:[._-]?name)?|lname|doe|roe)$|^(?:user(?:name)?|your[._-]?name|name|someone|nobody)$/i;

export const emailDetector: DeidDetector = {
  kind: 'email',
  detect(ctx: ScanContext): Candidate[] {
    const text = ctx.text;
    const out: Candidate[] = [];
    for (let at = text.indexOf('@'); at >= 0; at = text.indexOf('@', at + 1)) {
      let a = at;
      while (a > 0 && at - a < 64 && LOCAL_CHAR.test(text[a - 1])) a--;
      let b = at + 1;
      while (b < text.length && b - at < 254 && DOMAIN_CHAR.test(text[b])) b++;
      while (b > at + 1 && (text[b - 1] === '.' || text[b - 1] === '-')) b--;
      while (a < at && (text[a] === '.' || text[a] === "'")) a++;
      const local = text.slice(a, at);
      const domain = text.slice(at + 1, b).toLowerCase();
      if (!local || !DOMAIN_RE.test(domain)) continue;
      // The agency's own, a role or office mailbox, a staff contact: cleared, so the token model never re-adds it.
      const office = (): void => ctx.clear(a, b);
      // Round six: a template or a placeholder ("firstname.lastname@...", "jdoe@...", "user@...") names nobody.
      if (TEMPLATE_LOCAL_RE.test(local)) {
        office();
        continue;
      }
      if (ctx.publicValues.emails.has(`${local.toLowerCase()}@${domain}`)) {
        office();
        continue;
      }
      if (CONSUMER_MAIL_DOMAINS.has(domain)) {
        out.push(candidate('email', a, b, `Personal email address (consumer mail provider '${domain}')`));
        continue;
      }
      // Words and staff names are an office's only at an institution's domain ("mom.of.three@example.com" is a person's).
      if (isRoleMailbox(local) || (INSTITUTION_DOMAIN_RE.test(domain) && (isWordMailbox(local) || unitAcronym(text, local) || staffContact(ctx, a, b)))) {
        office();
        continue;
      }
      out.push(candidate('email', a, b, "Email address that looks like an individual's mailbox, not an agency role mailbox"));
    }
    // Written out to dodge filters: "maria.lopez82 at gmail dot com".
    for (const m of matches(SPELLED_RE, text)) out.push(candidate('email', m.index, m.index + m[0].length, 'Email address written out in words'));
    for (const m of matches(SPACED_AT_RE, text)) {
      const domain = (m.groups?.domain ?? '').replace(/\s/g, '').toLowerCase();
      if (!INSTITUTION_DOMAIN_RE.test(domain)) out.push(candidate('email', m.index, m.index + m[0].length, 'Email address with its @ spaced out'));
    }
    return out;
  },
};
