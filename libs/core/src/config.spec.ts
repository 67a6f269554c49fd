import { ConfigError, loadConfig, parseDurations } from './config';

describe('configuration', () => {
  it('has working defaults for the embedded default', () => {
    const c = loadConfig({});
    expect(c.env).toBe('development');
    expect(c.databaseUrl).toBeUndefined();
    expect(c.natsUrl).toBeUndefined();
    expect(c.port).toBe(3000);
    expect(c.publicUrl).toBe('http://localhost:3000');
    expect(c.retryScheduleMs).toEqual([10_000, 60_000, 300_000, 1_800_000, 7_200_000, 21_600_000, 43_200_000, 86_400_000]);
    expect(c.webhookAllowHttp).toBe(true);
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'mysql://x@y/z' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'postgres://app@db/sne', DATABASE_MIGRATION_URL: 'not a url' }, 'DATABASE_MIGRATION_URL'],
    [{ DATABASE_MIGRATION_URL: 'postgres://owner@db/sne' }, 'DATABASE_MIGRATION_URL'],
    [{ NATS_URL: 'http://127.0.0.1:4222' }, 'NATS_URL'],
    [{ SMTP_URL: 'ftp://mail' }, 'SMTP_URL'],
    [{ NODE_ENV: 'staging' }, 'NODE_ENV'],
    [{ NODE_ENV: 'production' }, 'ACK_TOKEN_SECRET'],
    [{ ACK_TOKEN_SECRET: 'short' }, 'ACK_TOKEN_SECRET'],
    [{ RETRY_SCHEDULE: '10s,soon' }, 'RETRY_SCHEDULE'],
    [{ WEBHOOK_ALLOW_HTTP: 'maybe' }, 'WEBHOOK_ALLOW_HTTP'],
    [{ NATS_PREFIX: 'has.dots' }, 'NATS_PREFIX'],
  ])('stops on a bad variable and names it: %o', (env, name) => {
    expect(() => loadConfig(env as Record<string, string>)).toThrow(ConfigError);
    expect(() => loadConfig(env as Record<string, string>)).toThrow(new RegExp(`^Configuration error: ${name} `));
  });

  it('requires https webhooks in production', () => {
    const c = loadConfig({ NODE_ENV: 'production', ACK_TOKEN_SECRET: 'x'.repeat(40), SECRETS_KEY: Buffer.alloc(32, 7).toString('base64') });
    expect(() => loadConfig({ NODE_ENV: 'production', ACK_TOKEN_SECRET: 'x'.repeat(40) })).toThrow(/SECRETS_KEY/);
    expect(() => loadConfig({ SECRETS_KEY: 'c2hvcnQ=' })).toThrow(/SECRETS_KEY must be 32 bytes/);
    expect(c.webhookAllowHttp).toBe(false);
    expect(c.logFormat).toBe('json');
  });

  it('takes optional per-severity retry schedules', () => {
    const c = loadConfig({ RETRY_SCHEDULE_CRITICAL: '5s,30s', RETRY_SCHEDULE_LOW: '1h' });
    expect(c.retryScheduleBySeverity).toEqual({ critical: [5000, 30000], low: [3600000] });
    expect(() => loadConfig({ RETRY_SCHEDULE_HIGH: 'soon' })).toThrow(/RETRY_SCHEDULE_HIGH/);
  });

  it('reads due-time defaults by severity', () => {
    const c = loadConfig({ ACK_DUE: 'critical:2h,high:1d,moderate:3d,low:7d' });
    expect(c.ackDueMs).toEqual({ critical: 7_200_000, high: 86_400_000, moderate: 259_200_000, low: 604_800_000 });
    expect(loadConfig({}).actionsDueMs.critical).toBe(72 * 3_600_000);
    expect(() => loadConfig({ ACK_DUE: 'critical:2h' })).toThrow(/ACK_DUE has no duration for high/);
    expect(() => loadConfig({ ACTIONS_DUE: 'urgent:2h' })).toThrow(/ACTIONS_DUE/);
    expect(() => loadConfig({ ESCALATION_GRACE: '1h,2h' })).toThrow(/ESCALATION_GRACE/);
  });

  it('accepts a NATS cluster and parses durations', () => {
    expect(loadConfig({ NATS_URL: 'nats://a:4222,nats://b:4222' }).natsUrl).toBe('nats://a:4222,nats://b:4222');
    expect(parseDurations('0,500ms,10s,1m,2h,1d')).toEqual([0, 500, 10_000, 60_000, 7_200_000, 86_400_000]);
  });
});
