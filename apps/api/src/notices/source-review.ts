import type { EntityManager } from 'typeorm';
import type { Notice } from '@sne/core';
import type { Principal } from '../common/principal';
import type { SourceReviewResponse } from './dto/notice.dto';

/**
 * "Issued from review R-2026-0007": the review each notice was drafted from. Everyone who may read
 * the notice sees the review's reference (it is de-identified and printed on the notice); only
 * callers of the review's own agency get its id, since the review itself is that agency's record.
 */
export async function sourceReviewsOf(m: EntityManager, p: Principal, notices: Notice[]): Promise<Map<string, SourceReviewResponse>> {
  const ids = [...new Set(notices.map((n) => n.sourceReviewId).filter((id): id is string => !!id))];
  if (!ids.length) return new Map();
  const rows: { id: string; agency_id: string; reference: string }[] = await m.query(
    `SELECT id, agency_id, reference FROM incident_reviews WHERE id = ANY($1::uuid[])`,
    [ids],
  );
  return new Map(rows.map((r) => [r.id, { reference: r.reference, id: r.agency_id === p.agencyId ? r.id : null }]));
}

/** An update keeps the links of its original's actions to the review's recommendations (they follow the action's text). */
export async function copyActionLinks(m: EntityManager, fromNoticeId: string, toNoticeId: string): Promise<void> {
  await m.query(
    `INSERT INTO review_notice_actions (notice_id, action_index, recommendation_id, action_text)
     SELECT $2, action_index, recommendation_id, action_text FROM review_notice_actions WHERE notice_id = $1`,
    [fromNoticeId, toNoticeId],
  );
}
