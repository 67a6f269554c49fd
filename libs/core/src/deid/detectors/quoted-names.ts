/**
 * Names the author sets apart with punctuation instead of a capitalised run in a sentence: a
 * nickname in quotes after a word of naming ("goes by 'Peanut'", "known as \"Bubba\"", "identified
 * only as 'T.'"), and a name in parentheses after a role or a placeholder ("Child A (Keaton)", "the
 * infant (Keaton)"). The quotes or the parentheses, with the naming word or the role before them,
 * are the evidence: the word inside may be an ordinary English word.
 */
import { candidate, Candidate, matches } from '../detector';
import { isEnglishWord } from '../lexicon/dictionary';
import { isGivenName, isPlaceWord, isSurname, PRODUCT_NOUNS, roleOf } from '../lexicon/name-lexicon';
import { GROUP_WORDS, ORG_SUFFIX_WORDS } from '../lexicon/words';
import { fold, ScanContext } from '../text-context';

const QUOTE_OPEN = `['"‘“]`;
const QUOTE_CLOSE = `['"’”]`;
/** A word of naming, then one to three capitalised words or initials in quotes. */
const NICKNAME_RE = new RegExp(
  String.raw`\b(?:go(?:es)?\s+by|went\s+by|going\s+by|known(?:\s[\p{L}'’]{1,15}){0,4}?\s+as|nicknamed|nickname(?:\s+is)?|called|calls\s+(?:him|her|them)|identified\s+(?:only\s+)?as|referred\s+to\s+as|(?:he|she|they)\s+calls?\s+(?:him|her|them)self)\s{1,2}${QUOTE_OPEN}(?<name>\p{Lu}[\p{L}.'’-]{0,20}(?:\s\p{Lu}[\p{L}.'’-]{0,20}){0,2}?)[,.]?${QUOTE_CLOSE}`,
  'gu',
);
/** Round six: a nickname in quotes right before a surname ("'Bubba' Tillman's", "\"Bubba\" Lindqvist"). */
const NICKNAME_SURNAME_RE = new RegExp(String.raw`(?<![\p{L}])${QUOTE_OPEN}(?<nick>\p{Lu}\p{Ll}{1,20})${QUOTE_CLOSE}\s(?<surname>\p{Lu}\p{Ll}{2,24})(?=['’]s\b|[\s,.;:)]|$)`, 'gu');
/** Round six: a family by its surname in the plural ("the Pruitts have had four reports", "with the Abernathys"). */
const FAMILY_PLURAL_RE = /\b(?:the|The)\s(?<name>\p{Lu}\p{Ll}{2,24}(?:s|es))(?![\p{L}'’-])(?!\s\p{Lu})/gu;
/** A role word or a placeholder ("Child A"), then a capitalised word or two in parentheses. */
const ROLE_PARENS_RE = /(?<role>\p{L}[\p{L}-]{1,20})(?:\s[A-Z])?\s{1,2}\((?<name>\p{Lu}\p{Ll}{1,20}(?:\s\p{Lu}\p{Ll}{1,20})?)\)/gu;
const INITIALS_RE = /^(?:\p{Lu}\.?){1,3}$/u;

export function quotedNames(ctx: ScanContext): { candidates: Candidate[]; words: string[] } {
  const text = ctx.text;
  const candidates: Candidate[] = [];
  const words: string[] = [];
  const add = (start: number, name: string, reason: string): void => {
    const initials = INITIALS_RE.test(name);
    candidates.push(candidate(initials ? 'initials' : 'personal_name', start, start + name.length, reason, 4));
    if (!initials) for (const w of name.split(/\s+/)) if (w.length >= 3) words.push(fold(w));
  };
  for (const m of matches(NICKNAME_RE, text)) {
    const name = m.groups!.name;
    add(m.index + m[0].length - name.length - 1, name, `'${name}' is what a person is called`);
  }
  for (const m of matches(NICKNAME_SURNAME_RE, text)) {
    const surname = fold(m.groups!.surname);
    // "James \"Jim\" Whitcombe": a given name before the quotes; the name rules read the whole run.
    const prev = /(\p{Lu}\p{Ll}+)\s$/u.exec(text.slice(Math.max(0, m.index - 25), m.index));
    if (prev && isGivenName(fold(prev[1]), ctx.nlp)) continue;
    if (isEnglishWord(surname) || PRODUCT_NOUNS.has(surname) || ORG_SUFFIX_WORDS.has(surname)) continue; // "'Cloud Nine' rocker"
    add(m.index + 1, m[0].slice(1), `Nickname in quotes before the surname '${m.groups!.surname}'`);
  }
  for (const m of matches(FAMILY_PLURAL_RE, text)) {
    const name = m.groups!.name;
    const lw = fold(name);
    const stem = lw.replace(/(?:es|s)$/, '');
    const stemS = lw.slice(0, -1);
    if (isEnglishWord(lw) || isEnglishWord(stemS) || isEnglishWord(stem) || GROUP_WORDS.has(stemS) || GROUP_WORDS.has(lw) || isPlaceWord(lw, ctx.nlp) || isPlaceWord(stemS, ctx.nlp) || ORG_SUFFIX_WORDS.has(lw)) continue;
    if (!(isSurname(stemS, ctx.nlp) || isSurname(stem, ctx.nlp) || !isGivenName(stemS, ctx.nlp))) continue;
    add(m.index + m[0].length - name.length, name, `A family named by its surname ('the ${name}')`);
  }
  for (const m of matches(ROLE_PARENS_RE, text)) {
    const role = roleOf(fold(m.groups!.role));
    // A person of the case, not a professional ("the caseworker (Ms Reyes)") or an age word.
    if (role === undefined || role === 'professional' || role === 'age') continue;
    const name = m.groups!.name;
    add(m.index + m[0].length - name.length - 1, name, `Name in parentheses after '${m.groups!.role}'`);
  }
  return { candidates, words };
}
