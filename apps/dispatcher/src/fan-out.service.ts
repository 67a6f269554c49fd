import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { defaultAcknowledgeBy, Severity, Subjects } from '@sne/core';
import { endpointOf, PermanentFailure, WORK_PUBLISHER, WorkPublisher } from '@sne/messaging';

/**
 * The agencies a notice reaches and the subscriptions it matches, as CTEs over $1 = notice id.
 * Targeting: no target jurisdictions = every member; otherwise agencies whose jurisdiction code
 * or type is listed.
 */
const MATCHING = `
  n AS (SELECT * FROM notices WHERE id = $1),
  targeted AS (
    SELECT g.* FROM agencies g, n
     WHERE cardinality(n.target_jurisdictions) = 0
        OR g.jurisdiction_code = ANY(n.target_jurisdictions) OR g.jurisdiction_type = ANY(n.target_jurisdictions)),
  matched AS (
    SELECT s.* FROM subscriptions s JOIN targeted t ON t.id = s.agency_id, n
     WHERE s.status = 'active'
       AND sne_severity_rank(n.severity) <= sne_severity_rank(s.min_severity)
       AND EXISTS (SELECT 1 FROM unnest(s.topic_patterns) p, unnest(n.topics) k WHERE sne_topic_matches(p, k)))`;

export interface FanOutResult {
  acknowledgmentsCreated: number;
  deliveriesCreated: number;
  jobsPublished: number;
}

/**
 * Notice published → one acknowledgment per recipient agency, one delivery per matching
 * subscription (plus the mandatory email for critical notices), in a few set-based statements.
 * Idempotent by the unique constraints: a redelivered message finds its rows and carries on.
 */
@Injectable()
export class FanOutService {
  private readonly log = new Logger(FanOutService.name);

  constructor(
    private readonly db: DataSource,
    @Inject(WORK_PUBLISHER) private readonly publisher: WorkPublisher,
  ) {}

  async noticePublished(noticeId: string): Promise<FanOutResult> {
    const [notice] = await this.db.query(
      `SELECT status, severity, acknowledge_by, published_at FROM notices WHERE id = $1`,
      [noticeId],
    );
    if (!notice) throw new PermanentFailure(`notice ${noticeId} does not exist`);
    if (notice.status === 'draft' || notice.status === 'in_review') {
      throw new PermanentFailure(`notice ${noticeId} is not published`);
    }
    const dueAt: Date = notice.acknowledge_by ?? defaultAcknowledgeBy(notice.severity as Severity, notice.published_at);
    const created = await this.db.transaction(async (m) => ({
      acknowledgmentsCreated: await this.openAcknowledgments(m, noticeId, dueAt),
      deliveriesCreated: (await this.createSubscriptionDeliveries(m, noticeId)) + (await this.createMandatoryDeliveries(m, noticeId)),
    }));
    const jobsPublished = await this.publishJobs(noticeId);
    this.log.log(
      `notice ${noticeId}: ${created.acknowledgmentsCreated} acknowledgments and ${created.deliveriesCreated} deliveries created, ${jobsPublished} jobs published`,
    );
    return { ...created, jobsPublished };
  }

  private async openAcknowledgments(m: EntityManager, noticeId: string, dueAt: Date): Promise<number> {
    const rows = await m.query(
      `WITH ${MATCHING},
       recipients AS (
         SELECT agency_id FROM matched
         UNION SELECT t.id FROM targeted t, n WHERE n.severity = 'critical'),
       ins AS (
         INSERT INTO acknowledgments (notice_id, agency_id, due_at)
         SELECT $1, agency_id, $2 FROM recipients
         ON CONFLICT DO NOTHING RETURNING id, agency_id)
       INSERT INTO audit_events (actor_type, actor_id, agency_id, action, entity_type, entity_id, after)
       SELECT 'system', 'dispatcher', agency_id, 'acknowledgment.opened', 'acknowledgment', id,
              jsonb_build_object('status', 'pending', 'noticeId', $1::uuid, 'dueAt', $2::timestamptz)
         FROM ins RETURNING 1`,
      [noticeId, dueAt],
    );
    return rows.length;
  }

  private async createSubscriptionDeliveries(m: EntityManager, noticeId: string): Promise<number> {
    const rows = await m.query(
      `WITH ${MATCHING},
       ins AS (
         INSERT INTO deliveries (notice_id, subscription_id, agency_id, acknowledgment_id, event_type, channel, recipients, target_url)
         SELECT $1, s.id, s.agency_id, a.id, 'notice.published', s.channel, s.email_addresses, s.webhook_url
           FROM matched s JOIN acknowledgments a ON a.notice_id = $1 AND a.agency_id = s.agency_id
         ON CONFLICT DO NOTHING RETURNING id, agency_id, channel, subscription_id)
       ${AUDIT_CREATED}`,
      [noticeId],
    );
    return rows.length;
  }

  /** Critical notices are mandatory: a targeted agency with no matching subscription is emailed at its notices contact. */
  private async createMandatoryDeliveries(m: EntityManager, noticeId: string): Promise<number> {
    const rows = await m.query(
      `WITH ${MATCHING},
       ins AS (
         INSERT INTO deliveries (notice_id, agency_id, acknowledgment_id, event_type, channel, mandatory, recipients)
         SELECT $1, t.id, a.id, 'notice.published', 'email', true, ARRAY[t.notices_contact_email]
           FROM targeted t JOIN acknowledgments a ON a.notice_id = $1 AND a.agency_id = t.id, n
          WHERE n.severity = 'critical' AND NOT EXISTS (SELECT 1 FROM matched s WHERE s.agency_id = t.id)
         ON CONFLICT DO NOTHING RETURNING id, agency_id, channel, subscription_id)
       ${AUDIT_CREATED}`,
      [noticeId],
    );
    return rows.length;
  }

  /**
   * Jobs go out after the rows commit. A crash before this line leaves the notice message
   * unacknowledged, so it comes back and this runs again; the msgId drops repeats.
   */
  private async publishJobs(noticeId: string): Promise<number> {
    const rows: { id: string; attempt_count: number; target_url: string | null }[] = await this.db.query(
      `SELECT id, attempt_count, target_url FROM deliveries WHERE notice_id = $1 AND event_type = 'notice.published' AND status = 'pending'`,
      [noticeId],
    );
    await this.publisher.publishMany(
      rows.map((r) => ({
        subject: Subjects.deliveryJobs,
        payload: { deliveryId: r.id, endpoint: endpointOf(r.target_url) },
        msgId: `delivery:${r.id}:${r.attempt_count}`,
      })),
    );
    return rows.length;
  }
}

const AUDIT_CREATED = `
  INSERT INTO audit_events (actor_type, actor_id, agency_id, action, entity_type, entity_id, after)
  SELECT 'system', 'dispatcher', agency_id, 'delivery.created', 'delivery', id,
         jsonb_build_object('status', 'pending', 'channel', channel, 'subscriptionId', subscription_id)
    FROM ins RETURNING 1`;
