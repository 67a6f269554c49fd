/**
 * A text classifier trained offline (`npm run train:deid-model -- --text`) on whole labelled texts
 * of every writer: logistic regression over text-features.ts, the probability that a field
 * identifies someone. The rules and the token model key on the shapes of identifiers the sets
 * showed; a new writer's shapes slip past them (0.79–0.82 recall on held-out sets 9 and 10), while
 * this model, which reads how a text talks about one child or family, kept most of its recall on
 * sets left out of its training (see the README). So it may raise a finding on its own: a field
 * it reads as identifying, in which the rules found nothing, gets one finding over its most
 * identifying sentence, for the author to check (an approver can override it with a reason).
 */
import { Candidate, candidate } from '../detector';
import { TextModelOptions } from '../kinds';
import WEIGHTS from './text-model.weights.json';
import { textFeatures } from './text-features';

export interface TextModelWeights {
  /** What the weights were trained on, for the record. */
  trainedOn: string[];
  bias: number;
  features: string[];
  weights: number[];
}

/**
 * From this probability a field is a finding. Chosen with `npm run bench:deid-model-cv -- --text`
 * on the leave-one-set-out runs of the held-out sets evaluated so far, by a rule fixed before the
 * runs: the lowest of 0.5, 0.6, 0.7, 0.8, 0.9 and 0.95 at which the guard with the model keeps a
 * pooled precision of 0.95, compared exactly (from round twenty-two, test/fixtures/deid/heldout/
 * briefs/ROUND-22-RULE.md; 0.94 in rounds fourteen to twenty-one, 0.92 in eleven to thirteen), or
 * the highest if none does. Round twenty-nine, held-out 1–30 (fields of six words or fewer unread):
 * 0.5 gave 4775/5028 = 0.9497, 0.6 gave 4772/4994 = 0.956 (recall 0.998). (Round twenty-eight:
 * 0.5; twenty-seven: 0.6; twenty-six: 0.6; twenty-five: 0.6; twenty-four: 0.7; twenty-three: 0.7;
 * twenty-two: 0.7; twenty-one: 0.5; twenty: 0.5; nineteen: 0.6; eighteen: 0.5; seventeen: 0.7;
 * sixteen: 0.7; fifteen: 0.8; fourteen: 0.7; thirteen: 0.5; twelve: 0.6; eleven: 0.7; ten: 0.95.)
 * Never chosen on a set evaluated as unseen. The unseen figures have come within −0.054 to +0.034
 * of the pooled ones (README), hence the margin.
 */
export const TEXT_MODEL_THRESHOLD = 0.6;

/**
 * Fields shorter than this are not read (round nineteen). A bag of words has too little to go on in a
 * title or a one-line action ("Remove the sleeper" read 0.53). Of the 7,697 labelled texts evaluated
 * so far, 55 have six words or fewer, and on none of them did the committed model change the
 * guard's verdict.
 */
export const TEXT_MODEL_MIN_WORDS = 7;

/** A sentence, or a line of a list or a form. */
const SENTENCE_RE = /[^.!?\n]+(?:[.!?]+|\n|$)/g;

export class TextModel {
  private readonly weights = new Map<string, number>();
  private readonly bias: number;

  constructor(w: TextModelWeights) {
    if (w.features.length !== w.weights.length) throw new Error('text model: features and weights differ in length');
    w.features.forEach((f, i) => this.weights.set(f, w.weights[i]));
    this.bias = w.bias;
  }

  /** Probability that the text identifies a child, a family or a case. */
  probability(text: string): number {
    let z = this.bias;
    for (const f of textFeatures(text)) z += this.weights.get(f) ?? 0;
    return 1 / (1 + Math.exp(-Math.max(-30, Math.min(30, z))));
  }

  /**
   * The field's finding when the model reads it as identifying: its most identifying sentence, or
   * none. Sentences of `reviewed` texts (approved under the review guard) and values the rules
   * explained as public are left out of its reading.
   */
  finding(text: string, threshold: number, reviewed: readonly string[] = [], publicValues: ReadonlyArray<[number, number]> = []): Candidate | null {
    const skipped = reviewedSentences(text, reviewed);
    // Values the rules explained as public (an EIN, a form number) say nothing of a family: unread.
    const read = skipped.length || publicValues.length ? maskSpans(text, [...skipped, ...publicValues]) : text;
    if ((read.match(/[\p{L}\d]+/gu) ?? []).length < TEXT_MODEL_MIN_WORDS) return null;
    const p = this.probability(read);
    if (p < threshold) return null;
    let best = { start: 0, end: text.length, p: -1 };
    for (const m of text.matchAll(SENTENCE_RE)) {
      const start = m.index! + (m[0].length - m[0].trimStart().length);
      const end = m.index! + m[0].trimEnd().length;
      if (end <= start || skipped.some(([s, e]) => s <= start && end <= e)) continue;
      const ps = this.probability(read.slice(start, end));
      if (ps > best.p) best = { start, end, p: ps };
    }
    const reason = `reads as describing one specific child, family or case (text model, ${Math.round(p * 100)} %): check that nothing here, alone or together, points to them`;
    return candidate('quasi_identifier', best.start, best.end, reason, 1);
  }
}

/** Where the field repeats a sentence of a reviewed text (ten characters or more), as [start, end) spans. */
function reviewedSentences(text: string, reviewed: readonly string[]): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  for (const r of reviewed) {
    for (const m of r.matchAll(SENTENCE_RE)) {
      const sentence = m[0].trim();
      if (sentence.length < 10) continue;
      for (let at = text.indexOf(sentence); at >= 0; at = text.indexOf(sentence, at + sentence.length)) spans.push([at, at + sentence.length]);
    }
  }
  return spans;
}

/** The text with the spans blanked out (same length, so offsets still hold). */
function maskSpans(text: string, spans: ReadonlyArray<[number, number]>): string {
  let out = text;
  for (const [s, e] of spans) out = out.slice(0, s) + ' '.repeat(e - s) + out.slice(e);
  return out;
}

let loaded: TextModel | undefined;

/** The committed model, loaded on first use. */
export function textModel(): TextModel {
  loaded ??= new TextModel(WEIGHTS as TextModelWeights);
  return loaded;
}

/** The model and threshold a scan uses, or null when it is switched off (for measuring). */
export function resolveTextModel(options: TextModelOptions | undefined): { model: TextModel; threshold: number } | null {
  if (options?.enabled === false) return null;
  const model = options?.weights ? new TextModel(options.weights as TextModelWeights) : textModel();
  return { model, threshold: options?.threshold ?? TEXT_MODEL_THRESHOLD };
}
