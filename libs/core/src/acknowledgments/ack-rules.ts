import type { AckStatus, Category } from '../database/entities';

/** An alert requires action; with no action listed, it asks for one implicit action. */
export function requiredActionsOf(notice: { category: Category; requiredActions: string[] }): string[] {
  if (notice.category !== 'alert') return [];
  return notice.requiredActions.length ? notice.requiredActions : ['Take the action this alert requires'];
}

export const ACTION_ANSWERS = ['done', 'not_applicable', 'underway'] as const;
/** `underway` says work has started (CAS has the same state); it does not close the action. */
export type ActionAnswer = (typeof ACTION_ANSWERS)[number];

/**
 * The agency's record after its answers: still `acknowledged` until every required action is
 * answered with `done` or `not_applicable` (`underway` is not an answer yet), then
 * `action_not_required` when none applied, `action_completed` otherwise.
 */
export function statusAfterAnswers(actionCount: number, latest: Map<number, ActionAnswer>): AckStatus {
  for (let i = 0; i < actionCount; i++) if (!latest.has(i) || latest.get(i) === 'underway') return 'acknowledged';
  return [...latest.values()].every((a) => a === 'not_applicable') ? 'action_not_required' : 'action_completed';
}

/**
 * What a recipient agency's record asks of it, in the inbox's words: `pending` (acknowledge),
 * `actions_owed` (acknowledged, required actions not all answered), `acknowledged` (nothing was
 * asked beyond it), `complete` (every action answered), `closed` (superseded or cancelled).
 */
export const INBOX_STATES = ['pending', 'actions_owed', 'acknowledged', 'complete', 'closed'] as const;
export type InboxState = (typeof INBOX_STATES)[number];

/** The same rule in SQL, over a record's status and its notice's category (for filtering and counting). */
export function inboxStateSql(status: string, category: string): string {
  return `CASE WHEN ${status} = 'pending' THEN 'pending'
               WHEN ${status} = 'acknowledged' AND ${category} = 'alert' THEN 'actions_owed'
               WHEN ${status} = 'acknowledged' THEN 'acknowledged'
               WHEN ${status} IN ('action_completed','action_not_required') THEN 'complete'
               ELSE 'closed' END`;
}

export function inboxStateOf(status: AckStatus, category: Category): InboxState {
  switch (status) {
    case 'pending':
      return 'pending';
    case 'acknowledged':
      return category === 'alert' ? 'actions_owed' : 'acknowledged';
    case 'action_completed':
    case 'action_not_required':
      return 'complete';
    default:
      return 'closed';
  }
}

/** States in which a record still asks something of its agency. */
export const OPEN_ACK_STATUSES: AckStatus[] = ['pending', 'acknowledged'];
