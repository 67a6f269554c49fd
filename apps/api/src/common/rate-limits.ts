import { ExecutionContext } from '@nestjs/common';
import { ThrottlerModuleOptions } from '@nestjs/throttler';
import { createHash } from 'node:crypto';
import type { AppConfig } from '@sne/core';
import { keyOf } from './credentials';

const MINUTE = 60_000;
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

type Req = { method: string; path: string; route?: { path?: unknown }; ip?: string; headers: Record<string, string | undefined>; cookies?: Record<string, string> };
const request = (ctx: ExecutionContext): Req => ctx.switchToHttp().getRequest();
const ip = (req: Req) => `ip:${req.ip ?? 'unknown'}`;

/** The caller's credential (API key or session cookie), hashed: limits apply before authentication, so guessing is limited too. */
function caller(req: Req): string {
  const credential = req.headers.authorization === undefined ? req.cookies?.sne_session : keyOf(req.headers.authorization);
  return credential ? `caller:${createHash('sha256').update(credential).digest('hex').slice(0, 32)}` : ip(req);
}

/**
 * The route Express matched ("/ack/:token"), not the path as sent: routing ignores case and a
 * trailing slash, so "/API/v1/auth/login/" reaches the sign-in and must be limited as it.
 */
const route = (req: Req): string => (typeof req.route?.path === 'string' ? req.route.path : req.path.toLowerCase().replace(/\/+$/, ''));

const posted = (req: Req, reached: (route: string) => boolean) => req.method === 'POST' && reached(route(req));
const isLogin = (req: Req) => posted(req, (r) => r === '/api/v1/auth/login' || r === '/console/sign-in');
const isAcknowledgment = (req: Req) =>
  posted(req, (r) => r.startsWith('/ack/') || r.startsWith('/api/v1/acknowledgments/') || /^\/api\/v1\/notices\/[^/]+\/acknowledgments/.test(r));
/** A survey answer or a typed team code: limited per IP like acknowledgments, so codes cannot be guessed at speed. */
const isSurveyAnswer = (req: Req) => posted(req, (r) => r === '/survey' || r.startsWith('/survey/'));

/**
 * Rate limits (429 with Retry-After): sign-in attempts, acknowledgments and survey answers per IP; writes per
 * caller (API key or session) and per IP. Reads are not limited. Counters live in each api
 * process's memory, so with N api replicas the effective limits are N times higher.
 */
export function rateLimits(config: AppConfig): ThrottlerModuleOptions {
  const r = config.rateLimits;
  return {
    errorMessage: 'too many requests: slow down and retry after the time in Retry-After',
    throttlers: [
      { name: 'login', ttl: MINUTE, limit: r.loginPerIp, skipIf: (c) => !isLogin(request(c)), getTracker: (req) => ip(req as Req) },
      { name: 'ack', ttl: MINUTE, limit: r.ackPerIp, skipIf: (c) => !isAcknowledgment(request(c)), getTracker: (req) => ip(req as Req) },
      { name: 'survey', ttl: MINUTE, limit: r.ackPerIp, skipIf: (c) => !isSurveyAnswer(request(c)), getTracker: (req) => ip(req as Req) },
      { name: 'writes', ttl: MINUTE, limit: r.writesPerCaller, skipIf: (c) => SAFE.has(request(c).method), getTracker: (req) => caller(req as Req) },
      { name: 'ipWrites', ttl: MINUTE, limit: r.writesPerIp, skipIf: (c) => SAFE.has(request(c).method), getTracker: (req) => ip(req as Req) },
    ],
  };
}
