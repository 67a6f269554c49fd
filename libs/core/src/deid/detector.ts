/** The common interface of the detectors: one per kind, each given the prepared field. */
import { DeidKind } from './kinds';
import { ScanContext } from './text-context';

export interface Candidate {
  start: number;
  end: number;
  kind: DeidKind;
  reason: string;
  /** Among findings of one kind, the stronger reason is kept when spans merge. */
  strength: number;
}

export interface DeidDetector {
  readonly kind: DeidKind;
  detect(ctx: ScanContext): Candidate[];
}

/** A small helper so detectors build candidates the same way. */
export function candidate(kind: DeidKind, start: number, end: number, reason: string, strength = 2): Candidate {
  return { kind, start, end, reason, strength };
}

/** Runs `re` (global) over `text`, yielding each match; the caller's regex must be bounded. */
export function* matches(re: RegExp, text: string): Generator<RegExpExecArray> {
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[0].length === 0) re.lastIndex++;
    yield m;
  }
}
