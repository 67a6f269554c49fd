/**
 * Names written in shapes the token rules of personal-name.detector.ts do not read: in capitals
 * ("MOTHER: ROSA GOMEZ", "REPORT ON JAYDEN MORALES"), and in lower case after a role or a verb done
 * to a person ("grandma lupe", "called mariela"). Each rule needs a lexicon's word for a given name,
 * or a word that is no English word, so capitals and lower case alone never make a name.
 */
import { candidate, Candidate, matches } from '../detector';
import { isEnglishWord } from '../lexicon/dictionary';
import { isGivenName, isPlaceWord, isStrongGivenName, isSurname, PRODUCT_BRAND_WORDS, roleOf } from '../lexicon/name-lexicon';
import { COMMON_WORDS, CONSUMER_MAIL_DOMAINS, ORG_SUFFIX_WORDS, PLACE_WORDS } from '../lexicon/words';
import { fold, ScanContext } from '../text-context';

const CAP_WORD = String.raw`[A-ZÁÉÍÓÚÑ][A-ZÁÉÍÓÚÑ'’-]{1,20}`;
/** A role label in any case, then a run of words in capitals: "MOTHER: ROSA GOMEZ", "Child - XOCHITL". */
const CAPS_LABEL_RE = new RegExp(String.raw`(?<![\p{L}])(?<role>\p{L}[\p{L}-]{1,20})\s{0,2}[:|\-–—]\s{0,3}(?<name>${CAP_WORD}(?:\s${CAP_WORD}){0,2})(?![\p{L}])`, 'gu');
/** Two words in capitals: a given name, then a surname or a word that is no English word. */
const CAPS_PAIR_RE = new RegExp(String.raw`(?<![\p{L}'’-])(?<first>${CAP_WORD})(?=\s(?<last>${CAP_WORD})(?![\p{L}'’-]))`, 'gu');
const HYPHENATED_GIVEN_RE = /(?<![\p{L}'’-])\p{Lu}\p{Ll}{2,12}-\p{Lu}\p{Ll}{2,12}(?![\p{L}'’-])/gu;
const CAPS_CASE_RE = new RegExp(String.raw`\b[Tt]he\s(?<name>${CAP_WORD})\s(?:incident|case|family|placement|children|kids|siblings|household|home|referral)\b`, 'gu');
/** Round twenty-two: a surname naming a case, in title case ("lessons from the Tsinajinnie infant death"). */
const SURNAME_CASE_RE = /\b[Tt]he\s(?<name>\p{Lu}\p{Ll}{3,20})\s(?:infant|baby|child|toddler|twins|children|kids|family|boy|girl)(?:['’]s)?\s(?:death|deaths|case|fire|drowning|fatality|near-fatality|incident|removal|placement|review)\b/gu;
/** Round twenty-four: a family called by its surname and a group word ("the Skidmore bunch"). */
const FAMILY_GROUP_RE = /\b[Tt]he\s(?<name>\p{Lu}\p{Ll}{3,20})\s(?:bunch|clan|boys|girls|young['’]?uns|younguns)\b/gu;
const CAPS_POSSESSIVE_RE = new RegExp(
  String.raw`(?<![\p{L}'’-])(?<name>${CAP_WORD.replace("'’-", '-')})['’][sS]\s(?:(?:foster|step|birth|bio|maternal|paternal|great)[\s-])?(?:mom|mother|mama|dad|father|papa|parents?|grand\w+|aunt|uncle|sister|brother|cousin|caseworker|worker|teacher|nurse|therapist|caregiver|foster)\b`,
  'giu',
);
/** A lower-case word after a role or a verb done to a person, or in parentheses after a role: "grandma lupe", "called mariela", "dad (marcos)". */
const LOWER_AFTER_RE = /(?<![\p{L}])(?<lead>[a-z][a-z-]{1,20})(?=\s(?<paren>\()?(?<name>[a-zñáéíóú][a-zñáéíóú'’-]{2,20})(?![\p{L}]))/gu;
const OBJECT_VERBS = new Set(`called told with named visited texted messaged found left asked fed held its im`.split(' '));
/** A Spanish title in lower case, as Spanish writes it: "la señora Gutiérrez", "doña Chela". */
const SPANISH_TITLE_RE = /(?<![\p{L}])(?:se[ñn]ora|se[ñn]or|se[ñn]orita|sra\.|sr\.|srta\.|do[ñn]a|don)\s(?<name>\p{Lu}[\p{L}'’-]{1,24}(?:\s\p{Lu}[\p{L}'’-]{1,24}){0,2})/gu;
/** Spoken to or with: "spoke w/ Dre", "talked to Lakisha", "f/u w/ Shawna". */
const SPOKE_TO_RE = /(?:\b(?:[Ss]poke|[Tt]alked|[Ss]peak|[Tt]alk|[Ss]poken|[Tt]alking|[Ss]peaking|[Mm]et|[Mm]eet|[Ww]rote|[Ss]ent|[Gg]ave|[Hh]anded|[Ee]xplained|[Rr]eached|[Ff]\/u|[Ff]ollowed\s+up)\s(?:to|with|w\/)\s?|(?<![\p{L}\/])w\/\s?)(?<name>\p{Lu}[\p{L}'’-]{1,24})/gu;
/** A label, a colon, and two to four capitalised words that are neither English words nor places: "Cha: Lê Văn Hùng". */
const LABEL_RUN_RE = /(?<![\p{L}])(?<label>\p{L}[\p{L}]{0,20}(?:\s\p{L}[\p{L}]{0,20})?)\s?:\s{1,2}(?<name>\p{Lu}[\p{L}'’-]{0,24}(?:\s\p{Lu}[\p{L}'’-]{0,24}){1,3})(?![\p{L}'’-])/gu;
/** Labels whose value is the notice's own people or a place, not a person of the case. */
const PUBLIC_LABEL_RE = /(?:^|\s)(?:approved|issued|asunto|tema|programa|lugar|sitio|oficina|condado|ciudad|estado|regi[óo]n|contacto|para|de|topic|title|theme|contact|contacts|presenter|presenters|speaker|speakers|from|to|cc|bcc|author|authors|by|prepared\s+by|approved\s+by|reviewer|reviewed\s+by|signed|signature|facilitator|trainer|host|moderator|director|manager|supervisor|attn|attention|questions|location|place|venue|site|county|city|state|region|office|program|agency|tribe|nation|school|hospital|re|subject)$/i;
/** A title after the name: "Keisha Broussard, Regional Safety Liaison". */
const TITLE_AFTER_RE = /^,\s{0,2}(?:[\p{L}-]+\s){0,4}?(?:liaison|director|manager|secretary|specialist|coordinator|supervisor|administrator|commissioner|chief|officer|analyst|advocate|trainer|lead|chair|president|deputy|assistant|msw|lcsw|phd|md|rn|esq)\b/iu;
/** Vietnamese and other letters Spanish and English do not use: a name run written in them is no English phrase. */
const FOREIGN_LETTER_RE = /[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/i;
/** A display name before a personal mailbox: "From: Brandi Kowalski <bk1988@gmail.com>". */
const NAME_BEFORE_MAILBOX_RE = /(?<![\p{L}])(?<name>\p{Lu}[\p{L}'’-]{1,24}(?:\s\p{Lu}[\p{L}'’.-]{0,24}){0,3})\s{0,2}<[\w.+'-]{1,64}@(?<domain>[\w.-]{3,100})>/gu;

/** Round six: "REYES, ANGELICA (mother)", "Keel, Tamara (maternal aunt)": surname, comma, given name, then a role of the case. */
const SURNAME_FIRST_ROLE_RE = /(?<![\p{L}'’-])(?<name>\p{Lu}[\p{L}'’-]{1,20},\s{1,2}(?<given>\p{Lu}[\p{L}'’-]{1,20}))\s{0,2}\((?:[a-z]+\s)?(?<role>\p{L}[\p{L}-]{1,20})/gu;

function nameWord(lw: string, ctx: ScanContext): boolean {
  return !COMMON_WORDS.has(lw) && !ORG_SUFFIX_WORDS.has(lw) && !PLACE_WORDS.has(lw) && !isPlaceWord(lw, ctx.nlp) && roleOf(lw) === undefined;
}

function personRole(lw: string): boolean {
  const role = roleOf(lw);
  return role !== undefined && role !== 'professional';
}

export function shapedNames(ctx: ScanContext): { candidates: Candidate[]; words: string[] } {
  const text = ctx.text;
  const nlp = ctx.nlp;
  const candidates: Candidate[] = [];
  const words: string[] = [];
  const add = (start: number, end: number, reason: string, strength = 3): void => {
    candidates.push(candidate('personal_name', start, end, reason, strength));
    for (const w of text.slice(start, end).split(/\s+/)) if (w.length >= 3) words.push(fold(w));
  };
  for (const m of matches(SURNAME_FIRST_ROLE_RE, text)) {
    const g = m.groups ?? {};
    const given = fold(g.given);
    if (!personRole(fold(g.role)) || !nameWord(given, ctx) || (!isGivenName(given, nlp) && isEnglishWord(given))) continue;
    add(m.index, m.index + g.name.length, `Looks like a surname and given name before the role '${g.role}'`);
  }
  for (const m of matches(CAPS_LABEL_RE, text)) {
    const g = m.groups ?? {};
    const lw = fold(g.name.split(/\s/)[0]);
    if (!personRole(fold(g.role)) || !nameWord(lw, ctx) || (!isGivenName(lw, nlp) && isEnglishWord(lw))) continue;
    const at = m.index + m[0].length - g.name.length;
    add(at, at + g.name.length, `Looks like a name in capitals after '${g.role}'`);
  }
  for (const m of matches(CAPS_PAIR_RE, text)) {
    const g = m.groups ?? {};
    const first = fold(g.first);
    const last = fold(g.last);
    if (!isStrongGivenName(first, nlp) || !nameWord(first, ctx) || !nameWord(last, ctx)) continue;
    const end = m.index + g.first.length + 1 + g.last.length;
    // Round fifteen: a pair that heads a line as its label ("DESHAWN PRICE: SAFE SLEEP EDUCATION REFUSED") is a name whatever the surname's word.
    const heading = /^\s{0,2}[:–—-]\s/.test(text.slice(end, end + 3)) && /(?:^|\n)[\s*#>-]*$/.test(text.slice(Math.max(0, m.index - 8), m.index));
    if (!heading && !isSurname(last, nlp) && (isEnglishWord(last) || isGivenName(last, nlp))) continue;
    add(m.index, end, `'${text.slice(m.index, end)}' looks like a name written in capitals`);
  }
  // Round seventeen: two given names joined by a hyphen ("Mary-Catherine was moved"), and a given name in capitals naming a case ("the DESHAWN incident").
  for (const m of matches(HYPHENATED_GIVEN_RE, text)) {
    const [a, b] = m[0].split('-').map(fold);
    if (!isStrongGivenName(a, nlp) || !isGivenName(b, nlp) || !nameWord(a, ctx) || !nameWord(b, ctx) || isEnglishWord(a)) continue;
    add(m.index, m.index + m[0].length, `'${m[0]}' looks like a double given name`);
  }
  for (const m of matches(CAPS_CASE_RE, text)) {
    const name = m.groups?.name ?? '';
    const lw = fold(name);
    if (!isStrongGivenName(lw, nlp) || !nameWord(lw, ctx) || isEnglishWord(lw)) continue;
    const at = m.index + m[0].indexOf(name);
    add(at, at + name.length, `'${name}' looks like a name written in capitals, naming a case`);
  }
  for (const m of [...matches(SURNAME_CASE_RE, text), ...matches(FAMILY_GROUP_RE, text)]) {
    const name = m.groups?.name ?? '';
    const lw = fold(name);
    // A place, an organisation or an ordinary word names a kind of case ("the Tulsa infant death", "the County case").
    if (isEnglishWord(lw) || isPlaceWord(lw, nlp) || PLACE_WORDS.has(lw) || ORG_SUFFIX_WORDS.has(lw) || !nameWord(lw, ctx)) continue;
    const at = m.index + m[0].indexOf(name);
    // Strength 4: the phrase says the word names one child's case, whatever the token model reads.
    add(at, at + name.length, `'${name}' names a case, as a family's name does`, 4);
  }
  // Round fifteen: a given name in capitals, then a relative or worker of theirs: "MARCUS's mom", "JAYLA'S FOSTER MOM".
  for (const m of matches(CAPS_POSSESSIVE_RE, text)) {
    const name = m.groups?.name ?? '';
    const lw = fold(name);
    if (!isStrongGivenName(lw, nlp) || !nameWord(lw, ctx) || isEnglishWord(lw)) continue;
    // Strength 4: the phrase says it is a person with a relative or a worker, whatever the token model reads of capitals.
    add(m.index, m.index + name.length, `'${name}' looks like a name written in capitals, before someone of theirs`, 4);
  }
  for (const m of matches(LOWER_AFTER_RE, text)) {
    const g = m.groups ?? {};
    const name = g.name;
    const at = m.index + g.lead.length + 1 + (g.paren ? 1 : 0);
    // In parentheses after a role, a word no lexicon knows is a name when its age follows: "kid (bentley, 2)" (not "dad (bio, 34)").
    const agedInParens = g.paren !== undefined && name.length >= 4 && personRole(g.lead) && /^\s?,\s?\d{1,2}\b/.test(text.slice(at + name.length, at + name.length + 6));
    if (!(personRole(g.lead) || (OBJECT_VERBS.has(g.lead) && !g.paren)) || !(isGivenName(name, nlp) || agedInParens) || isEnglishWord(name) || !nameWord(name, ctx)) continue;
    add(at, at + name.length, `'${name}' looks like a name written in lower case after '${g.lead}'`);
  }
  for (const m of matches(SPANISH_TITLE_RE, text)) {
    const name = m.groups?.name ?? '';
    if (!nameWord(fold(name.split(/\s/)[0]), ctx)) continue;
    const at = m.index + m[0].length - name.length;
    add(at, at + name.length, `'${name}' follows a Spanish title`);
  }
  for (const m of matches(SPOKE_TO_RE, text)) {
    const name = m.groups?.name ?? '';
    const lw = fold(name);
    if (!nameWord(lw, ctx) || (isEnglishWord(lw) && !isStrongGivenName(lw, nlp))) continue;
    const at = m.index + m[0].length - name.length;
    add(at, at + name.length, `'${name}' is someone a worker spoke with`);
  }
  for (const m of matches(LABEL_RUN_RE, text)) {
    const g = m.groups ?? {};
    if (PUBLIC_LABEL_RE.test(g.label)) continue;
    const ws = g.name.split(/\s/).map(fold);
    if (TITLE_AFTER_RE.test(text.slice(m.index + m[0].length, m.index + m[0].length + 60))) continue;
    if (!ws.every((w) => nameWord(w, ctx) && (!isEnglishWord(w) || FOREIGN_LETTER_RE.test(g.name)))) continue;
    // Round twenty-five: a brand after a label ("Anaphylaxis: EpiPen Jr 0.15 mg").
    if (ws.some((w) => PRODUCT_BRAND_WORDS.has(w))) continue;
    const at = m.index + m[0].length - g.name.length;
    add(at, at + g.name.length, `'${g.name}' after '${g.label}:' looks like a person's name`);
  }
  for (const m of matches(NAME_BEFORE_MAILBOX_RE, text)) {
    const g = m.groups ?? {};
    if (!CONSUMER_MAIL_DOMAINS.has(g.domain.toLowerCase())) continue;
    add(m.index, m.index + g.name.length, `'${g.name}' is the name shown with a personal mailbox`);
  }
  return { candidates, words };
}
