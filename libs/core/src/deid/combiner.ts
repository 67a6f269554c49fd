/**
 * Merges the detectors' candidates into findings: candidates of one kind that overlap become one
 * span; where one finding lies inside another of a different kind, the higher-priority kind is kept
 * (a file name holding a surname is reported once, as a file name). Findings of different kinds
 * that only partly overlap are both kept, so a long phrase (a quasi-identifier) is not lost to a
 * handle at its edge, and a quasi-identifier (a combination) never hides the identifiers inside it. Linear after sorting: findings are short, so the look-back is capped.
 */
import { Candidate } from './detector';
import { DeidFinding, KIND_PRIORITY } from './kinds';

/** How far back the merge looks for an overlapping finding (no detector makes longer spans). */
export const MAX_SPAN = 1000;

export function combineCandidates(field: string, text: string, cands: readonly Candidate[]): DeidFinding[] {
  const sorted = cands.filter((c) => c.end > c.start && c.end - c.start <= MAX_SPAN).sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: Candidate[] = [];
  for (const c of sorted) {
    let absorbed = false;
    for (let k = kept.length - 1; k >= 0; k--) {
      const o = kept[k];
      if (o.start < c.start - MAX_SPAN) break;
      if (o.end <= c.start || c.end <= o.start) continue;
      if (o.kind === c.kind) {
        o.start = Math.min(o.start, c.start);
        o.end = Math.max(o.end, c.end);
        if (c.strength > o.strength) {
          o.reason = c.reason;
          o.strength = c.strength;
        }
        absorbed = true;
        break;
      }
      const nested = (o.start <= c.start && c.end <= o.end) || (c.start <= o.start && o.end <= c.end);
      // A quasi-identifier is a combination: the identifiers inside it are reported as well.
      if (!nested || o.kind === 'quasi_identifier' || c.kind === 'quasi_identifier') continue;
      if (KIND_PRIORITY[o.kind] >= KIND_PRIORITY[c.kind]) {
        absorbed = true;
        break;
      }
      kept.splice(k, 1); // the new one outranks a lower-priority finding nested with it
    }
    if (!absorbed) kept.push({ ...c });
  }
  kept.sort((a, b) => a.start - b.start || a.end - b.end);
  return kept.map((c) => ({ field, start: c.start, end: c.end, text: text.slice(c.start, c.end), kind: c.kind, reason: c.reason }));
}
