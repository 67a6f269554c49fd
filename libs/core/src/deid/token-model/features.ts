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

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13 || c === 160 || c === 0x2028 || c === 0x2029 || (c >= 0x2000 && c <= 0x200a) || c === 0x3000 || c === 11 || c === 12;
}

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
    while (cs > lineBegin && cs > s - 40 && !isSpace(text.charCodeAt(cs - 1))) cs--;
    let ce = s + w.length;
    while (ce < text.length && ce < s + 40 && !isSpace(text.charCodeAt(ce))) ce++;
    const chunk = text.slice(cs, ce).replace(CHUNK_EDGE_RE, '');
    toks.push({ s, e: s + w.length, w, lw: w.toLowerCase(), chunk, lineStart: isWord && nextIsStart, line: lineKind });
    if (isWord) nextIsStart = false;
    if (w === '.' || w === '!' || w === '?' || w === ':') nextIsStart = true;
  }
  return toks;
}

/** The class of one character: X (capital), x (small letter), d (digit) or the character itself. */
function charClass(ch: string): string {
  const c = ch.charCodeAt(0);
  if (c >= 65 && c <= 90) return 'X';
  if (c >= 97 && c <= 122) return 'x';
  if (c >= 48 && c <= 57) return 'd';
  if (c < 128) return ch;
  return /\p{Lu}/u.test(ch) ? 'X' : /\p{L}/u.test(ch) ? 'x' : /\p{N}/u.test(ch) ? 'd' : ch;
}

/** Xxxx → "Xx", 123-45 → "d-d": runs collapsed. */
export function shortShape(w: string): string {
  let out = '';
  for (let k = 0; k < w.length && out.length < 12; k++) {
    const c = charClass(w[k]);
    if (out[out.length - 1] !== c) out += c;
  }
  return out;
}

/** Runs with their lengths (capped at 5): "123-45-6789" → "d3-d2-d5". */
export function longShape(w: string): string {
  let out = '';
  let prev = '';
  let run = 0;
  const flush = (): void => {
    if (prev) out += prev === 'X' || prev === 'x' || prev === 'd' ? `${prev}${Math.min(run, 5)}` : prev;
  };
  for (let k = 0; k < w.length && out.length < 20; k++) {
    const c = charClass(w[k]);
    if (c === prev && (c === 'X' || c === 'x' || c === 'd')) run++;
    else {
      flush();
      prev = c;
      run = 1;
    }
  }
  flush();
  return out.slice(0, 20);
}

/** A feature is a (prefix, value) pair, written "prefix:value" in the weights. */
export type EmitFeature = (prefix: string, value: string) => void;

function lexiconFeatures(lw: string, out: string[]): void {
  if (!/\p{L}/u.test(lw)) return;
  const flag = (v: string): void => void out.push('lex', v);
  if (isEnglishWord(lw)) flag('eng');
  const names = compromiseNames();
  if (STRONG_FIRST_NAMES.has(lw)) flag('given-strong');
  if (WEAK_FIRST_NAMES.has(lw)) flag('given-weak');
  if (names.given.has(lw)) flag('given');
  if (names.surnames.has(lw)) flag('surname');
  if (names.places.has(lw)) flag('place');
  if (names.orgs.has(lw)) flag('org');
  const role = roleOf(lw);
  if (role) flag(`role=${role}`);
  if (PUBLIC_TITLES.has(lw)) flag('title');
}

/** A word's compact description as a neighbour: itself when short, else its shape. */
function neighbour(t: ModelToken): string {
  if (/\p{N}/u.test(t.w)) return `#${shortShape(t.w)}`;
  return t.lw.length <= 15 ? t.lw : shortShape(t.w);
}

const BAG_BEFORE = 8;
const EDGE = '<edge>';
/** Features of a word on its own (flat prefix, value pairs), cached by the word: a notice repeats its words. */
const OWN_CACHE_LIMIT = 20_000;
const ownCache = new Map<string, string[]>();

function ownFeatures(t: ModelToken): string[] {
  const key = `${t.w}\u0000${t.chunk}`;
  let f = ownCache.get(key);
  if (f) return f;
  f = ['bias', '', 'sh', shortShape(t.w), 'lsh', longShape(t.w)];
  if (/\p{N}/u.test(t.w)) {
    f.push('digits', String(Math.min(t.w.length, 12)), 'csh', longShape(t.chunk));
    if (/\p{L}/u.test(t.chunk)) f.push('chunk', 'mixed');
  } else {
    f.push('w', t.lw);
    if (t.w.length > 3) f.push('suf', t.lw.slice(-3));
    if (t.chunk.length > t.w.length) f.push('csh', shortShape(t.chunk));
    lexiconFeatures(t.lw, f);
  }
  if (ownCache.size >= OWN_CACHE_LIMIT) ownCache.clear();
  ownCache.set(key, f);
  return f;
}

const BEFORE_PREFIX = ['', 'w-1', 'w-2', 'w-3'];
const AFTER_PREFIX = ['', 'w+1', 'w+2', 'w+3'];

/**
 * Calls `emit(i, prefix, value)` for every feature of every token, without building feature
 * strings (the scanner looks the pairs up directly; training joins them).
 */
export function visitFeatures(toks: readonly ModelToken[], emit: (i: number, prefix: string, value: string) => void): void {
  const near = toks.map(neighbour);
  const isWord = toks.map((t) => /\p{L}/u.test(t.w));
  const shapes = toks.map((t, i) => (isWord[i] ? shortShape(t.w) : ''));
  const at = (i: number): string => (i >= 0 && i < toks.length ? near[i] : EDGE);
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    const own = ownFeatures(t);
    for (let k = 0; k < own.length; k += 2) emit(i, own[k], own[k + 1]);
    emit(i, 'line', t.line);
    if (t.lineStart) emit(i, 'start', '');
    for (let d = 1; d <= 3; d++) {
      emit(i, BEFORE_PREFIX[d], at(i - d));
      emit(i, AFTER_PREFIX[d], at(i + d));
    }
    if (i > 0 && isWord[i - 1]) emit(i, 'shp-1', shapes[i - 1]);
    if (i + 1 < toks.length && isWord[i + 1]) emit(i, 'shp+1', shapes[i + 1]);
    if (i > 0) emit(i, 'pair-1', `${near[i - 1]}|${shortShape(t.w)}`);
    for (let d = 1; d <= BAG_BEFORE && i - d >= 0; d++) if (isWord[i - d] && toks[i - d].lw.length >= 2) emit(i, 'bag-', toks[i - d].lw);
    for (let d = 1; d <= 3 && i + d < toks.length; d++) if (isWord[i + d] && toks[i + d].lw.length >= 2) emit(i, 'bag+', toks[i + d].lw);
  }
}

/** Every token's features as "prefix:value" strings (for training). */
export function tokenFeatures(toks: readonly ModelToken[]): string[][] {
  const out: string[][] = toks.map(() => []);
  visitFeatures(toks, (i, prefix, value) => out[i].push(`${prefix}:${value}`));
  return out;
}
