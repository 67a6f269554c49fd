/**
 * De-identification guard for safety notices: finds text that could identify a child, a family or
 * a case. One detector per kind (detectors/), each given the field prepared once (text-context.ts);
 * the combiner (combiner.ts) merges overlapping findings. A name found with evidence in one field
 * is looked for in every field. Pure and deterministic; every pattern is bounded, so the scan is
 * linear in the input. See evaluate.ts for how it is measured.
 */
import { combineCandidates } from './combiner';
import { Candidate } from './detector';
import { DETECTORS } from './detectors';
import { propagateNames, scanNames } from './detectors/personal-name.detector';
import { unexplainedIdentifiers } from './detectors/unexplained-identifier';
import { DEID_KINDS, DeidFinding, DeidKind, DeidNoticeText, DeidScanOptions, NlpSwitches } from './kinds';
import { taggedPeople } from './nlp-tagger';
import { publicValuesOf, ScanContext } from './text-context';
import { insideAny, withoutPublicSpans } from './public-spans';
import { modelCandidates, resolveTokenModel, vetoCleanReadings } from './token-model/model-evidence';
import { TokenPrediction } from './token-model/token-model';
import { resolveTextModel } from './text-model/text-model';

export { DEID_KINDS };
export type { DeidFinding, DeidKind, DeidNoticeText, DeidScanOptions };

/** What the evaluation kept (see the README's de-identification section for the figures). */
export const DEFAULT_NLP: NlpSwitches = { lexicon: true, tagger: false };

/**
 * For text that is not a notice's (review records, survey answers, reasons): the text model was
 * trained and measured on notice texts only, and reads the plain sentences of other registers
 * ("Court orders did not reach the ongoing worker before the visit.") as a story of one family.
 */
export const NOT_A_NOTICE: Pick<DeidScanOptions, 'textModel'> = { textModel: { enabled: false } };

const NUMBERED_KINDS = new Set<DeidKind>(['ssn', 'medicaid_id', 'case_number', 'tribal_enrollment', 'phone', 'vehicle_id']);
/**
 * The sentence says its values are not real ("dummy values", "fictitious", "placeholder", "a fake
 * number"). "Fake" counts only for a value: a stolen SSN "used for a fake claim" is a real one.
 */
const NOT_REAL_RE = /\b(?:dummy|fictitious|fictional|placeholder|made[-\s]up|not\s+(?:a\s+)?real(?!\s+(?:mask|masking|redaction|de-?identification)))\b|\bfake\s+(?:(?:[\w-]+\s+){0,2}(?:numbers?|values?|IDs?|SSNs?|data|examples?|records?|entries|digits))\b/i;

/** A number that stands for no one: every digit a zero (***-**-0000, 0000000000), or in a sentence that calls it a dummy. */
function placeholderValue(text: string, c: Candidate): boolean {
  if (!NUMBERED_KINDS.has(c.kind)) return false;
  const digits = text.slice(c.start, c.end).replace(/\D/g, '');
  if (digits.length >= 4 && /^0+$/.test(digits)) return true;
  // The sentence's start, searched only in the 200 characters before (lastIndexOf over the field made many numbers quadratic).
  const off = Math.max(0, c.start - 200);
  const win = text.slice(off, c.start);
  const at = (i: number): number => (i < 0 ? -1 : off + i);
  const s = Math.max(at(win.lastIndexOf('.', c.start - 2 - off)), at(win.lastIndexOf('\n', c.start - 1 - off)), c.start - 200);
  const after = text.slice(c.end, c.end + 200);
  const e = after.indexOf('.');
  return NOT_REAL_RE.test(text.slice(s + 1, e < 0 ? c.end + after.length : c.end + e));
}

/** Scans a notice's text fields: title, summary, body, requiredActions[0], requiredActions[1], ... */
export function scanNotice(notice: DeidNoticeText, options: DeidScanOptions = {}): DeidFinding[] {
  const fields: Record<string, string> = {
    title: notice.title ?? '',
    summary: notice.summary ?? '',
    body: notice.body ?? '',
  };
  (notice.requiredActions ?? []).forEach((action, i) => {
    fields[`requiredActions[${i}]`] = action ?? '';
  });
  return scanForIdentifyingData(fields, options);
}

/** Scans each field and returns the findings in field order, then by position. */
export function scanForIdentifyingData(fields: Record<string, string>, options: DeidScanOptions = {}): DeidFinding[] {
  const nlp: NlpSwitches = { ...DEFAULT_NLP, ...options.nlp };
  const publicValues = publicValuesOf(options.knownPublic);
  const contexts = Object.keys(fields).map((field) => new ScanContext(field, typeof fields[field] === 'string' ? fields[field] : '', publicValues, nlp));
  const tokenModel = resolveTokenModel(options.tokenModel);
  const textModel = resolveTextModel(options.textModel);
  const perField: Candidate[][] = [];
  const predictions: TokenPrediction[][] = [];
  /** Each field's public spans (public-spans.ts). */
  const publicSpans: Array<Array<[number, number]>> = [];
  const known = new Map<string, string>();
  for (const ctx of contexts) {
    const cands: Candidate[] = [];
    let spansHere: Array<[number, number]> = [];
    const preds = tokenModel && ctx.text ? tokenModel.model.predict(ctx.text) : [];
    predictions.push(preds);
    if (ctx.text) {
      const names = scanNames(ctx);
      const ruled = [...names.candidates];
      if (nlp.tagger) ruled.push(...taggedPeople(ctx));
      for (const d of DETECTORS) if (d.kind !== 'personal_name') ruled.push(...d.detect(ctx));
      const { kept, dropped, spans } = withoutPublicSpans(ctx, ruled);
      spansHere = spans;
      cands.push(...kept);
      const citedOnly = namesOnlyIn(ctx.text, dropped, kept);
      for (const [lw, shown] of names.words) if (!known.has(lw) && !citedOnly.has(lw)) known.set(lw, shown);
      if (tokenModel) cands.push(...modelCandidates(ctx, preds, tokenModel.settings, cands));
      // Last, so that it only fills gaps the rules and the model left.
      cands.push(...unexplainedIdentifiers(ctx, cands));
    }
    perField.push(cands);
    publicSpans.push(spansHere);
  }
  const out: DeidFinding[] = [];
  contexts.forEach((ctx, k) => {
    // A name known from another field is not found again inside a public span ("Stanley v. Illinois, 405 U.S. 645 (1972)").
    if (known.size && ctx.text) perField[k].push(...propagateNames(ctx, perField[k].filter((c) => c.kind === 'personal_name'), known).filter((c) => !insideAny(publicSpans[k], c)));
    const cands = tokenModel ? vetoCleanReadings(perField[k], predictions[k], tokenModel.settings) : perField[k];
    // The text model speaks only where the rules saw nothing at all (not even a placeholder number):
    // it names no kind, only a place to look.
    const read = textModel && ctx.text && cands.length === 0 ? textModel.model.finding(ctx.text, textModel.threshold, options.reviewedText, ctx.publicValueSpans) : null;
    out.push(...combineCandidates(ctx.field, ctx.text, read ? [read] : cands.filter((c) => !placeholderValue(ctx.text, c))));
  });
  return out;
}

/** Name words found only in candidates a public span dropped: not looked for in the other fields. */
function namesOnlyIn(text: string, dropped: Candidate[], kept: Candidate[]): Set<string> {
  if (dropped.length === 0) return new Set();
  const wordsOf = (cs: Candidate[]) => cs.filter((c) => c.kind === 'personal_name').flatMap((c) => text.slice(c.start, c.end).toLowerCase().split(/\s+/));
  const keptWords = new Set(wordsOf(kept));
  return new Set(wordsOf(dropped).filter((w) => !keptWords.has(w)));
}
