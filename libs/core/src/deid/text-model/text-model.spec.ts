import { NOT_A_NOTICE, scanForIdentifyingData, scanNotice } from '../deid-scanner';
import { deidFindingsOf } from '../../reviews/review-record';
import { UNEVALUATED_SETS } from '../token-model/train';
import { shapeOf, textFeatures } from './text-features';
import { TEXT_MODEL_MIN_WORDS, TEXT_MODEL_THRESHOLD, TextModel, textModel, TextModelWeights } from './text-model';
import { trainTextModel } from './train-text-model';
import WEIGHTS from './text-model.weights.json';

const model = (features: Record<string, number>, bias = -2): TextModelWeights => ({
  trainedOn: ['hand-made'],
  bias,
  features: Object.keys(features),
  weights: Object.values(features),
});

describe('text features', () => {
  it('reads words, word pairs, chunk shapes and the digit count of separated digit runs', () => {
    const f = textFeatures('SSN 555-01-9876, call Jo');
    expect(f).toEqual(expect.arrayContaining(['w:ssn', 'b:call_jo', 's:AAA', 's:ddd-dd-ddd+,', 'dl:9']));
    expect(shapeOf("Jo's")).toBe("Aa'a");
    expect(shapeOf('0000000000')).toBe('ddd+');
  });
});

describe('text model', () => {
  const m = new TextModel(model({ 'w:biscuit': 5, 'w:only': 1 }));

  it('is the logistic of the bias and the weights of the features present', () => {
    expect(m.probability('nothing here')).toBeCloseTo(1 / (1 + Math.exp(2)), 6);
    expect(m.probability('Biscuit only, only Biscuit')).toBeCloseTo(1 / (1 + Math.exp(-4)), 6);
  });

  it('gives no finding below the threshold, and otherwise its most identifying sentence', () => {
    const text = 'Check car seats before each trip. The boy answers only to Biscuit at school. Report defects.';
    expect(m.finding('Check car seats before each trip.', 0.5)).toBeNull();
    const f = m.finding(text, 0.5)!;
    expect(f.kind).toBe('quasi_identifier');
    expect(text.slice(f.start, f.end)).toBe('The boy answers only to Biscuit at school.');
    expect(m.finding(text, 0.99)).toBeNull();
  });

  it('does not read a field of fewer than TEXT_MODEL_MIN_WORDS words, however it scores', () => {
    expect(m.probability('Biscuit only, only Biscuit')).toBeGreaterThan(0.9);
    expect(m.finding('Biscuit only, only Biscuit', 0.5)).toBeNull();
    expect(TEXT_MODEL_MIN_WORDS).toBe(7);
    expect(m.finding('Biscuit only, only Biscuit, six words', 0)).toBeNull();
    expect(m.finding('Biscuit only, only Biscuit, now seven words', 0)).not.toBeNull();
  });

  it('refuses weights whose features and weights differ in length', () => {
    expect(() => new TextModel({ trainedOn: [], bias: 0, features: ['w:a'], weights: [] })).toThrow(/length/);
  });
});

describe('the scanner with the text model', () => {
  const weights = model({ 'w:biscuit': 5, 'w:ssn': 5 });
  const scan = (body: string, enabled = true) => scanForIdentifyingData({ body }, { textModel: { enabled, weights, threshold: 0.5 } }).map((f) => [f.kind, f.text]);

  it('adds its finding where the rules found nothing, and only when switched on', () => {
    const text = 'Store the biscuit tin out of reach.';
    expect(scan(text, false)).toEqual([]);
    expect(scan(text)).toEqual([['quasi_identifier', text]]);
  });

  it('stays silent where the rules found something, keeping their findings', () => {
    expect(scan('Biscuit, SSN 123-45-6789, was seen.')).toEqual([['ssn', '123-45-6789']]);
  });

  it('stays silent where the rules dropped a placeholder number', () => {
    expect(scan('Sample slide: SSN 000-00-0000 is a dummy value.')).toEqual([]);
  });
});

describe('training', () => {
  const items = [
    ...['Biscuit fell', 'Biscuit was hurt', 'we saw Biscuit'].map((text, i) => ({ id: `p${i}`, identifying: true, kinds: [], spans: [], text })),
    ...['recall notice issued', 'notice of recall', 'check the recall'].map((text, i) => ({ id: `n${i}`, identifying: false, kinds: [], spans: [], text })),
  ];

  it('learns what separates the texts, the same weights every time', () => {
    const a = trainTextModel(items, ['toy']);
    expect(trainTextModel(items, ['toy'])).toEqual(a);
    const trained = new TextModel(a);
    expect(trained.probability('Biscuit again')).toBeGreaterThan(0.5);
    expect(trained.probability('another recall')).toBeLessThan(0.5);
  });
});

describe('the committed text model', () => {
  it('was trained on the evaluated sets only', () => {
    const w = WEIGHTS as TextModelWeights;
    expect(w.trainedOn).toEqual(expect.arrayContaining(['corpus', 'heldout-1', 'heldout-9']));
    for (const s of UNEVALUATED_SETS) expect(w.trainedOn).not.toContain(s);
  });

  it('reads a story of one family as identifying and a public notice as not', () => {
    const family = 'Her mom said the twins sleep in the back room of the trailer behind the feed store, and the older boy walks them to the bus every morning.';
    const notice = 'Caseworkers should remind caregivers that infants sleep alone, on their backs, in a crib with no bumpers or blankets.';
    expect(textModel().probability(family)).toBeGreaterThanOrEqual(TEXT_MODEL_THRESHOLD);
    expect(textModel().probability(notice)).toBeLessThan(TEXT_MODEL_THRESHOLD);
  });

  it("leaves a notice's short fields to the rules: a one-line action is no story", () => {
    expect(scanNotice({ title: 'Recall of the green infant sleeper', summary: 'Stop using it', body: 'Check every **sleeper** in care.', requiredActions: ['Remove the sleeper'] })).toEqual([]);
  });
});

describe("a notice drafted from a review: the review's approved sentences", () => {
  const finding = 'Court orders did not reach the ongoing worker before the visit.';
  const story = 'Her mom said the twins sleep in the back room of the trailer behind the feed store, and the older boy walks them to the bus every morning.';

  it('are not read by the text model, where the rules still look', () => {
    const withoutReview = scanNotice({ title: finding, summary: 'Review', body: 'See the review.', requiredActions: [] });
    expect(withoutReview.map((f) => [f.field, f.kind])).toEqual([['title', 'quasi_identifier']]);
    expect(scanNotice({ title: finding, summary: 'Review', body: 'See the review.', requiredActions: [] }, { reviewedText: [`Finding one. ${finding}`] })).toEqual([]);
    // A rule's finding inside a reviewed sentence stands: the review guard and this one differ.
    const withPhone = 'Court orders did not reach the worker at 614-555-0182 before the visit.';
    expect(scanNotice({ title: withPhone, summary: '', body: '', requiredActions: [] }, { reviewedText: [withPhone] }).map((f) => f.kind)).toContain('phone');
  });

  it('leave the rest of the field to the text model, and never a finding on a reviewed sentence', () => {
    const body = `${finding} ${story}`;
    const found = scanNotice({ title: 'Lessons', summary: '', body, requiredActions: [] }, { reviewedText: [finding] });
    expect(found.map((f) => [f.field, f.kind, f.text])).toEqual([['body', 'quasi_identifier', story]]);
    const model = textModel();
    expect(model.finding(finding, TEXT_MODEL_THRESHOLD, [finding])).toBeNull();
    expect(model.finding(finding, TEXT_MODEL_THRESHOLD, ['short.'])).not.toBeNull();
  });
});

describe('text that is not a notice', () => {
  // A plain sentence of a review's finding that the model, trained on notices, reads as a family's story.
  const finding = 'Court orders did not reach the ongoing worker before the visit.';

  it('is scanned without the text model: reviews, survey answers and reasons keep the rules alone', () => {
    expect(scanNotice({ title: 'Lessons', summary: 'Review', body: finding, requiredActions: [] }).map((f) => f.kind)).toEqual(['quasi_identifier']);
    expect(scanForIdentifyingData({ body: finding }, NOT_A_NOTICE)).toEqual([]);
    expect(deidFindingsOf({ summary: 'A review of handoffs.', findings: [{ text: finding, domain: 'external-environment' }] } as never)).toEqual([]);
  });
});
