/**
 * Configuration is read once, at start-up, into one typed object. A missing or malformed
 * variable stops the process with a message that names it (ConfigError).
 */
import { resolve } from 'node:path';
import { LOOPBACK_NETWORKS } from './webhooks/address-guard';
import { DEFAULT_ATTACHMENT_TYPES } from './attachments/attachment-files';
import {
  base64Key,
  boolean,
  bySeverity,
  ConfigError,
  durations,
  Env,
  healthPort,
  hostName,
  integer,
  mailbox,
  mediaTypes,
  natsServers,
  networks,
  oneOf,
  parseDurations,
  pattern,
  secretsKey,
  SeverityName,
  single,
  url,
} from './config-values';

export { ConfigError, parseDurations } from './config-values';

export interface AppConfig {
  env: 'development' | 'production' | 'test';
  /**
   * The runtime role the apps connect as (it should own nothing: see database/database-roles.ts).
   * Absent: the standalone runner starts an embedded PostgreSQL and fills this in.
   */
  databaseUrl?: string;
  /**
   * The schema owner: when set, a process runs the migrations as this role, grants the runtime
   * role its privileges, and closes the connection before it serves anything.
   */
  databaseMigrationUrl?: string;
  /** Connections each process keeps to PostgreSQL (its share of max_connections). */
  dbPoolSize: number;
  /** Absent: the apps exchange messages through the in-process transport (one process only). */
  natsUrl?: string;
  /** Prefix of every stream, consumer and subject name, so several deployments or test runs can share one NATS. */
  natsPrefix: string;
  /** JetStream stream replicas: 3 on a 3-node cluster, so losing a node loses nothing. */
  natsReplicas: number;
  /** Absent: outgoing mail is kept in the dev mailbox. */
  smtpUrl?: string;
  /**
   * SMTP connections a courier keeps open. An email waiting for a connection holds a courier slot,
   * so a pool much smaller than the email share of COURIER_CONCURRENCY stalls webhooks too.
   */
  smtpMaxConnections: number;
  mailFrom: string;
  host: string;
  port: number;
  /**
   * Dispatcher and courier: where their health listener listens (on HOST). Undefined: the app's
   * default (DEFAULT_HEALTH_PORTS); null: HEALTH_PORT=off, no listener.
   */
  healthPort?: number | null;
  /** Base URL recipients see in acknowledgment links. */
  publicUrl: string;
  ackTokenSecret: string;
  ackTokenTtlSeconds: number;
  webhookTimeoutMs: number;
  /** Schemes a webhook URL may use: https only in production. */
  webhookAllowHttp: boolean;
  /**
   * CIDRs a webhook may reach in spite of the SSRF guard (private, loopback, link-local, metadata
   * ranges are refused otherwise). WEBHOOK_ALLOWED_NETWORKS; default loopback outside production
   * (so the embedded default and tests reach local receivers), none in production.
   */
  webhookAllowedNetworks: string[];
  /** Delay before each retry, in ms: attempt n+1 waits retrySchedule[n]. Its length bounds the attempts. */
  retryScheduleMs: number[];
  /** Optional per-severity schedules (RETRY_SCHEDULE_CRITICAL …); a severity without one uses retryScheduleMs. */
  retryScheduleBySeverity: Partial<Record<'critical' | 'high' | 'moderate' | 'low', number[]>>;
  /** A webhook subscription is disabled after this many dead letters in a row… */
  disableAfterDeadLetters: number;
  /** …or when every attempt has failed for this long. */
  disableAfterFailingMs: number;
  /** Most deliveries in flight to one endpoint (origin) per courier, so a slow endpoint cannot take every slot. */
  endpointConcurrency: number;
  /** How often an open live feed checks its caller's credentials: it outlives them by at most this (LIVE_FEED_RECHECK_SECONDS). */
  liveFeedRecheckMs: number;
  /** A notice's first fan-out commits and queues this many targeted agencies at a time, so sending starts before the last page is written. */
  fanOutPageAgencies: number;
  /**
   * The first page holds at most this many agencies, and its jobs go out as soon as it commits,
   * full or not: couriers start sending while the rest is written (0: the first page is a page like the others).
   */
  fanOutFirstPageAgencies: number;
  /** Most deliveries one job names (at most the couriers' limit, 64): larger jobs cost fewer messages, smaller ones start sooner. */
  fanOutJobDeliveries: number;
  /** A delivery claimed by a courier that has not finished within this lease is picked up again; longer than webhookTimeoutMs. */
  deliveryLeaseMs: number;
  courierConcurrency: number;
  /** Default acknowledgment window after publication, by severity (when a notice sets no acknowledgeBy). */
  ackDueMs: Record<SeverityName, number>;
  /** Default window for the required actions, by severity (when a notice sets no actionsDueBy). */
  actionsDueMs: Record<SeverityName, number>;
  /** A pending recipient is reminded this long before the due time (halfway, for shorter windows), then at it. */
  reminderBeforeDueMs: number;
  /** After the due time, each escalation rung waits this long after the previous one. */
  escalationGraceMs: number;
  /** A person may remind or resend to one agency about one notice at most once in this window (429 with Retry-After otherwise). */
  manualReminderIntervalMs: number;
  /** 32-byte key sealing webhook signing secrets at rest (SECRETS_KEY, base64). */
  secretsKey: Buffer;
  /** During a rotation of SECRETS_KEY: the old key, so secrets sealed under it still open. */
  secretsKeyPrevious?: Buffer;
  /** Origins allowed to call the API from a browser (CORS); none by default. */
  corsOrigins: string[];
  /**
   * CIDRs of reverse proxies whose X-Forwarded-For names the client (TRUSTED_PROXIES; none by
   * default, so the header is ignored and a client cannot choose its own address).
   */
  trustedProxies: string[];
  /** Requests per minute: login attempts per IP; acknowledgments per IP; writes per caller; writes per IP. */
  rateLimits: { loginPerIp: number; ackPerIp: number; writesPerCaller: number; writesPerIp: number };
  /** Console sessions last this long. */
  sessionTtlMs: number;
  /** Largest accepted JSON request body. */
  bodyLimit: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** json: one JSON object per line (production default); pretty: coloured lines for people. */
  logFormat: 'json' | 'pretty';
  /** Embedded default only: where the embedded PostgreSQL and the demo keys live. */
  dataDir: string;
  /**
   * Published aggregates: a count of fewer than this many units (incidents, reviews, answers) is
   * suppressed, with complements (aggregates/suppression.ts). SUPPRESSION_MIN_CELL, default 5.
   */
  suppressionMinCell: number;
  /**
   * Culture surveys: no figure for a team or agency with fewer responses than this; it is rolled
   * into the level above, with complements (surveys/results.ts). SURVEY_MIN_RESPONSES, default 5.
   */
  surveyMinResponses: number;
  /** Attachments on notices: where new ones are stored, their limits, and how long an emailed link works. */
  attachments: {
    store: 'postgres' | 'disk';
    /** ATTACHMENT_DIR, for the disk store (default DATA_DIR/attachments). */
    dir: string;
    maxBytes: number;
    /** Media types accepted, as sniffed from the content. */
    types: string[];
    perNotice: number;
    linkTtlSeconds: number;
  };
}

const DEV_ACK_SECRET = 'dev-only-ack-token-secret-change-me-0123456789';

export function loadConfig(env: Env = process.env): AppConfig {
  const nodeEnv = oneOf(env, 'NODE_ENV', ['development', 'production', 'test'] as const, 'development');
  const production = nodeEnv === 'production';
  const port = integer(env, 'PORT', 3000, 0, 65535);
  const host = hostName(env);
  const ackTokenSecret = env.ACK_TOKEN_SECRET || (production ? '' : DEV_ACK_SECRET);
  if (!ackTokenSecret) throw new ConfigError('ACK_TOKEN_SECRET', 'is required when NODE_ENV=production');
  if (ackTokenSecret.length < 32) throw new ConfigError('ACK_TOKEN_SECRET', 'must be at least 32 characters');
  const webhookTimeoutMs = integer(env, 'WEBHOOK_TIMEOUT_MS', 15000, 100, 120000);
  const deliveryLeaseMs = integer(env, 'DELIVERY_LEASE_SECONDS', 60, 1, 3600) * 1000;
  if (deliveryLeaseMs <= webhookTimeoutMs) {
    // A lease that can run out while its attempt is still waiting for the endpoint hands the
    // delivery to another courier mid-attempt: the webhook would be sent twice.
    throw new ConfigError(
      'DELIVERY_LEASE_SECONDS',
      `(${deliveryLeaseMs / 1000} s) must exceed WEBHOOK_TIMEOUT_MS (${webhookTimeoutMs} ms), or a delivery's lease can expire while its webhook attempt is still running`,
    );
  }
  return {
    env: nodeEnv,
    ...loadDatabaseConfig(env),
    dbPoolSize: integer(env, 'DB_POOL_SIZE', 20, 2, 500),
    natsUrl: env.NATS_URL ? natsServers(env.NATS_URL) : undefined,
    natsPrefix: pattern(env, 'NATS_PREFIX', /^[A-Za-z0-9_-]{1,32}$/, 'sne', 'must be 1-32 letters, digits, _ or -'),
    natsReplicas: integer(env, 'NATS_REPLICAS', 1, 1, 5),
    smtpUrl: url(env, 'SMTP_URL', ['smtp:', 'smtps:']),
    smtpMaxConnections: integer(env, 'SMTP_MAX_CONNECTIONS', 32, 1, 1000),
    mailFrom: mailbox(env, 'MAIL_FROM', 'Safety Notice Exchange <notices@sne.localhost>'),
    host,
    port,
    healthPort: healthPort(env),
    publicUrl: (url(env, 'PUBLIC_URL', ['http:', 'https:']) || `http://localhost:${port}`).replace(/\/$/, ''),
    ackTokenSecret,
    ackTokenTtlSeconds: integer(env, 'ACK_TOKEN_TTL_DAYS', 30, 1, 3650) * 86400,
    webhookTimeoutMs,
    webhookAllowHttp: boolean(env, 'WEBHOOK_ALLOW_HTTP', !production),
    webhookAllowedNetworks: networks(env, 'WEBHOOK_ALLOWED_NETWORKS', production ? '' : LOOPBACK_NETWORKS),
    retryScheduleMs: durations(env, 'RETRY_SCHEDULE', '10s,1m,5m,30m,2h,6h,12h,24h'),
    retryScheduleBySeverity: Object.fromEntries(
      (['critical', 'high', 'moderate', 'low'] as const)
        .filter((sev) => env[`RETRY_SCHEDULE_${sev.toUpperCase()}`])
        .map((sev) => [sev, durations(env, `RETRY_SCHEDULE_${sev.toUpperCase()}`, '')]),
    ),
    disableAfterDeadLetters: integer(env, 'SUBSCRIPTION_DISABLE_AFTER_DEAD_LETTERS', 5, 1, 1000),
    disableAfterFailingMs: integer(env, 'SUBSCRIPTION_DISABLE_AFTER_FAILING_HOURS', 24, 1, 24 * 30) * 3600_000,
    endpointConcurrency: integer(env, 'ENDPOINT_CONCURRENCY', 8, 1, 1000),
    liveFeedRecheckMs: integer(env, 'LIVE_FEED_RECHECK_SECONDS', 5, 1, 300) * 1000,
    fanOutPageAgencies: integer(env, 'FAN_OUT_PAGE_AGENCIES', 1000, 1, 1_000_000),
    fanOutFirstPageAgencies: integer(env, 'FAN_OUT_FIRST_PAGE_AGENCIES', 16, 0, 1_000_000),
    // 64 is MAX_DELIVERIES_PER_JOB: a courier refuses a larger job.
    fanOutJobDeliveries: integer(env, 'FAN_OUT_JOB_DELIVERIES', 64, 1, 64),
    deliveryLeaseMs,
    courierConcurrency: integer(env, 'COURIER_CONCURRENCY', 256, 1, 10000),
    secretsKey: secretsKey(env, production),
    secretsKeyPrevious: env.SECRETS_KEY_PREVIOUS ? base64Key(env.SECRETS_KEY_PREVIOUS, 'SECRETS_KEY_PREVIOUS') : undefined,
    corsOrigins: (env.CORS_ORIGINS ?? '').split(',').map((o) => o.trim()).filter(Boolean).map((o) => {
      if (!/^https?:\/\/[^/\s]+$/.test(o)) throw new ConfigError('CORS_ORIGINS', `must be a comma-separated list of origins like https://console.example.org (got "${o}")`);
      return o;
    }),
    trustedProxies: networks(env, 'TRUSTED_PROXIES', ''),
    rateLimits: {
      loginPerIp: integer(env, 'RATE_LIMIT_LOGIN_PER_MINUTE', 10, 1, 1_000_000),
      ackPerIp: integer(env, 'RATE_LIMIT_ACK_PER_MINUTE', 60, 1, 1_000_000),
      writesPerCaller: integer(env, 'RATE_LIMIT_WRITES_PER_MINUTE', 300, 1, 1_000_000),
      writesPerIp: integer(env, 'RATE_LIMIT_IP_WRITES_PER_MINUTE', 1200, 1, 1_000_000),
    },
    sessionTtlMs: integer(env, 'SESSION_TTL_HOURS', 12, 1, 24 * 30) * 3600_000,
    ackDueMs: bySeverity(env, 'ACK_DUE', 'critical:24h,high:72h,moderate:7d,low:14d'),
    actionsDueMs: bySeverity(env, 'ACTIONS_DUE', 'critical:72h,high:7d,moderate:14d,low:30d'),
    reminderBeforeDueMs: single(env, 'REMINDER_BEFORE_DUE', '4h'),
    escalationGraceMs: single(env, 'ESCALATION_GRACE', '4h'),
    manualReminderIntervalMs: single(env, 'MANUAL_REMINDER_INTERVAL', '1h'),
    bodyLimit: pattern(env, 'BODY_LIMIT', /^\d+(kb|mb)$/, '256kb', 'must look like 256kb or 1mb'),
    logLevel: oneOf(env, 'LOG_LEVEL', ['debug', 'info', 'warn', 'error'] as const, 'info'),
    logFormat: oneOf(env, 'LOG_FORMAT', ['json', 'pretty'] as const, production ? 'json' : 'pretty'),
    dataDir: resolve(env.DATA_DIR || '.data'),
    suppressionMinCell: integer(env, 'SUPPRESSION_MIN_CELL', 5, 1, 1000),
    surveyMinResponses: integer(env, 'SURVEY_MIN_RESPONSES', 5, 1, 1000),
    attachments: {
      store: oneOf(env, 'ATTACHMENT_STORE', ['postgres', 'disk'] as const, 'postgres'),
      dir: resolve(env.ATTACHMENT_DIR || resolve(env.DATA_DIR || '.data', 'attachments')),
      maxBytes: integer(env, 'ATTACHMENT_MAX_KB', 10240, 1, 102400) * 1024,
      types: mediaTypes(env, 'ATTACHMENT_TYPES', DEFAULT_ATTACHMENT_TYPES),
      perNotice: integer(env, 'ATTACHMENTS_PER_NOTICE', 10, 1, 100),
      linkTtlSeconds: integer(env, 'ATTACHMENT_LINK_TTL_DAYS', 30, 1, 3650) * 86400,
    },
  };
}

/** The database part alone, for the scripts that need nothing else (`npm run migration:run`, `db:roles`). */
export function loadDatabaseConfig(env: Env = process.env): Pick<AppConfig, 'databaseUrl' | 'databaseMigrationUrl'> {
  const databaseUrl = url(env, 'DATABASE_URL', ['postgres:', 'postgresql:']);
  const databaseMigrationUrl = url(env, 'DATABASE_MIGRATION_URL', ['postgres:', 'postgresql:']);
  if (databaseMigrationUrl && !databaseUrl) {
    throw new ConfigError('DATABASE_MIGRATION_URL', 'is set without DATABASE_URL (the runtime role the apps connect as)');
  }
  return { databaseUrl, databaseMigrationUrl };
}

/** Nest injection token for the validated AppConfig. */
export const APP_CONFIG = Symbol('APP_CONFIG');
