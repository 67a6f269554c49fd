import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { SEVERITIES } from '@sne/core';
import { CurrentPrincipal, Principal } from '../common/principal';
import { CreateSubscriptionDto, SubscriptionResponse, UpdateSubscriptionDto } from '../subscriptions/subscription.dto';
import { SubscriptionsService } from '../subscriptions/subscriptions.service';
import { TopicsService } from '../topics/topics.controller';
import { TrackingService } from '../tracking/tracking.service';
import { AuditListener } from '../live/audit-listener.service';
import { pageList, pageRequest, pagerView } from '../common/paging';
import { ConsoleExceptionFilter } from './console.filter';
import { ConsolePages, requireRole } from './console-page';
import { ConsoleViews } from './console.views';
import { linesOf, listOf, many, str } from './console-format';
import { errorList, FieldErrors, refusal, validateAs } from './console-forms';
import { OneTimeSlots } from './one-time-slot';

/** What the secret page shows once, kept in a one-time slot between the POST and its redirect. */
interface IssuedSecret {
  id: string;
  name: string;
  signingSecret: string;
  created: boolean;
}

interface SubValues {
  name: string;
  channel: string;
  topics: string[];
  patterns: string;
  minSeverity: string;
  emailAddresses: string;
  webhookUrl: string;
}

const IDS: Record<string, string> = {
  name: 'sub-name',
  channel: 'channel-email',
  topicPatterns: 'sub-topics-0',
  minSeverity: 'minSeverity',
  emailAddresses: 'emailAddresses',
  webhookUrl: 'webhookUrl',
};

const MESSAGES: Record<string, string> = {
  name: 'Enter a name of up to 200 characters',
  channel: 'Choose email or webhook',
  topicPatterns: 'Choose at least one topic, or give patterns like safe-sleep, intake.* or substance-exposure.>',
  minSeverity: 'Choose a minimum severity',
  emailAddresses: 'Enter one or more email addresses, like intake@agency.gov, one per line',
  webhookUrl: 'Enter the full address of your endpoint, like https://intake.agency.gov/hooks/sne',
};

/**
 * Subscriptions (agency admins): create email or webhook subscriptions, see the webhook secret
 * once, send a test and follow it, pause, resume (sending what was held), rotate the secret,
 * replay dead letters and delete.
 */
@ApiExcludeController()
@UseFilters(ConsoleExceptionFilter)
@Controller('console/subscriptions')
export class ConsoleSubscriptionsController {
  constructor(
    private readonly views: ConsoleViews,
    private readonly pages: ConsolePages,
    private readonly subscriptions: SubscriptionsService,
    private readonly topics: TopicsService,
    private readonly tracking: TrackingService,
    private readonly listener: AuditListener,
    private readonly slots: OneTimeSlots,
  ) {}

  @Get()
  async list(@CurrentPrincipal() p: Principal, @Req() req: Request, @Res() res: Response) {
    requireRole(p, 'agency_admin');
    await this.listPage(p, req, res, blank(), {});
  }

  @Post()
  async create(@CurrentPrincipal() p: Principal, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    requireRole(p, 'agency_admin');
    const values = valuesFrom(body);
    const dto = toDto(values, true);
    const errors = await validateAs(CreateSubscriptionDto, dto, MESSAGES);
    if (Object.keys(errors).length) return this.listPage(p, req, res, values, errors, 400);
    let created: SubscriptionResponse;
    try {
      created = await this.subscriptions.create(p, dto as unknown as CreateSubscriptionDto);
    } catch (err) {
      const r = refusal(err);
      if (!r) throw err;
      return this.listPage(p, req, res, values, { [refusedField(err, values.channel)]: r.message }, r.status);
    }
    if (created.signingSecret) return this.showSecretOnce(p, res, created, true);
    res.redirect(303, `/console/subscriptions/${created.id}?done=sub_saved`);
  }

  @Get(':id')
  async show(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Query('test') test: string, @Req() req: Request, @Res() res: Response) {
    requireRole(p, 'agency_admin');
    const sub = await this.subscriptions.get(p, id);
    await this.detailPage(p, req, res, sub, valuesOf(sub), {}, 200, typeof test === 'string' ? test : undefined);
  }

  /** The deliveries section alone: re-fetched by the script when the agency's feed reports a change. */
  @Get(':id/deliveries')
  async deliveriesFragment(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Query('test') test: string, @Res() res: Response) {
    requireRole(p, 'agency_admin');
    const sub = await this.subscriptions.get(p, id);
    res.type('html').setHeader('Cache-Control', 'no-store');
    res.send(this.views.renderPartial('console-sub-deliveries', { ...(await this.deliveries(p, sub, typeof test === 'string' ? test : undefined)), csrf: p.csrfToken }));
  }

  @Post(':id')
  async update(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    requireRole(p, 'agency_admin');
    const sub = await this.subscriptions.get(p, id);
    const values = { ...valuesFrom(body), channel: sub.channel };
    const dto = toDto(values, false);
    const errors = await validateAs(UpdateSubscriptionDto, dto, MESSAGES);
    if (!Object.keys(errors).length) {
      try {
        await this.subscriptions.update(p, id, dto as UpdateSubscriptionDto);
        res.redirect(303, `/console/subscriptions/${id}?done=sub_saved`);
        return;
      } catch (err) {
        const r = refusal(err);
        if (!r) throw err;
        errors[refusedField(err, sub.channel)] = r.message;
      }
    }
    await this.detailPage(p, req, res, sub, values, errors, 400);
  }

  @Post(':id/pause')
  async pause(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Req() req: Request, @Res() res: Response) {
    await this.act(p, req, res, id, 'paused', () => this.subscriptions.pause(p, id));
  }

  @Post(':id/resume')
  async resume(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Req() req: Request, @Res() res: Response) {
    await this.act(p, req, res, id, 'resumed', () => this.subscriptions.resume(p, id));
  }

  @Post(':id/delete')
  async remove(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Req() req: Request, @Res() res: Response) {
    requireRole(p, 'agency_admin');
    await this.subscriptions.remove(p, id);
    res.redirect(303, '/console/subscriptions?done=sub_deleted');
  }

  @Post(':id/retry-failed')
  async retryFailed(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Req() req: Request, @Res() res: Response) {
    await this.act(p, req, res, id, 'retried_all', () => this.subscriptions.retryFailed(p, id));
  }

  @Post(':id/test')
  async test(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Req() req: Request, @Res() res: Response) {
    requireRole(p, 'agency_admin');
    const { deliveryId } = await this.subscriptions.sendTest(p, id);
    res.redirect(303, `/console/subscriptions/${id}?done=tested&test=${deliveryId}#test-result`);
  }

  @Post(':id/rotate-secret')
  async rotate(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Req() req: Request, @Res() res: Response) {
    requireRole(p, 'agency_admin');
    let rotated: SubscriptionResponse;
    try {
      rotated = await this.subscriptions.rotateSecret(p, id);
    } catch (err) {
      const r = refusal(err);
      if (!r) throw err;
      const sub = await this.subscriptions.get(p, id);
      return this.detailPage(p, req, res, sub, valuesOf(sub), { form: r.message }, r.status);
    }
    await this.showSecretOnce(p, res, rotated, false);
  }

  /**
   * The page that shows a new signing secret, once: it takes the secret from its one-time slot.
   * Reloading it (or opening it later) finds the slot empty and says so; it never repeats the
   * action that made the secret.
   */
  @Get(':id/secret')
  async secret(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Req() req: Request, @Res() res: Response) {
    requireRole(p, 'agency_admin');
    const sub = await this.subscriptions.get(p, id);
    const issued = await this.slots.take<IssuedSecret>(p, `sub-secret:${id}`);
    const title = issued ? (issued.created ? 'Subscription created' : 'Signing secret rotated') : 'The secret is no longer shown';
    const model = await this.pages.model(p, req, title, 'subscriptions');
    this.views.send(res, 'subscriptions/secret', { ...model, sub: { id: sub.id, name: sub.name }, issued });
  }

  private async act(p: Principal, req: Request, res: Response, id: string, done: string, run: () => Promise<unknown>) {
    requireRole(p, 'agency_admin');
    try {
      await run();
    } catch (err) {
      const r = refusal(err);
      if (!r) throw err;
      const sub = await this.subscriptions.get(p, id);
      return this.detailPage(p, req, res, sub, valuesOf(sub), { form: r.message }, r.status);
    }
    res.redirect(303, `/console/subscriptions/${id}?done=${done}`);
  }

  /** The secret goes to a one-time slot of this session, never into a URL or the database in the clear; the browser is redirected to the page that shows it. */
  private async showSecretOnce(p: Principal, res: Response, sub: SubscriptionResponse, created: boolean) {
    const issued: IssuedSecret = { id: sub.id, name: sub.name, signingSecret: sub.signingSecret!, created };
    await this.slots.put(p, `sub-secret:${sub.id}`, issued);
    res.redirect(303, `/console/subscriptions/${sub.id}/secret`);
  }

  private async listPage(p: Principal, req: Request, res: Response, values: SubValues, errors: FieldErrors, status = 200) {
    const model = await this.pages.model(p, req, 'Subscriptions', 'subscriptions');
    const all = await this.subscriptions.list(p);
    const paged = pageList(all, pageRequest(req.query), (sub) => [sub.name, sub.channel, sub.status, sub.webhookUrl ?? '', ...sub.topicPatterns, ...(sub.emailAddresses ?? [])]);
    const subs = paged.items;
    const { form: formError, ...fieldErrors } = errors;
    errors = fieldErrors;
    this.views.send(
      res,
      'subscriptions/list',
      {
        ...model,
        subs,
        any: all.length > 0,
        pager: pagerView('/console/subscriptions', req.query, paged, 'Pages of subscriptions'),
        values,
        ...formState(errors, formError),
        ...(await this.options(values)),
        openForm: status !== 200 || all.length === 0,
      },
      status,
    );
  }

  private async detailPage(p: Principal, req: Request, res: Response, sub: SubscriptionResponse, values: SubValues, errors: FieldErrors, status = 200, testId?: string) {
    const model = await this.pages.model(p, req, `Subscription: ${sub.name}`, 'subscriptions');
    const since = (await this.listener.safeId()).toString();
    const { form: formError, ...fieldErrors } = errors;
    errors = fieldErrors;
    this.views.send(
      res,
      'subscriptions/show',
      {
        ...model,
        since,
        sub,
        values,
        ...formState(errors, formError),
        ...(await this.options(values)),
        ...(await this.deliveries(p, sub, testId)),
      },
      status,
    );
  }

  private async deliveries(p: Principal, sub: SubscriptionResponse, testId?: string) {
    const recent = (await this.tracking.list(p, { subscriptionId: sub.id, limit: 20 })).items;
    const failed = (await this.tracking.list(p, { subscriptionId: sub.id, status: 'failed', limit: 100 })).items;
    const held = (await this.tracking.list(p, { subscriptionId: sub.id, status: 'held', limit: 100 })).items;
    let test = null;
    if (testId && /^[0-9a-f-]{36}$/i.test(testId)) test = await this.tracking.delivery(p, testId).catch(() => null);
    if (test && test.subscriptionId !== sub.id) test = null;
    return {
      subId: sub.id,
      tz: (await this.pages.user(p)).timeZone,
      recent,
      failed,
      held,
      test: test ? { ...test, done: test.status === 'delivered' || test.status === 'failed', lastAttempt: test.attempts[test.attempts.length - 1] ?? null } : null,
      testId: test?.id ?? '',
      back: `/console/subscriptions/${sub.id}`,
    };
  }

  private async options(values: SubValues) {
    const topics = await this.topics.list();
    return {
      topicOptions: topics.map((t, i) => ({ ...t, i, checked: values.topics.includes(t.key) })),
      severityOptions: SEVERITIES.map((s) => ({ value: s, selected: values.minSeverity === s })),
    };
  }
}

function blank(): SubValues {
  return { name: '', channel: '', topics: [], patterns: '', minSeverity: 'low', emailAddresses: '', webhookUrl: '' };
}

function valuesFrom(body: Record<string, unknown>): SubValues {
  return {
    name: str(body.name),
    channel: str(body.channel),
    topics: many(body.topics),
    patterns: str(body.patterns),
    minSeverity: str(body.minSeverity),
    emailAddresses: str(body.emailAddresses),
    webhookUrl: str(body.webhookUrl).trim(),
  };
}

/** Catalogue topics as checkboxes, wildcard patterns as text; the subscription's own patterns split back. */
function valuesOf(s: SubscriptionResponse): SubValues {
  const wild = (t: string) => t.includes('*') || t.includes('>');
  return {
    name: s.name,
    channel: s.channel,
    topics: s.topicPatterns.filter((t) => !wild(t)),
    patterns: s.topicPatterns.filter(wild).join('\n'),
    minSeverity: s.minSeverity,
    emailAddresses: s.emailAddresses.join('\n'),
    webhookUrl: s.webhookUrl ?? '',
  };
}

function toDto(v: SubValues, create: boolean): Record<string, unknown> {
  const dto: Record<string, unknown> = {
    name: v.name.trim(),
    topicPatterns: [...new Set([...v.topics, ...linesOf(v.patterns).flatMap((l) => listOf(l))])],
    minSeverity: v.minSeverity || undefined,
  };
  if (create) dto.channel = v.channel || undefined;
  if (v.channel === 'email') dto.emailAddresses = listOf(v.emailAddresses);
  if (v.channel === 'webhook') dto.webhookUrl = v.webhookUrl;
  if (!dto.minSeverity) delete dto.minSeverity;
  if (dto.channel === undefined) delete dto.channel;
  return dto;
}

/** The field a service's refusal is about: the topic patterns, the webhook URL (the other check a webhook meets), or the form. */
function refusedField(err: unknown, channel: unknown): string {
  if (err instanceof Error && /^topicPatterns /.test(err.message)) return 'topicPatterns';
  return channel === 'webhook' ? 'webhookUrl' : 'form';
}

/** A form's errors as the templates read them: per field, a form-level one, and the summary list. */
function formState(errors: FieldErrors, formError: string | undefined) {
  return { errors, formError, errorList: errorList(errors, IDS), hasErrors: Object.keys(errors).length > 0 || !!formError };
}
