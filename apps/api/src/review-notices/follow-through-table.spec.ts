import { suppressFollowThrough } from './follow-through-table';

const counts = (done: number, underway: number, notYet: number, overdue: number, notApplicable: number) => ({ done, underway, notYet, overdue, notApplicable });

describe('the follow-through table, suppressed', () => {
  it('publishes everything when no count is under k', () => {
    const t = suppressFollowThrough([{ key: 'n1/0', noticeId: 'n1', counts: counts(6, 0, 7, 0, 0) }], 5);
    expect(t.rows.get('n1/0')).toEqual({ done: 6, underway: 0, notYet: 7, overdue: 0, notApplicable: 0, total: 13 });
    expect(t.totals).toEqual({ done: 6, underway: 0, notYet: 7, overdue: 0, notApplicable: 0, total: 13 });
    expect(t.suppressedCells).toBe(0);
  });

  it('suppresses a small count and enough others that no margin gives it back', () => {
    const t = suppressFollowThrough(
      [
        { key: 'n1/0', noticeId: 'n1', counts: counts(2, 6, 7, 0, 0) },
        { key: 'n1/1', noticeId: 'n1', counts: counts(9, 6, 0, 0, 0) },
        { key: 'n2/0', noticeId: 'n2', counts: counts(8, 5, 6, 0, 0) },
      ],
      5,
    );
    const row = t.rows.get('n1/0')!;
    expect(row.done).toBeNull();
    // Row total minus the published parts, or the column total minus the other rows, would give it back.
    const published = (['underway', 'notYet', 'overdue', 'notApplicable'] as const).filter((s) => row[s] !== null);
    expect(row.total === null || published.length < 4).toBe(true);
    const columnRest = ['n1/1', 'n2/0'].map((k) => t.rows.get(k)!.done);
    expect(t.totals.done === null || columnRest.some((v) => v === null)).toBe(true);
    expect(t.suppressedCells).toBeGreaterThanOrEqual(4);
  });

  it("publishes or suppresses the equal row totals of one notice's actions together", () => {
    const t = suppressFollowThrough(
      [
        { key: 'n1/0', noticeId: 'n1', counts: counts(1, 9, 0, 0, 0) },
        { key: 'n1/1', noticeId: 'n1', counts: counts(10, 0, 0, 0, 0) },
      ],
      5,
    );
    // n1/1's total is a complement (its one non-zero cell is); n1/0's equal total must not give it back.
    expect(t.rows.get('n1/1')!.total).toBeNull();
    expect(t.rows.get('n1/0')!.total).toBeNull();
  });

  it('an empty table has zero totals', () => {
    expect(suppressFollowThrough([], 5).totals).toEqual({ done: 0, underway: 0, notYet: 0, overdue: 0, notApplicable: 0, total: 0 });
  });
});
