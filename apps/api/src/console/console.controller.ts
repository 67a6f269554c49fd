import { Body, Controller, Get, HttpException, Inject, NotFoundException, Param, Post, Req, Res, UseFilters } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { read as readPreferences } from '../users/preferences.controller';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { APP_CONFIG, AppConfig } from '@sne/core';
import { SESSION_COOKIE, sessionCookie, SessionsService } from '../auth/sessions.service';
import { CurrentPrincipal, hasRole, Principal, Public } from '../common/principal';
import { ReportsService } from '../reports/reports.service';
import { NoticesService } from '../notices/notices.service';
import { TrackingService } from '../tracking/tracking.service';
import { SubscriptionsService } from '../subscriptions/subscriptions.service';
import { ApiKeysService } from '../api-keys/api-keys.controller';
import { ConsoleExceptionFilter, safeNext } from './console.filter';
import { ConsolePages } from './console-page';
import { ConsoleViews, label } from './console.views';
import { str } from './console-format';
import { issueKeyFromForm, keysView } from './console-admin.controller';
import { OneTimeSlots } from './one-time-slot';

const ASSETS: Record<string, string> = {
  'console.css': 'text/css; charset=utf-8',
  'console.js': 'text/javascript; charset=utf-8',
};

/** The sign-in page's banner after signing out (`?done=`): fixed text, never the URL's. */
const SIGNED_OUT: Record<string, string> = {
  signed_out: 'You have signed out.',
  signed_out_everywhere: 'You have signed out everywhere: every session of yours has ended, on every device. Your API keys still work.',
};
// Own keys only: `?done=constructor` must not pick up Object's.
const signedOutText = (done: unknown) => (typeof done === 'string' && Object.prototype.hasOwnProperty.call(SIGNED_OUT, done) ? SIGNED_OUT[done] : undefined);

/**
 * The console's entry: `/` → `/console`, sign in and out, the overview, your account, and the
 * stylesheet and script. Every page but sign-in needs a session (the guard); the filter turns
 * a missing session into a redirect to the sign-in page.
 */
@ApiExcludeController()
@UseFilters(ConsoleExceptionFilter)
@Controller()
export class ConsoleController {
  private readonly assets = new Map<string, { body: Buffer; etag: string }>();

  constructor(
    private readonly views: ConsoleViews,
    private readonly pages: ConsolePages,
    private readonly sessions: SessionsService,
    private readonly notices: NoticesService,
    private readonly reports: ReportsService,
    private readonly tracking: TrackingService,
    private readonly subscriptions: SubscriptionsService,
    private readonly keys: ApiKeysService,
    private readonly slots: OneTimeSlots,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: DataSource,
  ) {}

  @Get()
  @Public()
  root(@Res() res: Response) {
    res.redirect(302, '/console');
  }

  @Get('console/assets/:file')
  @Public()
  asset(@Param('file') file: string, @Req() req: Request, @Res() res: Response) {
    // Own keys only: 'constructor' or '__proto__' must not pass for a file name.
    const type = Object.prototype.hasOwnProperty.call(ASSETS, file) ? ASSETS[file] : undefined;
    if (!type) throw new NotFoundException('no such file');
    let asset = this.assets.get(file);
    if (!asset || this.config.env !== 'production') {
      const body = readFileSync(join(this.views.assetsDir, file));
      asset = { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"` };
      this.assets.set(file, asset);
    }
    res.setHeader('ETag', asset.etag);
    res.setHeader('Cache-Control', 'no-cache');
    if (req.headers['if-none-match'] === asset.etag) {
      res.status(304).end();
      return;
    }
    res.type(type).send(asset.body);
  }

  @Get('console/sign-in')
  @Public()
  async signInPage(@Req() req: Request, @Res() res: Response) {
    const token = req.cookies?.[SESSION_COOKIE];
    if (token && (await this.sessions.resolve(token))) {
      res.redirect(303, safeNext(req.query.next) ?? '/console');
      return;
    }
    this.signIn(res, { next: safeNext(req.query.next) ?? '', signedOut: signedOutText(req.query.done) });
  }

  @Post('console/sign-in')
  @Public()
  async signInSubmit(@Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    const email = str(body.email).trim();
    const password = str(body.password);
    const next = safeNext(str(body.next)) ?? '';
    // Login CSRF: a browser says where a form post came from; only this site's own sign-in page may sign someone in.
    const site = req.headers['sec-fetch-site'];
    if (typeof site === 'string' && site !== 'same-origin' && site !== 'none') {
      return this.signIn(res, { email: '', next: '', problem: 'Sign in from the Safety Notice Exchange’s own sign-in page.' }, 403);
    }
    const errors: Record<string, string> = {};
    if (!email) errors.email = 'Enter your email address';
    else if (!/^[^\s@]+@[^\s@]+$/.test(email) || email.length > 254) errors.email = 'Enter an email address like name@agency.gov';
    if (!password) errors.password = 'Enter your password';
    if (Object.keys(errors).length) return this.signIn(res, { email, next, errors }, 400);
    try {
      const { token, expiresAt } = await this.sessions.login(email, password, req.ip ?? 'unknown');
      res.cookie(SESSION_COOKIE, token, sessionCookie(this.config, expiresAt));
      res.redirect(303, next || '/console');
    } catch (err) {
      if (err instanceof HttpException && (err.getStatus() === 401 || err.getStatus() === 429)) {
        const problem = err.getStatus() === 429 ? String((err.getResponse() as { message?: string }).message ?? err.message) : undefined;
        return this.signIn(
          res,
          { email, next, problem, errors: problem ? {} : { password: 'The email address or password is not right' } },
          err.getStatus(),
        );
      }
      throw err;
    }
  }

  @Post('console/sign-out')
  async signOut(@CurrentPrincipal() p: Principal, @Res() res: Response) {
    await this.sessions.logout(p);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.redirect(303, '/console/sign-in?done=signed_out');
  }

  @Get('console')
  async home(@CurrentPrincipal() p: Principal, @Req() req: Request, @Res() res: Response) {
    const model = await this.pages.model(p, req, 'Overview', 'home');
    const received = await this.reports.agencyNotices(p, p.agencyId, {});
    const open = received.items.filter((i) => i.status === 'pending' || (i.status === 'acknowledged' && ['open', 'overdue'].includes(i.actionsStatus))).map(nextOwed);
    open.sort((a, b) => Number(b.next.overdue) - Number(a.next.overdue) || String(a.next.dueAt).localeCompare(String(b.next.dueAt)));
    const tasks: Record<string, unknown> = { toAcknowledge: open.slice(0, 10), toAcknowledgeCount: open.length };
    if (hasRole(p, 'author')) {
      const drafts = (await this.notices.list(p, { status: 'draft', agencyId: p.agencyId, limit: 20 })).items;
      tasks.drafts = drafts.sort((a, b) => Number(!!b.rejectionReasons) - Number(!!a.rejectionReasons));
    }
    if (hasRole(p, 'approver')) {
      const review = (await this.notices.list(p, { status: 'in_review', agencyId: p.agencyId, limit: 20 })).items;
      // Critical notices first: they are urgent.
      tasks.toReview = review.map((n) => ({ ...n, mine: n.authorId === p.userId })).sort((a, b) => Number(b.severity === 'critical') - Number(a.severity === 'critical'));
    }
    if (hasRole(p, 'supervisor', 'admin')) tasks.overdue = (await this.reports.overdue(p)).items.slice(0, 5);
    if (hasRole(p, 'agency_admin')) {
      const subs = await this.subscriptions.list(p);
      tasks.subscriptions = { total: subs.length, attention: subs.filter((s) => s.status !== 'active' || s.failingSince) };
      tasks.deadLetters = (await this.tracking.list(p, { status: 'failed', agencyId: p.agencyId, limit: 100 })).items.length;
    }
    const recent = (await this.notices.list(p, { status: 'published', limit: 5 })).items;
    this.views.send(res, 'home', { ...model, ...tasks, recent });
  }

  @Get('console/account')
  async account(@CurrentPrincipal() p: Principal, @Req() req: Request, @Res() res: Response) {
    // A key just created is shown once, from this session's one-time slot (reloading shows nothing).
    await this.accountPage(p, req, res, { issued: await this.slots.take(p, 'api-key:account') });
  }

  @Post('console/account/password')
  async changePassword(@CurrentPrincipal() p: Principal, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    const current = str(body.currentPassword);
    const next = str(body.newPassword);
    const confirm = str(body.confirmPassword);
    const errors: Record<string, string> = {};
    if (!current) errors.currentPassword = 'Enter your current password';
    if (next.length < 12) errors.newPassword = 'Enter a new password of at least 12 characters';
    else if (next.length > 200) errors.newPassword = 'The new password can be at most 200 characters';
    if (!errors.newPassword && confirm !== next) errors.confirmPassword = 'The two new passwords are not the same';
    if (Object.keys(errors).length === 0) {
      try {
        await this.sessions.changePassword(p, current, next);
        res.redirect(303, '/console/account?done=password_changed');
        return;
      } catch (err) {
        if (!(err instanceof HttpException) || err.getStatus() >= 500) throw err;
        if (err.getStatus() === 401) errors.currentPassword = 'Your current password is not right';
        else errors.newPassword = err.message;
      }
    }
    await this.accountPage(p, req, res, { passwordErrors: errors }, 400);
  }

  @Post('console/account/keys')
  async createKey(@CurrentPrincipal() p: Principal, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    const result = await issueKeyFromForm(this.keys, p, body, false);
    if ('errors' in result) return this.accountPage(p, req, res, { keyErrors: result.errors, keyForm: result.form }, 400);
    await this.slots.put(p, 'api-key:account', result.issued);
    res.redirect(303, '/console/account?done=key_created#issued-key');
  }

  private async accountPage(p: Principal, req: Request, res: Response, extra: Record<string, unknown>, status = 200) {
    const model = await this.pages.model(p, req, 'Your account', 'account');
    const keys = (await this.keys.list(p)).filter((k) => k.userId === p.userId);
    const { reviewEmails } = await readPreferences(this.db, p.userId);
    this.views.send(res, 'account', { ...model, keys: keysView(keys, model.user.timeZone), roles: p.roles, keyForm: {}, reviewEmails, ...extra }, status);
  }

  private signIn(res: Response, data: Record<string, unknown>, status = 200) {
    const errors = (data.errors ?? {}) as Record<string, string>;
    const errorList = Object.entries(errors).map(([field, text]) => ({ field, text }));
    this.views.send(
      res,
      'sign-in',
      { title: 'Sign in', email: '', demo: this.config.env !== 'production', devMailbox: this.pages.devMailbox, ...data, errors, errorList, hasErrors: errorList.length > 0 || !!data.problem },
      status,
    );
  }
}

/**
 * The next thing an agency owes on a notice it received: its acknowledgment while pending, then
 * the required actions (an acknowledgment deadline already met is not owed any more).
 */
export function nextOwed<T extends { status: string; dueAt: string | null; overdue: boolean; actionsStatus: string; actionsDueAt: string | null }>(i: T) {
  // The record's state, tagged as everywhere else (the notice page's recipients, the dashboard's matrix).
  const state = i.overdue ? 'overdue' : i.actionsStatus === 'overdue' ? 'actions_overdue' : i.status;
  const next =
    i.status === 'pending'
      ? { what: 'Acknowledge', dueAt: i.dueAt, overdue: i.overdue }
      : { what: 'Report action', dueAt: i.actionsDueAt, overdue: i.actionsStatus === 'overdue' };
  return { ...i, next: { ...next, tag: state, label: state === 'actions_overdue' ? 'Actions overdue' : label(state) } };
}
