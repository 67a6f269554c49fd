import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scanForIdentifyingData } from '../deid-scanner';
import { contextOf } from '../spec-helpers';
import { longShape, modelTokens, shortShape, tokenFeatures, visitFeatures } from './features';
import { hasShapeOf } from './model-evidence';
import { MODEL_CLASSES, softmax, TokenModel, tokenModel, TokenModelWeights, TokenPrediction } from './token-model';
import WEIGHTS from './token-model.weights.json';
import { labelledSetFiles, trainTokenModel, UNEVALUATED_SETS } from './train';

function pairsOf(flat: number[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let k = 0; k < flat.length; k += 2) out.push([flat[k], flat[k + 1]]);
  return out;
}

/** Weights that read the given words as the given kind, and everything else as clean. */
function weightsReading(words: Record<string, string>, clean = 4): TokenModelWeights {
  const features = ['bias:', ...Object.keys(words).map((w) => `w:${w}`)];
  const weights = [[0, clean], ...Object.values(words).map((kind) => [MODEL_CLASSES.indexOf(kind as never), clean + 6])];
  return { trainedOn: [], classes: [...MODEL_CLASSES], features, weights };
}

const scan = (text: string, weights?: TokenModelWeights): Array<[string, string]> =>
  scanForIdentifyingData({ body: text }, { tokenModel: weights ? { weights } : { enabled: false }, textModel: { enabled: false } }).map((f) => [f.kind, f.text]);

describe('token model features', () => {
  it('describes shape by runs of capitals, small letters and digits', () => {
    expect(shortShape('Jayden')).toBe('Xx');
    expect(shortShape('123-45-6789')).toBe('d-d-d');
    expect(longShape('123-45-6789')).toBe('d3-d2-d4');
    expect(longShape('KT')).toBe('X2');
    expect(shortShape('Đặng')).toBe('Xx');
  });

  it('splits letters, digits and punctuation, and keeps the whitespace chunk and the line kind of each token', () => {
    const toks = modelTokens('| Mother | DCF-PUB-2026 |\n- Kaysen’s crib');
    expect(toks.map((t) => t.w)).toEqual(['|', 'Mother', '|', 'DCF', '-', 'PUB', '-', '2026', '|', '-', 'Kaysen’s', 'crib']);
    expect(toks[5].chunk).toBe('DCF-PUB-2026');
    expect(toks[1].line).toBe('table');
    expect(toks[10].line).toBe('list');
    expect(toks[1].lineStart).toBe(true);
    expect(toks[11].lineStart).toBe(false);
  });

  it("describes a word by its letters' trigrams, its neighbours' lexicons and shapes, its sentence's people and its column's header", () => {
    const features = (text: string, word: string): string[] => {
      const toks = modelTokens(text);
      return tokenFeatures(toks)[toks.findIndex((t) => t.w === word)];
    };
    expect(features('The aunt said Maria Brightwater left.', 'Brightwater')).toEqual(
      expect.arrayContaining(['c3:^br', 'c3:er$', 'pre:bri', 'lex-1:given', 'shp-2:x', 'srole:family']),
    );
    expect(features('Senator Quillan spoke.', 'Quillan')).toContain('stitle:');
    expect(features('The infant slept. Quillan spoke.', 'Quillan')).not.toContain('srole:child');
    const table = '| Role | Name |\n| --- | --- |\n| Mother | Quillan Ames |';
    expect(features(table, 'Quillan')).toContain('colhead:name');
    expect(features(table, 'Mother')).toContain('colhead:role');
    expect(features(table, 'Name')).not.toEqual(expect.arrayContaining([expect.stringMatching(/^colhead:/)]));
  });

  it('gives training the same features the scanner looks up', () => {
    const toks = modelTokens('The infant, Jayden, was found by his aunt.');
    const pairs: string[][] = toks.map(() => []);
    visitFeatures(toks, (i, prefix, value) => pairs[i].push(`${prefix}:${value}`));
    expect(tokenFeatures(toks)).toEqual(pairs);
    expect(pairs[3]).toEqual(expect.arrayContaining(['w:jayden', 'w-2:infant', 'lex:given', 'bag-:infant']));
  });
});

describe('the sets training reads', () => {
  it('reads every labelled set, held-out ones included, except those not yet evaluated', () => {
    const dir = mkdtempSync(join(tmpdir(), 'deid-sets-'));
    mkdirSync(join(dir, 'heldout'));
    for (const f of ['dev9.json', 'heldout/heldout-6.json', 'heldout/heldout-9.json', 'heldout/heldout-10.json', 'heldout/heldout-11.json', 'heldout/heldout-15.json', 'heldout/heldout-16.json', 'heldout/heldout-17.json', 'heldout/heldout-18.json', 'heldout/heldout-19.json', 'heldout/heldout-20.json', 'heldout/heldout-21.json', 'heldout/heldout-22.json', 'heldout/heldout-23.json', 'heldout/heldout-24.json', 'heldout/heldout-25.json', 'heldout/heldout-26.json', 'heldout/heldout-27.json', 'heldout/heldout-28.json', 'heldout/heldout-29.json', 'heldout/heldout-30.json', 'heldout/heldout-31.json', 'heldout/heldout-32.json']) writeFileSync(join(dir, f), '{}');
    expect(UNEVALUATED_SETS).toEqual(['heldout-32']);
    expect(labelledSetFiles(dir).map((s) => s.name)).toEqual(['dev9', 'heldout-10', 'heldout-11', 'heldout-15', 'heldout-16', 'heldout-17', 'heldout-18', 'heldout-19', 'heldout-20', 'heldout-21', 'heldout-22', 'heldout-23', 'heldout-24', 'heldout-25', 'heldout-26', 'heldout-27', 'heldout-28', 'heldout-29', 'heldout-30', 'heldout-31', 'heldout-6', 'heldout-9']);
  });
});

describe('token model', () => {
  it('refuses weights whose classes are not the kinds', () => {
    expect(() => new TokenModel({ trainedOn: [], classes: ['O', 'name'], features: [], weights: [] })).toThrow(/classes/);
  });

  it('the committed model reads a child named in apposition as a name, and the words around it as clean', () => {
    const preds = tokenModel().predict('The infant, Jayden, was found in an adult bed.');
    const jayden = preds.find((p) => p.tok.w === 'Jayden')!;
    expect(jayden.kind).toBe('personal_name');
    expect(jayden.pO).toBeLessThan(0.5);
    expect(preds.find((p) => p.tok.w === 'bed')!.pO).toBeGreaterThan(0.9);
  });

  it("predicts from every feature, with a word's own features summed once and cached", () => {
    const w = tokenModel();
    const text = 'The aunt, Maria Brightwater, said Maria left. | Name | Maria |';
    const byFeature = new Map<string, number[]>();
    const raw = WEIGHTS as TokenModelWeights;
    raw.features.forEach((f, i) => byFeature.set(f, raw.weights[i]));
    const expected = tokenFeatures(modelTokens(text)).map((fs) => {
      const scores = new Float64Array(MODEL_CLASSES.length);
      for (const f of fs) for (const [k, v] of pairsOf(byFeature.get(f) ?? [])) scores[k] += v;
      return softmax(scores)[0];
    });
    for (let run = 0; run < 2; run++) w.predict(text).forEach((p, i) => expect(p.pO).toBeCloseTo(expected[i], 9));
  });

  it('trains deterministically on a labelled set and learns its spans', () => {
    const dir = mkdtempSync(join(tmpdir(), 'deid-train-'));
    const items = Array.from({ length: 12 }, (_, k) => [
      { id: `n${k}`, identifying: true, kinds: ['personal_name'], spans: [{ kind: 'personal_name', text: `Zorbin${k}` }], text: `The mother, Zorbin${k}, was at home.` },
      { id: `c${k}`, identifying: false, kinds: [], spans: [], text: `The mother was at home on day ${k}.` },
    ]).flat();
    const path = join(dir, 'tiny.json');
    writeFileSync(path, JSON.stringify({ name: 'tiny', version: 1, items }));
    const a = trainTokenModel([path], ['tiny']);
    expect(trainTokenModel([path], ['tiny'])).toEqual(a);
    const preds = new TokenModel(a).predict('The mother, Quillan, was at home.');
    expect(preds.find((p) => p.tok.w === 'Quillan')!.kind).toBe('personal_name');
    expect(preds.find((p) => p.tok.w === 'Quillan')!.pO).toBeLessThan(0.5);
    expect(preds.find((p) => p.tok.w === 'home')!.pO).toBeGreaterThan(0.5);
  });

  it('weighs a token inside an identifier more than a clean one, as asked', () => {
    const dir = mkdtempSync(join(tmpdir(), 'deid-weight-'));
    const items = Array.from({ length: 6 }, (_, k) => [
      { id: `n${k}`, identifying: true, kinds: ['personal_name'], spans: [{ kind: 'personal_name', text: `Zorbin${k}` }], text: `The mother, Zorbin${k}, was at home.` },
      { id: `c${k}`, identifying: false, kinds: [], spans: [], text: `The mother, a caregiver, was at home on day ${k}.` },
    ]).flat();
    const path = join(dir, 'tiny.json');
    writeFileSync(path, JSON.stringify({ name: 'tiny', version: 1, items }));
    const pName = (identifierWeight: number): number =>
      1 - new TokenModel(trainTokenModel([path], ['tiny'], { identifierWeight, epochs: 2 })).predict('The mother, Quillan, was at home.').find((p) => p.tok.w === 'Quillan')!.pO;
    expect(pName(3)).toBeGreaterThan(pName(1) + 0.05);
  });
});

describe('the token model beside the rules', () => {
  it('adds a name the rules miss when the word is shaped like a name', () => {
    expect(scan('Zorbin is doing well.')).toEqual([]);
    expect(scan('Zorbin is doing well.', weightsReading({ zorbin: 'personal_name' }))).toEqual([['personal_name', 'Zorbin']]);
  });

  it('never re-adds what a rule judged clean: an official in a public role', () => {
    expect(scan('Sheriff Abigail Trent spoke at the press conference.', weightsReading({ abigail: 'personal_name', trent: 'personal_name' }))).toEqual([]);
  });

  it('never adds a word the rules do not shape as a name (a weekday, a common word)', () => {
    expect(scan('Mark Wednesday on the unit calendar.', weightsReading({ wednesday: 'personal_name' }))).toEqual([]);
  });

  it("leaves a rule's finding as the rule found it (the model speaks only where the rules are silent)", () => {
    const street = weightsReading({ cell: 'street_address' });
    street.features.push('digits:4', 'digits:3');
    street.weights.push([MODEL_CLASSES.indexOf('street_address'), 10], [MODEL_CLASSES.indexOf('street_address'), 10]);
    expect(scan("The grandmother's cell 405-555-0187 was disconnected.", street)).toEqual([['phone', '405-555-0187']]);
  });

  it('adds no identifier numbers or dates on its own', () => {
    const numbers = weightsReading({ code: 'ssn' });
    numbers.features.push('digits:4');
    numbers.weights.push([MODEL_CLASSES.indexOf('ssn'), 10]);
    expect(scan('Her code is 4821 today.', numbers)).toEqual([]);
  });

  it('drops a weak name of the rules that the model is sure is clean, and keeps a labelled one', () => {
    const clean = weightsReading({}, 12);
    expect(scan('Jayden was at the clinic.')).toEqual([['personal_name', 'Jayden']]);
    expect(scan('Jayden was at the clinic.', clean)).toEqual([]);
    expect(scan('Mother: Rosa Gomez', clean)).toEqual([['personal_name', 'Rosa Gomez']]);
  });

  it("drops a rule's name found by context, initials or a phone that the model is sure is clean, never a labelled name or a case number", () => {
    const clean = weightsReading({}, 12);
    const text = 'Nurse Quillan Ames said K.R. can call 405-555-0187. Case #19-4432.';
    expect(scan(text).map(([kind]) => kind)).toEqual(['personal_name', 'initials', 'phone', 'case_number']);
    expect(scan(text, clean)).toEqual([['case_number', 'Case #19-4432']]);
    expect(scan('Mother: Rosa Gomez', clean)).toEqual([['personal_name', 'Rosa Gomez']]);
  });

  it('adds a file name only as a whole chunk, never a piece of one', () => {
    const piece = { summary: 'file_name', _: 'file_name', final: 'file_name', '.': 'file_name', pdf: 'file_name' };
    expect(scan('Saved as draft_summary_final.pdf today.', weightsReading(piece))).toEqual([]);
    expect(scan('Saved as draft_summary_final.pdf today.', weightsReading({ ...piece, draft: 'file_name' }))).toEqual([['file_name', 'draft_summary_final.pdf']]);
  });

  it('reads names from their own threshold, and a word at a sentence start only when the model is near certain', () => {
    /** Weights that give `word` a probability of 'personal_name' set by `score` (about 1 - pO = 0.47 at 3.5, 0.7 at 4.72). */
    const reading = (word: string, score: number): TokenModelWeights => ({
      trainedOn: [],
      classes: [...MODEL_CLASSES],
      features: ['bias:', `w:${word}`],
      weights: [[0, 4], [MODEL_CLASSES.indexOf('personal_name'), score]],
    });
    const names = (text: string, options: object): string[] => scanForIdentifyingData({ body: text }, { tokenModel: options }).map((f) => f.text);
    expect(names('Notes mention Zorbin twice.', { weights: reading('zorbin', 3.5), addName: 0.5 })).toEqual([]);
    expect(names('Notes mention Zorbin twice.', { weights: reading('zorbin', 3.5) })).toEqual(['Zorbin']);
    expect(names('Notes mention Zorbin twice.', { weights: reading('zorbin', 3.5), add: 0.5 })).toEqual([]);
    expect(names('Nunca deje al bebé solo.', { weights: reading('nunca', 4.72) })).toEqual([]);
    expect(names('Dijo Nunca otra vez.', { weights: reading('nunca', 4.72) })).toEqual(['Nunca']);
  });

  it('checks the shape of each kind before the model may add it', () => {
    const run = (text: string): TokenPrediction[] =>
      modelTokens(text).map((tok) => ({ tok, probs: new Float64Array(MODEL_CLASSES.length), kind: 'initials', pKind: 0.9, pO: 0.05 }));
    const nlp = contextOf('').nlp;
    expect(hasShapeOf('initials', run('K.R.'), nlp)).toBe(true);
    expect(hasShapeOf('initials', run('J.D.'), nlp)).toBe(false);
    expect(hasShapeOf('initials', run('U.S.'), nlp)).toBe(false);
    expect(hasShapeOf('file_name', run('Intake_Report_K_2026.docx'), nlp)).toBe(true);
    expect(hasShapeOf('file_name', run('__/__/____'), nlp)).toBe(false);
    expect(hasShapeOf('social_handle', run('bigmike_352'), nlp)).toBe(true);
    expect(hasShapeOf('street_address', run('Lot 27'), nlp)).toBe(true);
    expect(hasShapeOf('street_address', run('19'), nlp)).toBe(false);
    expect(hasShapeOf('geo_coordinates', run('1447'), nlp)).toBe(false);
  });
});
