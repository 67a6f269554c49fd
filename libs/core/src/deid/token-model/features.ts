/**
 * Tokens and features of the token classifier (see token-model.ts). Features describe structure,
 * not strings of one set: the token's shape and that of its whitespace chunk (Xxxx, d3-d2-d4),
 * capitals, membership of the lexicons (English words, given names, surnames, places, roles,
 * public titles), the words within three tokens and a bag of the words before it (labels such as
 * "SSN ending in", "Mother:"), and where it sits (sentence start, table row, list line).
 * Linear in the text: every feature reads a fixed window.
 */
import { compromiseNames, isEnglishWord } from '../lexicon/dictionary';
import { PUBLIC_TITLES, roleOf } from '../lexicon/name-lexicon';
import { STRONG_FIRST_NAMES, WEAK_FIRST_NAMES } from '../lexicon/given-names';

export interface ModelToken {
  s: number;
  e: number;
  w: string;
  /** Lower case. */
  lw: string;
  /** The whitespace-delimited chunk holding the token, without edge punctuation. */
  chunk: string;
  /** First word token of its line or sentence. */
  lineStart: boolean;
  /** The line starts with '|' (a table row) or a list marker. */
  line: 'table' | 'list' | 'prose';
}

const TOKEN_RE = /[\p{L}\p{M}]+(?:['’][\p{L}]+)?|\p{N}+|[^\s\p{L}\p{M}\p{N}]/gu;
const CHUNK_EDGE_RE = /^[("'“‘[*_]+|[)"'”’\].,;:!?*_]+$/g;

/** Splits a text into letter runs, digit runs and single punctuation marks. */
export function modelTokens(text: string): ModelToken[] {
  const toks: ModelToken[] = [];
  let lineKind: ModelToken['line'] = 'prose';
  let nextIsStart = true;
  let lineBegin = -1;
  let scanned = 0;
  TOKEN_RE.lastIndex = 0;
  for (let m = TOKEN_RE.exec(text); m; m = TOKEN_RE.exec(text)) {
    const s = m.index;
    // The newest newline before this token, found by scanning only the gap since the last token.
    let newLine = lineBegin < 0 ? 0 : -1;
    for (let k = scanned; k < s; k++) if (text[k] === '\n') newLine = k + 1;
    scanned = s;
    if (newLine >= 0) {
      lineBegin = newLine;
      nextIsStart = true;
      const head = text.slice(lineBegin, Math.min(text.length, lineBegin + 4)).trimStart();
      lineKind = head.startsWith('|') ? 'table' : /^(?:[-*•]|\d+[.)])/.test(head) ? 'list' : 'prose';
    }
    const w = m[0];
    const isWord = /[\p{L}\p{N}]/u.test(w[0]);
    let cs = s;
    while (cs > lineBegin && cs > s - 40 && !/\s/.test(text[cs - 1])) cs--;
    let ce = s + w.length;
    while (ce < text.length && ce < s + 40 && !/\s/.test(text[ce])) ce++;
    const chunk = text.slice(cs, ce).replace(CHUNK_EDGE_RE, '');
    toks.push({ s, e: s + w.length, w, lw: w.toLowerCase(), chunk, lineStart: isWord && nextIsStart, line: lineKind });
    if (isWord) nextIsStart = false;
    if (w === '.' || w === '!' || w === '?' || w === ':') nextIsStart = true;
  }
  return toks;
}

/** Xxxx → "Xx", 123-45 → "d-d": runs collapsed. */
export function shortShape(w: string): string {
  let out = '';
  for (const ch of w) {
    const c = /\p{Lu}/u.test(ch) ? 'X' : /\p{L}/u.test(ch) ? 'x' : /\p{N}/u.test(ch) ? 'd' : ch;
    if (out[out.length - 1] !== c) out += c;
  }
  return out.slice(0, 12);
}

/** Runs with their lengths (capped at 5): "123-45-6789" → "d3-d2-d5". */
export function longShape(w: string): string {
  let out = '';
  let prev = '';
  let run = 0;
  const flush = (): void => {
    if (prev) out += /[Xxd]/.test(prev) ? `${prev}${Math.min(run, 5)}` : prev;
  };
  for (const ch of w) {
    const c = /\p{Lu}/u.test(ch) ? 'X' : /\p{L}/u.test(ch) ? 'x' : /\p{N}/u.test(ch) ? 'd' : ch;
    if (c === prev && /[Xxd]/.test(c)) run++;
    else {
      flush();
      prev = c;
      run = 1;
    }
  }
  flush();
  return out.slice(0, 20);
}

function lexiconFeatures(lw: string, out: string[]): void {
  if (!/\p{L}/u.test(lw)) return;
  if (isEnglishWord(lw)) out.push('lex:eng');
  const names = compromiseNames();
  if (STRONG_FIRST_NAMES.has(lw)) out.push('lex:given-strong');
  if (WEAK_FIRST_NAMES.has(lw)) out.push('lex:given-weak');
  if (names.given.has(lw)) out.push('lex:given');
  if (names.surnames.has(lw)) out.push('lex:surname');
  if (names.places.has(lw)) out.push('lex:place');
  if (names.orgs.has(lw)) out.push('lex:org');
  const role = roleOf(lw);
  if (role) out.push(`lex:role=${role}`);
  if (PUBLIC_TITLES.has(lw)) out.push('lex:title');
}

/** A word's compact description as a neighbour: itself when short, else its shape. */
function neighbour(t: ModelToken | undefined): string {
  if (!t) return '<edge>';
  if (/\p{N}/u.test(t.w)) return `#${shortShape(t.w)}`;
  return t.lw.length <= 15 ? t.lw : shortShape(t.w);
}

const BAG_BEFORE = 8;

/** Features of every token, computed once per text. */
export function tokenFeatures(toks: readonly ModelToken[]): string[][] {
  return toks.map((t, i) => {
    const f: string[] = ['bias', `sh:${shortShape(t.w)}`, `lsh:${longShape(t.w)}`, `line:${t.line}`];
    if (/\p{N}/u.test(t.w)) {
      f.push(`digits:${Math.min(t.w.length, 12)}`);
      f.push(`csh:${longShape(t.chunk)}`);
      if (/\p{L}/u.test(t.chunk)) f.push('chunk:mixed');
    } else {
      f.push(`w:${t.lw}`);
      if (t.w.length > 3) f.push(`suf:${t.lw.slice(-3)}`);
      if (t.chunk.length > t.w.length) f.push(`csh:${shortShape(t.chunk)}`);
      lexiconFeatures(t.lw, f);
    }
    if (t.lineStart) f.push('start');
    for (let d = 1; d <= 3; d++) {
      f.push(`w-${d}:${neighbour(toks[i - d])}`);
      f.push(`w+${d}:${neighbour(toks[i + d])}`);
    }
    const prev = toks[i - 1];
    const next = toks[i + 1];
    if (prev && /\p{L}/u.test(prev.w)) f.push(`shp-1:${shortShape(prev.w)}`);
    if (next && /\p{L}/u.test(next.w)) f.push(`shp+1:${shortShape(next.w)}`);
    if (prev) f.push(`pair-1:${neighbour(prev)}|${shortShape(t.w)}`);
    for (let d = 1; d <= BAG_BEFORE && i - d >= 0; d++) {
      const b = toks[i - d];
      if (/\p{L}/u.test(b.w) && b.lw.length >= 2) f.push(`bag-:${b.lw}`);
    }
    for (let d = 1; d <= 3 && i + d < toks.length; d++) {
      const b = toks[i + d];
      if (/\p{L}/u.test(b.w) && b.lw.length >= 2) f.push(`bag+:${b.lw}`);
    }
    return f;
  });
}
