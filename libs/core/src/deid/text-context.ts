/**
 * One field's text prepared once for every detector: word tokens, sentences, title-case lines,
 * and the values the issuing agency publishes itself. Building it is linear in the text.
 */
import { NlpSwitches } from './kinds';
import { lastStartAtOrBefore, Layout, Placement } from './layout';
import { SMALL_WORDS } from './lexicon/words';
import { countStartingBefore } from './sorted-spans';

export interface Tok {
  s: number;
  /** End of the word without a possessive 's. */
  e: number;
  /** End including a possessive 's. */
  eRaw: number;
  w: string;
  /** Folded: lower case, accents removed. */
  lw: string;
  cap: boolean;
  allCaps: boolean;
  poss: boolean;
  sent: number;
  sentStart: boolean;
  /** On a headline-like line where most words are capitalised: capitals there are weak evidence. */
  titleLine: boolean;
}

export interface PublicValues {
  /** Lower-cased mailboxes. */
  emails: Set<string>;
  /** Digits only, last ten. */
  phones: Set<string>;
  /** Folded name words taken from names and mailboxes ("dana", "whitfield"). */
  nameWords: Set<string>;
}

const TOKEN_RE = /\p{L}[\p{L}\p{M}]*(?:['’-]\p{L}[\p{L}\p{M}]*)*/gu;
const ASCII_WORD_RE = /^[A-Za-z-]*$/;

/** The text with its hyphenated words blanked ("resource-parent", "missing-youth"): compounds name a topic, not a person of the case. */
export function withoutHyphenatedWords(text: string): string {
  return text.replace(/[\p{L}]+-[\p{L}-]+/gu, ' ');
}

export function fold(w: string): string {
  if (ASCII_WORD_RE.test(w)) return w.toLowerCase();
  return w.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/['’]/g, '');
}

function isAllCaps(w: string): boolean {
  let letters = 0;
  for (let k = 0; k < w.length; k++) {
    const c = w[k];
    if (c === '-' || c === "'" || c === '’') continue;
    if (c !== c.toUpperCase()) return false;
    if (c !== c.toLowerCase()) letters++;
  }
  return letters >= 2;
}

const ABBREV = new Set(
  `mr mrs ms dr st jr sr sgt det no nos apt ave blvd rd ln ct jan feb mar apr jun jul aug sep sept oct nov dec vs etc am pm ft mt inc co corp dept est approx fig e g i u s ref gov sen rep lt capt pop soc sec enr reg cert acct nbr tel ph ext vol pg rm bldg ste`.split(' '),
);
const MONTH_ABBREV = new Set(`jan feb mar apr jun jul aug sep sept oct nov dec`.split(' '));
const NO_BREAK_AFTER = new Set(['mr', 'mrs', 'ms', 'dr', 'st', 'sgt', 'det', 'no', 'apt', 'ref', 'gov', 'sen', 'rep', 'lt', 'capt', 'soc', 'sec', 'enr', 'reg', 'cert', 'acct', 'nbr', 'tel', 'ph']);

/** Sentence spans: split after . ! ? (not after abbreviations or initials) and at newlines. */
export function splitSentences(text: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let start = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const ch = text[i];
    if (ch === '\n') {
      if (i > start) out.push([start, i]);
      start = i + 1;
      continue;
    }
    if (ch !== '.' && ch !== '!' && ch !== '?') continue;
    const next = text[i + 1];
    if (next !== undefined && next !== ' ' && next !== '\t' && next !== '\n' && next !== '"' && next !== "'" && next !== ')') continue;
    if (ch === '.') {
      let k = i;
      while (k > start && i - k < 8 && /[A-Za-z.]/.test(text[k - 1])) k--;
      const word = text.slice(k, i).toLowerCase().replace(/\./g, ' ').trim().split(' ').pop() ?? '';
      if (ABBREV.has(word) || word.length === 1) {
        // An abbreviation only ends a sentence when followed by a capital that is not a name part.
        let j = i + 1;
        while (j < n && text[j] === ' ') j++;
        if (j >= n || !/[A-Z]/.test(text[j]) || word.length === 1 || NO_BREAK_AFTER.has(word) || MONTH_ABBREV.has(word)) continue;
      }
    }
    out.push([start, i + 1]);
    start = i + 1;
  }
  if (start < n) out.push([start, n]);
  if (!out.length) out.push([0, n]);
  return out;
}

function tokenize(text: string, sentences: Array<[number, number]>): Tok[] {
  const toks: Tok[] = [];
  let sent = 0;
  TOKEN_RE.lastIndex = 0;
  for (let m = TOKEN_RE.exec(text); m; m = TOKEN_RE.exec(text)) {
    while (sent + 1 < sentences.length && sentences[sent + 1][0] <= m.index) sent++;
    const raw = m[0];
    let base = raw;
    let poss = false;
    const n = raw.length;
    const lastCh = raw[n - 1];
    if (n > 2 && (lastCh === 's' || lastCh === 'S') && (raw[n - 2] === "'" || raw[n - 2] === '’')) {
      base = raw.slice(0, -2);
      poss = true;
    } else if (lastCh === 's' && (text[m.index + n] === "'" || text[m.index + n] === '’')) {
      poss = true; // plural possessive: parents'
    }
    const first = base[0];
    const cap = first !== first.toLowerCase() && first === first.toUpperCase();
    toks.push({ s: m.index, e: m.index + base.length, eRaw: m.index + raw.length, w: base, lw: fold(base), cap, allCaps: cap && isAllCaps(base), poss, sent, sentStart: false, titleLine: false });
  }
  for (let i = 0; i < toks.length; i++) toks[i].sentStart = i === 0 || toks[i - 1].sent !== toks[i].sent;
  markTitleLines(text, toks);
  return toks;
}

/** Title-case lines (headlines, audience lists): capitalised words there are weak evidence. */
function markTitleLines(text: string, toks: Tok[]): void {
  let lineStart = 0;
  while (lineStart < toks.length) {
    const nl = text.indexOf('\n', toks[lineStart].s);
    const lineEnd = nl < 0 ? text.length : nl;
    let j = lineStart;
    let counted = 0;
    let caps = 0;
    while (j < toks.length && toks[j].s < lineEnd) {
      if (!SMALL_WORDS.has(toks[j].lw)) {
        counted++;
        if (toks[j].cap) caps++;
      }
      j++;
    }
    // Table rows ("| Mother | Ana Ruiz |") are records, not headlines.
    const tableRow = /^\s*\|/.test(text.slice(toks[lineStart].s - (toks[lineStart].s - (text.lastIndexOf('\n', toks[lineStart].s) + 1)), toks[lineStart].s));
    // Label lines ("- Mother: Fatou Diallo") are records too.
    const lineText = text.slice(toks[lineStart].s, lineEnd);
    const labelLine = /^[\p{L}' -]{1,30}[*_]{0,2}:\s/u.test(lineText);
    const isTitle = !tableRow && !labelLine && counted >= 3 && caps / counted >= 0.8;
    for (let k = lineStart; k < j; k++) toks[k].titleLine = isTitle;
    lineStart = j > lineStart ? j : lineStart + 1;
  }
}

/** How far a cleared span reaches (a name run or a number is never longer). */
const MAX_CLEARED_SPAN = 200;

export class ScanContext {
  readonly sentences: Array<[number, number]>;
  readonly toks: Tok[];
  /**
   * Spans a rule examined and judged not identifying (an official's name, an agency's line, a
   * citation number). The token model never overrides them (token-model/model-evidence.ts).
   */
  private readonly clearedSpans: Array<[number, number]> = [];
  /** Identifier-shaped values the rules explained as public (an EIN, a form number): the text model does not read them. */
  readonly publicValueSpans: Array<[number, number]> = [];
  private clearedSorted = true;
  private readonly sentStarts: number[];
  private layoutIndex?: Layout;

  constructor(
    readonly field: string,
    readonly text: string,
    readonly publicValues: PublicValues,
    readonly nlp: NlpSwitches,
  ) {
    this.sentences = splitSentences(text);
    this.sentStarts = this.sentences.map((s) => s[0]);
    this.toks = tokenize(text, this.sentences);
  }

  /** Where the value at `pos` sits: under a table header or a list's lead-in line (see layout.ts). */
  placementOf(pos: number): Placement | undefined {
    this.layoutIndex ??= new Layout(this.text);
    return this.layoutIndex.placementOf(pos);
  }

  /** Index of the sentence holding offset `pos` (binary search). */
  sentOf(pos: number): number {
    return lastStartAtOrBefore(this.sentStarts, pos);
  }

  sentenceSpan(pos: number): [number, number] {
    return this.sentences[this.sentOf(pos)] ?? [0, this.text.length];
  }

  /** Up to `max` characters before `pos`, not crossing the start of its sentence. */
  before(pos: number, max: number): string {
    const [s] = this.sentenceSpan(pos);
    return this.text.slice(Math.max(s, pos - max), pos);
  }

  /** Up to `max` characters after `pos`, not crossing the end of its sentence. */
  after(pos: number, max: number): string {
    const [, e] = this.sentenceSpan(pos);
    return this.text.slice(pos, Math.min(e, pos + max));
  }

  /** The text between token i-1 and token i. */
  gap(i: number): string {
    return this.text.slice(i > 0 ? this.toks[i - 1].eRaw : 0, this.toks[i].s);
  }

  /** Records that a rule judged text[start, end) not identifying. */
  clear(start: number, end: number): void {
    const last = this.clearedSpans[this.clearedSpans.length - 1];
    if (last && start < last[0]) this.clearedSorted = false;
    this.clearedSpans.push([start, Math.min(end, start + MAX_CLEARED_SPAN)]);
  }

  /** Does text[start, end) overlap a span a rule judged not identifying? (Binary search.) */
  cleared(start: number, end: number): boolean {
    const spans = this.clearedSpans;
    if (!this.clearedSorted) {
      spans.sort((a, b) => a[0] - b[0]);
      this.clearedSorted = true;
    }
    const lo = countStartingBefore(spans, end);
    for (let k = lo - 1; k >= 0 && spans[k][0] > start - MAX_CLEARED_SPAN; k--) {
      if (spans[k][0] < end && start < spans[k][1]) return true;
    }
    return false;
  }

  /** Index of the first token starting at or after `pos` (binary search). */
  tokenAt(pos: number): number {
    const toks = this.toks;
    let lo = 0;
    let hi = toks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (toks[mid].s < pos) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

export const EMPTY_PUBLIC: PublicValues = { emails: new Set(), phones: new Set(), nameWords: new Set() };

/** Sorts the agency's published values into mailboxes, phone numbers and name words. */
export function publicValuesOf(values: readonly string[] | undefined): PublicValues {
  if (!values?.length) return EMPTY_PUBLIC;
  const out: PublicValues = { emails: new Set(), phones: new Set(), nameWords: new Set() };
  for (const raw of values) {
    if (typeof raw !== 'string') continue;
    const v = raw.trim().slice(0, 320);
    const mail = /[^\s<>"]+@[^\s<>"]+/.exec(v);
    if (mail) {
      out.emails.add(mail[0].toLowerCase());
      for (const part of mail[0].split('@')[0].split(/[._+-]+/)) if (/^\p{L}{3,}$/u.test(part)) out.nameWords.add(fold(part));
    }
    const digits = v.replace(/\D/g, '');
    if (!mail && digits.length >= 10 && digits.length <= 11) out.phones.add(digits.slice(-10));
    if (!mail && digits.length === 0) for (const w of v.split(/[\s,]+/)) if (/^\p{Lu}\p{L}{2,}$/u.test(w)) out.nameWords.add(fold(w));
  }
  return out;
}

export { SMALL_WORDS };
