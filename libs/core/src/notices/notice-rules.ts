import { createHash } from 'node:crypto';
import type { Category, EnquiriesContact, NoticeStatus, Severity } from '../database/entities';
import { SEVERITIES } from '../database/entities';

/** Why a command on a notice was refused; the API turns `kind` into a status code. */
export class NoticeRuleError extends Error {
  constructor(
    readonly kind: 'conflict' | 'forbidden',
    message: string,
  ) {
    super(message);
    this.name = 'NoticeRuleError';
  }
}

export type NoticeCommand = 'edit' | 'submit' | 'approve' | 'reject' | 'update' | 'cancel';

const ALLOWED_FROM: Record<NoticeCommand, NoticeStatus[]> = {
  edit: ['draft'],
  submit: ['draft'],
  approve: ['in_review'],
  reject: ['in_review'],
  update: ['published'],
  cancel: ['published'],
};

export function assertTransition(command: NoticeCommand, status: NoticeStatus): void {
  if (!ALLOWED_FROM[command].includes(status)) {
    throw new NoticeRuleError('conflict', `cannot ${command} a notice that is ${status.replace('_', ' ')}`);
  }
}

/** The two-person rule: an approval binds a second person to the exact content reviewed. */
/**
 * The two-person rule: whoever approves must not have written any of it. The author and everyone
 * who saved a version (`editorIds`: an author may edit a colleague's draft) are refused, so one
 * person holding both roles cannot rewrite a draft and publish it alone.
 */
export function assertCanApprove(
  notice: { authorId: string; contentHash: string },
  approverId: string,
  reviewedHash: string,
  editorIds: readonly string[] = [],
): void {
  if (notice.authorId === approverId) {
    throw new NoticeRuleError('forbidden', 'the author of a notice cannot approve it (two-person rule)');
  }
  if (editorIds.includes(approverId)) {
    throw new NoticeRuleError('forbidden', 'you edited this notice, so you cannot approve it (two-person rule)');
  }
  if (notice.contentHash !== reviewedHash) {
    throw new NoticeRuleError('forbidden', 'the notice changed since it was reviewed: contentHash does not match');
  }
}

export interface NoticeContent {
  title: string;
  summary: string;
  bodyMarkdown: string;
  category: Category;
  severity: Severity;
  topics: string[];
  targetJurisdictions: string[];
  requiredActions: string[];
  acknowledgeBy: Date | null;
  actionsDueBy: Date | null;
  effectiveAt: Date | null;
  expiresAt: Date | null;
  referenceIds: string[];
  incidentReference: string | null;
  /** Whom recipients ask; absent on notices from before it existed, so their hashes stay as they were. */
  enquiries?: EnquiriesContact | null;
}

/** What of an attachment a recipient relies on: its name, type and exact bytes. */
export interface AttachmentDigest {
  name: string;
  mediaType: string;
  sha256: string;
}

/**
 * SHA-256 over a canonical JSON of everything a recipient would read, attachments included (in
 * their order), so adding, removing or replacing one voids an approval. A notice without
 * attachments hashes as it always has.
 */
export function contentHash(c: NoticeContent, attachments: AttachmentDigest[] = []): string {
  const canonical = JSON.stringify([
    c.title,
    c.summary,
    c.bodyMarkdown,
    c.category,
    c.severity,
    c.topics,
    c.targetJurisdictions,
    c.requiredActions,
    c.acknowledgeBy?.toISOString() ?? null,
    c.actionsDueBy?.toISOString() ?? null,
    c.effectiveAt?.toISOString() ?? null,
    c.expiresAt?.toISOString() ?? null,
    c.referenceIds,
    c.incidentReference,
    ...(c.enquiries ? [[c.enquiries.name, c.enquiries.role, c.enquiries.email, c.enquiries.phone]] : []),
    ...(attachments.length ? [attachments.map((a) => [a.name, a.mediaType, a.sha256])] : []),
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

export function formatReference(year: number, n: number): string {
  return `NPCS-${year}-${String(n).padStart(4, '0')}`;
}

export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}
