import { ConfigError, loadConfig, parseDurations } from './config';
import { DEFAULT_HEALTH_PORTS, healthPortFor } from './health/health-listener';

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
    expect(c.smtpMaxConnections).toBe(32);
    expect(loadConfig({ SMTP_MAX_CONNECTIONS: '4' }).smtpMaxConnections).toBe(4);
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
    [{ SMTP_MAX_CONNECTIONS: '0' }, 'SMTP_MAX_CONNECTIONS'],
    [{ NODE_ENV: 'staging' }, 'NODE_ENV'],
    [{ NODE_ENV: 'production' }, 'ACK_TOKEN_SECRET'],
    [{ ACK_TOKEN_SECRET: 'short' }, 'ACK_TOKEN_SECRET'],
    [{ RETRY_SCHEDULE: '10s,soon' }, 'RETRY_SCHEDULE'],
    [{ WEBHOOK_ALLOW_HTTP: 'maybe' }, 'WEBHOOK_ALLOW_HTTP'],
    [{ NATS_PREFIX: 'has.dots' }, 'NATS_PREFIX'],
    [{ TRUSTED_PROXIES: 'the load balancer' }, 'TRUSTED_PROXIES'],
    [{ MAIL_FROM: 'notanaddress' }, 'MAIL_FROM'],
    [{ MAIL_FROM: 'Notices <not an address>' }, 'MAIL_FROM'],
    [{ MAIL_FROM: 'a@b.example, c@d.example' }, 'MAIL_FROM'],
    [{ HOST: 'not_a_host' }, 'HOST'],
    [{ HOST: 'api..internal' }, 'HOST'],
  ])('stops on a bad variable and names it: %o', (env, name) => {
    expect(() => loadConfig(env as Record<string, string>)).toThrow(ConfigError);
    expect(() => loadConfig(env as Record<string, string>)).toThrow(new RegExp(`^Configuration error: ${name} `));
  });

  it('takes a From address with or without a display name, and any IP or host name to listen on', () => {
    expect(loadConfig({ MAIL_FROM: 'notices@agency.gov' }).mailFrom).toBe('notices@agency.gov');
    expect(loadConfig({ MAIL_FROM: 'Ohio DCY Notices <notices@dcy.ohio.example>' }).mailFrom).toBe('Ohio DCY Notices <notices@dcy.ohio.example>');
    for (const host of ['0.0.0.0', '::', '::1', '10.1.2.3', 'localhost', 'api.internal', 'sne-api-1']) expect(loadConfig({ HOST: host }).host).toBe(host);
  });

  it('trusts no proxy unless told, and takes CIDRs', () => {
    expect(loadConfig({}).trustedProxies).toEqual([]);
    expect(loadConfig({ TRUSTED_PROXIES: '10.0.0.5, fd00::/8' }).trustedProxies).toEqual(['10.0.0.5/32', 'fd00::/8']);
  });

  it('reads the attachment store, limits and link lifetime', () => {
    const dflt = loadConfig({}).attachments;
    expect(dflt).toMatchObject({ store: 'postgres', maxBytes: 10240 * 1024, perNotice: 10, linkTtlSeconds: 30 * 86400 });
    expect(dflt.types).toEqual(['application/pdf', 'image/png', 'image/jpeg', 'image/gif', 'image/webp']);
    const disk = loadConfig({ ATTACHMENT_STORE: 'disk', ATTACHMENT_DIR: '/srv/files', ATTACHMENT_MAX_KB: '512', ATTACHMENT_TYPES: 'application/pdf, image/png' }).attachments;
    expect(disk).toMatchObject({ store: 'disk', dir: '/srv/files', maxBytes: 512 * 1024, types: ['application/pdf', 'image/png'] });
    expect(() => loadConfig({ ATTACHMENT_STORE: 's3' })).toThrow(/ATTACHMENT_STORE/);
    expect(() => loadConfig({ ATTACHMENT_TYPES: 'pdf' })).toThrow(/ATTACHMENT_TYPES/);
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
    expect(() => loadConfig({ ACTIONS_DUE: 'urgent:2h' })).toThrow(/ACTIONS_DUE/);
    expect(() => loadConfig({ ESCALATION_GRACE: '1h,2h' })).toThrow(/ESCALATION_GRACE/);
  });

  describe.each([
    ['ACK_DUE', 'ackDueMs', { critical: 24, high: 72, moderate: 7 * 24, low: 14 * 24 }],
    ['ACTIONS_DUE', 'actionsDueMs', { critical: 72, high: 7 * 24, moderate: 14 * 24, low: 30 * 24 }],
  ] as const)('%s', (name, field, defaultHours) => {
    const hours = (h: Record<string, number>) => Object.fromEntries(Object.entries(h).map(([k, v]) => [k, v * 3_600_000]));

    it('defaults by severity', () => {
      expect(loadConfig({})[field]).toEqual(hours(defaultHours));
    });

    it.each(['critical', 'high', 'moderate', 'low'])('a value naming only %s changes it and keeps the other defaults', (severity) => {
      expect(loadConfig({ [name]: `${severity}:12h` })[field]).toEqual(hours({ ...defaultHours, [severity]: 12 }));
    });

    it('merges several named severities, in any order', () => {
      expect(loadConfig({ [name]: ' low:1d , critical:30m ' })[field]).toEqual(hours({ ...defaultHours, low: 24, critical: 0.5 }));
    });

    it.each(['urgent:2h', 'critical', 'critical:', 'critical:soon', 'critical:2h,critical:3h', 'critical:2h,', 'critical:2h:3h', 'critical:1.5h'])(
      'stops on %p and names the variable',
      (value) => {
        expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`^Configuration error: ${name} `));
      },
    );
  });

  describe('DELIVERY_LEASE_SECONDS and WEBHOOK_TIMEOUT_MS', () => {
    it('accepts a lease longer than the webhook timeout (the defaults: 60 s and 15 s)', () => {
      expect(loadConfig({})).toMatchObject({ deliveryLeaseMs: 60_000, webhookTimeoutMs: 15_000 });
      expect(loadConfig({ DELIVERY_LEASE_SECONDS: '16', WEBHOOK_TIMEOUT_MS: '15999' })).toMatchObject({ deliveryLeaseMs: 16_000, webhookTimeoutMs: 15_999 });
    });

    it.each([
      [{ DELIVERY_LEASE_SECONDS: '15' }], // equal to the default timeout
      [{ DELIVERY_LEASE_SECONDS: '5' }],
      [{ WEBHOOK_TIMEOUT_MS: '60000' }], // equal to the default lease
      [{ WEBHOOK_TIMEOUT_MS: '120000' }],
      [{ DELIVERY_LEASE_SECONDS: '10', WEBHOOK_TIMEOUT_MS: '10001' }],
    ])('refuses a lease that does not exceed the webhook timeout, naming both: %o', (env) => {
      expect(() => loadConfig(env)).toThrow(ConfigError);
      expect(() => loadConfig(env)).toThrow(/^Configuration error: DELIVERY_LEASE_SECONDS \(\d+ s\) must exceed WEBHOOK_TIMEOUT_MS \(\d+ ms\)/);
    });
  });

  describe('HEALTH_PORT', () => {
    it('defaults to a port per worker, distinct from each other and from the api', () => {
      const c = loadConfig({});
      expect(c.healthPort).toBeUndefined();
      const ports = [c.port, healthPortFor(c, 'dispatcher'), healthPortFor(c, 'courier')];
      expect(ports).toEqual([3000, DEFAULT_HEALTH_PORTS.dispatcher, DEFAULT_HEALTH_PORTS.courier]);
      expect(new Set(ports).size).toBe(3);
    });

    it('takes a port, or off', () => {
      expect(healthPortFor(loadConfig({ HEALTH_PORT: '9101' }), 'courier')).toBe(9101);
      expect(healthPortFor(loadConfig({ HEALTH_PORT: 'off' }), 'dispatcher')).toBeNull();
      expect(healthPortFor(loadConfig({ HEALTH_PORT: 'OFF' }), 'courier')).toBeNull();
    });

    it.each(['0', '65536', 'nine', '-1', '3001x'])('stops on %p', (value) => {
      expect(() => loadConfig({ HEALTH_PORT: value })).toThrow(/^Configuration error: HEALTH_PORT /);
    });
  });

  describe('SUPPRESSION_MIN_CELL', () => {
    it('defaults to 5 and takes any whole number from 1', () => {
      expect(loadConfig({}).suppressionMinCell).toBe(5);
      expect(loadConfig({ SUPPRESSION_MIN_CELL: '1' }).suppressionMinCell).toBe(1);
      expect(loadConfig({ SUPPRESSION_MIN_CELL: '11' }).suppressionMinCell).toBe(11);
    });

    it.each(['0', '-1', '2.5', 'five', '1001'])('stops on %p and names the variable', (value) => {
      expect(() => loadConfig({ SUPPRESSION_MIN_CELL: value })).toThrow(ConfigError);
      expect(() => loadConfig({ SUPPRESSION_MIN_CELL: value })).toThrow(/^Configuration error: SUPPRESSION_MIN_CELL must be /);
    });
  });

  describe('SURVEY_MIN_RESPONSES', () => {
    it('defaults to 5 and takes any whole number from 1', () => {
      expect(loadConfig({}).surveyMinResponses).toBe(5);
      expect(loadConfig({ SURVEY_MIN_RESPONSES: '1' }).surveyMinResponses).toBe(1);
      expect(loadConfig({ SURVEY_MIN_RESPONSES: '10' }).surveyMinResponses).toBe(10);
    });

    it.each(['0', '-3', '4.5', 'ten', '1001'])('stops on %p and names the variable', (value) => {
      expect(() => loadConfig({ SURVEY_MIN_RESPONSES: value })).toThrow(/^Configuration error: SURVEY_MIN_RESPONSES must be /);
    });
  });

  it.each(['nats://svc:pa/ss@nats.internal:4222', 'nats://svc:p@ss w0rd@nats.internal:4222', 'tls://svc:secret@nats.internal:4222/', 'nats://svc:sec\nret@nats.internal:4222/x', 'nats://svc@nats.internal:4222/?token=secret'])(
    'refuses the malformed NATS server %p without echoing its credentials',
    (server) => {
      let message = '(no error)';
      try {
        loadConfig({ NATS_URL: `nats://a:4222,${server}` });
      } catch (err) {
        message = (err as Error).message;
      }
      expect(message).toMatch(/NATS_URL .*\(got "(nats|tls):\/\/\*\*\*@nats\.internal:4222(\/…)?"\)/);
      expect(message).not.toMatch(/pa\/ss|p@ss|w0rd|sec|ret|svc|token/);
    },
  );

  it('accepts a NATS cluster', () => {
    expect(loadConfig({ NATS_URL: 'nats://a:4222,nats://b:4222' }).natsUrl).toBe('nats://a:4222,nats://b:4222');
  });

  // What the README promises about durations: a whole number and one of ms, s, m, h, d; a bare number is milliseconds.
  it('parses durations: whole numbers with ms, s, m, h or d; a bare number is milliseconds', () => {
    expect(parseDurations('0,500ms,10s,1m,2h,1d')).toEqual([0, 500, 10_000, 60_000, 7_200_000, 86_400_000]);
    expect(parseDurations('1500')).toEqual([1500]);
    expect(parseDurations(' 10s , 1m ')).toEqual([10_000, 60_000]);
    for (const bad of ['1.5h', '1H', '10 s', '-1s', '1w', '1h30m', 'PT1H', '', '10s,,1m']) expect({ bad, parsed: parseDurations(bad) }).toEqual({ bad, parsed: undefined });
    expect(loadConfig({ REMINDER_BEFORE_DUE: '90' }).reminderBeforeDueMs).toBe(90);
  });
});
