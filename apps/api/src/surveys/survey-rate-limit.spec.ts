import { ExecutionContext } from '@nestjs/common';
import type { ThrottlerOptions } from '@nestjs/throttler';
import { loadConfig } from '@sne/core';
import { rateLimits } from '../common/rate-limits';

const ctx = (method: string, path: string) => ({ switchToHttp: () => ({ getRequest: () => ({ method, path, headers: {} }) }) }) as unknown as ExecutionContext;

describe('survey answers are rate limited per IP', () => {
  const config = loadConfig({ NODE_ENV: 'test', RATE_LIMIT_ACK_PER_MINUTE: '7' });
  const survey = (rateLimits(config) as { throttlers: ThrottlerOptions[] }).throttlers.find((t) => t.name === 'survey')!;

  it('counts every answer and every typed code against the per-IP budget of acknowledgments', () => {
    expect(survey.limit).toBe(7);
    const limited = (method: string, path: string) => !(survey.skipIf as (c: ExecutionContext) => boolean)(ctx(method, path));
    expect(limited('POST', '/survey')).toBe(true);
    expect(limited('POST', '/survey/ABCDEFGHJKMNPQRS')).toBe(true);
    expect(limited('GET', '/survey/ABCDEFGHJKMNPQRS')).toBe(false);
    expect(limited('POST', '/api/v1/surveys/waves')).toBe(false);
    expect(limited('POST', '/surveyor')).toBe(false);
  });
});
