/**
 * The evaluation harness: scans every text of a labelled set and reports
 * - text-level recall: share of identifying texts with at least one finding;
 * - text-level precision: share of flagged texts (at least one finding) that are identifying;
 * - per kind: span recall (every occurrence of every labelled span must be overlapped by a finding
 *   of the same kind) and precision (findings of that kind that overlap a labelled span of it).
 * A labelled set is `{ name, version, items: [{ id, identifying, kinds, spans: [{ kind, text }],
 * field?, note?, text }] }`; items may carry `split` and `batch` (the original corpus does).
 * Each text is scanned as the field it names (title, summary, body, requiredAction), body if none.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { DEID_KINDS, DeidFinding, DeidKind, DeidScanOptions, scanForIdentifyingData } from './deid-scanner';

export interface DeidLabelledSpan {
  kind: DeidKind;
  /** Exact substring of the item text; every word-bounded occurrence counts. */
  text: string;
}

export type DeidField = 'title' | 'summary' | 'body' | 'requiredAction';

export interface DeidLabelledItem {
  id: string;
  identifying: boolean;
  kinds: DeidKind[];
  spans: DeidLabelledSpan[];
  field?: DeidField;
  note?: string;
  text: string;
  /** The original corpus: "dev" was tuned on; "test" was held out when it was written. */
  split?: 'dev' | 'test';
  batch?: 'blind' | 'blind2';
  topic?: string;
}

export interface DeidLabelledSet {
  name: string;
  version: number;
  writtenBy?: string;
  conventions?: Record<string, unknown>;
  items: DeidLabelledItem[];
}

export interface DeidKindFigures {
  kind: DeidKind;
  /** Labelled span occurrences of this kind. */
  spans: number;
  /** Occurrences overlapped by a finding of the same kind. */
  found: number;
  /** found / spans, or null when the set has no span of this kind. */
  recall: number | null;
  /** Findings of this kind. */
  findings: number;
  /** Findings of this kind that overlap a labelled span of this kind. */
  correctFindings: number;
  /** correctFindings / findings, or null when there is no finding of this kind. */
  precision: number | null;
  /** Findings of this kind in clean texts. */
  findingsInCleanTexts: number;
}

export interface DeidMissedSpan {
  id: string;
  kind: DeidKind;
  text: string;
}

export interface DeidItemResult {
  item: DeidLabelledItem;
  findings: DeidFinding[];
}

export interface DeidEvaluation {
  label: string;
  texts: number;
  identifyingTexts: number;
  cleanTexts: number;
  truePositives: number;
  flaggedTexts: number;
  recall: number | null;
  precision: number | null;
  falseNegatives: string[];
  falsePositives: string[];
  perKind: DeidKindFigures[];
  spanRecall: number | null;
  missedSpans: DeidMissedSpan[];
  results: DeidItemResult[];
}

export type DeidScanFn = (fields: Record<string, string>) => DeidFinding[];

const FIELD_NAMES: Record<DeidField, string> = { title: 'title', summary: 'summary', body: 'body', requiredAction: 'requiredActions[0]' };

/** Word-bounded occurrences of `needle` in `text` (start offsets). */
export function labelledOccurrences(text: string, needle: string): number[] {
  const out: number[] = [];
  if (!needle) return out;
  const wordChar = /[\p{L}\p{N}]/u;
  for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
    const before = i > 0 ? text[i - 1] : '';
    const after = text[i + needle.length] ?? '';
    const startsWord = wordChar.test(needle[0]);
    const endsWord = wordChar.test(needle[needle.length - 1]);
    if ((startsWord && before && wordChar.test(before)) || (endsWord && after && wordChar.test(after))) continue;
    out.push(i);
  }
  return out;
}

export function scanFnWith(options: DeidScanOptions = {}): DeidScanFn {
  return (fields) => scanForIdentifyingData(fields, options);
}

/** Scans every item and computes the figures. */
export function evaluateItems(items: DeidLabelledItem[], label = 'all', scan: DeidScanFn = scanForIdentifyingData): DeidEvaluation {
  const results: DeidItemResult[] = items.map((item) => ({ item, findings: scan({ [FIELD_NAMES[item.field ?? 'body'] ?? 'body']: item.text }) }));
  const identifying = results.filter((r) => r.item.identifying);
  const flagged = results.filter((r) => r.findings.length > 0);
  const truePositives = flagged.filter((r) => r.item.identifying).length;
  const perKind: DeidKindFigures[] = DEID_KINDS.map((kind) => ({ kind, spans: 0, found: 0, recall: null, findings: 0, correctFindings: 0, precision: null, findingsInCleanTexts: 0 }));
  const byKind = new Map(perKind.map((k) => [k.kind, k]));
  const missedSpans: DeidMissedSpan[] = [];
  for (const r of results) {
    const occurrences = r.item.spans.flatMap((span) => labelledOccurrences(r.item.text, span.text).map((at) => ({ kind: span.kind, text: span.text, start: at, end: at + span.text.length })));
    for (const f of r.findings) {
      const k = byKind.get(f.kind)!;
      k.findings++;
      if (!r.item.identifying) k.findingsInCleanTexts++;
      if (occurrences.some((o) => o.kind === f.kind && o.start < f.end && f.start < o.end)) k.correctFindings++;
    }
    for (const o of occurrences) {
      const figures = byKind.get(o.kind);
      if (!figures) continue;
      figures.spans++;
      if (r.findings.some((f) => f.kind === o.kind && f.start < o.end && o.start < f.end)) figures.found++;
      else missedSpans.push({ id: r.item.id, kind: o.kind, text: o.text });
    }
  }
  for (const k of perKind) {
    k.recall = k.spans ? k.found / k.spans : null;
    k.precision = k.findings ? k.correctFindings / k.findings : null;
  }
  const totalSpans = perKind.reduce((n, k) => n + k.spans, 0);
  const totalFound = perKind.reduce((n, k) => n + k.found, 0);
  return {
    label,
    texts: results.length,
    identifyingTexts: identifying.length,
    cleanTexts: results.length - identifying.length,
    truePositives,
    flaggedTexts: flagged.length,
    recall: identifying.length ? truePositives / identifying.length : null,
    precision: flagged.length ? truePositives / flagged.length : null,
    falseNegatives: identifying.filter((r) => r.findings.length === 0).map((r) => r.item.id),
    falsePositives: flagged.filter((r) => !r.item.identifying).map((r) => r.item.id),
    perKind,
    spanRecall: totalSpans ? totalFound / totalSpans : null,
    missedSpans,
    results,
  };
}

/** @deprecated name kept for callers of the first harness. */
export const evaluateCorpus = evaluateItems;

/**
 * The views reported for a set: all of it; for the original corpus its dev split and held-out
 * test split (and batches); for any other set two halves, alternating in file order within
 * identifying and within clean texts (A = 1st, 3rd, ...; B = 2nd, 4th, ...).
 */
export function evaluateSet(set: DeidLabelledSet, scan: DeidScanFn = scanForIdentifyingData): DeidEvaluation[] {
  const items = set.items;
  const name = set.name;
  const out = [evaluateItems(items, `${name}: all`, scan)];
  if (items.some((i) => i.split)) {
    out.push(evaluateItems(items.filter((i) => i.split === 'dev'), `${name}: dev split`, scan));
    out.push(evaluateItems(items.filter((i) => i.split === 'test'), `${name}: test split`, scan));
    if (items.some((i) => i.batch === 'blind2')) out.push(evaluateItems(items.filter((i) => i.batch === 'blind2'), `${name}: blind2`, scan));
  } else if (items.length >= 20) {
    const [a, b] = halves(items);
    out.push(evaluateItems(a, `${name}: half A`, scan), evaluateItems(b, `${name}: half B`, scan));
  }
  return out;
}

export function halves(items: DeidLabelledItem[]): [DeidLabelledItem[], DeidLabelledItem[]] {
  const a: DeidLabelledItem[] = [];
  const b: DeidLabelledItem[] = [];
  let ident = 0;
  let clean = 0;
  for (const it of items) {
    const n = it.identifying ? ident++ : clean++;
    (n % 2 === 0 ? a : b).push(it);
  }
  return [a, b];
}

export const DEID_FIXTURES_RELATIVE_PATH = join('test', 'fixtures', 'deid');

/** Walks up from `startDir` to test/fixtures/deid. */
export function findDeidFixtures(startDir: string): string {
  let dir = resolve(startDir);
  for (;;) {
    const candidate = join(dir, DEID_FIXTURES_RELATIVE_PATH);
    if (existsSync(join(candidate, 'corpus.json'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`${DEID_FIXTURES_RELATIVE_PATH} not found above ${startDir}`);
    dir = parent;
  }
}

/** Every labelled set in the fixtures folder (each *.json), in name order. */
export function labelledSetPaths(fixturesDir: string): string[] {
  return readdirSync(fixturesDir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => join(fixturesDir, f));
}

/** Reads a labelled set and checks its shape (kinds known, spans present in their text, ids unique). */
export function loadLabelledSet(path: string): DeidLabelledSet {
  const set = JSON.parse(readFileSync(path, 'utf8')) as DeidLabelledSet;
  // Writers from the brief name the notice's list "requiredActions"; it is the same field.
  for (const it of set.items ?? []) if ((it.field as string) === 'requiredActions') it.field = 'requiredAction';
  const problems = validateLabelledSet(set);
  if (problems.length) throw new Error(`invalid labelled set ${path}:\n${problems.slice(0, 20).join('\n')}`);
  return set;
}

export function validateLabelledSet(set: DeidLabelledSet): string[] {
  const problems: string[] = [];
  if (!set || !Array.isArray(set.items)) return ['items missing'];
  const ids = new Set<string>();
  const kinds = new Set<string>(DEID_KINDS);
  for (const it of set.items) {
    if (ids.has(it.id)) problems.push(`${it.id}: duplicate id`);
    ids.add(it.id);
    if (typeof it.text !== 'string' || !it.text) problems.push(`${it.id}: empty text`);
    if (it.field !== undefined && !(it.field in FIELD_NAMES)) problems.push(`${it.id}: unknown field ${it.field}`);
    if (!Array.isArray(it.spans) || it.identifying !== it.spans.length > 0) problems.push(`${it.id}: identifying must be true exactly when spans are labelled`);
    const spanKinds = [...new Set((it.spans ?? []).map((s) => s.kind))].sort();
    if (JSON.stringify(spanKinds) !== JSON.stringify([...(it.kinds ?? [])].sort())) problems.push(`${it.id}: kinds do not match the spans' kinds`);
    for (const s of it.spans ?? []) {
      if (!kinds.has(s.kind)) problems.push(`${it.id}: unknown kind ${s.kind}`);
      if (!labelledOccurrences(it.text, s.text).length) problems.push(`${it.id}: span '${s.text}' not found in its text`);
    }
  }
  return problems;
}
