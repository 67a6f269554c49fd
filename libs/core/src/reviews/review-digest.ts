import { createHash } from 'crypto';
import type { ReviewRecordInput } from './review-record';

/** A review's record as an approver reads it, with the lead it names. */
export type DigestedReview = ReviewRecordInput & { leadId?: string | null };

/**
 * SHA-256 over a canonical JSON of everything an approver reads of a review: the coded incident
 * and its summary, the instrument version, the summary, the ratings, the findings, the
 * recommendations' texts, owners and targets, and the lead. A review returned, edited and
 * resubmitted keeps its version number but not its digest, so an approval bound to it approves
 * exactly what was read. Recommendation statuses are left out: they move after approval.
 */
export function reviewDigest(r: DigestedReview): string {
  const i = r.incident;
  const canonical = JSON.stringify([
    [i.incidentType, i.incidentYear, i.incidentMonth, i.ageBand, i.priorInvolvement, i.priorRecency ?? null, [...(i.circumstances ?? [])].sort(), i.summary ?? ''],
    r.instrumentVersion ?? null,
    r.summary ?? '',
    Object.entries(r.ratings ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    (r.findings ?? []).map((f) => [f.text, f.domainId ?? null]),
    (r.recommendations ?? []).map((x) => [x.text, x.owner, x.ownerAgencyId ?? null, x.targetDate ?? null, x.findingPosition ?? null]),
    r.leadId ?? null,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}
