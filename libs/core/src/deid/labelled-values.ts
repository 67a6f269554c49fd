/**
 * Identifier values introduced by a label, shared by the detectors of numbered kinds (tribal
 * enrollment, Medicaid, case numbers, ...). A value is ID-shaped: digits with optional letters,
 * separators (- / .) and spaced digit groups (10458, 312-887, CZ/2019/0456, 14-0077-B,
 * TCID 118 204 55, 100012345WA). It counts when a label of the kind comes before it on the same
 * line, with only a few words between and nothing that changes the subject (a citation word, a
 * phone word, a sentence end); or when a table column header or a list's lead-in line carries the
 * label (layout.ts). Each label looks at a bounded window, so the search is linear.
 */
import { findDates } from './dates';
import { matches } from './detector';
import { ScanContext } from './text-context';
import { firstSpanEndingAfter } from './sorted-spans';

export interface LabelledValue {
  start: number;
  end: number;
  /** The label as written (or the header that carried it). */
  label: string;
}

export interface ValueOptions {
  /** Fewest digits in a value (default 3). */
  minDigits?: number;
  /** Longest stretch of words between the label and the value (default 40 characters). */
  maxGap?: number;
  /** Words that, between label and value, mean the number is something else (added to the common ones). */
  stopWords?: RegExp;
  /** Values shaped like a phone number count too (default false). */
  allowPhoneShape?: boolean;
}

/** One ID-shaped value (global, for scanning a window or a whole field). */
export const ID_VALUE_SRC = String.raw`(?:[A-Z]{1,6}(?:[-/]|\s(?=\d{2,6}\s\d))?)?\d[0-9A-Z]{0,18}(?:[-/.][0-9A-Z]{1,12}){0,5}(?:\s\d{2,6}(?![\w/-])){0,3}`;
const VALUE_SRC = String.raw`(?<![\w/.,$-])${ID_VALUE_SRC}(?![\w/-]|[.,]\d)`;
/** Two instances: one walks a whole field, the other a label's window inside that walk. */
const ID_VALUE_RE = new RegExp(VALUE_SRC, 'g');
const WINDOW_VALUE_RE = new RegExp(VALUE_SRC, 'g');
/** Between a label and its value: a change of subject. */
const COMMON_STOP_RE =
  /§|%|\$|\b(?:section|sec|code|title|chapter|ch|resolution|ordinance|statute|act|law|cfr|u\.s\.c|usc|rule|policy|form|page|pages|pp|phone|call|tel|telephone|fax|ext|extension|percent|per|ages?|aged|years?|months?|weeks?|days?|hours?|minutes?|times?|effective|since|until|through|between)\b/i;
/** Dots of abbreviations that do not end a sentence ("No. 883", "Enr. #14", "Soc. Sec."). */
const ABBREVIATION_DOT_RE = /\b(?:no|nos|nbr|num|reg|enr|id|sec|soc|acct|ref|tel|ph|dept|co|st|mr|mrs|ms|dr|cert|mem|memb|cit|ins|inv|rec|pt|med|recip|ben)\.(?=\s)/gi;
/** A count or a measure, not an identifier: "883 members", "12,011 citizens", "4471 km". */
const UNIT_AFTER_RE = /^(?:,\d{3}|\.\d|\s?(?:%|percent\b|members\b|citizens\b|people\b|persons\b|children\b|families\b|households\b|cases\b|referrals\b|reports\b|youth\b|infants\b|deaths\b|miles?\b|km\b|feet\b|lbs?\b|pounds\b|dollars\b))/i;
const PHONE_SHAPE_RE = /^(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-])?\d{3}[\s.-]\d{4}$/;
const YEAR_RE = /^(?:19|20)\d\d(?:[-/](?:19|20)?\d\d)?$/;

function digitCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) n++;
  return n;
}

/** The dates of a field, computed once per context. */
const DATE_CACHE = new WeakMap<ScanContext, Array<[number, number]>>();
function dateSpans(ctx: ScanContext): Array<[number, number]> {
  let spans = DATE_CACHE.get(ctx);
  if (!spans) {
    spans = findDates(ctx.text).map((d) => [d.start, d.end]);
    DATE_CACHE.set(ctx, spans);
  }
  return spans;
}

/** The first date of the field that ends after `start` (the dates are found once per field). */
function firstDateEndingAfter(ctx: ScanContext, start: number): [number, number] | undefined {
  return firstSpanEndingAfter(dateSpans(ctx), start);
}

/** Does a date of the field contain text[start, end)? */
export function insideDate(ctx: ScanContext, start: number, end: number): boolean {
  const d = firstDateEndingAfter(ctx, start);
  return d !== undefined && d[0] <= start && end <= d[1];
}

/** Does text[start, end) overlap a date of the field? */
export function overlapsDate(ctx: ScanContext, start: number, end: number): boolean {
  const d = firstDateEndingAfter(ctx, start);
  return d !== undefined && d[0] < end;
}

/** Is text[start, end) an identifier value (not a year, a date, a count, a price or, unless allowed, a phone number)? */
export function isIdentifierValue(ctx: ScanContext, start: number, end: number, opts: ValueOptions = {}): boolean {
  const v = ctx.text.slice(start, end);
  if (digitCount(v) < (opts.minDigits ?? 3) || YEAR_RE.test(v)) return false;
  if (!opts.allowPhoneShape && PHONE_SHAPE_RE.test(v)) return false;
  if (UNIT_AFTER_RE.test(ctx.text.slice(end, end + 12))) return false;
  if (/\d[,.]$/.test(ctx.text.slice(Math.max(0, start - 2), start))) return false;
  if (/^\(\w{1,3}\)/.test(ctx.text.slice(end, end + 5))) return false; // a section: 1915(c), 671(a)
  return !overlapsDate(ctx, start, end);
}

/** A value (and any list of values like it) in the window after a label, or nothing. */
export function valueAfter(ctx: ScanContext, from: number, opts: ValueOptions = {}): Array<[number, number]> {
  const text = ctx.text;
  const maxGap = opts.maxGap ?? 40;
  let limit = Math.min(text.length, from + maxGap + 40);
  const nl = text.indexOf('\n', from);
  if (nl >= 0 && nl < limit) limit = nl;
  const window = text.slice(from, limit);
  WINDOW_VALUE_RE.lastIndex = 0;
  const out: Array<[number, number]> = [];
  for (let m = WINDOW_VALUE_RE.exec(window); m; m = WINDOW_VALUE_RE.exec(window)) {
    const gap = window.slice(out.length ? out[out.length - 1][1] - from : 0, m.index);
    if (!out.length) {
      if (m.index > maxGap || !fillerOk(gap, opts)) break;
    } else if (!/^\s?(?:,|;|\/|&|and|or|y)?\s?(?:#\s?)?$/i.test(gap)) break; // a list: "100012345WA, 100012346WA"
    const start = from + m.index + labelPrefix(m[0]);
    const end = from + m.index + m[0].length;
    if (!isIdentifierValue(ctx, start, end, opts)) {
      if (out.length) break;
      continue; // "born 2019, ID 4471": a year or a count is passed over
    }
    out.push([start, end]);
  }
  return out;
}

/** "ID 3331 0098 2271": a label word caught at the front of a spaced value is not part of it. */
function labelPrefix(value: string): number {
  return /^(?:ID|NO|NUM|NBR|MRN|CIN|PID|SSN|DOB|BIC)\s/.exec(value)?.[0].length ?? 0;
}

function fillerOk(gap: string, opts: ValueOptions): boolean {
  const plain = gap.replace(ABBREVIATION_DOT_RE, '');
  if (/[.;!?](?:\s|$)|\n/.test(plain)) return false;
  if (COMMON_STOP_RE.test(gap) || opts.stopWords?.test(gap)) return false;
  return true;
}

/** Values after each match of `labelRe` (global), on the same line, with the label. */
export function valuesAfterLabels(ctx: ScanContext, labelRe: RegExp, opts: ValueOptions = {}): LabelledValue[] {
  const out: LabelledValue[] = [];
  for (const m of matches(labelRe, ctx.text)) {
    for (const [start, end] of valueAfter(ctx, m.index + m[0].length, opts)) out.push({ start, end, label: m[0].trim() });
  }
  return out;
}

/** Values in table cells or list lines whose column header, lead-in line or row label matches `headerRe` (not global). */
export function valuesUnderHeaders(ctx: ScanContext, headerRe: RegExp, opts: ValueOptions = {}): LabelledValue[] {
  const out: LabelledValue[] = [];
  if (!/\n/.test(ctx.text)) return out;
  for (const m of matches(ID_VALUE_RE, ctx.text)) {
    const start = m.index + labelPrefix(m[0]);
    const end = start + m[0].length;
    const placed = ctx.placementOf(start);
    if (!placed) continue;
    const label = headerRe.test(placed.header) ? placed.header : headerRe.test(placed.rowLabel) ? placed.rowLabel : undefined;
    if (label === undefined || !isIdentifierValue(ctx, start, end, opts)) continue;
    out.push({ start, end, label });
  }
  return out;
}
