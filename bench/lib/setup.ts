/**
 * The bench's data, written straight into PostgreSQL with set-based statements: an issuing
 * agency with an author and an approver (and their API keys), the topics, and N recipient
 * agencies with one subscription each (webhook URLs spread over the receiver's ports, each with
 * its own path and `whsec_` secret; in the mixed variant a share of them email).
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { generateApiKey } from '../../libs/core/src/auth/api-key';
import { generateWebhookSecret } from '../../libs/core/src/webhooks/standard-webhooks';

export const MAIN_TOPIC = 'bench.main';
export const WARMUP_TOPIC = 'warmup';

export interface Endpoint {
  /** 1-based index of the subscription. */
  i: number;
  kind: 'webhook' | 'email';
  url?: string;
  path?: string;
  secret?: string;
  email?: string;
  hang: boolean;
}

export interface Seeded {
  authorKey: string;
  approverKey: string;
  endpoints: Endpoint[];
  warmup: Endpoint[];
}

export interface SeedOptions {
  n: number;
  ports: number[];
  /** Share of subscriptions that email instead (every k-th). */
  emailShare: number;
  /** Share of webhook endpoints that never answer. */
  hangShare: number;
  warmupCount: number;
}

/** Every table of the schema (except TypeORM's migration history) emptied, for the next scenario. */
export async function resetData(db: Client): Promise<void> {
  const rows: { tablename: string }[] = (
    await db.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'migrations'`)
  ).rows;
  if (!rows.length) return;
  // The audit log refuses TRUNCATE (append-only); the bench's own throwaway database is emptied as superuser, triggers off.
  await db.query(`SET session_replication_role = replica`);
  try {
    await db.query(`TRUNCATE ${rows.map((r) => `"${r.tablename}"`).join(', ')} RESTART IDENTITY CASCADE`);
  } finally {
    await db.query(`SET session_replication_role = DEFAULT`);
  }
}

/** Builds the endpoints: subscription i → port i mod P, path /hooks/<i>-<random>, its own secret. */
export function planEndpoints(o: SeedOptions, base: number, prefix: string): Endpoint[] {
  const emailEvery = o.emailShare > 0 ? Math.round(1 / o.emailShare) : 0;
  const hangEvery = o.hangShare > 0 ? Math.round(1 / o.hangShare) : 0;
  const out: Endpoint[] = [];
  let webhooks = 0;
  for (let k = 0; k < (prefix === 'w' ? o.warmupCount : o.n); k++) {
    const i = base + k;
    if (emailEvery && k % emailEvery === emailEvery - 1) {
      out.push({ i, kind: 'email', email: `notices-${prefix}${i}@agency${i}.bench.example`, hang: false });
      continue;
    }
    const port = o.ports[(base + k) % o.ports.length];
    const path = `/hooks/${prefix}${i}-${randomBytes(4).toString('hex')}`;
    // Hanging endpoints spread out (the middle one of every hangEvery webhooks).
    const hang = hangEvery > 0 && webhooks % hangEvery === Math.floor(hangEvery / 2);
    webhooks++;
    out.push({ i, kind: 'webhook', path, url: `http://127.0.0.1:${port}${path}`, secret: generateWebhookSecret(), hang });
  }
  return out;
}

export async function seed(db: Client, o: SeedOptions): Promise<Seeded> {
  const author = generateApiKey();
  const approver = generateApiKey();
  await db.query('BEGIN');
  try {
    await db.query(
      `WITH g AS (
         INSERT INTO agencies (name, jurisdiction_type, jurisdiction_code, time_zone, notices_contact_email)
         VALUES ('Bench Partnership', 'federal', 'US', 'America/New_York', 'notices@partnership.bench.example') RETURNING id),
       u AS (
         INSERT INTO users (agency_id, email, name, roles)
         SELECT g.id, x.email, x.name, x.roles FROM g,
           (VALUES ('author@partnership.bench.example', 'Alice Author', ARRAY['author']),
                   ('approver@partnership.bench.example', 'Ben Approver', ARRAY['approver'])) AS x(email, name, roles)
         RETURNING id, agency_id, email, roles)
       INSERT INTO api_keys (user_id, agency_id, name, prefix, key_hash, roles)
       SELECT u.id, u.agency_id, 'bench', k.prefix, k.hash, u.roles FROM u
         JOIN (VALUES ('author@partnership.bench.example', $1, $2), ('approver@partnership.bench.example', $3, $4)) AS k(email, prefix, hash)
           ON k.email = u.email`,
      [author.prefix, author.hash, approver.prefix, approver.hash],
    );
    await db.query(
      `INSERT INTO topics (key, title) VALUES ($1, 'Bench main topic'), ($2, 'Bench warm-up topic'), ('bench.other', 'Another topic')`,
      [MAIN_TOPIC, WARMUP_TOPIC],
    );
    const warmup = planEndpoints(o, 0, 'w');
    const endpoints = planEndpoints(o, o.warmupCount, 's');
    await insertSubscriptions(db, warmup, () => [WARMUP_TOPIC]);
    // Patterns in NATS semantics, mixed as real subscriptions are: exact, one level, all below, and lists.
    const patterns = [[MAIN_TOPIC], ['bench.*'], ['bench.>'], ['bench.other', MAIN_TOPIC]];
    await insertSubscriptions(db, endpoints, (e) => patterns[e.i % patterns.length]);
    await db.query('COMMIT');
    // Fresh rows: give the planner real statistics, as a long-running database would have.
    await db.query('ANALYZE');
    return { authorKey: author.key, approverKey: approver.key, endpoints, warmup };
  } catch (err) {
    await db.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

/** One agency per endpoint and its subscription, in one statement per 20,000 rows. */
async function insertSubscriptions(db: Client, endpoints: Endpoint[], topicPatterns: (e: Endpoint) => string[]): Promise<void> {
  const CHUNK = 20_000;
  for (let s = 0; s < endpoints.length; s += CHUNK) {
    const part = endpoints.slice(s, s + CHUNK);
    await db.query(
      `WITH src AS (
         SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[])
           AS t(i, url, secret, email, patterns)),
       g AS (
         INSERT INTO agencies (name, jurisdiction_type, jurisdiction_code, time_zone, notices_contact_email)
         SELECT 'Bench agency ' || i, CASE i % 3 WHEN 0 THEN 'county' WHEN 1 THEN 'state' ELSE 'tribal' END,
                lpad(i::text, 6, '0'), 'America/Chicago', 'contact-' || i || '@agency' || i || '.bench.example'
           FROM src
         RETURNING id, name)
       INSERT INTO subscriptions (agency_id, name, topic_patterns, min_severity, channel, email_addresses, webhook_url, signing_secret)
       SELECT g.id, 'bench subscription ' || src.i, string_to_array(src.patterns, ','), 'low',
              CASE WHEN src.email IS NULL THEN 'webhook' ELSE 'email' END,
              CASE WHEN src.email IS NULL THEN '{}'::text[] ELSE ARRAY[src.email] END,
              src.url, src.secret
         FROM src JOIN g ON g.name = 'Bench agency ' || src.i`,
      [
        part.map((e) => e.i),
        part.map((e) => e.url ?? null),
        part.map((e) => e.secret ?? null),
        part.map((e) => e.email ?? null),
        part.map((e) => topicPatterns(e).join(',')),
      ],
    );
  }
}
