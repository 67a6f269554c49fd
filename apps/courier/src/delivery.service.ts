import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  APP_CONFIG,
  AppConfig,
  attachmentUrls,
  noticeWebhookBody,
  NoticeEmailRenderer,
  renderEmail,
  SecretBox,
  signAckToken,
  TemplateRenderer,
  WebhookSecretError,
} from '@sne/core';
import { PermanentFailure, RetryLater, Subjects, WORK_PUBLISHER, WorkPublisher } from '@sne/messaging';
import { EndpointLimiter } from './endpoint-limiter';
import { MicroBatcher } from './micro-batcher';
import { Semaphore } from './semaphore';
import { DeliveryRepository, ClaimedDelivery, Outcome, AttemptRecord } from './delivery.repository';
import { EmailSender, emailMessageKey } from './email.sender';
import { EMAIL_SENDER } from './email-sender.token';
import { PublishedContent as NoticeContent, NoticeContentCache } from './notice-content.cache';
import { decideAfterFailure } from './retry-policy';
import { WebhookSender } from './webhook.sender';
import { WebhookBodies } from './webhook-bodies';
import { OpenedSecrets } from './opened-secrets';
import { Unsendable, UnsendableDeliveries, whyUnsendable } from './unsendable';

/** How long a job for a saturated endpoint waits before it is offered again (plus jitter). */
const ENDPOINT_BUSY_DELAY_MS = 250;
/** How soon a job whose delivery became due while it was being claimed tries again. */
const RECLAIM_DELAY_MS = 20;
/** Claims (and each kind of outcome) made while one statement runs wait for it and go together in the next. */
const BATCH_SIZE = 500;
const STATEMENTS_IN_FLIGHT = 1;

/** One delivery job: claim, send, record, and say when to come back if it must. */
@Injectable()
export class DeliveryService {
  private readonly log = new Logger(DeliveryService.name);
  private readonly endpoints: EndpointLimiter;
  /** Claims and the common outcome are batched across concurrent jobs: one statement per batch. */
  private readonly claims: MicroBatcher<string, ClaimedDelivery | undefined>;
  private readonly deliveredWebhooks: MicroBatcher<{ d: ClaimedDelivery; attempt: AttemptRecord }, undefined>;
  private readonly deliveredEmails: MicroBatcher<{ d: ClaimedDelivery; outcome: Outcome }, undefined>;
  /** Sends in flight in this courier, whatever kind of job they came from. */
  private readonly sendPermits: Semaphore;
  private readonly bodies = new WebhookBodies();
  private readonly secrets: OpenedSecrets;

  constructor(
    private readonly repo: DeliveryRepository,
    private readonly notices: NoticeContentCache,
    private readonly webhooks: WebhookSender,
    @Inject(EMAIL_SENDER) private readonly email: EmailSender,
    private readonly templates: TemplateRenderer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(WORK_PUBLISHER) private readonly publisher: WorkPublisher,
    secretBox: SecretBox,
    private readonly noticeEmails: NoticeEmailRenderer,
    private readonly unsendable: UnsendableDeliveries,
  ) {
    this.sendPermits = new Semaphore(config.courierConcurrency);
    // An endpoint's sends grow from two while the courier has some to spare, up to ENDPOINT_CONCURRENCY (endpoint-limiter.ts).
    this.endpoints = new EndpointLimiter(config.endpointConcurrency, this.sendPermits);
    this.secrets = new OpenedSecrets(secretBox);
    this.claims = new MicroBatcher(async (ids) => {
      const claimed = await this.repo.claimMany([...new Set(ids)], this.config.deliveryLeaseMs);
      // The same job twice in one batch: only the first caller gets the delivery.
      return ids.map((id) => {
        const d = claimed.get(id);
        claimed.delete(id);
        return d;
      });
    }, BATCH_SIZE, STATEMENTS_IN_FLIGHT);
    this.deliveredWebhooks = new MicroBatcher(async (items) => {
      await this.repo.recordDeliveredWebhooks(items, 'courier');
      return items.map(() => undefined);
    }, BATCH_SIZE, STATEMENTS_IN_FLIGHT);
    this.deliveredEmails = new MicroBatcher(async (items) => {
      await this.repo.recordDeliveredEmails(items, 'courier');
      return items.map(() => undefined);
    }, BATCH_SIZE, STATEMENTS_IN_FLIGHT);
  }

  async handle(deliveryId: string, endpoint?: string): Promise<void> {
    if (!endpoint) return this.withSendPermit(() => this.deliver(deliveryId));
    if (!this.endpoints.tryAcquire(endpoint)) {
      throw new RetryLater(ENDPOINT_BUSY_DELAY_MS + Math.round(Math.random() * ENDPOINT_BUSY_DELAY_MS), 'endpoint busy');
    }
    try {
      await this.withSendPermit(() => this.deliver(deliveryId));
    } finally {
      this.endpoints.release(endpoint);
    }
  }

  /**
   * A job naming many deliveries (a fan-out's deliveries to one endpoint): one message and one ack
   * for all. Each is claimed only once it may start (the endpoint's and the courier's limits), so a
   * lease never runs out while its delivery waits its turn; claims and outcomes made in the same
   * moment still share one statement. A delivery that must wait (a retry, not yet due) gets a job
   * of its own as soon as its attempt is recorded (see settleOne); an unexpected error fails the
   * whole job, whose redelivery finds the finished ones done.
   */
  async handleMany(deliveryIds: string[], endpoint?: string): Promise<void> {
    const ids = [...new Set(deliveryIds)];
    const job = new JobSettlement();
    // As many lanes as the endpoint may have sends in flight: the rest of the job waits as ids, not as promises.
    let next = 0;
    const lane = async () => {
      while (next < ids.length) {
        const id = ids[next++];
        await this.deliverInTurn(id, endpoint).catch((err) => this.settleOne(job, id, err));
      }
    };
    await Promise.all(Array.from({ length: Math.min(ids.length, this.config.endpointConcurrency) }, lane));
    await job.settled();
  }

  /**
   * A job naming deliveries to several endpoints (each agency its own, say): each waits for its
   * own endpoint's turn, and a retry is published as soon as its own attempt fails, so a slow
   * endpoint holds up only its own delivery (the job's ack still waits for every one).
   */
  async handleEach(deliveryIds: string[], endpoints: (string | null)[]): Promise<void> {
    const job = new JobSettlement();
    const seen = new Set<string>();
    await Promise.all(
      deliveryIds.map((id, i) => {
        if (seen.has(id)) return undefined;
        seen.add(id);
        return this.deliverInTurn(id, endpoints[i] ?? undefined).catch((err) => this.settleOne(job, id, err));
      }),
    );
    await job.settled();
  }

  private async deliverInTurn(id: string, endpoint?: string): Promise<void> {
    if (!endpoint) return this.withSendPermit(() => this.deliver(id));
    await this.endpoints.acquire(endpoint);
    try {
      await this.withSendPermit(() => this.deliver(id));
    } finally {
      this.endpoints.release(endpoint);
    }
  }

  /**
   * One delivery of a many-delivery job ended in an error. One that must wait (its failed attempt
   * already recorded as `retrying`, or not yet due) gets a job of its own at once, not when the
   * rest of the job is done: the courier naks that job until it is due. The publish is not awaited
   * here (the lane goes on to its next delivery, and the endpoint's slot is already free), but the
   * job is acknowledged only after it is stored (JobSettlement.settled). So a courier that dies
   * between recording the attempt and storing the retry's job has not acked the job: JetStream
   * redelivers it (ack wait; no max_deliver), and the redelivery finds the delivery retrying and
   * publishes its job again (explainUnclaimed). Should the job message be gone all the same, the
   * dispatcher's sweeper re-queues any retrying delivery overdue by a lease (delivery-sweeper.service.ts).
   * A failed publish fails the job the same way. An unexpected error fails the job once every
   * delivery of it is done; PermanentFailure (an unknown delivery) is let go.
   */
  private settleOne(job: JobSettlement, id: string, err: unknown): void {
    if (err instanceof RetryLater) {
      job.track(() => this.publisher.publish({ subject: Subjects.deliveryJobs, payload: { deliveryId: id }, msgId: `later:${id}:${Date.now()}` }));
    } else if (!(err instanceof PermanentFailure)) {
      job.fail(err);
    }
  }

  private async withSendPermit<T>(run: () => Promise<T>): Promise<T> {
    await this.sendPermits.acquire();
    try {
      return await run();
    } finally {
      this.sendPermits.release();
    }
  }

  private async deliver(deliveryId: string): Promise<void> {
    const d = await this.claims.submit(deliveryId);
    if (!d) return this.explainUnclaimed(deliveryId);
    return this.sendClaimed(d);
  }

  private async sendClaimed(d: ClaimedDelivery): Promise<void> {
    const unsendable = whyUnsendable(d);
    if (unsendable) return this.endUnsendable(d, unsendable);
    const notice = d.notice_id ? await this.notices.get(d.notice_id) : undefined;
    let outcome: Outcome;
    try {
      outcome = d.channel === 'webhook' ? await this.sendWebhook(d, notice) : await this.sendEmails(d, notice);
    } catch (err) {
      // A stored secret that is not one: no attempt will ever sign with it.
      if (!(err instanceof WebhookSecretError)) throw err;
      return this.endUnsendable(d, { end: 'failed', reason: `not sent: ${err.message}` });
    }
    if (outcome.status === 'delivered' && d.channel === 'webhook' && !d.endpoint_failing) {
      return this.deliveredWebhooks.submit({ d, attempt: outcome.attempts[0] });
    }
    if (outcome.status === 'delivered' && d.channel === 'email') return this.deliveredEmails.submit({ d, outcome });
    const created = await this.repo.record(d, outcome, this.config, 'courier');
    if (created.length) await this.enqueue(created);
    if (outcome.status === 'retrying') {
      throw new RetryLater(Math.max(0, outcome.nextAttemptAt!.getTime() - Date.now()), 'delivery attempt failed');
    }
  }

  /** Ended or held with its reason instead of thrown: a throw would bring its job back, and fail again, for ever. */
  private async endUnsendable(d: ClaimedDelivery, why: Unsendable): Promise<void> {
    this.log.warn(`delivery ${d.id} (${d.event_type}) cannot be sent: ${why.end === 'deleted' ? 'subscription deleted' : why.reason}`);
    const created = await this.unsendable.end(d, why, 'courier');
    if (created.length) await this.enqueue(created);
  }

  /** Fallback and notification emails the outcome created; if this fails the sweeper enqueues them. */
  private async enqueue(ids: string[]): Promise<void> {
    await this.publisher
      .publishMany(ids.map((id) => ({ subject: Subjects.deliveryJobs, payload: { deliveryId: id }, msgId: `delivery:${id}:0` })))
      .catch((err) => this.log.warn(`enqueueing ${ids.length} follow-up deliveries failed (the sweeper will): ${err.message}`));
  }

  /**
   * A job that finds nothing to claim is a duplicate, early, or for work another courier holds.
   * One that became due between the claim and this look (a retry due in 100 ms, a busy database)
   * is tried again at once rather than dropped: otherwise only the sweeper would send it, a lease later.
   */
  private async explainUnclaimed(id: string): Promise<void> {
    const state = await this.repo.state(id);
    if (!state) throw new PermanentFailure(`delivery ${id} does not exist`);
    if (state.status !== 'retrying' && state.status !== 'pending') return;
    if (state.waitMs > 0) throw new RetryLater(state.waitMs, 'not due yet');
    // Due, but its subscription is not active: the sweeper holds it (it goes when the subscription is resumed), or ends it if deleted.
    if (state.sendable) throw new RetryLater(RECLAIM_DELAY_MS, 'became due while being claimed');
  }

  private async sendWebhook(d: ClaimedDelivery, notice?: NoticeContent): Promise<Outcome> {
    const body = this.bodies.body(d, notice, () => noticeWebhookBody(d, notice, this.config.publicUrl, this.attachmentUrls()));
    let secrets: string[];
    try {
      secrets = [d.signing_secret, ...d.retired_secrets].filter((s): s is string => !!s).map((s) => this.secrets.open(s));
    } catch {
      return this.secretNotOpened(d);
    }
    const startedAt = new Date();
    const r = await this.webhooks.send({ url: d.target_url!, secrets, webhookId: d.id, body });
    const error = r.ok ? undefined : (r.error ?? `HTTP ${r.statusCode}`);
    const attempt: AttemptRecord = { recipient: d.target_url, startedAt, durationMs: r.durationMs, succeeded: r.ok, statusCode: r.statusCode, error };
    if (r.ok) return { status: 'delivered', lastError: null, deliveredRecipients: [], attempts: [attempt] };
    return {
      ...this.afterFailure(d, r.gone || r.abort, error!, r.retryAfterMs),
      deliveredRecipients: [],
      attempts: [attempt],
      gone: r.gone,
    };
  }

  /**
   * A signing secret sealed under a key this courier does not hold (SECRETS_KEY changed, or
   * SECRETS_KEY_PREVIOUS removed, before `secrets:reseal` finished). Thrown, the job came back for
   * ever and nobody saw why; as a failed attempt it retries on the usual schedule (the key may be
   * put back meanwhile), shows its reason, and ends as a dead letter with the fallback email. The
   * endpoint was never tried, so its failing streak (which disables subscriptions) is left alone.
   */
  private secretNotOpened(d: ClaimedDelivery): Outcome {
    const error = 'not sent: the signing secret cannot be opened with SECRETS_KEY or SECRETS_KEY_PREVIOUS (sealed under another key)';
    this.log.error(`delivery ${d.id}: the signing secret of subscription ${d.subscription_id} was sealed under a key this courier does not hold; put that key back as SECRETS_KEY_PREVIOUS and run npm run secrets:reseal`);
    const attempt: AttemptRecord = { recipient: d.target_url, startedAt: new Date(), durationMs: 0, succeeded: false, error };
    return { ...this.afterFailure(d, false, error), deliveredRecipients: [], attempts: [attempt], endpointUntried: true };
  }

  /** Each address gets its own message and its own acknowledgment link; a retry resends only to the ones that failed. */
  private async sendEmails(d: ClaimedDelivery, notice?: NoticeContent): Promise<Outcome> {
    const delivered = new Set(d.delivered_recipients);
    const attempts: AttemptRecord[] = [];
    let permanent = true;
    let lastError = '';
    for (const to of d.recipients.filter((r) => !delivered.has(r))) {
      const mail = this.composeEmail(d, to, notice);
      const startedAt = new Date();
      const r = await this.email.send({ to, ...mail, messageKey: emailMessageKey(d.id, to) });
      attempts.push({ recipient: to, startedAt, durationMs: r.durationMs, succeeded: r.ok, smtpResponse: r.response, error: r.error });
      if (r.ok) delivered.add(to);
      else {
        permanent &&= r.permanent;
        lastError = `${to}: ${r.error ?? r.response}`;
      }
    }
    const deliveredRecipients = [...delivered];
    if (deliveredRecipients.length === d.recipients.length) return { status: 'delivered', lastError: null, deliveredRecipients, attempts };
    return { ...this.afterFailure(d, permanent, lastError), deliveredRecipients, attempts };
  }

  private afterFailure(d: ClaimedDelivery, permanent: boolean, error: string, retryAfterMs?: number) {
    const decision = decideAfterFailure(
      { attemptsInRun: d.attempt_count - d.schedule_start, permanent, retryAfterMs },
      (d.severity && this.config.retryScheduleBySeverity[d.severity]) || this.config.retryScheduleMs,
    );
    if (decision.action === 'fail') {
      this.log.warn(`delivery ${d.id} failed for good after ${d.attempt_count} attempts: ${error}`);
      return { status: 'failed' as const, lastError: error };
    }
    return { status: 'retrying' as const, lastError: error, nextAttemptAt: new Date(Date.now() + decision.delayMs) };
  }

  private composeEmail(d: ClaimedDelivery, to: string, notice?: NoticeContent) {
    const recipient = { email: to, agencyName: d.agency_name, timeZone: d.time_zone };
    if (d.event_type === 'subscription.disabled') {
      const subscription = { id: d.subscription_id, name: d.subscription_name, url: d.subscription_url, reason: d.disabled_reason ?? 'repeated failures' };
      return renderEmail(this.templates, 'subscription-disabled', { recipient, subscription });
    }
    if (!notice) return renderEmail(this.templates, 'subscription-test', { recipient, sentAt: new Date().toISOString() });
    const exp = Math.floor(Date.now() / 1000) + this.config.ackTokenTtlSeconds;
    const token = d.acknowledgment_id ? signAckToken({ ackId: d.acknowledgment_id, email: to, exp }, this.config.ackTokenSecret) : null;
    return this.noticeEmails.render(d, to, notice, token ? `${this.config.publicUrl}/ack/${token}` : null, this.attachmentUrls());
  }

  /** Each attachment's signed link, valid for the configured days from now. */
  private attachmentUrls() {
    return attachmentUrls(this.config.publicUrl, this.config.ackTokenSecret, this.config.attachments.linkTtlSeconds);
  }
}

/**
 * What a many-delivery job must wait for before it may be acked: the retry jobs published for its
 * deliveries, and the first unexpected error (which fails it, so it is redelivered).
 */
class JobSettlement {
  private publishes?: Promise<unknown>[];
  private failure?: { err: unknown };

  /** Starts the publish now; its failure (even a synchronous throw) is kept, and caught at once so it is never unhandled while the job runs on. */
  track(publish: () => Promise<void>): void {
    let stored: Promise<void>;
    try {
      stored = publish();
    } catch (err) {
      stored = Promise.reject(err);
    }
    (this.publishes ??= []).push(stored.catch((err) => this.fail(err)));
  }

  fail(err: unknown): void {
    this.failure ??= { err };
  }

  async settled(): Promise<void> {
    if (this.publishes) await Promise.all(this.publishes);
    if (this.failure) throw this.failure.err;
  }
}
