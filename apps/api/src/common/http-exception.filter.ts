import { STATUS_CODES } from 'node:http';
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Injectable, Logger, Optional } from '@nestjs/common';
import { DECORATORS } from '@nestjs/swagger';
import { ErrorResponse } from './api-docs';
import { ConsoleExceptionFilter } from '../console/console.filter';
import { bodyParserStatus } from './body-parser-errors';
import { randomUUID } from 'node:crypto';
import { QueryFailedError } from 'typeorm';
import { DATABASE_RETRY_AFTER_SECONDS, DatabaseAvailability, NoticeRuleError } from '@sne/core';

interface ErrorBody {
  statusCode: number;
  error: string;
  message: string | string[];
  errorId?: string;
  [detail: string]: unknown;
}

/** The properties ErrorResponse documents (its OpenAPI metadata, ':name' each). */
const ERROR_DETAILS = new Set<string>(
  (Reflect.getMetadata(DECORATORS.API_MODEL_PROPERTIES_ARRAY, ErrorResponse.prototype) as string[]).map((p) => p.replace(/^:/, '')),
);

/** The status's reason phrase (`error` in every error body), as Node knows it: 410 Gone as much as 404. */
const reason = (status: number): string => STATUS_CODES[status] ?? 'Error';

/**
 * The one exception filter: client mistakes become 4xx with a message; the database being away
 * is a 503 with Retry-After (DatabaseAvailability logs the outage once, not per request);
 * anything else is a 500 carrying an error id that is logged with the stack, never shown to the
 * client.
 */
@Catch()
@Injectable()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly log = new Logger('HttpExceptionFilter');

  constructor(
    private readonly availability: DatabaseAvailability,
    @Optional() private readonly consoleFilter?: ConsoleExceptionFilter,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void | Promise<void> {
    // Console addresses no controller answers (an unknown /console/… page): a page for people, not JSON.
    const path = String(host.switchToHttp().getRequest()?.path ?? '');
    if (this.consoleFilter && /^\/console(?:\/|$)/.test(path)) return this.consoleFilter.catch(exception, host);
    const res = host.switchToHttp().getResponse();
    const body = this.toBody(exception);
    if (res.headersSent) return;
    if (body.statusCode === 429) this.setRetryAfter(res, exception);
    if (body.statusCode === 503) res.setHeader('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
    res.status(body.statusCode).json(body);
  }

  /** 429 always says when to come back: the limiter's per-limit header, or the lockout's time. */
  private setRetryAfter(res: { getHeader(n: string): unknown; getHeaderNames(): string[]; setHeader(n: string, v: string): void }, exception: unknown) {
    if (res.getHeader('retry-after')) return;
    const named = res.getHeaderNames().find((h) => h.startsWith('retry-after-'));
    const cause = (exception as { cause?: { retryAfter?: number } })?.cause;
    const seconds = named ? String(res.getHeader(named)) : cause?.retryAfter ? String(cause.retryAfter) : '60';
    res.setHeader('Retry-After', seconds);
  }

  toBody(exception: unknown): ErrorBody {
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      const message =
        typeof response === 'string' ? response : ((response as { message?: string | string[] }).message ?? exception.message);
      // Extra detail a client can act on (e.g. the de-identification findings) travels with the
      // error, if ErrorResponse documents it: an answer never holds what the contract does not say.
      const { statusCode: _s, error: _e, message: _m, ...detail } = typeof response === 'object' ? (response as Record<string, unknown>) : {};
      const undocumented = Object.keys(detail).filter((key) => !ERROR_DETAILS.has(key));
      if (undocumented.length) this.log.warn(`an error's undocumented detail was left out: ${undocumented.join(', ')}`);
      return { statusCode: status, error: reason(status), message, ...Object.fromEntries(Object.entries(detail).filter(([key]) => ERROR_DETAILS.has(key))) };
    }
    if (exception instanceof NoticeRuleError) {
      const status = exception.kind === 'forbidden' ? 403 : 409;
      return { statusCode: status, error: reason(status), message: exception.message };
    }
    const parserStatus = bodyParserStatus(exception);
    if (parserStatus) {
      const message =
        parserStatus === 413 ? 'the request body is too large' : parserStatus === 415 ? 'unsupported content encoding' : 'the request body is not valid JSON';
      return { statusCode: parserStatus, error: reason(parserStatus), message };
    }
    if (exception instanceof QueryFailedError) {
      const code = (exception as QueryFailedError & { code?: string }).code;
      // Values that passed validation but the database still refuses (e.g. out-of-range timestamps,
      // or a NUL character, which PostgreSQL text cannot hold: 22021, nor jsonb: 22P05).
      if (code && ['22P02', '22007', '22008', '22003', '22001', '22021', '22P05'].includes(code)) {
        return { statusCode: 400, error: reason(400), message: 'a value is out of range or malformed' };
      }
      if (code === '23505') return { statusCode: 409, error: reason(409), message: 'that already exists' };
    }
    if (this.availability.noteFailure(exception)) {
      return { statusCode: 503, error: reason(503), message: 'the database is unavailable; try again after the time in Retry-After' };
    }
    const errorId = randomUUID();
    this.log.error(`unhandled error ${errorId}: ${(exception as Error)?.stack ?? String(exception)}`);
    return { statusCode: 500, error: reason(500), message: 'internal error', errorId };
  }
}
