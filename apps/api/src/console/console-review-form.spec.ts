import { checkReviewRecord, currentInstrument, itemsOf } from '@sne/core';
import { errorsOf, formView, parseReviewForm, valuesOf } from './console-review-form';

const ITEMS = [...itemsOf(currentInstrument().version).keys()];

describe('the review form', () => {
  const posted = {
    incidentType: 'fatality',
    incidentYear: '2025',
    incidentMonth: '6',
    ageBand: '1_3',
    priorInvolvement: 'none',
    priorRecency: '',
    circumstances: ['drowning', 'neglect'],
    incidentSummary: '',
    summary: 'Summary',
    [`rating_${ITEMS[0]}`]: '3',
    [`rating_${ITEMS[1]}`]: '',
    finding_text_0: 'First finding',
    finding_domain_0: '',
    finding_text_1: '   ',
    finding_text_2: 'Third row, kept as the second finding',
    rec_text_0: 'Do this',
    rec_owner_0: 'agency',
    rec_agency_0: 'ignored unless member',
    rec_target_0: '2027-01-31',
    rec_finding_0: '2',
    rec_text_1: '',
  };

  it('reads the posted fields as a record: empty rows dropped, unrated items left out, a member agency only for member owners', () => {
    const { input, values, tooLong } = parseReviewForm(posted);
    expect(tooLong).toEqual([]);
    expect(input.incident).toMatchObject({ incidentType: 'fatality', incidentYear: 2025, incidentMonth: 6, priorRecency: null, circumstances: ['drowning', 'neglect'] });
    expect(input.ratings).toEqual({ [ITEMS[0]]: 3 });
    expect(input.findings.map((f) => f.text)).toEqual(['First finding', 'Third row, kept as the second finding']);
    expect(input.recommendations).toEqual([{ text: 'Do this', owner: 'agency', ownerAgencyId: null, targetDate: '2027-01-31', findingPosition: 2 }]);
    expect(checkReviewRecord(input)).toEqual([]);
    // And back: the same values from the stored record.
    expect(valuesOf(input, null)).toMatchObject({ incidentYear: '2025', ratings: { [ITEMS[0]]: '3' }, findings: values.findings });
  });

  it('places each problem beside its field', () => {
    const { input } = parseReviewForm({ ...posted, incidentYear: 'soon', ageBand: '', [`rating_${ITEMS[0]}`]: '9', rec_owner_0: 'member', rec_agency_0: '' });
    const errors = errorsOf(checkReviewRecord(input, { complete: true }));
    expect(Object.keys(errors)).toEqual(expect.arrayContaining(['incidentYear', 'ageBand', `rating-${ITEMS[0]}`, `rating-${ITEMS[1]}`, 'rec-agency-0']));
    expect(errors[`rating-${ITEMS[1]}`]).toBe('Choose a rating for this item.');
    const view = formView(parseReviewForm(posted).values, errors, { leads: [], agencies: [] });
    expect(view.domains.flatMap((d) => d.items)).toHaveLength(ITEMS.length);
    expect(view.domains[0].items[0].points.map((p) => p.checked)).toEqual([false, false, false, true]);
    expect(view.findingRows).toHaveLength(2 + 2); // two findings and two empty rows
  });
});
