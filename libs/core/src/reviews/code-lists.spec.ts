import { AGE_BANDS, CIRCUMSTANCES, codeList, INCIDENT_TYPES, PRIOR_INVOLVEMENT, PRIOR_RECENCY, RECOMMENDATION_OWNERS, RECOMMENDATION_STATUSES } from './code-lists';

describe('code lists', () => {
  // The TypeScript unions are written out for the compiler; the JSON is the data. They must agree.
  it.each([
    ['incidentType', INCIDENT_TYPES],
    ['ageBand', AGE_BANDS],
    ['priorInvolvement', PRIOR_INVOLVEMENT],
    ['priorRecency', PRIOR_RECENCY],
    ['circumstance', CIRCUMSTANCES],
    ['recommendationOwner', RECOMMENDATION_OWNERS],
    ['recommendationStatus', RECOMMENDATION_STATUSES],
  ] as const)('%s in code-lists.json matches its TypeScript list', (name, codes) => {
    expect(codeList(name).map((c) => c.code)).toEqual([...codes]);
    for (const c of codeList(name)) expect(c.label.trim().length).toBeGreaterThan(0);
  });
});
