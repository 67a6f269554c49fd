import type { EntityManager } from 'typeorm';
import { AttachmentDigest, AttachmentStorage } from '@sne/core';

export interface AttachmentInfo {
  id: string;
  noticeId: string;
  name: string;
  mediaType: string;
  sizeBytes: number;
  sha256: string;
  createdAt: string;
}

export interface AttachmentRow extends AttachmentInfo {
  storage: AttachmentStorage;
}

export const ATTACHMENT_COLUMNS = `a.id, a.notice_id AS "noticeId", a.name, a.media_type AS "mediaType", a.size_bytes AS "sizeBytes", a.sha256, a.storage, a.created_at AS "createdAt"`;

/** The attachments of a notice, in their order (the order the content hash takes them in). */
export async function attachmentRows(m: EntityManager, noticeId: string): Promise<AttachmentRow[]> {
  return m.query(`SELECT ${ATTACHMENT_COLUMNS} FROM notice_attachments a WHERE a.notice_id = $1 ORDER BY a.created_at, a.id`, [noticeId]);
}

export async function attachmentsOf(m: EntityManager, noticeId: string): Promise<AttachmentInfo[]> {
  return (await attachmentRows(m, noticeId)).map(attachmentInfo);
}

/** The attachments of a notice as the content hash sees them. */
export async function attachmentDigests(m: EntityManager, noticeId: string): Promise<AttachmentDigest[]> {
  return (await attachmentRows(m, noticeId)).map(({ name, mediaType, sha256 }) => ({ name, mediaType, sha256 }));
}

export function attachmentInfo(r: AttachmentRow): AttachmentInfo {
  const created = r.createdAt as unknown;
  return { id: r.id, noticeId: r.noticeId, name: r.name, mediaType: r.mediaType, sizeBytes: r.sizeBytes, sha256: r.sha256, createdAt: created instanceof Date ? created.toISOString() : String(created) };
}
