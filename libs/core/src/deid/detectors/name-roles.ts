/** The role written right after a name: " (mother)", ", the mother's uncle" (used by the name detector). */
import { roleOf } from '../lexicon/name-lexicon';

const ROLE_LEAD_WORDS = new Set(
  `the a an her his their its great step half maternal paternal biological former current live-in kinship foster relative family older younger adult teenage`.split(' '),
);
const ORDINAL_WORDS = new Set(`first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth`.split(' '));

/** After a name: " (mother)", " (the baby's father)", " (maternal aunt)" -> the role, else undefined. */
export function roleInParentheses(after: string): string | undefined {
  const m = /^\s?\((?:the\s|her\s|his\s|their\s)?(?:[\p{L}'’-]+['’]s\s)?(?:(?:maternal|paternal|older|younger|foster|step|great|biological|birth)[\s-])?([\p{L}-]+)\)/u.exec(after);
  if (!m || m[1] === m[1].toUpperCase()) return undefined; // "(MOM)" is an acronym
  const role = roleOf(m[1].toLowerCase());
  return role && role !== 'age' ? m[1] : undefined;
}

/** After a name: ", the mother's uncle" / ", 2nd cousin" / ", her boyfriend" -> the role phrase, else undefined. */
export function roleAfterName(after: string): string | undefined {
  const m = /^,\s{1,2}/.exec(after);
  if (!m) return undefined;
  const words = after.slice(m[0].length).split(/\s+/, 5);
  for (let k = 0; k < words.length; k++) {
    const raw = words[k];
    const bare = raw.replace(/[^\p{L}\p{N}'’-]+$/u, '');
    const possessive = /['’]s$/i.test(bare);
    const lw = (possessive ? bare.slice(0, -2) : bare).toLowerCase();
    const ended = bare.length !== raw.length;
    const next = (words[k + 1] ?? '').toLowerCase();
    const head = ended || !next || /^(?:of|at|in|for|from|to|with|who|whose|that|and|was|is|had|has|did|said|told|lives|lived|found|left|took|called|reported|on|when|while|before|after)$/.test(next);
    if (!possessive && roleOf(lw) && lw !== 'adult' && head) return after.slice(m[0].length).split(/\s+/).slice(0, k + 1).join(' ').replace(/[^\p{L}\p{N}]+$/u, '');
    const lead = ROLE_LEAD_WORDS.has(lw) || ORDINAL_WORDS.has(lw) || /^\d{1,2}(?:st|nd|rd|th)$/.test(lw) || (possessive && roleOf(lw) !== undefined);
    if (!lead || ended) return undefined;
  }
  return undefined;
}

