import { ApiProperty, OmitType } from '@nestjs/swagger';
import { ACK_STATUSES, ACTION_ANSWERS, DELIVERY_STATUSES, FALLBACK_REASONS, JURISDICTION_TYPES } from '@sne/core';
import { ApiDateTime } from '../common/api-docs';

export class AcknowledgedByResponse {
  @ApiProperty({ type: String, nullable: true }) name: string | null;
  @ApiProperty({ type: String, nullable: true, description: "The link's address, or the key owner's" }) email: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The user, when acknowledged with an API key' }) userId: string | null;
}

/** Who acknowledged, as an issuer's recipient list gives it: no user id. */
export class RecipientAcknowledgerResponse extends OmitType(AcknowledgedByResponse, ['userId'] as const) {}

/** One recipient agency's record of one notice. */
export class AcknowledgmentResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) noticeId: string;
  @ApiProperty({ format: 'uuid' }) agencyId: string;
  @ApiProperty({ enum: ACK_STATUSES }) status: string;
  @ApiDateTime({ nullable: true }) dueAt: string | null;
  @ApiDateTime({ nullable: true }) acknowledgedAt: string | null;
  @ApiProperty({ type: AcknowledgedByResponse, nullable: true }) acknowledgedBy: AcknowledgedByResponse | null;
  @ApiProperty({ enum: ['email_link', 'api'], nullable: true }) channel: string | null;
  @ApiProperty({ type: Boolean, nullable: true, description: 'Acknowledged after the due time' }) late: boolean | null;
  @ApiDateTime({ nullable: true }) actionsDueAt: string | null;
  @ApiDateTime({ nullable: true }) actionsCompletedAt: string | null;
  @ApiProperty({ type: Boolean, nullable: true }) actionsLate: boolean | null;
  @ApiProperty({ type: String, nullable: true, description: 'Why a superseded or cancelled record closed' }) closedReason: string | null;
}

export class AcknowledgedByNameResponse {
  @ApiProperty({ type: String, nullable: true }) name: string | null;
}

/** The record as an acknowledgment link's holder sees it: the name of whoever acknowledged, not their address or user id (links get forwarded). */
export class TokenAcknowledgmentResponse extends OmitType(AcknowledgmentResponse, ['acknowledgedBy'] as const) {
  @ApiProperty({ type: AcknowledgedByNameResponse, nullable: true }) acknowledgedBy: AcknowledgedByNameResponse | null;
}

export class AssigneeResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
}

export class AnswerResponse {
  @ApiProperty({ description: 'Index of the required action (0-based)' }) action: number;
  @ApiProperty({ enum: ACTION_ANSWERS }) response: string;
  @ApiProperty({ type: AssigneeResponse, nullable: true, description: 'The colleague the action is assigned to' }) assignee: AssigneeResponse | null;
  @ApiDateTime({ nullable: true, description: "The agency's own due time for the action" }) dueAt: string | null;
  @ApiProperty({ type: String, nullable: true }) note: string | null;
  @ApiProperty({ description: 'Who answered' }) name: string;
  @ApiProperty({ type: String, nullable: true }) email: string | null;
  @ApiProperty({ enum: ['email_link', 'api'] }) channel: string;
  @ApiDateTime() at: string;
}

export class AnswerHistoryResponse {
  @ApiProperty({ type: [AnswerResponse], description: 'Oldest first; the latest answer to each action counts' }) items: AnswerResponse[];
}

export class LatestAnswerResponse {
  @ApiProperty() action: number;
  @ApiProperty({ enum: ACTION_ANSWERS }) response: string;
  @ApiProperty({ type: AssigneeResponse, nullable: true }) assignee: AssigneeResponse | null;
  @ApiDateTime({ nullable: true }) dueAt: string | null;
  @ApiProperty({ type: String, nullable: true }) note: string | null;
  @ApiProperty() name: string;
  @ApiDateTime() at: string;
}

export class RequiredActionStateResponse {
  @ApiProperty() index: number;
  @ApiProperty() text: string;
  @ApiProperty({ type: LatestAnswerResponse, nullable: true }) latest: LatestAnswerResponse | null;
  @ApiProperty({ enum: ['open', 'underway', 'done', 'not_applicable'] }) state: string;
  @ApiProperty({ type: AssigneeResponse, nullable: true }) assignee: AssigneeResponse | null;
  @ApiDateTime({ nullable: true, description: "The agency's own due time for the action if it set one, else the record's actionsDueAt" }) dueAt: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'Dec 6, 2026, 3:00 PM MST' }) dueAtLocal: string | null;
}

export class AgencyContactsResponse {
  @ApiProperty() noticesContact: string;
  @ApiProperty({ type: [String], description: 'In escalation order' }) escalationContacts: string[];
  @ApiProperty({ type: [String] }) fallbackContacts: string[];
}

export class RecipientAgencyResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: JURISDICTION_TYPES }) jurisdictionType: string;
  @ApiProperty() jurisdictionCode: string;
}

export class RecipientDeliveryResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['email', 'webhook'] }) channel: string;
  @ApiProperty() eventType: string;
  @ApiProperty() mandatory: boolean;
  @ApiProperty() fallback: boolean;
  @ApiProperty({ enum: FALLBACK_REASONS, nullable: true, description: 'Why a fallback email was sent' }) fallbackReason: string | null;
  @ApiProperty({ enum: DELIVERY_STATUSES, description: 'held: waiting for a paused or disabled subscription, sent when it is resumed. skipped: a reminder, resend or escalation (or its fallback copy) not sent because the record moved on or the notice is no longer published; lastError says why' }) status: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) subscriptionId: string | null;
  @ApiProperty({ type: String, enum: ['active', 'paused', 'disabled', 'deleted'], nullable: true, description: "The subscription's state now" }) subscriptionStatus: string | null;
  @ApiProperty() attemptCount: number;
  @ApiDateTime({ nullable: true }) deliveredAt: string | null;
  @ApiProperty({ type: String, nullable: true }) lastError: string | null;
}

export class RecipientResponse {
  @ApiProperty({ type: RecipientAgencyResponse }) agency: RecipientAgencyResponse;
  @ApiProperty({ format: 'uuid' }) acknowledgmentId: string;
  @ApiProperty({ enum: ACK_STATUSES }) status: string;
  @ApiProperty({ description: 'Pending past its due time' }) overdue: boolean;
  @ApiDateTime({ nullable: true }) dueAt: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'Dec 6, 2026, 3:00 PM MST', description: "The due time in the agency's time zone" }) dueAtLocal: string | null;
  @ApiDateTime({ nullable: true }) acknowledgedAt: string | null;
  @ApiProperty({ type: RecipientAcknowledgerResponse, nullable: true, description: 'Name and address (no user id)' }) acknowledgedBy: RecipientAcknowledgerResponse | null;
  @ApiProperty({ enum: ['email_link', 'api'], nullable: true }) channel: string | null;
  @ApiProperty({ type: Boolean, nullable: true }) late: boolean | null;
  @ApiDateTime({ nullable: true }) actionsDueAt: string | null;
  @ApiProperty({ type: String, nullable: true }) actionsDueAtLocal: string | null;
  @ApiProperty({ description: 'Acknowledged, actions past their due time' }) actionsOverdue: boolean;
  @ApiDateTime({ nullable: true }) actionsCompletedAt: string | null;
  @ApiProperty({ type: Boolean, nullable: true }) actionsLate: boolean | null;
  @ApiProperty({ type: [RequiredActionStateResponse] }) actions: RequiredActionStateResponse[];
  @ApiProperty({ type: AgencyContactsResponse, nullable: true, description: "The agency's contacts: for the issuing agency and partnership admins (null for others)" }) contacts: AgencyContactsResponse | null;
  @ApiProperty({ type: String, nullable: true }) closedReason: string | null;
  @ApiProperty({ type: [RecipientDeliveryResponse], description: "Every delivery to the agency for this notice, on every channel" }) deliveries: RecipientDeliveryResponse[];
}

export class RecipientCountsResponse {
  @ApiProperty() recipients: number;
  @ApiProperty() acknowledged: number;
  @ApiProperty() pending: number;
  @ApiProperty() overdue: number;
  @ApiProperty() actionsOverdue: number;
  @ApiProperty({ description: 'Recipients with a message held for a paused or disabled subscription' }) held: number;
  @ApiProperty({
    type: 'object',
    properties: Object.fromEntries(ACK_STATUSES.map((s) => [s, { type: 'integer' }])),
    required: [...ACK_STATUSES],
    description: 'Records in each state',
  })
  byStatus: Record<string, number>;
}

/** The supervisor view of one notice. */
export class RecipientsResponse {
  @ApiProperty({ format: 'uuid' }) noticeId: string;
  @ApiProperty({ type: String, nullable: true }) reference: string | null;
  @ApiProperty({ type: RecipientCountsResponse }) counts: RecipientCountsResponse;
  @ApiProperty({ type: [RecipientResponse], description: "Issuer and admins: every recipient agency; others: their own" }) items: RecipientResponse[];
}
