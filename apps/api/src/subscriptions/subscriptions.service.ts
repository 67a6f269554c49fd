import { BadRequestException, ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, EntityManager, Not } from 'typeorm';
import {
  APP_CONFIG,
  AppConfig,
  audit,
  endOwedByDeletedSubscription,
  enqueue,
  enqueueMany,
  generateWebhookSecret,
  holdForSubscription,
  readdressOutstanding,
  releaseForSubscription,
  SecretBox,
  Subjects,
  sha256Hex,
  Subscription,
} from '@sne/core';
import { checkWebhookUrlSyntax, parseAllowList } from '@sne/core/webhooks/address-guard';
import { endpointOf } from '@sne/messaging';
import { actorOf, Principal } from '../common/principal';
import { originOf } from '../tracking/delivery-redaction';
import { retireAndReplace } from './secret-rotation';
import { CreateSubscriptionDto, SubscriptionResponse, UpdateSubscriptionDto } from './subscription.dto';

@Injectable()
export class SubscriptionsService {
  constructor(
    private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly secrets: SecretBox,
  ) {}

  async create(p: Principal, dto: CreateSubscriptionDto): Promise<SubscriptionResponse> {
    if (dto.channel === 'email' && dto.webhookUrl !== undefined) throw new BadRequestException('an email subscription takes no webhookUrl');
    if (dto.channel === 'webhook' && dto.emailAddresses !== undefined) throw new BadRequestException('a webhook subscription takes no emailAddresses');
    if (dto.webhookUrl) this.checkWebhookUrl(dto.webhookUrl);
    const secret = dto.channel === 'webhook' ? generateWebhookSecret() : null;
    return this.db.transaction(async (m) => {
      await assertPatternsMatchTopics(m, dto.topicPatterns);
      const sub = m.create(Subscription, {
        agencyId: p.agencyId,
        name: dto.name.trim(),
        topicPatterns: [...new Set(dto.topicPatterns)],
        minSeverity: dto.minSeverity ?? 'low',
        channel: dto.channel,
        emailAddresses: dto.channel === 'email' ? [...new Set(dto.emailAddresses!.map((e) => e.toLowerCase()))] : [],
        webhookUrl: dto.channel === 'webhook' ? dto.webhookUrl! : null,
        signingSecret: secret ? this.secrets.seal(secret) : null,
        status: 'active',
      });
      await m.save(sub);
      await audit(m, actorOf(p), { action: 'subscription.created', entityType: 'subscription', entityId: sub.id, after: describe(sub) });
      return { ...toResponse(sub), ...(secret ? { signingSecret: secret } : {}) };
    });
  }

  async list(p: Principal): Promise<SubscriptionResponse[]> {
    const rows = await this.db.getRepository(Subscription).find({ where: { agencyId: p.agencyId, status: Not('deleted') }, order: { createdAt: 'ASC' } });
    return rows.map(toResponse);
  }

  async get(p: Principal, id: string): Promise<SubscriptionResponse> {
    return toResponse(await this.findOwn(this.db.manager, p, id));
  }

  async update(p: Principal, id: string, dto: UpdateSubscriptionDto): Promise<SubscriptionResponse> {
    return this.change(p, id, 'subscription.updated', (sub) => {
      if (dto.emailAddresses && sub.channel !== 'email') throw new BadRequestException('emailAddresses apply to email subscriptions only');
      if (dto.webhookUrl && sub.channel !== 'webhook') throw new BadRequestException('webhookUrl applies to webhook subscriptions only');
      if (dto.webhookUrl) this.checkWebhookUrl(dto.webhookUrl);
      if (dto.name !== undefined) sub.name = dto.name.trim();
      if (dto.topicPatterns) sub.topicPatterns = [...new Set(dto.topicPatterns)];
      if (dto.minSeverity) sub.minSeverity = dto.minSeverity;
      if (dto.emailAddresses) sub.emailAddresses = [...new Set(dto.emailAddresses.map((e) => e.toLowerCase()))];
      if (dto.webhookUrl) sub.webhookUrl = dto.webhookUrl;
    }, async (m, sub) => {
      if (dto.topicPatterns) await assertPatternsMatchTopics(m, dto.topicPatterns);
      if (dto.webhookUrl || dto.emailAddresses) await readdressOutstanding(m, sub, actorOf(p));
    });
  }

  /**
   * The agency's own choice: notices that come while it is paused are held and sent when it is
   * resumed (and emailed to the fallback contacts now if nothing else of the agency carries them).
   */
  pause(p: Principal, id: string) {
    return this.change(
      p,
      id,
      'subscription.paused',
      (sub) => {
        if (sub.status !== 'active') throw new ConflictException(`cannot pause a subscription that is ${sub.status}`);
        sub.status = 'paused';
      },
      async (m, sub) => this.enqueueAll(m, await holdForSubscription(m, sub.id, actorOf(p), 'subscription paused')),
    );
  }

  /** Resuming sends what was held; a disabled subscription also starts a clean slate (its failing streak is forgotten). */
  resume(p: Principal, id: string) {
    return this.change(
      p,
      id,
      'subscription.resumed',
      (sub) => {
        if (sub.status === 'active') throw new ConflictException('the subscription is already active');
        sub.status = 'active';
        sub.disabledReason = null;
        sub.failingSince = null;
        sub.consecutiveDeadLetters = 0;
      },
      async (m, sub) => void (await releaseForSubscription(m, sub.id, actorOf(p))),
    );
  }

  /**
   * Deleting keeps the row (deliveries and the audit trail refer to it) and wipes its secrets.
   * Everything it still owed ends in this transaction, whatever its kind or state (a test event
   * retrying, a message being sent): with its secrets gone nothing could sign it, and a courier
   * that tried would fail for ever. Notice messages go to the fallback contacts unless another
   * channel of the agency carries them (deleted-subscription.ts says what each kind does). It no
   * longer matches new notices; critical ones still reach the agency by its notices contact.
   */
  async remove(p: Principal, id: string): Promise<void> {
    await this.change(
      p,
      id,
      'subscription.deleted',
      (sub) => Object.assign(sub, { status: 'deleted', deletedAt: new Date(), signingSecret: null }),
      async (m, sub) => {
        await m.query(`DELETE FROM subscription_retired_secrets WHERE subscription_id = $1`, [sub.id]);
        await this.enqueueAll(m, await endOwedByDeletedSubscription(m, sub.id, actorOf(p)));
      },
    );
  }

  /**
   * Bulk replay: every dead letter of the subscription goes back to pending, same ids (same
   * webhook-id); held instead while the subscription is paused or disabled.
   */
  async retryFailed(p: Principal, id: string): Promise<{ retried: number }> {
    return this.db.transaction(async (m) => {
      const sub = await this.findOwn(m, p, id);
      const next = sub.status === 'active' ? 'pending' : 'held';
      const rows: { id: string; target_url: string | null }[] = await m.query(
        `WITH r AS (
           UPDATE deliveries SET status = $3, schedule_start = attempt_count, next_attempt_at = now(), lease_until = NULL, updated_at = now()
            WHERE subscription_id = $1 AND status = 'failed' RETURNING id, agency_id, target_url),
         au AS (
           INSERT INTO audit_events (actor_type, actor_id, agency_id, action, entity_type, entity_id, before, after)
           SELECT 'user', $2, agency_id, 'delivery.retry_requested', 'delivery', id, '{"status":"failed"}', jsonb_build_object('status', $3::text) FROM r)
         SELECT id, target_url FROM r`,
        [sub.id, p.userId, next],
      );
      if (next === 'pending') await enqueueMany(m, Subjects.deliveryJobs, rows.map((r) => ({ deliveryId: r.id, endpoint: endpointOf(r.target_url) })));
      return { retried: rows.length };
    });
  }

  /**
   * Issues a new secret. The one it replaces keeps signing for 24 h, and so does every other
   * secret rotated out within the last 24 h (each until its own 24 h are over), so a receiver on
   * any of them keeps verifying; refused with a 429 when MAX_RETIRED_SECRETS still sign.
   */
  async rotateSecret(p: Principal, id: string): Promise<SubscriptionResponse> {
    return this.db.transaction(async (m) => {
      const sub = await this.findOwn(m, p, id, true);
      if (sub.channel !== 'webhook') throw new BadRequestException('only webhook subscriptions have a signing secret');
      const secret = generateWebhookSecret();
      const r = await retireAndReplace(m, id, this.secrets.seal(secret));
      // Counts and times only: no secret, sealed or not, goes into the trail.
      await audit(m, actorOf(p), {
        action: 'subscription.secret_rotated',
        entityType: 'subscription',
        entityId: id,
        after: { signingSecrets: r.signingSecrets, retiredSecretExpiresAt: r.retiredSecretExpiresAt.toISOString(), expiredSecretsRemoved: r.expiredRemoved },
      });
      return { ...toResponse(sub), signingSecret: secret };
    });
  }

  /** Sends a subscription.test event through the normal delivery path. */
  async sendTest(p: Principal, id: string): Promise<{ deliveryId: string }> {
    return this.db.transaction(async (m) => {
      const sub = await this.findOwn(m, p, id);
      const rows: { id: string }[] = await m.query(
        `INSERT INTO deliveries (subscription_id, agency_id, event_type, channel, recipients, target_url)
         VALUES ($1, $2, 'subscription.test', $3, $4, $5) RETURNING id`,
        [sub.id, sub.agencyId, sub.channel, sub.emailAddresses, sub.webhookUrl],
      );
      const deliveryId = rows[0].id;
      await audit(m, actorOf(p), {
        action: 'delivery.created',
        entityType: 'delivery',
        entityId: deliveryId,
        after: { status: 'pending', eventType: 'subscription.test', subscriptionId: sub.id },
      });
      await enqueue(m, Subjects.deliveryJobs, { deliveryId, endpoint: endpointOf(sub.webhookUrl) });
      return { deliveryId };
    });
  }

  /**
   * Applies a change under the subscription's row lock, with its audit event, in one transaction;
   * `then` runs once the new state is saved (what the change does to the subscription's deliveries).
   */
  private async change(
    p: Principal,
    id: string,
    action: string,
    mutate: (s: Subscription) => void,
    then?: (m: EntityManager, s: Subscription) => Promise<void>,
  ) {
    return this.db.transaction(async (m) => {
      const sub = await this.findOwn(m, p, id, true);
      const before = describe(sub);
      mutate(sub);
      await m.save(sub);
      await then?.(m, sub);
      await audit(m, actorOf(p), { action, entityType: 'subscription', entityId: id, before, after: describe(sub) });
      return toResponse(sub);
    });
  }

  /** Fallback emails created in this transaction go out through the outbox, so they survive a crash. */
  private async enqueueAll(m: EntityManager, deliveryIds: string[]): Promise<void> {
    await enqueueMany(m, Subjects.deliveryJobs, deliveryIds.map((deliveryId) => ({ deliveryId })));
  }

  /** Deleted subscriptions are gone for the agency: every route answers 404 for them. */
  private async findOwn(m: EntityManager, p: Principal, id: string, lock = false): Promise<Subscription> {
    const sub = await m.findOne(Subscription, {
      where: { id, agencyId: p.agencyId, status: Not('deleted') },
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    if (!sub) throw new NotFoundException('subscription not found');
    return sub;
  }

  /**
   * Save-time SSRF check: scheme (https only in production), credentials, IP literals in any
   * spelling and localhost names. Where a name resolves is checked by the courier on every
   * connection (address-guard.ts), since DNS can change after this check.
   */
  private checkWebhookUrl(url: string): void {
    const allow = parseAllowList(this.config.webhookAllowedNetworks ?? []);
    const problem = checkWebhookUrlSyntax(url, { allowHttp: this.config.webhookAllowHttp, allow });
    if (problem) throw new BadRequestException(problem);
  }
}

/**
 * A subscription as its audit events record it. The webhook is kept as its origin and a digest of
 * the whole URL, never the path or query: those often carry the receiver's credentials (chat hooks,
 * `?token=`), and the trail is read by partnership admins and exported. The digest still tells
 * whether the URL changed, and whether a given URL is the one recorded.
 */
function describe(s: Subscription) {
  return {
    name: s.name,
    status: s.status,
    channel: s.channel,
    topicPatterns: s.topicPatterns,
    minSeverity: s.minSeverity,
    emailAddresses: s.emailAddresses,
    ...(s.webhookUrl === null
      ? { webhookUrl: null }
      : { webhookOrigin: originOf(s.webhookUrl), webhookUrlSha256: sha256Hex(Buffer.from(s.webhookUrl, 'utf8')) }),
  };
}

function toResponse(s: Subscription): SubscriptionResponse {
  return {
    id: s.id,
    agencyId: s.agencyId,
    name: s.name,
    topicPatterns: s.topicPatterns,
    minSeverity: s.minSeverity,
    channel: s.channel,
    emailAddresses: s.emailAddresses,
    webhookUrl: s.webhookUrl,
    status: s.status,
    disabledReason: s.disabledReason,
    failingSince: s.failingSince?.toISOString() ?? null,
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
  };
}

/**
 * Every topic pattern matches at least one topic of the catalogue (retired ones included, which
 * notices may still carry): a mistyped topic would otherwise be accepted, and the agency would
 * silently get none of the notices it meant to subscribe to.
 */
async function assertPatternsMatchTopics(m: EntityManager, patterns: string[]): Promise<void> {
  const unmatched: { pattern: string }[] = await m.query(
    `SELECT p AS pattern FROM unnest($1::text[]) p WHERE NOT EXISTS (SELECT 1 FROM topics t WHERE sne_topic_matches(p, t.key))`,
    [patterns],
  );
  if (unmatched.length) {
    throw new BadRequestException(`topicPatterns match no topic of the catalogue (GET /api/v1/topics): ${unmatched.map((u) => u.pattern).join(', ')}`);
  }
}
