/**
 * How the scanner uses the token classifier (token-model.ts) beside the rules:
 * - a run of tokens the model reads as one identifier becomes a finding only when the run also has
 *   the shape of that kind (digits for numbers, dates and addresses; a capitalised word that is no
 *   common English word, or a known given name or surname, for names; capital letters for
 *   initials; '@', '/', '.' or '_' for handles, mailboxes and file names): the model never adds a
 *   finding on its own;
 * - a weak name candidate of the rules (one found by shape or by a verb, strength below 4) is
 *   dropped when the model is confident that none of its words belongs to any identifier: two
 *   independent readings agree that it is clean.
 */
import { Candidate, candidate } from '../detector';
import { DeidKind, NlpSwitches, TokenModelOptions } from '../kinds';
import { isEnglishWord } from '../lexicon/dictionary';
import { isGivenName, isSurname } from '../lexicon/name-lexicon';
import { MODEL_CLASSES, TokenModel, TokenModelWeights, tokenModel, TokenPrediction } from './token-model';

export interface ModelEvidenceSettings {
  /** A run of tokens is read as an identifier when each has at least this probability of not being 'O'. */
  add: number;
  /** A weak name candidate is dropped when every word in it has at least this probability of 'O'. */
  veto: number;
  /** Kinds the model may add (always with the shape check). */
  addKinds: ReadonlySet<DeidKind>;
}

const NUMBERED: ReadonlySet<DeidKind> = new Set(['ssn', 'phone', 'case_number', 'medicaid_id', 'tribal_enrollment', 'vehicle_id', 'street_address', 'date_of_birth', 'exact_age_date', 'geo_coordinates']);

export const DEFAULT_MODEL_SETTINGS: ModelEvidenceSettings = {
  add: 0.5,
  veto: 0.97,
  addKinds: new Set<DeidKind>([...NUMBERED, 'personal_name', 'initials', 'email', 'social_handle', 'file_name']),
};

const MONTH_RE = /^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)/i;

/** Does the run of text have the shape of its kind? (The rule beside the model's reading.) */
export function hasShapeOf(kind: DeidKind, run: readonly TokenPrediction[], nlp: NlpSwitches): boolean {
  const words = run.map((p) => p.tok);
  const text = words.map((t) => t.w).join(' ');
  const digits = text.replace(/\D/g, '').length;
  switch (kind) {
    case 'personal_name':
      return words.some((t) => /^\p{Lu}\p{Ll}/u.test(t.w) && (!isEnglishWord(t.lw) || isGivenName(t.lw, nlp) || isSurname(t.lw, nlp)));
    case 'initials':
      return words.some((t) => /^\p{Lu}{1,3}$/u.test(t.w));
    case 'email':
      return text.includes('@');
    case 'social_handle':
      return /[@/]/.test(text);
    case 'file_name':
      return /[/\\_]|\.\s?[a-z]{2,4}\b/.test(text);
    case 'date_of_birth':
    case 'exact_age_date':
      return digits >= 1 && (digits >= 4 || words.some((t) => MONTH_RE.test(t.w)));
    case 'street_address':
      return digits >= 1;
    case 'vehicle_id':
      return digits >= 2 && words.length >= 1;
    case 'geo_coordinates':
      return digits >= 4 || text.includes('+');
    default:
      return NUMBERED.has(kind) ? digits >= 4 : false;
  }
}

/** Runs of consecutive tokens the model reads as identifiers of one kind. */
function runs(preds: readonly TokenPrediction[], threshold: number): Array<{ kind: DeidKind; from: number; to: number }> {
  const out: Array<{ kind: DeidKind; from: number; to: number }> = [];
  let from = -1;
  const close = (to: number): void => {
    if (from < 0) return;
    // The run's kind: the non-'O' class with the most probability over the run.
    const sums = new Float64Array(MODEL_CLASSES.length);
    for (let k = from; k < to; k++) for (let c = 1; c < sums.length; c++) sums[c] += preds[k].probs[c];
    let best = 1;
    for (let c = 2; c < sums.length; c++) if (sums[c] > sums[best]) best = c;
    out.push({ kind: MODEL_CLASSES[best] as DeidKind, from, to });
    from = -1;
  };
  preds.forEach((p, i) => {
    const inRun = 1 - p.pO >= threshold;
    if (inRun && from < 0) from = i;
    if (!inRun) close(i);
  });
  close(preds.length);
  return out;
}

/** Candidates the model reads and the shape confirms. */
export function modelCandidates(preds: readonly TokenPrediction[], settings: ModelEvidenceSettings, nlp: NlpSwitches): Candidate[] {
  const out: Candidate[] = [];
  for (const r of runs(preds, settings.add)) {
    if (!settings.addKinds.has(r.kind)) continue;
    const run = preds.slice(r.from, r.to);
    if (!hasShapeOf(r.kind, run, nlp)) continue;
    const p = Math.max(...run.map((x) => 1 - x.pO));
    out.push(candidate(r.kind, run[0].tok.s, run[run.length - 1].tok.e, `Reads like ${r.kind.replace(/_/g, ' ')} to the token model (p=${p.toFixed(2)}) and has its shape`, 1));
  }
  return out;
}

/** Drops weak name candidates whose every word the model is confident is clean. */
export function vetoWeakNames(cands: readonly Candidate[], preds: readonly TokenPrediction[], settings: ModelEvidenceSettings): Candidate[] {
  return cands.filter((c) => {
    if (c.kind !== 'personal_name' || c.strength >= 4) return true;
    const inside = preds.filter((p) => p.tok.s < c.end && c.start < p.tok.e && /\p{L}/u.test(p.tok.w));
    return !inside.length || inside.some((p) => p.pO < settings.veto);
  });
}

/** The model and settings a scan uses: the committed ones unless a measurement asks otherwise. */
export function resolveTokenModel(options: TokenModelOptions | undefined): { model: TokenModel; settings: ModelEvidenceSettings } | undefined {
  if (options?.enabled === false) return undefined;
  const model = options?.weights ? new TokenModel(options.weights as TokenModelWeights) : tokenModel();
  const settings: ModelEvidenceSettings = {
    add: options?.add ?? DEFAULT_MODEL_SETTINGS.add,
    veto: options?.veto ?? DEFAULT_MODEL_SETTINGS.veto,
    addKinds: options?.addKinds ? new Set(options.addKinds) : DEFAULT_MODEL_SETTINGS.addKinds,
  };
  return { model, settings };
}
