/**
 * Training of the token classifier (token-model.ts): multinomial logistic regression by stochastic
 * gradient descent with L2 regularisation, on every token of the labelled sets (labelled with the
 * kind of the span it lies in, 'O' if none). Features seen fewer than twice are dropped; the order
 * of examples comes from a fixed seed, so a rebuild gives the same weights. Used by
 * scripts/train-deid-token-model.ts and by the leave-one-set-out bench (bench/deid-model-cv.ts).
 */
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { labelledOccurrences, loadLabelledSet } from '../evaluate';
import { modelTokens, tokenFeatures } from './features';
import { MODEL_CLASSES, softmax, TokenModelWeights } from './token-model';
import { seededRandom, shuffleInPlace } from '../../common/seeded-random';

/**
 * Sets not yet evaluated: the held-out set the lead evaluates after the round (it may be merged
 * beside this code). Neither training nor the leave-one-set-out bench ever reads them; every other
 * labelled set has been evaluated and may be trained on.
 */
export const UNEVALUATED_SETS = ['heldout-32'];

const EPOCHS = 12;
const RATE = 0.1;
const L2 = 1e-5;
const MIN_COUNT = 2;
const KEEP = 0.02;
const IDENTIFIER_WEIGHT = 2;

interface Example {
  features: number[];
  label: number;
}

/** Every labelled set under the fixtures folder, named by file name without .json. */
export function labelledSetFiles(dir: string): Array<{ name: string; path: string }> {
  const list = (d: string): string[] => readdirSync(d).filter((f) => f.endsWith('.json')).map((f) => join(d, f));
  return [...list(dir), ...list(join(dir, 'heldout'))].map((path) => ({ name: basename(path, '.json'), path })).filter((s) => !UNEVALUATED_SETS.includes(s.name));
}

/** Each token of each text, labelled with the kind of the labelled span it lies in ('O' if none). */
export function labelledTokens(paths: string[]): Array<{ features: string[]; label: number }> {
  const out: Array<{ features: string[]; label: number }> = [];
  for (const path of paths) {
    for (const item of loadLabelledSet(path).items) {
      const toks = modelTokens(item.text);
      const feats = tokenFeatures(toks);
      const labels = new Array<number>(toks.length).fill(0);
      for (const span of item.spans) {
        const c = MODEL_CLASSES.indexOf(span.kind);
        for (const at of labelledOccurrences(item.text, span.text)) {
          toks.forEach((t, i) => {
            if (t.s < at + span.text.length && at < t.e && labels[i] === 0) labels[i] = c;
          });
        }
      }
      toks.forEach((_, i) => out.push({ features: feats[i], label: labels[i] }));
    }
  }
  return out;
}


export interface TrainingOptions {
  epochs?: number;
  l2?: number;
  /** How much a token inside an identifier counts against a clean one (identifiers are about 1 token in 12). */
  identifierWeight?: number;
  log?: (line: string) => void;
}

export function trainTokenModel(paths: string[], names: string[], options: TrainingOptions = {}): TokenModelWeights {
  const { epochs = EPOCHS, l2 = L2, identifierWeight = IDENTIFIER_WEIGHT, log = () => undefined } = options;
  const raw = labelledTokens(paths);
  const counts = new Map<string, number>();
  for (const r of raw) for (const f of r.features) counts.set(f, (counts.get(f) ?? 0) + 1);
  const index = new Map<string, number>();
  for (const [f, n] of counts) if (n >= MIN_COUNT) index.set(f, index.size);
  const examples: Example[] = raw.map((r) => ({ features: r.features.map((f) => index.get(f) ?? -1).filter((k) => k >= 0), label: r.label }));
  const K = MODEL_CLASSES.length;
  const w = new Float64Array(index.size * K);
  const random = seededRandom(20261203);
  const order = examples.map((_, i) => i);
  for (let epoch = 0; epoch < epochs; epoch++) {
    shuffleInPlace(order, random);
    const rate = RATE / (1 + epoch);
    let loss = 0;
    for (const k of order) {
      const ex = examples[k];
      const scores = new Float64Array(K);
      for (const f of ex.features) for (let c = 0; c < K; c++) scores[c] += w[f * K + c];
      const p = softmax(scores);
      loss -= Math.log(Math.max(p[ex.label], 1e-12));
      const weight = ex.label === 0 ? 1 : identifierWeight;
      for (let c = 0; c < K; c++) {
        const g = weight * (p[c] - (c === ex.label ? 1 : 0));
        for (const f of ex.features) w[f * K + c] -= rate * (g + l2 * w[f * K + c]);
      }
    }
    log(`epoch ${epoch + 1}: mean loss ${(loss / examples.length).toFixed(4)}`);
  }
  const features: string[] = [];
  const weights: number[][] = [];
  for (const [f, i] of index) {
    const pairs: number[] = [];
    for (let c = 0; c < K; c++) {
      const v = w[i * K + c];
      if (Math.abs(v) >= KEEP) pairs.push(c, Math.round(v * 1000) / 1000);
    }
    if (pairs.length) {
      features.push(f);
      weights.push(pairs);
    }
  }
  log(`${examples.length} tokens, ${index.size} features, ${features.length} kept`);
  return { trainedOn: names, classes: [...MODEL_CLASSES], features, weights };
}

