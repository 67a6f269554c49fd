import { composePeriods } from './periods';

describe('figures over a period, composed from each base period', () => {
  const q1 = new Map<string, number | null>([['fatality:q1', 7], ['fatality:all', 7], ['total', 20]]);
  const q2 = new Map<string, number | null>([['fatality:q2', null], ['fatality:all', null], ['total', 4]]);

  it('publishes a sum over base periods only when every part is published', () => {
    const one = composePeriods(['fatality:q1', 'fatality:all', 'total'], [q1]);
    expect([...one]).toEqual([['fatality:q1', 7], ['fatality:all', 7], ['total', 20]]);
    const two = composePeriods(['fatality:q1', 'fatality:q2', 'fatality:all', 'total'], [q1, q2]);
    // The all-quarters margin has a suppressed part (2024-Q2's 4): suppressed, or 11 − 7 gives the 4 back.
    expect(two.get('fatality:all')).toBeNull();
    expect(two.get('fatality:q2')).toBeNull();
    expect(two.get('fatality:q1')).toBe(7); // only q1 has it: q2 has no part in it
    expect(two.get('total')).toBe(24); // both parts published: their sum gives nothing new
  });

  it('gives the same figure for a base period in every period that holds it', () => {
    for (const bases of [[q1], [q1, q2], [q2, q1]]) expect(composePeriods(['fatality:q1'], bases).get('fatality:q1')).toBe(7);
  });

  it('refuses an id that no base period has (a programming error, not a zero)', () => {
    expect(() => composePeriods(['nowhere'], [q1, q2])).toThrow(/no base period has nowhere/);
  });
});
