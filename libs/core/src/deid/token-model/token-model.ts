/**
 * A token classifier trained offline (scripts/train-deid-token-model.ts, `npm run train:deid-model`)
 * on the labelled spans of the development sets: multinomial logistic regression over the features
 * of features.ts, one class per kind and 'O' for a token in no identifier. Its weights are committed
 * as JSON (token-model.weights.json) and loaded once. The scanner uses its probabilities as
 * evidence beside the rules (model-evidence.ts), never as the only reason for a decision.
 */
import { DEID_KINDS, DeidKind } from '../kinds';
import WEIGHTS from './token-model.weights.json';
import { ModelToken, modelTokens, ownKey, visitContextFeatures, visitOwnFeatures } from './features';

export const MODEL_CLASSES = ['O', ...DEID_KINDS] as const;
export type ModelClass = (typeof MODEL_CLASSES)[number];

export interface TokenModelWeights {
  /** What the weights were trained on, for the record. */
  trainedOn: string[];
  classes: string[];
  /** The features, and for each its non-zero weights as flat [class index, weight, class index, weight, ...]. */
  features: string[];
  weights: number[][];
}

export interface TokenPrediction {
  tok: ModelToken;
  /** Probability of each class, in MODEL_CLASSES order. */
  probs: Float64Array;
  /** The most likely kind other than 'O', and its probability. */
  kind: DeidKind;
  pKind: number;
  /** Probability that the token is part of no identifier. */
  pO: number;
}

const OWN_SCORES_LIMIT = 20_000;

export class TokenModel {
  /** prefix → value → flat [class index, weight, ...] (features are looked up without joining strings). */
  private readonly weights = new Map<string, Map<string, number[]>>();
  /** The summed weights of a word's own features, by ownKey: a notice repeats its words. */
  private readonly ownScores = new Map<string, Float64Array>();

  constructor(w: TokenModelWeights) {
    if (w.classes.join() !== MODEL_CLASSES.join()) throw new Error('token model: classes do not match DEID_KINDS');
    w.features.forEach((f, i) => {
      const colon = f.indexOf(':');
      const prefix = f.slice(0, colon);
      let values = this.weights.get(prefix);
      if (!values) this.weights.set(prefix, (values = new Map()));
      values.set(f.slice(colon + 1), w.weights[i]);
    });
  }

  predict(text: string): TokenPrediction[] {
    const toks = modelTokens(text);
    const K = MODEL_CLASSES.length;
    const scores = new Float64Array(toks.length * K);
    const add = (into: Float64Array, at: number, prefix: string, value: string): void => {
      const ws = this.weights.get(prefix)?.get(value);
      if (ws) for (let k = 0; k < ws.length; k += 2) into[at + ws[k]] += ws[k + 1];
    };
    toks.forEach((t, i) => scores.set(this.ownScoresOf(t, add), i * K));
    visitContextFeatures(toks, (i, prefix, value) => add(scores, i * K, prefix, value));
    return toks.map((tok, i) => {
      const probs = scores.subarray(i * K, (i + 1) * K);
      softmaxInPlace(probs);
      let best = 1;
      for (let c = 2; c < K; c++) if (probs[c] > probs[best]) best = c;
      return { tok, probs, kind: MODEL_CLASSES[best] as DeidKind, pKind: probs[best], pO: probs[0] };
    });
  }

  private ownScoresOf(t: ModelToken, add: (into: Float64Array, at: number, prefix: string, value: string) => void): Float64Array {
    const key = ownKey(t);
    let own = this.ownScores.get(key);
    if (own) return own;
    own = new Float64Array(MODEL_CLASSES.length);
    visitOwnFeatures(t, 0, (_, prefix, value) => add(own!, 0, prefix, value));
    if (this.ownScores.size >= OWN_SCORES_LIMIT) this.ownScores.clear();
    this.ownScores.set(key, own);
    return own;
  }
}

/** Turns scores into probabilities, in place. */
export function softmaxInPlace(scores: Float64Array): void {
  let max = -Infinity;
  // An indexed loop: for…of over a typed array's view goes through its iterator, once per token.
  for (let c = 0; c < scores.length; c++) if (scores[c] > max) max = scores[c];
  let sum = 0;
  for (let c = 0; c < scores.length; c++) sum += scores[c] = Math.exp(scores[c] - max);
  for (let c = 0; c < scores.length; c++) scores[c] /= sum;
}

export function softmax(scores: Float64Array): Float64Array {
  const out = Float64Array.from(scores);
  softmaxInPlace(out);
  return out;
}

let loaded: TokenModel | undefined;

/** The committed model, loaded on first use. */
export function tokenModel(): TokenModel {
  loaded ??= new TokenModel(WEIGHTS as TokenModelWeights);
  return loaded;
}
