/**
 * A token classifier trained offline (scripts/train-deid-token-model.ts, `npm run train:deid-model`)
 * on the labelled spans of the development sets: multinomial logistic regression over the features
 * of features.ts, one class per kind and 'O' for a token in no identifier. Its weights are committed
 * as JSON (token-model.weights.json) and loaded once. The scanner uses its probabilities as
 * evidence beside the rules (model-evidence.ts), never as the only reason for a decision.
 */
import { DEID_KINDS, DeidKind } from '../kinds';
import WEIGHTS from './token-model.weights.json';
import { ModelToken, modelTokens, tokenFeatures } from './features';

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
  private readonly weights = new Map<string, number[]>();

  constructor(w: TokenModelWeights) {
    if (w.classes.join() !== MODEL_CLASSES.join()) throw new Error('token model: classes do not match DEID_KINDS');
    w.features.forEach((f, i) => this.weights.set(f, w.weights[i]));
  }

  /** Class scores of one token's features. */
  scores(features: readonly string[]): Float64Array {
    const out = new Float64Array(MODEL_CLASSES.length);
    for (const f of features) {
      const ws = this.weights.get(f);
      if (ws) for (let k = 0; k < ws.length; k += 2) out[ws[k]] += ws[k + 1];
    }
    return out;
  }

  predict(text: string): TokenPrediction[] {
    const toks = modelTokens(text);
    const feats = tokenFeatures(toks);
    return toks.map((tok, i) => {
      const probs = softmax(this.scores(feats[i]));
      let best = 1;
      for (let c = 2; c < probs.length; c++) if (probs[c] > probs[best]) best = c;
      return { tok, probs, kind: MODEL_CLASSES[best] as DeidKind, pKind: probs[best], pO: probs[0] };
    });
  }
}

export function softmax(scores: Float64Array): Float64Array {
  let max = -Infinity;
  for (const s of scores) if (s > max) max = s;
  let sum = 0;
  const out = new Float64Array(scores.length);
  for (let c = 0; c < scores.length; c++) sum += out[c] = Math.exp(scores[c] - max);
  for (let c = 0; c < scores.length; c++) out[c] /= sum;
  return out;
}

let loaded: TokenModel | undefined;

/** The committed model, loaded on first use. */
export function tokenModel(): TokenModel {
  loaded ??= new TokenModel(WEIGHTS as TokenModelWeights);
  return loaded;
}
