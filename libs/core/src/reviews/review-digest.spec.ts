import { DigestedReview, reviewDigest } from './review-digest';

const REVIEW: DigestedReview = {
  incident: { incidentType: 'near_fatality', incidentYear: 2025, incidentMonth: 4, ageBand: 'under_1', priorInvolvement: 'none', priorRecency: null, circumstances: ['unsafe_sleep', 'substance_exposure'], summary: 'Found unresponsive.' },
  instrumentVersion: '2',
  summary: 'Safe sleep guidance was missing.',
  ratings: { b: 2, a: 1 },
  findings: [{ text: 'No checklist.', domainId: null }],
  recommendations: [{ text: 'Add a checklist.', owner: 'agency', ownerAgencyId: null, targetDate: '2027-03-31', findingPosition: 1, status: 'proposed' }],
  leadId: '00000000-0000-4000-8000-000000000001',
};

describe('reviewDigest', () => {
  it('is a 64-character hex SHA-256, the same for the same record however its ratings and codes are ordered', () => {
    const h = reviewDigest(REVIEW);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(reviewDigest({ ...REVIEW, ratings: { a: 1, b: 2 }, incident: { ...REVIEW.incident, circumstances: [...REVIEW.incident.circumstances].reverse() } })).toBe(h);
  });

  it.each<[string, (r: DigestedReview) => DigestedReview]>([
    ['the incident summary', (r) => ({ ...r, incident: { ...r.incident, summary: 'Found unresponsive at home.' } })],
    ['a coded incident field', (r) => ({ ...r, incident: { ...r.incident, incidentMonth: 5 } })],
    ['the instrument version', (r) => ({ ...r, instrumentVersion: '1' })],
    ['the summary', (r) => ({ ...r, summary: 'Safe sleep guidance was given.' })],
    ['a rating', (r) => ({ ...r, ratings: { ...r.ratings, a: 3 } })],
    ['a finding', (r) => ({ ...r, findings: [{ text: 'No checklist at all.', domainId: null }] })],
    ['a recommendation text', (r) => ({ ...r, recommendations: [{ ...r.recommendations[0], text: 'Add a list.' }] })],
    ['a recommendation owner', (r) => ({ ...r, recommendations: [{ ...r.recommendations[0], owner: 'partnership' }] })],
    ['a recommendation target', (r) => ({ ...r, recommendations: [{ ...r.recommendations[0], targetDate: '2027-06-30' }] })],
    ['the lead', (r) => ({ ...r, leadId: null })],
  ])('changes with %s', (_, change) => {
    expect(reviewDigest(change(REVIEW))).not.toBe(reviewDigest(REVIEW));
  });

  it('ignores a recommendation status (it moves after approval)', () => {
    expect(reviewDigest({ ...REVIEW, recommendations: [{ ...REVIEW.recommendations[0], status: 'accepted' }] })).toBe(reviewDigest(REVIEW));
  });
});
