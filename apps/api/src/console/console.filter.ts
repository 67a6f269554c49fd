import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Injectable, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { QueryFailedError } from 'typeorm';
import { DATABASE_RETRY_AFTER_SECONDS, DatabaseAvailability, NoticeRuleError } from '@sne/core';
import { ConsoleViews } from './console.views';
import { ConsolePages, navFor, roleRefusal } from './console-page';
import { bodyParserStatus } from '../common/body-parser-errors';
import { Principal } from '../common/principal';
import { alreadyExists, plainMessage } from './console-forms';

/** PostgreSQL data exceptions (bad text encoding such as NUL, out-of-range values): as in HttpExceptionFilter, 400. */
const DATA_ERRORS = ['22P02', '22007', '22008', '22003', '22001', '22021', '22P05'];

/** Where a signed-out visitor is sent, remembering where they were going (console pages only). */
export function signInUrl(next?: string): string {
  return next && safeNext(next) ? `/console/sign-in?next=${encodeURIComponent(next)}` : '/console/sign-in';
}

/** Only console paths on this site: never an open redirect. */
export function safeNext(next: unknown): string | undefined {
  if (typeof next !== 'string') return undefined;
  if (!/^\/console(?:[/?#]|$)/.test(next) || next.startsWith('//') || next.includes('\\') || /\.\.|%2e/i.test(next) || /[\r\n]/.test(next)) return undefined;
  if (next.startsWith('/console/sign-in') || next.startsWith('/console/sign-out')) return undefined;
  return next;
}

/**
 * The console's errors are pages, not JSON: signed-out visitors go to the sign-in page (the
 * guard answers 401), refusals and missing things get a readable page with a way back, and
 * anything unexpected is logged with an id that the page shows.
 */
@Catch()
@Injectable()
export class ConsoleExceptionFilter implements ExceptionFilter {
  private readonly log = new Logger('Console');

  constructor(
    private readonly views: ConsoleViews,
    private readonly pages: ConsolePages,
    private readonly availability: DatabaseAvailability,
  ) {}

  async catch(exception: unknown, host: ArgumentsHost): Promise<void> {
    const req = host.switchToHttp().getRequest<Request & { principal?: Principal }>();
    const res = host.switchToHttp().getResponse<Response>();
    if (res.headersSent) return;
    let status = 500;
    let message = 'Something went wrong on our side.';
    let errorId: string | undefined;
    const exists = alreadyExists(exception);
    if (exception instanceof HttpException) {
      status = exception.getStatus();
      const body = exception.getResponse();
      const m = typeof body === 'string' ? body : (body as { message?: string | string[] }).message ?? exception.message;
      message = Array.isArray(m) ? m.join('; ') : String(m);
    } else if (exception instanceof NoticeRuleError) {
      status = exception.kind === 'forbidden' ? 403 : 409;
      message = exception.message;
    } else if (exception instanceof QueryFailedError && DATA_ERRORS.includes(String((exception as { code?: unknown }).code))) {
      // A value that passed the form's checks but the database refuses (e.g. a NUL character): the visitor's mistake.
      status = 400;
      message = 'Something you entered has characters or values that cannot be used. Check it and try again.';
    } else if (exists) {
      status = 409;
      message = exists;
    } else if (bodyParserStatus(exception)) {
      status = bodyParserStatus(exception)!;
      message = status === 413 ? 'What you sent is too large. Shorten the text and try again.' : 'The form could not be read. Go back and try again.';
    } else if (this.availability.noteFailure(exception)) {
      // Logged once per outage by DatabaseAvailability, not here.
      status = 503;
      message = 'The service cannot reach its database just now. Try again in a few seconds.';
      res.setHeader('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
    }
    if (status === 401) {
      res.setHeader('Cache-Control', 'no-store');
      res.redirect(303, signInUrl(req.method === 'GET' ? req.originalUrl : undefined));
      return;
    }
    if (status >= 500 && status !== 503) {
      errorId = randomUUID();
      this.log.error(`console error ${errorId}: ${(exception as Error)?.stack ?? String(exception)}`);
      message = 'Something went wrong on our side.';
    }
    const p = req.principal;
    ({ status, message } = inPlainWords(status, message, p));
    const titles: Record<number, string> = { 403: 'You cannot do this', 404: 'Page not found', 409: 'This cannot be done now', 413: 'Too large', 429: 'Too many requests' };
    const title = titles[status] ?? (status >= 500 ? 'Sorry, there is a problem with the service' : 'There is a problem');
    try {
      // Without the database, the page is built without the signed-in navigation (it reads rows).
      const model = p?.userId && status !== 503
        ? { ...(await this.pages.model(p, req, title, '')), status, message, errorId }
        : { title, status, message, errorId, nav: p ? navFor(p, '') : [], devMailbox: this.pages.devMailbox };
      this.views.send(res, 'error', model, status);
    } catch (err) {
      this.log.error(`console error page failed: ${(err as Error).stack}`);
      res.status(status).type('text').send(`${title}: ${message}`);
    }
  }
}

/**
 * What a person reads: the service's texts ("this action needs one of the roles: approver",
 * "Validation failed (uuid is expected)", "user not found") become sentences for people. A
 * malformed id in the address is a page that does not exist.
 */
export function inPlainWords(status: number, message: string, p?: Principal): { status: number; message: string } {
  if (status === 400 && /^Validation failed \(/.test(message)) status = 404;
  if (status === 404) return { status, message: 'There is no page at this address.' };
  if (status === 403) {
    const roles = /^this action needs one of the roles: (.+)$/.exec(message);
    if (roles) return { status, message: roleRefusal(roles[1].split(', '), p) };
    if (/no authorization rule/.test(message)) return { status, message: 'You cannot do this here.' };
  }
  return { status, message: plainMessage(message) };
}
