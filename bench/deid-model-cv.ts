/**
 * `npm run bench:deid-model-cv`: leave-one-set-out figures of the token classifier beside the rules.
 * For each fold set F (default: every evaluated set), a model is trained on every other set except F
 * and the guard is run on F with the rules alone and with the model at each setting of the grid.
 * The sets not yet evaluated (UNEVALUATED_SETS: heldout-32) are never read here. Prints text-level
 * recall and precision, per fold and summed.
 *
 *   npm run bench:deid-model-cv -- --folds heldout-3,heldout-4 --add 0.3,0.5,0.7 --add-name 0.35,0.5 --add-number 0.7,0.9 --veto 0.95,0.99,2
 *   npm run bench:deid-model-cv -- --l2 1e-4 --epochs 8 --identifier-weight 2   other training settings
 *   npm run bench:deid-model-cv -- --details 0.5     also lists, for add 0.5, the model's findings in
 *                                                     clean texts and the identifying texts it newly catches
 *   npm run bench:deid-model-cv -- --text --threshold 0.5,0.7,0.8,0.9   the text model instead: per fold, one
 *                                                     trained without it; the guard without it, the model
 *                                                     alone and the guard with it at each threshold
 *
 * Without --text the text model is off: these runs measure the rules and the token model.
 */
import { evaluateItems, findDeidFixtures, loadLabelledSet } from '../libs/core/src/deid/evaluate';
import { scanForIdentifyingData } from '../libs/core/src/deid/deid-scanner';
import { DeidScanOptions } from '../libs/core/src/deid/kinds';
import { labelledSetFiles, trainTokenModel } from '../libs/core/src/deid/token-model/train';
import { TextModel } from '../libs/core/src/deid/text-model/text-model';
import { labelledItems, trainTextModel } from '../libs/core/src/deid/text-model/train-text-model';

function option(args: string[], name: string, fallback: string): string[] {
  const i = args.indexOf(name);
  return (i >= 0 ? args[i + 1] : fallback).split(',');
}

interface Tally {
  tp: number;
  ident: number;
  flagged: number;
}

function main(): void {
  const args = process.argv.slice(2);
  const sets = labelledSetFiles(findDeidFixtures(__dirname));
  const folds = option(args, '--folds', sets.map((s) => s.name).join(','));
  const adds = option(args, '--add', '0.3,0.5,0.7').map(Number);
  const vetoes = option(args, '--veto', '0.95,0.99,2').map(Number);
  const addNumbers = option(args, '--add-number', '0.7').map(Number);
  const addNames = option(args, '--add-name', '0.35').map(Number);
  const l2 = args.includes('--l2') ? Number(option(args, '--l2', '')[0]) : undefined;
  const epochs = args.includes('--epochs') ? Number(option(args, '--epochs', '')[0]) : undefined;
  const identifierWeight = args.includes('--identifier-weight') ? Number(option(args, '--identifier-weight', '')[0]) : undefined;
  const details = args.includes('--details') ? option(args, '--details', '')[0] : undefined;
  const totals = new Map<string, Tally>();
  const text = args.includes('--text');
  const thresholds = option(args, '--threshold', '0.5,0.7,0.8,0.9,0.95').map(Number);
  const tally = (key: string, tp: number, ident: number, flagged: number): string => {
    const t = totals.get(key) ?? { tp: 0, ident: 0, flagged: 0 };
    totals.set(key, { tp: t.tp + tp, ident: t.ident + ident, flagged: t.flagged + flagged });
    return `${key.padEnd(26)} recall ${(tp / ident).toFixed(3)} (${tp}/${ident})  precision ${(tp / flagged).toFixed(3)} (${tp}/${flagged})`;
  };
  const record = (key: string, items: Parameters<typeof evaluateItems>[0], options: DeidScanOptions): string => {
    const e = evaluateItems(items, key, (fields) => scanForIdentifyingData(fields, options));
    return tally(key, e.truePositives, e.identifyingTexts, e.flaggedTexts);
  };
  for (const fold of folds) {
    const test = sets.find((s) => s.name === fold);
    if (!test) throw new Error(`no readable set named ${fold}`);
    const train = sets.filter((s) => s.name !== fold);
    if (text) {
      const weights = trainTextModel(labelledItems(train.map((s) => s.path)), train.map((s) => s.name));
      const items = loadLabelledSet(test.path).items;
      console.log(`\nfold ${fold} (text model trained on ${train.map((s) => s.name).join(', ')})`);
      console.log(record('guard without text model', items, { textModel: { enabled: false } }));
      const model = new TextModel(weights);
      const p = items.map((i) => model.probability(i.text));
      for (const t of thresholds) {
        const hit = items.filter((_, k) => p[k] >= t);
        console.log(tally(`text model alone ${t}`, hit.filter((i) => i.identifying).length, items.filter((i) => i.identifying).length, hit.length));
        console.log(record(`guard + text model ${t}`, items, { textModel: { weights, threshold: t } }));
      }
      continue;
    }
    const weights = trainTokenModel(
      train.map((s) => s.path),
      train.map((s) => s.name),
      { l2, epochs, identifierWeight },
    );
    const items = loadLabelledSet(test.path).items;
    console.log(`\nfold ${fold} (model trained on ${train.map((s) => s.name).join(', ')})`);
    console.log(record('rules only', items, { tokenModel: { enabled: false }, textModel: { enabled: false } }));
    for (const add of adds)
      for (const addName of addNames)
        for (const addNumber of addNumbers)
          for (const veto of vetoes)
            console.log(record(`add ${add}/${addName}/${addNumber} veto ${veto}`, items, { tokenModel: { weights, add, addName, addNumber, veto }, textModel: { enabled: false } }));
    if (details) {
      const withModel = evaluateItems(items, 'details', (fields) => scanForIdentifyingData(fields, { tokenModel: { weights, add: Number(details) }, textModel: { enabled: false } }));
      for (const r of withModel.results) {
        const fromModel = r.findings.filter((f) => f.reason.startsWith('Reads like'));
        if (!fromModel.length) continue;
        const alone = fromModel.length === r.findings.length;
        const tag = r.item.identifying ? (alone ? 'CAUGHT ONLY BY MODEL' : 'ident') : alone ? 'FALSE ALARM (model only)' : 'clean, also rules';
        for (const f of fromModel) console.log(`  ${tag.padEnd(24)} ${r.item.id} ${f.kind} '${f.text}' ${f.reason.replace(/^.*\(p=/, '(p=').slice(0, 10)}`);
      }
    }
  }
  console.log('\nsummed over the folds');
  for (const [key, t] of totals) console.log(`${key.padEnd(26)} recall ${(t.tp / t.ident).toFixed(3)} (${t.tp}/${t.ident})  precision ${(t.tp / t.flagged).toFixed(3)} (${t.tp}/${t.flagged})`);
}

main();
