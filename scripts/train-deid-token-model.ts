/**
 * `npm run train:deid-model`: trains the de-identification guard's token classifier
 * (libs/core/src/deid/token-model/) on the labelled spans of the sets in test/fixtures/deid/
 * and writes its weights as JSON. Multinomial logistic regression by stochastic gradient descent
 * with L2 regularisation; features seen fewer than twice are dropped; the order of examples comes
 * from a fixed seed, so a rebuild gives the same weights.
 *
 *   npm run train:deid-model                                  every evaluated set (the committed weights;
 *                                                             UNEVALUATED_SETS, heldout-32, is never read)
 *   npm run train:deid-model -- --exclude heldout-4 --out /tmp/w.json   a leave-out model
 *   npm run train:deid-model -- --include corpus,dev2 --out /tmp/w.json
 *   npm run train:deid-model -- --text                       the text model (text-model/) instead, on whole
 *                                                             texts; --exclude, --include and --out as above
 *
 * A set is named by its file name without .json (heldout sets by theirs: heldout-1, ...).
 */
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { findDeidFixtures } from '../libs/core/src/deid/evaluate';
import { labelledSetFiles, trainTokenModel } from '../libs/core/src/deid/token-model/train';
import { labelledItems, trainTextModel } from '../libs/core/src/deid/text-model/train-text-model';

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

function main(): void {
  const args = process.argv.slice(2);
  const include = option(args, '--include')?.split(',');
  const exclude = option(args, '--exclude')?.split(',') ?? [];
  const text = args.includes('--text');
  const deid = join(__dirname, '..', '..', 'libs', 'core', 'src', 'deid');
  const out = option(args, '--out') ?? (text ? join(deid, 'text-model', 'text-model.weights.json') : join(deid, 'token-model', 'token-model.weights.json'));
  const sets = labelledSetFiles(findDeidFixtures(__dirname)).filter((s) => (include ? include.includes(s.name) : !exclude.includes(s.name)));
  console.log(`training the ${text ? 'text' : 'token'} model on ${sets.map((s) => s.name).join(', ')}`);
  const paths = sets.map((s) => s.path);
  const names = sets.map((s) => s.name);
  const log = (line: string) => console.log(line);
  const model = text ? trainTextModel(labelledItems(paths), names, { log }) : trainTokenModel(paths, names, { log });
  writeFileSync(out, JSON.stringify(model));
  console.log(`wrote ${out}`);
}

main();
