/** Helpers for the detectors' unit specs: run one detector on a text, as the scanner would. */
import { DeidDetector } from './detector';
import { DEFAULT_NLP, scanForIdentifyingData } from './deid-scanner';
import { DeidScanOptions } from './kinds';
import { publicValuesOf, ScanContext } from './text-context';

export function contextOf(text: string, options: DeidScanOptions = {}, field = 'body'): ScanContext {
  return new ScanContext(field, text, publicValuesOf(options.knownPublic), { ...DEFAULT_NLP, ...options.nlp });
}

/** The texts one detector finds in `text`, in order, overlapping candidates merged. */
export function found(detector: DeidDetector, text: string, options: DeidScanOptions = {}): string[] {
  const cands = detector.detect(contextOf(text, options)).sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Array<[number, number]> = [];
  for (const c of cands) {
    const last = out[out.length - 1];
    if (last && c.start < last[1]) last[1] = Math.max(last[1], c.end);
    else out.push([c.start, c.end]);
  }
  return out.map(([s, e]) => text.slice(s, e));
}

/** The whole guard's findings on `text` as a notice body, "kind:text", with the token model and without the text model (the rounds' specs). */
export function findingsWithTokenModel(text: string): string[] {
  return scanForIdentifyingData({ body: text }, { textModel: { enabled: false } }).map((f) => `${f.kind}:${f.text}`);
}
