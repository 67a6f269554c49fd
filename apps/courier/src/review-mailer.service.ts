import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig, renderEmail, TemplateRenderer } from '@sne/core';
import { PermanentFailure, RetryLater, ReviewMailMessage } from '@sne/messaging';
import { EmailSender } from './email.sender';
import { EMAIL_SENDER } from './email-sender.token';

interface NoticeRow {
  id: string;
  title: string;
  severity: string;
  category: string;
  reference: string | null;
  status: string;
  author_id: string;
  issuing_agency_id: string;
  agency_name: string;
  time_zone: string;
  rejection_reasons: string[] | null;
}

interface Person {
  id: string;
  name: string;
  email: string;
}

const RETRY_MS = 60_000;

const HEADINGS = {
  'review.requested': 'A notice is waiting for your review',
  'review.approved': 'Your notice was approved and published',
  'review.rejected': 'Your notice was sent back to draft',
} as const;

/**
 * Nobody waits unseen: the approvers of the issuing agency hear when a notice is submitted for
 * review (never its author, who cannot approve it), the author hears when it is approved or
 * rejected, with the reasons. Only active people who keep `review_emails` on are written to.
 */
@Injectable()
export class ReviewMailer {
  private readonly log = new Logger(ReviewMailer.name);

  constructor(
    private readonly db: DataSource,
    private readonly templates: TemplateRenderer,
    @Inject(EMAIL_SENDER) private readonly email: EmailSender,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async handle(msg: ReviewMailMessage): Promise<number> {
    if (!(msg.type in HEADINGS)) throw new PermanentFailure(`unknown review mail ${JSON.stringify(msg.type)}`);
    const [notice]: NoticeRow[] = await this.db.query(
      `SELECT n.id, n.title, n.severity, n.category, n.reference, n.status, n.author_id, n.issuing_agency_id, n.rejection_reasons,
              g.name AS agency_name, g.time_zone
         FROM notices n JOIN agencies g ON g.id = n.issuing_agency_id WHERE n.id = $1`,
      [msg.noticeId],
    );
    if (!notice) throw new PermanentFailure(`notice ${msg.noticeId} does not exist`);
    const [actor]: { name: string }[] = await this.db.query(`SELECT name FROM users WHERE id = $1`, [msg.actorId]);
    const people = await this.recipients(msg, notice);
    const failures: string[] = [];
    for (const person of people) {
      const mail = renderEmail(this.templates, 'review', {
        heading: HEADINGS[msg.type],
        requested: msg.type === 'review.requested',
        approved: msg.type === 'review.approved',
        rejected: msg.type === 'review.rejected',
        urgent: msg.type === 'review.requested' && notice.severity === 'critical',
        notice: { ...notice, agencyName: notice.agency_name },
        actorName: actor?.name ?? 'Someone',
        reasons: notice.rejection_reasons ?? [],
        recipient: { ...person, agencyName: notice.agency_name, timeZone: notice.time_zone },
        url: `${this.config.publicUrl}/console/notices/${notice.id}`,
        linkText: msg.type === 'review.requested' ? 'Open the review page' : 'Open the notice',
      });
      const r = await this.email.send({ to: person.email, ...mail });
      if (!r.ok) failures.push(`${person.email}: ${r.error ?? r.response}`);
    }
    if (failures.length) this.log.warn(`review mail for notice ${notice.id}: ${failures.length} of ${people.length} not sent: ${failures.join('; ')}`);
    // Nobody got it (the mail server is down, say): try the whole message again later. When some
    // did, a retry would write to them twice, so the others are logged and left.
    if (people.length > 0 && failures.length === people.length) throw new RetryLater(RETRY_MS, 'no review mail was accepted');
    return people.length - failures.length;
  }

  private async recipients(msg: ReviewMailMessage, n: NoticeRow): Promise<Person[]> {
    if (msg.type === 'review.requested') {
      return this.db.query(
        // Only those who may approve it: not the author, nor anyone who saved a version of it (two-person rule).
        `SELECT id, name, email FROM users u
          WHERE agency_id = $1 AND 'approver' = ANY(roles) AND kind = 'person' AND disabled_at IS NULL AND review_emails
            AND id <> $2 AND id <> $3
            AND NOT EXISTS (SELECT 1 FROM notice_versions v WHERE v.notice_id = $4 AND v.saved_by = u.id) ORDER BY name`,
        [n.issuing_agency_id, n.author_id, msg.actorId, n.id],
      );
    }
    return this.db.query(
      `SELECT id, name, email FROM users WHERE id = $1 AND id <> $2 AND kind = 'person' AND disabled_at IS NULL AND review_emails`,
      [n.author_id, msg.actorId],
    );
  }
}
