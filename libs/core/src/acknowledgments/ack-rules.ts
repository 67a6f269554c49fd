import type { AckStatus, Category } from '../database/entities';

/** An alert requires action; with no action listed, it asks for one implicit action. */
export function requiredActionsOf(notice: { category: Category; requiredActions: string[] }): string[] {
  if (notice.category !== 'alert') return [];
  return notice.requiredActions.length ? notice.requiredActions : ['Take the action this alert requires'];
}

export type ActionAnswer = 'done' | 'not_applicable';

/**
 * The agency's record after its answers: still `acknowledged` until every required action is
 * answered, then `action_not_required` when none applied, `action_completed` otherwise.
 */
export function statusAfterAnswers(actionCount: number, latest: Map<number, ActionAnswer>): AckStatus {
  for (let i = 0; i < actionCount; i++) if (!latest.has(i)) return 'acknowledged';
  return [...latest.values()].every((a) => a === 'not_applicable') ? 'action_not_required' : 'action_completed';
}

/** States in which a record still asks something of its agency. */
export const OPEN_ACK_STATUSES: AckStatus[] = ['pending', 'acknowledged'];
