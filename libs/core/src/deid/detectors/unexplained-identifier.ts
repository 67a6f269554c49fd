/**
 * Suspicious by default (round ten): a value shaped like a personal identifier that no rule has
 * reported and nothing explains as public is a finding. Nine rounds of cues and formats kept
 * missing numbers that unseen writers introduce in new ways; the shape of the value does not
 * change with the writer, so the decision is inverted: a shape is identifying until explained
 * (public-explanations.ts). The kind comes from a cue nearby when there is one, else from the shape.
 * Run by the scanner after the detectors, with their candidates, so it only fills gaps.
 */
import { Candidate, candidate } from '../detector';
import { DeidKind } from '../kinds';
import { countStartingBefore } from '../sorted-spans';
import { ScanContext } from '../text-context';
import { digitCount, identifierShapes, patternOf, ShapedValue, spokenDigits } from './identifier-shapes';
import { personalLabelBefore, publicExplanation } from './public-explanations';
import { VEHICLE_WORD_RE } from './vehicle-id.detector';

/** Cues of each kind (global: the nearest one before the value wins). */
const KIND_CUES: Array<[DeidKind, RegExp]> = [
  ['ssn', /\b(?:SSN|S\.S\.N|SS\s?#|social(?!\s+(?:worker|work|services|media|history))|soc\.?\s*sec|seguro\s+social)\b/gi],
  ['medicaid_id', /\b(?:medicaid|medi-?cal|insurance|insurer|health\s+plan|(?:plan|coverage|benefits?|health|insurance)\s+card|member|miembro|afiliad[oa]|beneficiar(?:y|io|ia)|coverage|pharmacy|rx)\b/gi],
  ['tribal_enrollment', /\b(?:tribal|tribe|enrol(?:l)?ment|CDIB|nation|band|pueblo|roll)\b/gi],
  ['vehicle_id', /\b(?:plates?|tags?|VIN|placas?|registration)\b/gi],
  ['phone', /\b(?:phone|cell|mobile|call(?:ed)?|text(?:ed)?|dial(?:ed)?|number\s+is|tel[eé]fono|celular|landline|voicemail)\b/gi],
];

/** Driving words: a plate is named beside a vehicle or a journey, whatever the make. */
const DRIVING_RE = /\b(?:drove|drive|drives|driving|driven|pulled\s+(?:away|out|off|up|in)|sped|speeding|parked|tail\s?lights?|bumper|windshield|dashcam)\b/i;

function aboutAVehicle(text: string): boolean {
  return VEHICLE_WORD_RE.test(text) || DRIVING_RE.test(text);
}

/** The kind a shaped value is reported as: the nearest cue's, else the shape's. */
function kindOf(ctx: ScanContext, v: ShapedValue): DeidKind {
  const before = ctx.before(v.start, 80);
  let best: DeidKind | undefined;
  let bestAt = -1;
  for (const [kind, re] of KIND_CUES) {
    re.lastIndex = 0;
    for (let m = re.exec(before); m; m = re.exec(before)) if (m.index > bestAt) [best, bestAt] = [kind, m.index];
  }
  if (best) return best;
  const value = ctx.text.slice(v.start, v.end);
  const digits = v.shape === 'spoken' ? spokenDigits(value).length : digitCount(value);
  if (v.shape === 'plate') return 'vehicle_id';
  if (v.shape === 'code') return aboutAVehicle(ctx.before(v.start, 160) + ctx.after(v.end, 100)) ? 'vehicle_id' : 'case_number';
  if (digits === 9 || /^\d{3}-\d{2}-\d{4}$/.test(value) || v.shape === 'masked') return 'ssn';
  if (digits === 7 || digits === 10 || digits === 11) return 'phone';
  return 'case_number';
}

/** Identifier-shaped values of the field that no candidate covers and nothing explains as public. */
export function unexplainedIdentifiers(ctx: ScanContext, found: readonly Candidate[]): Candidate[] {
  const shapes = identifierShapes(ctx.text);
  if (!shapes.length) return [];
  const covered = coverageOf(found);
  const unexplained: ShapedValue[] = [];
  const explained: Array<{ pattern: string; start: number; end: number }> = [];
  for (const v of shapes) {
    if (covered(v.start, v.end)) continue;
    // A plate written in two parts is a plate only in a text about a vehicle.
    if (v.shape === 'plate' && !aboutAVehicle(ctx.text)) continue;
    const why = publicExplanation(ctx, v);
    if (!why) {
      unexplained.push(v);
      continue;
    }
    ctx.publicValueSpans.push([v.start, v.end]);
    if (SERIES_EXPLANATIONS.has(why)) explained.push({ pattern: patternOf(ctx.text.slice(v.start, v.end)), start: v.start, end: v.end });
  }
  // A sibling of a public value, written the same way in the same field, is public too: "Form
  // 2024-CW-17 replaces 2019-CW-17", "ticket INC0044187 ... or INC0048812", "models 34411700 and 38112345".
  const out: Candidate[] = [];
  for (const v of unexplained) {
    const pattern = patternOf(ctx.text.slice(v.start, v.end));
    // Another value, not another reading of this one (a masked value is also shaped like a code).
    const sibling = explained.some((e) => e.pattern === pattern && (e.end <= v.start || e.start >= v.end));
    if (sibling && !personalLabelBefore(ctx.before(v.start, 40))) ctx.publicValueSpans.push([v.start, v.end]);
    else out.push(candidate(kindOf(ctx, v), v.start, v.end, 'Value shaped like a personal identifier, with nothing to say it is public', 1));
  }
  return out;
}

/**
 * Explanations that make a series public (citations, forms, products, tickets), not one line: a
 * toll-free or agency number says nothing of another number written the same way.
 */
const SERIES_EXPLANATIONS = new Set(['after a public label', 'under a public heading', 'a citation', 'a public reference', 'a common code, ordinal or measure', 'a product number']);

/** Does [start, end) overlap a candidate? Sorted starts and a running maximum of ends: a binary search per value. */
function coverageOf(found: readonly Candidate[]): (start: number, end: number) => boolean {
  const spans = found.map((c): [number, number] => [c.start, c.end]).sort((a, b) => a[0] - b[0]);
  const maxEnd: number[] = [];
  for (const [, e] of spans) maxEnd.push(Math.max(e, maxEnd[maxEnd.length - 1] ?? -1));
  return (start, end) => {
    const lo = countStartingBefore(spans, end);
    return lo > 0 && maxEnd[lo - 1] > start;
  };
}
