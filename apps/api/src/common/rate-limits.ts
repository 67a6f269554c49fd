import { ExecutionContext } from '@nestjs/common';
import { ThrottlerModuleOptions } from '@nestjs/throttler';
import { createHash } from 'node:crypto';
import type { AppConfig } from '@sne/core';

const MINUTE = 60_000;
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

type Req = { method: string; path: string; ip?: string; headers: Record<string, string | undefined>; cookies?: Record<string, string> };
const request = (ctx: ExecutionContext): Req => ctx.switchToHttp().getRequest();
const ip = (req: Req) => `ip:${req.ip ?? 'unknown'}`;

/** The caller's credential (API key or session cookie), hashed: limits apply before authentication, so guessing is limited too. */
function caller(req: Req): string {
  const credential = req.headers.authorization ?? req.cookies?.sne_session;
  return credential ? `caller:${createHash('sha256').update(credential).digest('hex').slice(0, 32)}` : ip(req);
}

const isLogin = (req: Req) => req.method === 'POST' && (req.path === '/api/v1/auth/login' || req.path === '/console/sign-in');
const isAcknowledgment = (req: Req) =>
  req.method === 'POST' && (req.path.startsWith('/ack/') || req.path.startsWith('/api/v1/acknowledgments/') || /^\/api\/v1\/notices\/[^/]+\/acknowledgments/.test(req.path));
/** A survey answer or a typed team code: limited per IP like acknowledgments, so codes cannot be guessed at speed. */
const isSurveyAnswer = (req: Req) => req.method === 'POST' && (req.path === '/survey' || req.path.startsWith('/survey/'));

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
