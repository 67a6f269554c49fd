/**
 * When each reminder and escalation rung of a pending acknowledgment is due. Stages:
 * 1 = reminder before the due time, 2 = reminder at it, 3… = escalation rung (stage - 2),
 * one rung per escalation contact, each `graceMs` after the previous. Pure, so the scheduler's
 * behaviour is decided here and tested without a clock.
 */
export interface ReminderPolicy {
  reminderBeforeDueMs: number;
  escalationGraceMs: number;
}

export interface PlanInput {
  publishedAt: Date;
  dueAt: Date;
  escalationContacts: number;
}

export function stageTime(stage: number, input: PlanInput, policy: ReminderPolicy): Date | null {
  const due = input.dueAt.getTime();
  if (stage === 1) {
    const window = due - input.publishedAt.getTime();
    return new Date(due - Math.min(policy.reminderBeforeDueMs, Math.max(0, window / 2)));
  }
  if (stage === 2) return new Date(due);
  const rung = stage - 2;
  if (rung < 1 || rung > input.escalationContacts) return null;
  return new Date(due + rung * policy.escalationGraceMs);
}

/** What kind of message a stage sends. */
export function stageKind(stage: number): 'reminder' | 'escalation' {
  return stage <= 2 ? 'reminder' : 'escalation';
}
