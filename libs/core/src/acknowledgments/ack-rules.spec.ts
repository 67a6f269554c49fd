import { inboxStateOf, requiredActionsOf, statusAfterAnswers } from './ack-rules';

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

  it('does not count an action underway as answered', () => {
    expect(statusAfterAnswers(2, new Map([[0, 'done'], [1, 'underway']]))).toBe('acknowledged');
    expect(statusAfterAnswers(1, new Map([[0, 'underway']]))).toBe('acknowledged');
  });

  it('names what a record still asks of its agency', () => {
    expect(inboxStateOf('pending', 'advisory')).toBe('pending');
    expect(inboxStateOf('acknowledged', 'alert')).toBe('actions_owed');
    expect(inboxStateOf('acknowledged', 'advisory')).toBe('acknowledged');
    expect(inboxStateOf('action_not_required', 'alert')).toBe('complete');
    expect(inboxStateOf('cancelled', 'alert')).toBe('closed');
  });
});
