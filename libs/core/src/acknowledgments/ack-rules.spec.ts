import { requiredActionsOf, statusAfterAnswers } from './ack-rules';

describe('acknowledgment tiers', () => {
  it('asks for action on alerts only', () => {
    expect(requiredActionsOf({ category: 'advisory', requiredActions: ['x'] })).toEqual([]);
    expect(requiredActionsOf({ category: 'alert', requiredActions: ['a', 'b'] })).toEqual(['a', 'b']);
    expect(requiredActionsOf({ category: 'alert', requiredActions: [] })).toHaveLength(1);
  });

  it('completes the record only when every action is answered', () => {
    expect(statusAfterAnswers(2, new Map([[0, 'done']]))).toBe('acknowledged');
    expect(statusAfterAnswers(2, new Map([[0, 'done'], [1, 'not_applicable']]))).toBe('action_completed');
    expect(statusAfterAnswers(2, new Map([[0, 'not_applicable'], [1, 'not_applicable']]))).toBe('action_not_required');
  });
});
