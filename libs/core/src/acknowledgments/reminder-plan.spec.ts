import { stageKind, stageTime } from './reminder-plan';

const policy = { reminderBeforeDueMs: 4 * 3600_000, escalationGraceMs: 2 * 3600_000 };
const publishedAt = new Date('2026-11-26T00:00:00Z');
const dueAt = new Date('2026-11-27T00:00:00Z');

describe('reminder plan', () => {
  it('reminds before and at the due time, then escalates one rung per contact', () => {
    const input = { publishedAt, dueAt, escalationContacts: 2 };
    expect(stageTime(1, input, policy)?.toISOString()).toBe('2026-11-26T20:00:00.000Z');
    expect(stageTime(2, input, policy)?.toISOString()).toBe('2026-11-27T00:00:00.000Z');
    expect(stageTime(3, input, policy)?.toISOString()).toBe('2026-11-27T02:00:00.000Z');
    expect(stageTime(4, input, policy)?.toISOString()).toBe('2026-11-27T04:00:00.000Z');
    expect(stageTime(5, input, policy)).toBeNull();
    expect([1, 2, 3, 4].map(stageKind)).toEqual(['reminder', 'reminder', 'escalation', 'escalation']);
  });

  it('reminds halfway through a window shorter than the lead time', () => {
    const input = { publishedAt, dueAt: new Date('2026-11-26T02:00:00Z'), escalationContacts: 0 };
    expect(stageTime(1, input, policy)?.toISOString()).toBe('2026-11-26T01:00:00.000Z');
    expect(stageTime(3, input, policy)).toBeNull();
  });
});
