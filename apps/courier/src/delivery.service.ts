import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig, FallbackReason, formatDate, formatFileSize, SecretBox, signAckToken, signAttachmentLink, TemplateRenderer } from '@sne/core';
import { PermanentFailure, RetryLater, Subjects, WORK_PUBLISHER, WorkPublisher } from '@sne/messaging';
import { EndpointLimiter } from './endpoint-limiter';
import { MicroBatcher } from './micro-batcher';
import { DeliveryRepository, ClaimedDelivery, Outcome, AttemptRecord } from './delivery.repository';
import { EmailSender } from './email.sender';
import { EMAIL_SENDER } from './email-sender.token';
import { NoticeContent, NoticeContentCache } from './notice-content.cache';
import { decideAfterFailure } from './retry-policy';
import { WebhookSender } from './webhook.sender';

/** How long a job for a saturated endpoint waits before it is offered again (plus jitter). */
const ENDPOINT_BUSY_DELAY_MS = 250;

/** The first line of a fallback email: why it came to this person rather than to the agency's subscription. */
const FALLBACK_NOTES: Record<FallbackReason, (agency: string) => string> = {
  webhook_failed: (a) => `${a}'s webhook endpoint could not be reached, so this notice is sent to you by email instead.`,
  subscription_disabled: (a) =>
    `${a}'s subscription for this notice is disabled (its endpoint kept failing), so this notice is sent to you by email. ` +
    'It is held for the subscription and will be delivered there too once the subscription is repaired and resumed.',
  subscription_paused: (a) =>
    `${a}'s subscription for this notice is paused, so this notice is sent to you by email. ` +
    'It is held for the subscription and will be delivered there too when the subscription is resumed.',
  subscription_deleted: (a) => `${a}'s subscription for this notice was deleted before the notice reached it, so it is sent to you by email instead.`,
};

/** One delivery job: claim, send, record, and say when to come back if it must. */
@Injectable()
export class DeliveryService {
  private readonly log = new Logger(DeliveryService.name);
  private readonly endpoints: EndpointLimiter;
  /** Claims and the common outcome are batched across concurrent jobs: one statement per batch. */
  private readonly claims: MicroBatcher<string, ClaimedDelivery | undefined>;
  private readonly deliveredWebhooks: MicroBatcher<{ d: ClaimedDelivery; attempt: AttemptRecord }, undefined>;

  constructor(
    private readonly repo: DeliveryRepository,
    private readonly notices: NoticeContentCache,
    private readonly webhooks: WebhookSender,
    @Inject(EMAIL_SENDER) private readonly email: EmailSender,
    private readonly templates: TemplateRenderer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(WORK_PUBLISHER) private readonly publisher: WorkPublisher,
    private readonly secretBox: SecretBox,
  ) {
    this.endpoints = new EndpointLimiter(config.endpointConcurrency);
    this.claims = new MicroBatcher(async (ids) => {
      const claimed = await this.repo.claimMany([...new Set(ids)], this.config.deliveryLeaseMs);
      // The same job twice in one batch: only the first caller gets the delivery.
      return ids.map((id) => {
        const d = claimed.get(id);
        claimed.delete(id);
        return d;
      });
    });
    this.deliveredWebhooks = new MicroBatcher(async (items) => {
      await this.repo.recordDeliveredWebhooks(items, 'courier');
      return items.map(() => undefined);
    });
  }

  async handle(deliveryId: string, endpoint?: string): Promise<void> {
    if (!endpoint) return this.deliver(deliveryId);
    if (!this.endpoints.tryAcquire(endpoint)) {
      throw new RetryLater(ENDPOINT_BUSY_DELAY_MS + Math.round(Math.random() * ENDPOINT_BUSY_DELAY_MS), 'endpoint busy');
    }
    try {
      await this.deliver(deliveryId);
    } finally {
      this.endpoints.release(endpoint);
    }
  }

  private async deliver(deliveryId: string): Promise<void> {
    const d = await this.claims.submit(deliveryId);
    if (!d) return this.explainUnclaimed(deliveryId);
    const notice = d.notice_id ? await this.notices.get(d.notice_id) : undefined;
    const outcome = d.channel === 'webhook' ? await this.sendWebhook(d, notice) : await this.sendEmails(d, notice);
    if (outcome.status === 'delivered' && d.channel === 'webhook' && !d.endpoint_failing) {
      return this.deliveredWebhooks.submit({ d, attempt: outcome.attempts[0] });
    }
    const created = await this.repo.record(d, outcome, this.config, 'courier');
    if (created.length) await this.enqueue(created);
    if (outcome.status === 'retrying') {
      throw new RetryLater(Math.max(0, outcome.nextAttemptAt!.getTime() - Date.now()), 'delivery attempt failed');
    }
  }

  /** Fallback and notification emails the outcome created; if this fails the sweeper enqueues them. */
  private async enqueue(ids: string[]): Promise<void> {
    await this.publisher
      .publishMany(ids.map((id) => ({ subject: Subjects.deliveryJobs, payload: { deliveryId: id }, msgId: `delivery:${id}:0` })))
      .catch((err) => this.log.warn(`enqueueing ${ids.length} follow-up deliveries failed (the sweeper will): ${err.message}`));
  }

  /** A job that finds nothing to claim is a duplicate, early, or for work another courier holds. */
  private async explainUnclaimed(id: string): Promise<void> {
    const state = await this.repo.state(id);
    if (!state) throw new PermanentFailure(`delivery ${id} does not exist`);
    const wait = state.next_attempt_at.getTime() - Date.now();
    if ((state.status === 'retrying' || state.status === 'pending') && wait > 0) throw new RetryLater(wait, 'not due yet');
  }

  private async sendWebhook(d: ClaimedDelivery, notice?: NoticeContent): Promise<Outcome> {
    const body = JSON.stringify(this.webhookBody(d, notice));
    const secrets = [d.signing_secret, d.previous_secret].filter((s): s is string => !!s).map((s) => this.secretBox.open(s));
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

  /** Each address gets its own message and its own acknowledgment link; a retry resends only to the ones that failed. */
  private async sendEmails(d: ClaimedDelivery, notice?: NoticeContent): Promise<Outcome> {
    const delivered = new Set(d.delivered_recipients);
    const attempts: AttemptRecord[] = [];
    let permanent = true;
    let lastError = '';
    for (const to of d.recipients.filter((r) => !delivered.has(r))) {
      const mail = this.composeEmail(d, to, notice);
      const startedAt = new Date();
      const r = await this.email.send({ to, ...mail });
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

  /** The Standard Webhooks payload: `{ type, timestamp, data: { notice, acknowledgment } }`. */
  private webhookBody(d: ClaimedDelivery, notice?: NoticeContent) {
    if (!notice) {
      return {
        type: d.event_type,
        timestamp: new Date().toISOString(),
        data: { subscriptionId: d.subscription_id, message: 'Test event from Safety Notice Exchange: your endpoint is reachable.' },
      };
    }
    const { changes, supersedes, material, attachments, ...content } = notice;
    return {
      type: d.event_type,
      timestamp: d.event_type === 'notice.published' || d.event_type === 'notice.updated' ? notice.publishedAt : new Date().toISOString(),
      data: {
        notice: { ...content, url: `${this.config.publicUrl}/api/v1/notices/${notice.id}`, attachments: this.attachmentLinks(attachments) },
        acknowledgment: d.acknowledgment_id
          ? {
              url: `${this.config.publicUrl}/api/v1/notices/${notice.id}/acknowledgments`,
              dueAt: d.due_at?.toISOString() ?? null,
              status: d.ack_status,
            }
          : null,
        ...(supersedes ? { supersedes, material, changes } : {}),
        ...(d.event_type === 'notice.cancelled' ? { cancellation: { reason: d.cancel_reason } } : {}),
        ...(d.event_type === 'notice.reminder' ? { reminder: { stage: d.sequence } } : {}),
      },
    };
  }

  private composeEmail(d: ClaimedDelivery, to: string, notice?: NoticeContent) {
    const recipient = { email: to, agencyName: d.agency_name, timeZone: d.time_zone };
    if (d.event_type === 'subscription.disabled') {
      const subscription = { id: d.subscription_id, name: d.subscription_name, url: d.subscription_url, reason: d.disabled_reason ?? 'repeated failures' };
      return this.render('subscription-disabled', { recipient, subscription });
    }
    if (!notice) return this.render('subscription-test', { recipient, sentAt: new Date().toISOString() });
    const exp = Math.floor(Date.now() / 1000) + this.config.ackTokenTtlSeconds;
    const token = d.acknowledgment_id ? signAckToken({ ackId: d.acknowledgment_id, email: to, exp }, this.config.ackTokenSecret) : null;
    return this.render('notice', {
      event: this.eventBanner(d, notice),
      notice: {
        ...notice,
        bodyText: notice.body,
        issuingAgencyName: notice.issuingAgency.name,
        acknowledgeBy: d.due_at?.toISOString() ?? notice.acknowledgeBy ?? undefined,
      },
      recipient,
      attachments: this.attachmentLinks(notice.attachments).map((a) => ({ ...a, size: formatFileSize(a.sizeBytes) })),
      ackUrl: token && d.event_type !== 'notice.cancelled' ? `${this.config.publicUrl}/ack/${token}` : undefined,
      eventType: d.event_type,
      fallback: d.fallback ? FALLBACK_NOTES[d.fallback_reason ?? 'webhook_failed'](d.agency_name) : undefined,
    });
  }

  /** Each attachment with a signed link that opens it without signing in, until it expires. */
  private attachmentLinks(attachments: NoticeContent['attachments']) {
    const exp = Math.floor(Date.now() / 1000) + this.config.attachments.linkTtlSeconds;
    return attachments.map(({ id, ...a }) => ({ ...a, url: `${this.config.publicUrl}/attachments/${signAttachmentLink(id, exp, this.config.ackTokenSecret)}` }));
  }

  /** The line above the notice that says why this message came. */
  private eventBanner(d: ClaimedDelivery, notice: NoticeContent) {
    const due = d.due_at ? formatDate(d.due_at.toISOString(), d.time_zone) : 'soon';
    switch (d.event_type) {
      case 'notice.updated':
        return {
          banner: `UPDATED: this notice replaces ${notice.supersedes?.reference ?? 'an earlier notice'}.`,
          detail: notice.material
            ? 'The change is material: your agency must acknowledge this update, even if it acknowledged the original.'
            : 'The change is not material: an acknowledgment already given for the original still stands.',
          changes: notice.changes ?? [],
        };
      case 'notice.cancelled':
        return { banner: 'CANCELLED: this notice has been withdrawn. No further action is needed.', detail: d.cancel_reason, changes: [] };
      case 'notice.reminder':
        return { banner: `REMINDER: ${d.agency_name} has not acknowledged this notice yet. It is due ${due}.`, detail: undefined, changes: [] };
      case 'notice.escalation':
        return {
          banner: `ESCALATION: ${d.agency_name} has not acknowledged this notice, due ${due}.`,
          detail: 'You are listed as an escalation contact for your agency. Please make sure it is acknowledged.',
          changes: [],
        };
      default:
        return { banner: undefined, detail: undefined, changes: [] };
    }
  }

  private render(name: string, data: object) {
    return {
      subject: this.templates.render(`email/${name}.subject`, data),
      html: this.templates.render(`email/${name}.html`, data),
      text: this.templates.render(`email/${name}.text`, data),
    };
  }
}
