/**
 * A token classifier trained offline (scripts/train-deid-token-model.ts, `npm run train:deid-model`)
 * on the labelled spans of the development sets: multinomial logistic regression over the features
 * of features.ts, one class per kind and 'O' for a token in no identifier. Its weights are committed
 * as JSON (token-model.weights.json) and loaded once. The scanner uses its probabilities as
 * evidence beside the rules (model-evidence.ts), never as the only reason for a decision.
 */
import { DEID_KINDS, DeidKind } from '../kinds';
import WEIGHTS from './token-model.weights.json';
import { ModelToken, modelTokens, visitFeatures } from './features';

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

export class TokenModel {
  /** prefix → value → flat [class index, weight, ...] (features are looked up without joining strings). */
  private readonly weights = new Map<string, Map<string, number[]>>();

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
    visitFeatures(toks, (i, prefix, value) => {
      const ws = this.weights.get(prefix)?.get(value);
      if (ws) for (let k = 0; k < ws.length; k += 2) scores[i * K + ws[k]] += ws[k + 1];
    });
    return toks.map((tok, i) => {
      const probs = scores.subarray(i * K, (i + 1) * K);
      softmaxInPlace(probs);
      let best = 1;
      for (let c = 2; c < K; c++) if (probs[c] > probs[best]) best = c;
      return { tok, probs, kind: MODEL_CLASSES[best] as DeidKind, pKind: probs[best], pO: probs[0] };
    });
  }
}

/** Turns scores into probabilities, in place. */
export function softmaxInPlace(scores: Float64Array): void {
  let max = -Infinity;
  for (const s of scores) if (s > max) max = s;
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
