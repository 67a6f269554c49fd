/**
 * Tokens and features of the token classifier (see token-model.ts). Features describe structure,
 * not strings of one set: the token's shape and that of its whitespace chunk (Xxxx, d3-d2-d4),
 * capitals, membership of the lexicons (English words, given names, surnames, places, roles,
 * public titles), the words within three tokens and a bag of the words before it (labels such as
 * "SSN ending in", "Mother:"), and where it sits (sentence start, table row, list line).
 * Linear in the text: every feature reads a fixed window.
 */
import { compromiseNames, isEnglishWord } from '../lexicon/dictionary';
import { PUBLIC_TITLES, RoleCat, roleOf } from '../lexicon/name-lexicon';
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
  /** The line's number in the text (0 for the first). */
  lineNo: number;
  /** In a table row: how many '|' come before the token on its line (its column, from 1). */
  col: number;
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
  let lineNo = -1;
  let col = 0;
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
      lineNo++;
      col = 0;
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
    toks.push({ s, e: s + w.length, w, lw: w.toLowerCase(), chunk, lineStart: isWord && nextIsStart, line: lineKind, lineNo, col });
    if (w === '|') col++;
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
export type EmitFeature = (i: number, prefix: string, value: string) => void;

/** A word's own description: what it is (lexicons, shape), not where it stands. */
interface OwnDescription {
  /** Flat [prefix, value, prefix, value, ...]. */
  features: string[];
  /** The lexicon flags alone ("given", "eng", "role=family"), which neighbours see too. */
  lex: string[];
  role?: RoleCat;
  title: boolean;
}

function lexiconFlags(lw: string): string[] {
  if (!/\p{L}/u.test(lw)) return [];
  const out: string[] = [];
  if (isEnglishWord(lw)) out.push('eng');
  const names = compromiseNames();
  if (STRONG_FIRST_NAMES.has(lw)) out.push('given-strong');
  if (WEAK_FIRST_NAMES.has(lw)) out.push('given-weak');
  if (names.given.has(lw)) out.push('given');
  if (names.surnames.has(lw)) out.push('surname');
  if (names.places.has(lw)) out.push('place');
  if (names.orgs.has(lw)) out.push('org');
  const role = roleOf(lw);
  if (role) out.push(`role=${role}`);
  if (PUBLIC_TITLES.has(lw)) out.push('title');
  return out;
}

/**
 * Character trigrams of a word longer than three letters, with its edges marked ("^ma", "ez$"):
 * a name the lexicons do not know still has the endings and beginnings of names (-son, Mc-, -ez).
 */
function charGrams(lw: string, out: string[]): void {
  const padded = `^${lw}$`;
  for (let k = 0; k + 3 <= padded.length && k < 14; k++) out.push('c3', padded.slice(k, k + 3));
}

/** A word's compact description as a neighbour: itself when short, else its shape. */
function neighbour(t: ModelToken): string {
  if (/\p{N}/u.test(t.w)) return `#${shortShape(t.w)}`;
  return t.lw.length <= 15 ? t.lw : shortShape(t.w);
}

const BAG_BEFORE = 8;
const EDGE = '<edge>';
/** Features of a word on its own, cached by the word and its chunk: a notice repeats its words. */
const OWN_CACHE_LIMIT = 20_000;
const ownCache = new Map<string, OwnDescription>();

/** The key under which a token's own features (and the model's sums of their weights) are cached. */
export function ownKey(t: ModelToken): string {
  return `${t.w}\u0000${t.chunk}`;
}

function ownDescription(t: ModelToken): OwnDescription {
  const key = ownKey(t);
  let d = ownCache.get(key);
  if (d) return d;
  const f = ['bias', '', 'sh', shortShape(t.w), 'lsh', longShape(t.w)];
  let lex: string[] = [];
  if (/\p{N}/u.test(t.w)) {
    f.push('digits', String(Math.min(t.w.length, 12)), 'csh', longShape(t.chunk));
    if (/\p{L}/u.test(t.chunk)) f.push('chunk', 'mixed');
  } else {
    f.push('w', t.lw);
    if (t.w.length > 3) {
      f.push('suf', t.lw.slice(-3), 'pre', t.lw.slice(0, 3));
      if (/\p{L}/u.test(t.w)) charGrams(t.lw, f);
    }
    if (t.chunk.length > t.w.length) f.push('csh', shortShape(t.chunk));
    lex = lexiconFlags(t.lw);
    for (const v of lex) f.push('lex', v);
  }
  d = { features: f, lex, role: roleOf(t.lw), title: PUBLIC_TITLES.has(t.lw) };
  if (ownCache.size >= OWN_CACHE_LIMIT) ownCache.clear();
  ownCache.set(key, d);
  return d;
}

/** Calls `emit(i, prefix, value)` for each of a token's own features (those cached by ownKey). */
export function visitOwnFeatures(t: ModelToken, i: number, emit: EmitFeature): void {
  const own = ownDescription(t).features;
  for (let k = 0; k < own.length; k += 2) emit(i, own[k], own[k + 1]);
}

const BEFORE_PREFIX = ['', 'w-1', 'w-2', 'w-3'];
const AFTER_PREFIX = ['', 'w+1', 'w+2', 'w+3'];
const SENTENCE_END = new Set(['.', '!', '?']);

/**
 * The people and public titles of each token's sentence: "srole:family" when a relative is named
 * anywhere in it, "stitle" when a public title is. Two passes over the tokens, so linear.
 */
function sentenceWords(toks: readonly ModelToken[], own: readonly OwnDescription[]): Array<{ roles: string[]; title: boolean }> {
  const out: Array<{ roles: string[]; title: boolean }> = [];
  let from = 0;
  const close = (to: number): void => {
    const roles = new Set<string>();
    let title = false;
    for (let k = from; k < to; k++) {
      if (own[k].role) roles.add(own[k].role!);
      title ||= own[k].title;
    }
    const shared = { roles: [...roles], title };
    for (let k = from; k < to; k++) out.push(shared);
    from = to;
  };
  for (let i = 0; i < toks.length; i++) {
    if (i > from && toks[i].lineNo !== toks[i - 1].lineNo) close(i);
    if (SENTENCE_END.has(toks[i].w)) close(i + 1);
  }
  close(toks.length);
  return out;
}

/**
 * The header of each table cell's column: the first word of that column in the first row of its
 * table (a run of table rows on consecutive lines), so "| Mother | ... |" under "| Role | Name |"
 * sees "colhead:name".
 */
function columnHeads(toks: readonly ModelToken[]): Array<string | undefined> {
  const out: Array<string | undefined> = new Array(toks.length).fill(undefined);
  let heads = new Map<number, string>();
  let headerLine = -2;
  let lastTableLine = -2;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    if (t.line !== 'table') continue;
    if (t.lineNo !== lastTableLine && t.lineNo !== lastTableLine + 1) {
      heads = new Map();
      headerLine = t.lineNo;
    }
    lastTableLine = t.lineNo;
    if (t.lineNo === headerLine) {
      if (/\p{L}/u.test(t.w) && !heads.has(t.col)) heads.set(t.col, t.lw.length <= 15 ? t.lw : shortShape(t.w));
    } else out[i] = heads.get(t.col);
  }
  return out;
}

/** Calls `emit(i, prefix, value)` for each feature of a token that depends on the tokens around it. */
export function visitContextFeatures(toks: readonly ModelToken[], emit: EmitFeature): void {
  const own = toks.map(ownDescription);
  const near = toks.map(neighbour);
  const isWord = toks.map((t) => /\p{L}/u.test(t.w));
  const shapes = toks.map((t, i) => (isWord[i] ? shortShape(t.w) : ''));
  const sentences = sentenceWords(toks, own);
  const heads = columnHeads(toks);
  const at = (i: number): string => (i >= 0 && i < toks.length ? near[i] : EDGE);
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    emit(i, 'line', t.line);
    if (t.lineStart) emit(i, 'start', '');
    for (let d = 1; d <= 3; d++) {
      emit(i, BEFORE_PREFIX[d], at(i - d));
      emit(i, AFTER_PREFIX[d], at(i + d));
    }
    if (i > 0 && isWord[i - 1]) emit(i, 'shp-1', shapes[i - 1]);
    if (i + 1 < toks.length && isWord[i + 1]) emit(i, 'shp+1', shapes[i + 1]);
    if (i > 1 && isWord[i - 2]) emit(i, 'shp-2', shapes[i - 2]);
    if (i + 2 < toks.length && isWord[i + 2]) emit(i, 'shp+2', shapes[i + 2]);
    if (i > 0) for (const v of own[i - 1].lex) emit(i, 'lex-1', v);
    if (i + 1 < toks.length) for (const v of own[i + 1].lex) emit(i, 'lex+1', v);
    if (i > 0) emit(i, 'pair-1', `${near[i - 1]}|${shortShape(t.w)}`);
    for (let d = 1; d <= BAG_BEFORE && i - d >= 0; d++) if (isWord[i - d] && toks[i - d].lw.length >= 2) emit(i, 'bag-', toks[i - d].lw);
    for (let d = 1; d <= 3 && i + d < toks.length; d++) if (isWord[i + d] && toks[i + d].lw.length >= 2) emit(i, 'bag+', toks[i + d].lw);
    if (isWord[i]) {
      for (const r of sentences[i].roles) emit(i, 'srole', r);
      if (sentences[i].title) emit(i, 'stitle', '');
    }
    if (heads[i] !== undefined) emit(i, 'colhead', heads[i]!);
  }
}

/** Every feature of every token: its own, then those of its context. */
export function visitFeatures(toks: readonly ModelToken[], emit: EmitFeature): void {
  toks.forEach((t, i) => visitOwnFeatures(t, i, emit));
  visitContextFeatures(toks, emit);
}

/** Every token's features as "prefix:value" strings (for training). */
export function tokenFeatures(toks: readonly ModelToken[]): string[][] {
  const out: string[][] = toks.map(() => []);
  visitFeatures(toks, (i, prefix, value) => out[i].push(`${prefix}:${value}`));
  return out;
}
