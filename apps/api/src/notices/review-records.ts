import { EntityManager } from 'typeorm';
import { ConflictException } from '@nestjs/common';
import { enqueue, listRecipients, Notice, Subjects } from '@sne/core';
import type { ReviewMailMessage } from '@sne/messaging';
import { contentOfNotice } from './notice-mapping';

/** Keeps the content of this version of the notice, so reviewers see what changed between versions. */
export async function recordVersion(m: EntityManager, n: Notice, savedBy: string): Promise<void> {
  await m.query(
    `INSERT INTO notice_versions (notice_id, version, content, content_hash, saved_by) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (notice_id, version) DO UPDATE SET content = EXCLUDED.content, content_hash = EXCLUDED.content_hash,
       saved_by = EXCLUDED.saved_by, saved_at = now()`,
    [n.id, n.version, JSON.stringify(contentOfNotice(n)), n.contentHash, savedBy],
  );
}

/** Everyone who saved a version of the notice (the author, and any colleague who edited the draft): none of them may approve it. */
export async function editorsOf(m: EntityManager, noticeId: string): Promise<string[]> {
  const rows: { saved_by: string }[] = await m.query(`SELECT DISTINCT saved_by FROM notice_versions WHERE notice_id = $1 AND saved_by IS NOT NULL`, [noticeId]);
  return rows.map((r) => r.saved_by);
}

/** The approvers or the author are emailed (by the courier) once the transition commits. */
export async function recordReviewMail(m: EntityManager, type: ReviewMailMessage['type'], noticeId: string, actorId: string): Promise<void> {
  const message: ReviewMailMessage = { type, noticeId, actorId };
  await enqueue(m, Subjects.reviewMail, message);
}

export interface ConfirmedRecipients {
  recipientCount?: number;
  recipientsDigest?: string;
}

/**
 * Nobody publishes blind: when the approver confirmed a recipient count or digest, the list is
 * computed again (inside the approval's transaction) and the approval refused if it changed.
 */
export async function assertRecipientsUnchanged(m: EntityManager, noticeId: string, confirmed: ConfirmedRecipients): Promise<void> {
  if (confirmed.recipientCount === undefined && confirmed.recipientsDigest === undefined) return;
  const now = await listRecipients(m, noticeId);
  const countChanged = confirmed.recipientCount !== undefined && confirmed.recipientCount !== now.count;
  const listChanged = confirmed.recipientsDigest !== undefined && confirmed.recipientsDigest !== now.digest;
  if (!countChanged && !listChanged) return;
  throw new ConflictException({
    statusCode: 409,
    error: 'Conflict',
    message:
      `the recipient list changed since you reviewed it: it now has ${now.count} ${now.count === 1 ? 'agency' : 'agencies'}` +
      (countChanged ? ` (you confirmed ${confirmed.recipientCount})` : '') +
      '. Review the list again before you publish.',
    recipientCount: now.count,
    recipientsDigest: now.digest,
  });
}
