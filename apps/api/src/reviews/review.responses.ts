import { ApiProperty } from '@nestjs/swagger';
import { AGE_BANDS, CIRCUMSTANCES, INCIDENT_TYPES, PRIOR_INVOLVEMENT, PRIOR_RECENCY, RECOMMENDATION_OWNERS, RECOMMENDATION_STATUSES } from '@sne/core';
import { ApiAnyJson, ApiDateTime } from '../common/api-docs';
import { REVIEW_STATUSES } from './review.dto';

const NullableString = (description?: string) => ApiProperty({ type: String, nullable: true, description });
const NullableInt = (description?: string) => ApiProperty({ type: 'integer', nullable: true, description });

export class ReviewSummaryResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'R-2026-0007' }) reference: string;
  @ApiProperty({ enum: REVIEW_STATUSES }) status: string;
  @ApiProperty({ type: 'integer', description: 'The version being worked on (an amendment adds one)' }) version: number;
  @NullableInt('The version last approved: the one every aggregate reads') approvedVersion: number | null;
  @ApiProperty({ example: '2' }) instrumentVersion: string;
  @NullableString('The review lead') leadId: string | null;
  @ApiProperty({ description: 'Imported from a historical record' }) imported: boolean;
  @NullableString() submittedBy: string | null;
  @ApiDateTime({ nullable: true }) submittedAt: string | null;
  @NullableString() approvedBy: string | null;
  @ApiDateTime({ nullable: true }) approvedAt: string | null;
  @ApiDateTime({ nullable: true }) sharedAt: string | null;
  @NullableString('Why an approver sent it back to draft') returnedReason: string | null;
  @NullableString() createdBy: string | null;
  @ApiDateTime() createdAt: string;
  @ApiDateTime() updatedAt: string;
}

export class ReviewListItemResponse extends ReviewSummaryResponse {
  @ApiProperty({ example: 'CI-2026-0003' }) incidentReference: string;
  @ApiProperty({ enum: INCIDENT_TYPES }) incidentType: string;
  @ApiProperty({ type: 'integer' }) incidentYear: number;
  @ApiProperty({ type: 'integer' }) incidentMonth: number;
}

export class IncidentResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'CI-2026-0003' }) reference: string;
  @ApiProperty({ enum: INCIDENT_TYPES }) incidentType: string;
  @ApiProperty({ type: 'integer' }) incidentYear: number;
  @ApiProperty({ type: 'integer' }) incidentMonth: number;
  @ApiProperty({ enum: AGE_BANDS }) ageBand: string;
  @ApiProperty({ enum: PRIOR_INVOLVEMENT }) priorInvolvement: string;
  @ApiProperty({ enum: PRIOR_RECENCY, nullable: true }) priorRecency: string | null;
  @ApiProperty({ type: [String], enum: CIRCUMSTANCES }) circumstances: string[];
  @ApiProperty() summary: string;
}

export class RatingResponse {
  @ApiProperty() itemId: string;
  @ApiProperty() domainId: string;
  @ApiProperty() domainTitle: string;
  @ApiProperty({ description: 'The item’s wording in the pinned instrument version' }) text: string;
  @NullableInt('0–3, or null while unrated') rating: number | null;
}

export class FindingRowResponse {
  @ApiProperty({ type: 'integer' }) position: number;
  @NullableString() domainId: string | null;
  @ApiProperty() text: string;
}

export class StatusChangeResponse {
  @ApiProperty({ enum: RECOMMENDATION_STATUSES }) status: string;
  @NullableString() reason: string | null;
  @NullableString() changedBy: string | null;
  @ApiDateTime() changedAt: string;
}

export class RecommendationResponse {
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'null for a recommendation an amendment adds, until the amendment is approved' }) id: string | null;
  @NullableString('During an amendment that rewrites this recommendation: the approved text, which its status and history belong to until the amendment is approved') approvedText: string | null;
  @ApiProperty({ type: 'integer' }) position: number;
  @NullableInt('The finding it answers (1-based)') findingPosition: number | null;
  @ApiProperty() text: string;
  @ApiProperty({ enum: RECOMMENDATION_OWNERS }) owner: string;
  @NullableString() ownerAgencyId: string | null;
  @ApiProperty({ type: String, format: 'date', nullable: true }) targetDate: string | null;
  @ApiProperty({ enum: RECOMMENDATION_STATUSES }) status: string;
  @NullableString() statusReason: string | null;
  @ApiDateTime({ nullable: true, description: 'null for a recommendation an amendment adds, until the amendment is approved' }) statusChangedAt: string | null;
  @ApiProperty({ type: String, format: 'date', nullable: true }) implementedOn: string | null;
  @ApiProperty({ type: [StatusChangeResponse], description: 'Every status it has had, oldest first' }) history: StatusChangeResponse[];
}

export class ReviewVersionEntryResponse {
  @ApiProperty({ type: 'integer' }) version: number;
  @ApiProperty({ enum: ['submitted', 'approved', 'imported'] }) event: string;
  @NullableString() recordedBy: string | null;
  @ApiDateTime() recordedAt: string;
}

export class ReviewResponse extends ReviewSummaryResponse {
  @ApiProperty() summary: string;
  @NullableString('The de-identified summary shared with every member') sharedSummary: string | null;
  @ApiProperty({ description: 'Pinned to the instrument version new reviews use' }) instrumentCurrent: boolean;
  @NullableString('While submitted: the SHA-256 of the record as it reads now; send it back as contentHash to approve it (null otherwise)') contentHash: string | null;
  @ApiProperty({ type: IncidentResponse }) incident: IncidentResponse;
  @ApiProperty({ type: [RatingResponse], description: 'Every item of the pinned instrument, in order, with the current version’s rating' }) ratings: RatingResponse[];
  @ApiProperty({ type: [FindingRowResponse] }) findings: FindingRowResponse[];
  @ApiProperty({ type: [RecommendationResponse] }) recommendations: RecommendationResponse[];
  @ApiProperty({ type: [ReviewVersionEntryResponse], description: 'The snapshots kept (GET …/versions for their content and changes)' }) versions: ReviewVersionEntryResponse[];
}

export class WordPartResponse {
  @ApiProperty() text: string;
  @ApiProperty({ enum: ['same', 'added', 'removed'] }) change: string;
}

export class ReviewFieldChangeResponse {
  @ApiProperty({ example: 'findings[0].text' }) field: string;
  @ApiProperty({ example: 'Finding 1' }) label: string;
  @ApiProperty({ type: [WordPartResponse] }) parts: WordPartResponse[];
}

export class ReviewSnapshotResponse extends ReviewVersionEntryResponse {
  @ApiAnyJson({ description: 'The record as it was: incident, instrumentVersion, summary, ratings, findings, recommendations' }) content: unknown;
  @ApiProperty({ type: [ReviewFieldChangeResponse], description: 'What changed against the snapshot before it' }) changes: ReviewFieldChangeResponse[];
}

export class ReviewVersionsResponse {
  @ApiProperty({ format: 'uuid' }) reviewId: string;
  @ApiProperty() reference: string;
  @ApiProperty({ type: [ReviewSnapshotResponse] }) versions: ReviewSnapshotResponse[];
}

export class SharedReviewResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() reference: string;
  @ApiProperty({ format: 'uuid' }) agencyId: string;
  @ApiProperty() agencyName: string;
  @ApiProperty({ example: 'county' }) jurisdictionType: string;
  @ApiProperty({ enum: INCIDENT_TYPES }) incidentType: string;
  @ApiProperty({ type: 'integer' }) incidentYear: number;
  @ApiProperty() sharedSummary: string;
  @ApiDateTime() sharedAt: string;
  @ApiProperty({ type: 'integer' }) findingsCount: number;
}
