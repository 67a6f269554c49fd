/**
 * How the scanner uses the token classifier (token-model.ts) beside the rules:
 * - a run of tokens the model reads as one identifier becomes a finding only when the run also has
 *   the shape of that kind (digits for numbers, dates and addresses; a capitalised word that is no
 *   common English word, or a known given name or surname, for names; capital letters for
 *   initials; '@', '/', '.' or '_' for handles, mailboxes and file names): the model never adds a
 *   finding on its own;
 * - a rule's finding of a name (found by its shape or by context, not by a label or a role), of
 *   initials, a handle, an address, a phone or a mailbox is dropped when the model is confident that
 *   none of its words belongs to any identifier: two independent readings agree that it is clean.
 */
import { Candidate, candidate } from '../detector';
import { DeidKind, NlpSwitches, TokenModelOptions } from '../kinds';
import { isEnglishWord } from '../lexicon/dictionary';
import { CREDENTIALS, isGivenName, isSurname } from '../lexicon/name-lexicon';
import { US_STATE_ABBREVIATIONS } from '../lexicon/places';
import { MAIL_AND_TIME_ZONE_ABBREVIATIONS } from '../lexicon/words';
import { NOT_A_CASE_BEFORE_RE } from '../detectors/case-number.detector';
import { rejectedAsName } from '../detectors/personal-name.detector';
import { ScanContext } from '../text-context';
import { MODEL_CLASSES, TokenModel, TokenModelWeights, tokenModel, TokenPrediction } from './token-model';
import { firstSpanEndingAfter } from '../sorted-spans';

export interface ModelEvidenceSettings {
  /** A run of tokens is read as an identifier when each has at least this probability of not being 'O'. */
  add: number;
  /** The same for names: lower, with a stricter shape at a sentence's start (a name has no other sign of its own). */
  addName: number;
  /** The same for numbers (IDs, phones, addresses, coordinates): a higher bar, numbers in notices are mostly public. */
  addNumber: number;
  /** A rule's finding of a vetoed kind is dropped when every word in it has at least this probability of 'O'. */
  veto: number;
  /** Kinds the model may add (always with the shape check). */
  addKinds: ReadonlySet<DeidKind>;
}

/** Identifier numbers: a higher bar, and the run starts at its first token with a digit or a capital. */
const ID_KINDS: ReadonlySet<DeidKind> = new Set(['ssn', 'phone', 'case_number', 'medicaid_id', 'tribal_enrollment', 'vehicle_id']);
const NUMBERED: ReadonlySet<DeidKind> = new Set([...ID_KINDS, 'street_address', 'geo_coordinates']);

/**
 * Dates and identifier numbers (SSN, phone, case, Medicaid, tribal, plate) are left to the rules: in
 * leave-one-set-out runs the model's readings of them caught no text the rules missed and raised
 * false alarms (dates of events, form and publication numbers). Names, addresses, file names,
 * handles, initials and quasi-identifiers are where it adds recall.
 */
export const DEFAULT_MODEL_SETTINGS: ModelEvidenceSettings = {
  add: 0.5,
  addName: 0.35,
  addNumber: 0.7,
  veto: 0.97,
  addKinds: new Set<DeidKind>(['street_address', 'geo_coordinates', 'personal_name', 'initials', 'email', 'social_handle', 'file_name', 'quasi_identifier']),
};

/** Citation parts before a number: a page, volume, DOI or publication number. */
const CITATION_BEFORE_RE = /(?:\b(?:p|pp|vol|no|doi|isbn|issn|pmid|publication|pub)\.?\s?:?\s?|\d{4};\d+(?:\(\d+\))?:|doi:\S{0,40})$/i;
/** A table column or list lead-in of product, lot or citation numbers. */
const PUBLIC_COLUMN_RE = /\b(?:lot|lots|model|models|sku|upc|item|serial|catalog|recall|version|form|page|pages|volume|citation|reference|doi|publication)\b/i;

/** Where the whitespace-delimited chunk holding `pos` starts ("DCF-PUB-2026-044" for a run that starts at "PUB"). */
function chunkStart(text: string, pos: number): number {
  let k = pos;
  while (k > 0 && pos - k < 40 && !/[\s(]/.test(text[k - 1])) k--;
  return k;
}

/** Does [start, end) cover the whole whitespace-delimited chunk around it, edge punctuation aside? */
export function wholeChunk(text: string, start: number, end: number): boolean {
  let e = end;
  while (e < text.length && e - end < 40 && !/[\s(]/.test(text[e])) e++;
  const chunk = text.slice(chunkStart(text, start), e);
  const core = chunk.replace(/^[("'“‘[*_<]+|[)"'”’\].,;:!?*_>]+$/g, '');
  return text.slice(start, end).replace(/[.,;:!?]+$/, '') === core;
}

/** A number whose context marks it as public: a citation, form or product number. */
function publicNumber(ctx: ScanContext, start: number): boolean {
  const before = ctx.before(start, 40);
  if (NOT_A_CASE_BEFORE_RE.test(before) || CITATION_BEFORE_RE.test(before)) return true;
  const placed = ctx.placementOf(start);
  return placed !== undefined && PUBLIC_COLUMN_RE.test(`${placed.header} ${placed.rowLabel}`);
}

/** Credentials, countries and states that look like initials. */
const NOT_INITIALS = new Set([...CREDENTIALS, ...US_STATE_ABBREVIATIONS.map((a) => a.toLowerCase()), 'us', 'uk', 'usa', 'po', 'tv', 'am', 'pm', 'id', 'ok', 'me', 'er', 'icu', 'cps', 'dcs', 'dcf', 'ssn', 'dob', 'nb', 'ps', 'ie', 'eg', 'aka', 'eta', 'rsvp', ...MAIL_AND_TIME_ZONE_ABBREVIATIONS]);
/** Probability from which the model's reading counts as near certain. */
const SURE = 0.9;
const MONTH_RE = /^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)/i;

/** Does the run of text have the shape of its kind? (The rule beside the model's reading.) */
export function hasShapeOf(kind: DeidKind, run: readonly TokenPrediction[], nlp: NlpSwitches): boolean {
  const words = run.map((p) => p.tok);
  const text = words.map((t) => t.w).join(' ');
  const joined = words.map((t) => t.w).join('');
  const digits = text.replace(/\D/g, '').length;
  const hasWord = words.some((t) => /\p{L}{2,}/u.test(t.w));
  switch (kind) {
    case 'personal_name':
      // A capitalised word that is a known name, or no common English word (at a sentence's start, where
      // any word has a capital, only when the model is near certain: "Nunca", "En"); a common word
      // ("Boogie", "Grace") only when the model is near certain and the capital is not a sentence's.
      return run.some(
        ({ tok: t, pO }) =>
          /^\p{Lu}\p{Ll}/u.test(t.w) && (isGivenName(t.lw, nlp) || isSurname(t.lw, nlp) || (!isEnglishWord(t.lw) && (!t.lineStart || pO <= 1 - SURE)) || (pO <= 1 - SURE && !t.lineStart)),
      );
    case 'initials': {
      // Two or three capitals ("J.M.", "KT"), not a credential, a country or a state ("J.D.", "U.S.", "OK").
      const letters = joined.replace(/[^\p{L}]/gu, '');
      return /^\p{Lu}{2,3}$/u.test(letters) && !NOT_INITIALS.has(letters.toLowerCase());
    }
    case 'email':
      return text.includes('@');
    case 'social_handle':
      // "@lil.kay", "tiktok.com/@x", or a user name that mixes letters with digits or underscores ("bigmike_352").
      return /@\w|\/\w/.test(joined) || /^(?=.*[a-z])(?=.*[\d_])[a-z0-9._]{4,30}$/i.test(joined);
    case 'file_name':
      return /\.(?:[A-Za-z][A-Za-z0-9]{1,4})$|[A-Za-z0-9][/\\][A-Za-z0-9]|[A-Za-z0-9]_[A-Za-z]|[A-Za-z]_[A-Za-z0-9]/.test(joined);
    case 'date_of_birth':
    case 'exact_age_date':
      return (digits >= 1 && words.some((t) => MONTH_RE.test(t.w))) || /\d[-/.]\d/.test(joined);
    case 'street_address':
      return digits >= 1 && hasWord;
    case 'vehicle_id':
      // A plate mixes letters and digits in one chunk ("7KJM214", "ABC-1234"); a VIN has 17 characters.
      return words.some((t) => /^(?=.*\d)(?=.*[A-Z])[A-Z0-9 -]{5,17}$/.test(t.chunk));
    case 'geo_coordinates':
      return /\d\.\d{3,}|°|\+[2-9CFGHJMPQRVWX]{2,}/.test(joined);
    case 'quasi_identifier':
      // A phrase (at least three words) that names something: a capitalised word inside it.
      return words.filter((t) => /\p{L}/u.test(t.w)).length >= 3 && words.some((t) => /^\p{Lu}\p{Ll}/u.test(t.w) && !t.lineStart);
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

/**
 * Candidates the model reads and the shape confirms, except where a rule judged the span clean (an
 * official, an agency's line, a citation: ctx.cleared) or a citation, form or product word comes
 * right before a number. Run after the detectors, which record what they cleared.
 */
export function modelCandidates(ctx: ScanContext, preds: readonly TokenPrediction[], settings: ModelEvidenceSettings, ruleFindings: readonly Candidate[] = []): Candidate[] {
  const out: Candidate[] = [];
  const found = mergedSpans(ruleFindings);
  const named = runs(preds, settings.addName).filter((r) => r.kind === 'personal_name');
  for (const r of [...runs(preds, settings.add).filter((r) => r.kind !== 'personal_name'), ...named]) {
    if (!settings.addKinds.has(r.kind)) continue;
    let from = r.from;
    // "publication DCF-PUB-2026-044": the label words before an identifier are not part of it.
    if (ID_KINDS.has(r.kind)) while (from < r.to - 1 && !/[\p{N}\p{Lu}]/u.test(preds[from].tok.w)) from++;
    const run = preds.slice(from, r.to);
    const start = run[0].tok.s;
    const lastTok = run[run.length - 1].tok;
    // "Kaysen's crib": the possessive ending is not part of the name.
    const end = r.kind === 'personal_name' && /['’]s$/i.test(lastTok.w) ? lastTok.e - 2 : lastTok.e;
    const p = Math.max(...run.map((x) => 1 - x.pO));
    // Where a rule found something, its kind and span stand: the model only speaks where the rules are silent.
    if (!hasShapeOf(r.kind, run, ctx.nlp) || ctx.cleared(start, end) || overlaps(found, start, end)) continue;
    if (r.kind === 'quasi_identifier' && p < SURE) continue;
    if ((ID_KINDS.has(r.kind) && p < settings.addNumber) || (NUMBERED.has(r.kind) && publicNumber(ctx, chunkStart(ctx.text, start)))) continue;
    if (r.kind === 'personal_name' && rejectedAsName(ctx, start, end)) continue;
    // A file name is a whole chunk ("Q3_2024_summary.pdf"), never a piece of one ("3_2024_summary").
    if (r.kind === 'file_name' && !wholeChunk(ctx.text, start, end)) continue;
    out.push(candidate(r.kind, start, end, `Reads like ${r.kind.replace(/_/g, ' ')} to the token model (p=${p.toFixed(2)}) and has its shape`, 1));
  }
  return out;
}

/** The rules' findings as sorted, disjoint spans. */
function mergedSpans(cands: readonly Candidate[]): Array<[number, number]> {
  const sorted = cands.map((c): [number, number] => [c.start, c.end]).sort((a, b) => a[0] - b[0]);
  const out: Array<[number, number]> = [];
  for (const [s, e] of sorted) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

/** Does [start, end) overlap one of the sorted disjoint spans? */
function overlaps(spans: ReadonlyArray<[number, number]>, start: number, end: number): boolean {
  const first = firstSpanEndingAfter(spans, start);
  return first !== undefined && first[0] < end;
}

/**
 * Kinds whose rule findings the model may veto: those the rules find by context words that also
 * surround public values (a title before an official's name, "Suite 120", an office's line, an
 * agency's handle). Dates and identifier numbers with a label are left alone.
 */
const VETOED_KINDS: ReadonlySet<DeidKind> = new Set(['personal_name', 'initials', 'social_handle', 'street_address', 'phone', 'email']);
/** Names found by a label, a role or an age, and an initial standing for a family (strength 4), stand whatever the model reads. */
const STRONGEST_VETOED_NAME = 3;

/**
 * Drops a rule's finding of VETOED_KINDS (a name only when found by its shape or by context, not by
 * a label or a role) when the model gives every word and number in it at least `veto` of being
 * clean: two independent readings agree that it is clean. In leave-one-set-out runs, no finding of
 * these kinds that the model read this surely as clean was a true one.
 */
export function vetoCleanReadings(cands: readonly Candidate[], preds: readonly TokenPrediction[], settings: ModelEvidenceSettings): Candidate[] {
  return cands.filter((c) => {
    if (!VETOED_KINDS.has(c.kind) || ((c.kind === 'personal_name' || c.kind === 'initials') && c.strength > STRONGEST_VETOED_NAME)) return true;
    // The first token ending after the candidate's start (binary search: tokens are in order).
    let lo = 0;
    let hi = preds.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (preds[mid].tok.e <= c.start) lo = mid + 1;
      else hi = mid;
    }
    let words = 0;
    for (let k = lo; k < preds.length && preds[k].tok.s < c.end; k++) {
      if (!/[\p{L}\p{N}]/u.test(preds[k].tok.w)) continue;
      words++;
      if (preds[k].pO < settings.veto) return true;
    }
    return words === 0;
  });
}

/** The model and settings a scan uses: the committed ones unless a measurement asks otherwise. */
export function resolveTokenModel(options: TokenModelOptions | undefined): { model: TokenModel; settings: ModelEvidenceSettings } | undefined {
  if (options?.enabled === false) return undefined;
  const model = options?.weights ? new TokenModel(options.weights as TokenModelWeights) : tokenModel();
  const settings: ModelEvidenceSettings = {
    add: options?.add ?? DEFAULT_MODEL_SETTINGS.add,
    addName: options?.addName ?? options?.add ?? DEFAULT_MODEL_SETTINGS.addName,
    addNumber: options?.addNumber ?? DEFAULT_MODEL_SETTINGS.addNumber,
    veto: options?.veto ?? DEFAULT_MODEL_SETTINGS.veto,
    addKinds: options?.addKinds ? new Set(options.addKinds) : DEFAULT_MODEL_SETTINGS.addKinds,
  };
  return { model, settings };
}
