/** Trains the text model (text-model.ts) on whole labelled texts; deterministic for the same sets. */
import { seededRandom, shuffleInPlace } from '../../common/seeded-random';
import { DeidLabelledItem, loadLabelledSet } from '../evaluate';
import { textFeatures } from './text-features';
import { TextModelWeights } from './text-model';

const EPOCHS = 10;
const RATE = 0.2;
const L2 = 1e-3;
const MIN_COUNT = 2;
const KEEP = 0.01;

export interface TextTrainingOptions {
  epochs?: number;
  l2?: number;
  log?: (line: string) => void;
}

/** Stochastic gradient descent on the log loss, with L2 regularisation and a falling rate. */
export function trainTextModel(items: DeidLabelledItem[], trainedOn: string[], options: TextTrainingOptions = {}): TextModelWeights {
  const { epochs = EPOCHS, l2 = L2, log = () => undefined } = options;
  const raw = items.map((item) => ({ features: textFeatures(item.text), label: item.identifying ? 1 : 0 }));
  const counts = new Map<string, number>();
  for (const r of raw) for (const f of r.features) counts.set(f, (counts.get(f) ?? 0) + 1);
  const index = new Map<string, number>();
  for (const [f, n] of counts) if (n >= MIN_COUNT) index.set(f, index.size);
  const examples = raw.map((r) => ({ features: r.features.map((f) => index.get(f) ?? -1).filter((k) => k >= 0), label: r.label }));
  const w = new Float64Array(index.size);
  let bias = 0;
  const random = seededRandom(20261204);
  const order = examples.map((_, i) => i);
  for (let epoch = 0; epoch < epochs; epoch++) {
    shuffleInPlace(order, random);
    const rate = RATE / (1 + 0.3 * epoch);
    let loss = 0;
    for (const k of order) {
      const ex = examples[k];
      let z = bias;
      for (const f of ex.features) z += w[f];
      const p = 1 / (1 + Math.exp(-Math.max(-30, Math.min(30, z))));
      loss -= Math.log(Math.max(ex.label ? p : 1 - p, 1e-12));
      const g = p - ex.label;
      for (const f of ex.features) w[f] -= rate * (g + l2 * w[f]);
      bias -= rate * g;
    }
    log(`epoch ${epoch + 1}: mean loss ${(loss / examples.length).toFixed(4)}`);
  }
  const features: string[] = [];
  const weights: number[] = [];
  for (const [f, i] of index) {
    if (Math.abs(w[i]) < KEEP) continue;
    features.push(f);
    weights.push(Math.round(w[i] * 1000) / 1000);
  }
  log(`${examples.length} texts, ${index.size} features, ${features.length} kept`);
  return { trainedOn, bias: Math.round(bias * 1000) / 1000, features, weights };
}

/** Every item of the labelled sets at these paths. */
export function labelledItems(paths: string[]): DeidLabelledItem[] {
  return paths.flatMap((p) => loadLabelledSet(p).items);
}
