import { ApiProperty } from '@nestjs/swagger';
import { ApiAnyJson, ApiDateTime } from '../../common/api-docs';
import { ReviewedFindingResponse } from './notice.responses';

export class ReviewRecipientChannelResponse {
  @ApiProperty({ enum: ['email', 'webhook'] }) channel: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'Null for the mandatory email to the notices contact' }) subscriptionId: string | null;
  @ApiProperty({ nullable: true, type: String }) subscriptionName: string | null;
  @ApiProperty({ enum: ['active', 'paused', 'disabled', 'contact', 'fallback'], description: 'contact: the mandatory email of a critical notice; fallback: the email to the fallback contacts of an agency whose subscription is held' }) status: string;
  @ApiProperty({ description: 'Held until the subscription is resumed; its fallback contacts are emailed meanwhile' }) held: boolean;
  @ApiProperty({ type: [String], description: "Email addresses (a subscription's as ***@domain), or the webhook's origin" }) target: string[];
}

export class ReviewRecipientResponse {
  @ApiProperty({ format: 'uuid' }) agencyId: string;
  @ApiProperty() agencyName: string;
  @ApiProperty() jurisdictionCode: string;
  @ApiProperty({ enum: ['subscribed', 'mandatory', 'had-original'], description: 'subscribed: a matching subscription; mandatory: a critical notice reaches a targeted agency without one; had-original: it received the notice this one updates' })
  basis: string;
  @ApiProperty({ type: [ReviewRecipientChannelResponse] }) channels: ReviewRecipientChannelResponse[];
}

export class ReviewRecipientListResponse {
  @ApiProperty({ description: 'Agencies the notice will reach' }) count: number;
  @ApiProperty({ description: 'Send it back as recipientsDigest when approving: a changed list is refused (409)' }) digest: string;
  @ApiProperty({ type: [ReviewRecipientResponse] }) recipients: ReviewRecipientResponse[];
}

export class EmailPreviewResponse {
  @ApiProperty({ description: 'The address the preview is rendered for (the first email recipient, or an example)' }) to: string;
  @ApiProperty() agencyName: string;
  @ApiProperty() subject: string;
  @ApiProperty() html: string;
  @ApiProperty() text: string;
}

export class MessagePreviewResponse {
  @ApiProperty({ type: EmailPreviewResponse }) email: EmailPreviewResponse;
  @ApiAnyJson({ description: 'The webhook body (Standard Webhooks) as recipients will receive it' }) webhook: unknown;
  @ApiProperty({ description: 'What differs once published: the reference, the publication time and each recipient’s own acknowledgment link' }) note: string;
}

export class DeidCheckResponse {
  @ApiProperty({ description: 'No finding stands (none, or every one overridden)' }) clear: boolean;
  @ApiProperty({ type: [String], description: 'The fields scanned' }) fieldsScanned: string[];
  @ApiProperty({ type: [String], description: 'The kinds of identifying data looked for' }) kindsScanned: string[];
  @ApiProperty({ description: "The issuing agency's own published contacts, never findings" }) agencyContactsAllowed: number;
  @ApiProperty({ type: [ReviewedFindingResponse] }) findings: ReviewedFindingResponse[];
  @ApiProperty({ description: 'The check in one sentence' }) summary: string;
}

export class WordPartResponse {
  @ApiProperty() text: string;
  @ApiProperty({ enum: ['same', 'added', 'removed'] }) change: string;
}

export class FieldWordDiffResponse {
  @ApiProperty() field: string;
  @ApiProperty() label: string;
  @ApiProperty({ type: [WordPartResponse] }) parts: WordPartResponse[];
}

export class VersionResponse {
  @ApiProperty() version: number;
  @ApiDateTime() savedAt: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) savedBy: string | null;
  @ApiProperty({ nullable: true, type: String }) savedByName: string | null;
  @ApiProperty() contentHash: string;
  @ApiProperty({ type: [FieldWordDiffResponse], description: 'Word-level changes against the version before (the first version of an update: against the notice it updates)' })
  changes: FieldWordDiffResponse[];
}

export class VersionHistoryResponse {
  @ApiProperty({ format: 'uuid' }) noticeId: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) supersedesId: string | null;
  @ApiProperty({ type: [VersionResponse] }) versions: VersionResponse[];
}

export class NoticeReviewResponse {
  @ApiProperty({ format: 'uuid' }) noticeId: string;
  @ApiProperty({ description: 'Send it back as contentHash when approving' }) contentHash: string;
  @ApiProperty({ enum: ['draft', 'in_review'] }) status: string;
  @ApiProperty({ description: 'A critical notice awaiting review' }) urgent: boolean;
  @ApiProperty({ type: ReviewRecipientListResponse }) recipients: ReviewRecipientListResponse;
  @ApiProperty({ type: MessagePreviewResponse }) preview: MessagePreviewResponse;
  @ApiProperty({ type: DeidCheckResponse }) deid: DeidCheckResponse;
  @ApiProperty({ type: [VersionResponse] }) versions: VersionResponse[];
}
