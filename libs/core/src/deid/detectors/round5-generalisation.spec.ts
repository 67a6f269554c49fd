/**
 * The fifth round's rules, with examples written for this spec (not taken from any labelled set):
 * nicknames in quotes and names in parentheses after a role, a possessive before a relation or an
 * incident, initials in more writings, and kin of a local figure with an adjective before the title.
 */
import { scanForIdentifyingData } from '../deid-scanner';
import { found } from '../spec-helpers';
import { initialsDetector } from './initials.detector';
import { quasiIdentifierDetector } from './quasi-identifier.detector';

/** The rules' findings (the token model off) as [kind, text]. */
const rules = (text: string): Array<[string, string]> => scanForIdentifyingData({ body: text }, { tokenModel: { enabled: false }, textModel: { enabled: false } }).map((f) => [f.kind, f.text]);

describe('names set apart by quotes or parentheses', () => {
  it.each([
    ['The boy answers only to "Biscuit" at school.', []],
    ['The boy goes by "Biscuit" at school.', [['personal_name', 'Biscuit']]],
    ["Her cousin is known as 'Sugar' online.", [['personal_name', 'Sugar']]],
    ["The man was identified only as 'R.' in the report.", [['initials', 'R.']]],
    ['Drowning, Pike County: Child B (Sparrow)', [['personal_name', 'Sparrow']]],
    ['Burns, the toddler (Ember), were treated', [['personal_name', 'Ember']]],
  ])('%p', (text, expected) => expect(rules(text)).toEqual(expected));

  it('leaves a quoted product and a professional in parentheses alone', () => {
    expect(rules("Families should stop using the 'Cozy Nest' sleeper at once.")).toEqual([]);
    expect(rules('the infant (NICU) was discharged')).toEqual([]);
  });
});

describe('a physician named with "Dr."', () => {
  it('is a professional, not a person of the case, unless a role of the case labels them', () => {
    expect(rules('Dr. Priya Venkataraman told the panel that most of these deaths were preventable.')).toEqual([]);
    expect(rules('Per Dr. Okafor, the bruising pattern was consistent with a fall.')).toEqual([]);
    expect(rules('Mother: Dr. Lena Ortiz')).toEqual([['personal_name', 'Dr. Lena Ortiz']]);
  });
});

describe("an email's subject line", () => {
  it('names a topic, unless it holds a given name', () => {
    expect(rules('From: Intake Desk <intake.desk@dcs.example.gov>\nSubject: Quarterly fatality counts')).toEqual([]);
    expect(rules('From: Intake Desk <intake.desk@dcs.example.gov>\nSubject: Maria Lopez')).toEqual([['personal_name', 'Maria Lopez']]);
    expect(rules('Subject: Tavish Okoro\nAge: 4')).toEqual([['personal_name', 'Tavish Okoro']]);
  });
});

describe('a possessive before a relation or an incident', () => {
  it.each([
    ["Faith's drowning was the county's third this summer.", 'Faith'],
    ["Check that Hunter's step-grandmother has a crib.", 'Hunter'],
  ])('%p', (text, name) => expect(rules(text)).toEqual([['personal_name', name]]));

  it("leaves a place's and a named law's possessive alone", () => {
    expect(rules("Lake Shelby's fall festival is cancelled.")).toEqual([]);
  });
});

describe('initials in more writings', () => {
  it.each([
    ['Choking: P.M., 14 months', ['P.M.']],
    ['Staff saw that KR was limping and DW did not eat.', ['KR', 'DW']],
    ['Mrs. T. and the space heater', ['Mrs. T.']],
    ['Kids at the visit (R/S, 6; T/S, 2).', ['R/S', 'T/S']],
    ['Re: AB-C (age 9), seen Monday', ['AB-C']],
    ['sibling j.w. was at school', ['j.w.']],
  ])('%p', (text, expected) => expect(found(initialsDetector, text)).toEqual(expected));

  it.each([['The webinar starts at 10 A.M., 30 minutes before lunch.'], ['Mrs. T. Whitaker chairs the board.'], ['Mark N/A, 3 times if blank.'], ['for the infant, e.g. a bassinet']])(
    'leaves %p alone',
    (text) => expect(found(initialsDetector, text)).toEqual([]),
  );
});

it('reads kin of a local figure with an adjective before the title', () => {
  expect(found(quasiIdentifierDetector, 'The teen is the niece of the sitting county sheriff.')).toEqual(['niece of the sitting county sheriff']);
});
