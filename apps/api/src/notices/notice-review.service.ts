import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import {
  APP_CONFIG,
  AppConfig,
  DEID_KINDS,
  listRecipients,
  MessageContext,
  Notice,
  NOTICE_CONTENT_SQL,
  attachmentUrls,
  NOTICE_ATTACHMENTS_SQL,
  noticeWebhookBody,
  publishedContentOf,
  RecipientChannel,
  RecipientList,
  renderNoticeEmail,
  TemplateRenderer,
  versionHistory,
} from '@sne/core';
import { Principal } from '../common/principal';
import { DeidGuard } from './deid-guard.service';
import { NoticesService } from './notices.service';

/** The words the console and the API use for each kind the guard looks for. */
export const DEID_KIND_LABELS: Record<(typeof DEID_KINDS)[number], string> = {
  personal_name: 'personal names',
  date_of_birth: 'dates of birth',
  exact_age_date: 'exact ages with a date',
  ssn: 'Social Security numbers',
  phone: 'phone numbers',
  email: 'email addresses',
  street_address: 'street addresses',
  case_number: 'case numbers',
  medicaid_id: 'Medicaid IDs',
  tribal_enrollment: 'tribal enrollment numbers',
  vehicle_id: 'vehicle plates and VINs',
  social_handle: 'social media handles',
  file_name: 'file names',
  geo_coordinates: 'map coordinates',
  initials: 'initials',
  quasi_identifier: 'combinations that could single someone out',
};

const PREVIEW_NOTE =
  'Once published, the notice gets its reference number and publication time, and each recipient address gets its own acknowledgment link.';

/**
 * Nobody publishes blind: what the approver sees before approving a notice of their agency, all
 * computed by the code that will act on it. The recipients by the fan-out's own matching rule,
 * the email and webhook body by the courier's own builders, the de-identification check by the
 * guard that approval runs, and the notice's versions with word-level differences.
 */
@Injectable()
export class NoticeReviewService {
  constructor(
    private readonly db: DataSource,
    private readonly notices: NoticesService,
    private readonly deid: DeidGuard,
    private readonly templates: TemplateRenderer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async review(p: Principal, id: string) {
    const notice = await this.own(p, id);
    if (notice.status !== 'draft' && notice.status !== 'in_review') {
      throw new ConflictException(`the notice is ${notice.status}: there is nothing left to review`);
    }
    const m = this.db.manager;
    const recipients = await listRecipients(m, id);
    return {
      noticeId: id,
      contentHash: notice.contentHash,
      status: notice.status,
      urgent: notice.status === 'in_review' && notice.severity === 'critical',
      recipients,
      preview: await this.preview(m, notice, recipients),
      deid: await this.deidCheck(m, notice),
      versions: await this.versionsOf(m, notice),
    };
  }

  async versions(p: Principal, id: string) {
    const notice = await this.own(p, id);
    return { noticeId: id, supersedesId: notice.supersedesId, versions: await this.versionsOf(this.db.manager, notice) };
  }

  /** Drafts and notices in review stay with their agency: another agency's answer 404. */
  private async own(p: Principal, id: string): Promise<Notice> {
    const notice = await this.notices.findVisible(this.db.manager, p, id);
    if (notice.issuingAgencyId !== p.agencyId) throw new NotFoundException('notice not found');
    return notice;
  }

  /** The email and webhook body of the first recipient (or an example one), rendered by the courier's own code. */
  private async preview(m: EntityManager, notice: Notice, list: RecipientList) {
    const [row] = await m.query(NOTICE_CONTENT_SQL, [notice.id]);
    const attachments = await m.query(NOTICE_ATTACHMENTS_SQL, [notice.id]);
    const content = { ...publishedContentOf({ ...row, published_at: new Date() }, attachments), reference: 'assigned on publication' };
    const links = attachmentUrls(this.config.publicUrl, this.config.ackTokenSecret, this.config.attachments.linkTtlSeconds);
    // An address the notice goes to now (not one held for a paused subscription), or any, or an example.
    const sentNow = (c: RecipientChannel) => c.channel === 'email' && c.target.length > 0 && !c.held;
    const anyEmail = (c: RecipientChannel) => c.channel === 'email' && c.target.length > 0;
    const first = list.recipients.find((r) => r.channels.some(sentNow)) ?? list.recipients.find((r) => r.channels.some(anyEmail));
    const agency = first ?? list.recipients[0];
    const [zone]: { time_zone: string }[] = agency ? await m.query(`SELECT time_zone FROM agencies WHERE id = $1`, [agency.agencyId]) : [];
    const to = (first?.channels.find(sentNow) ?? first?.channels.find(anyEmail))?.target[0] ?? 'notices@recipient.example';
    const context: MessageContext = {
      event_type: notice.supersedesId ? 'notice.updated' : 'notice.published',
      subscription_id: agency?.channels[0]?.subscriptionId ?? null,
      acknowledgment_id: 'preview',
      due_at: notice.acknowledgeBy ?? new Date(Date.now() + this.config.ackDueMs[notice.severity]),
      ack_status: 'pending',
      cancel_reason: null,
      sequence: 0,
      agency_name: agency?.agencyName ?? 'Recipient agency',
      time_zone: zone?.time_zone ?? 'UTC',
      fallback: false,
      fallback_reason: null,
    };
    if (notice.supersedesId) content.changes = await this.notices.changesOfNotice(notice);
    const email = renderNoticeEmail(this.templates, context, to, content, `${this.config.publicUrl}/ack/each-address-gets-its-own-link`, links);
    return {
      email: { to, agencyName: context.agency_name, ...email },
      webhook: noticeWebhookBody(context, content, this.config.publicUrl, links),
      note: PREVIEW_NOTE,
    };
  }

  /** The check approval runs, and what it covered: the fields, the kinds, the contacts it allows. */
  private async deidCheck(m: EntityManager, notice: Notice) {
    const findings = await this.deid.review(m, notice);
    const standing = findings.filter((f) => !f.override).length;
    const fieldsScanned = ['title', 'summary', 'body', ...notice.requiredActions.map((_a, i) => `requiredActions[${i}]`)];
    const kindsScanned = DEID_KINDS.map((k) => DEID_KIND_LABELS[k]);
    const agencyContactsAllowed = await this.deid.agencyContactCount(m, notice.issuingAgencyId);
    const scope = `Checked the title, summary, body and ${notice.requiredActions.length} required action${notice.requiredActions.length === 1 ? '' : 's'} for ${kindsScanned.length} kinds of identifying data (${kindsScanned.join(', ')})`;
    const summary =
      standing > 0
        ? `${scope}: ${standing} finding${standing === 1 ? '' : 's'} must be removed or overridden before approval.`
        : findings.length > 0
          ? `${scope}: nothing stands; ${findings.length} finding${findings.length === 1 ? ' was' : 's were'} overridden by an approver with a justification.`
          : `${scope}: none found.`;
    return { clear: standing === 0, fieldsScanned, kindsScanned, agencyContactsAllowed, findings, summary };
  }

  private async versionsOf(m: EntityManager, notice: Notice) {
    const rows: { version: number; saved_at: Date; saved_by: string | null; saved_by_name: string | null; content_hash: string; content: Record<string, unknown> }[] =
      await m.query(
        `SELECT v.version, v.saved_at, v.saved_by, u.name AS saved_by_name, v.content_hash, v.content
           FROM notice_versions v LEFT JOIN users u ON u.id = v.saved_by WHERE v.notice_id = $1 ORDER BY v.version`,
        [notice.id],
      );
    let baseline: Record<string, unknown> | undefined;
    if (notice.supersedesId) {
      const [original] = await m.query(`SELECT content FROM notice_versions WHERE notice_id = $1 ORDER BY version DESC LIMIT 1`, [notice.supersedesId]);
      baseline = original?.content;
    }
    const names = new Map(rows.map((r) => [r.version, r.saved_by_name]));
    return versionHistory(
      rows.map((r) => ({ version: r.version, savedAt: r.saved_at, savedBy: r.saved_by, contentHash: r.content_hash, content: r.content })),
      baseline,
    ).map((v) => ({ ...v, savedByName: names.get(v.version) ?? null }));
  }
}
