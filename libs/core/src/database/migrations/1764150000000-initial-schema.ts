import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The first schema. Constraints carry the invariants the code relies on:
 * one delivery per (notice, subscription, event), one acknowledgment per (notice, agency),
 * approver never the author, gap-free reference numbers per year (a counter row updated
 * inside the publishing transaction).
 */
export class InitialSchema1764150000000 implements MigrationInterface {
  name = 'InitialSchema1764150000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE agencies (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL UNIQUE,
        jurisdiction_type text NOT NULL CHECK (jurisdiction_type IN ('state','county','tribal','federal')),
        jurisdiction_code text NOT NULL,
        time_zone text NOT NULL,
        notices_contact_email text NOT NULL,
        escalation_contacts text[] NOT NULL DEFAULT '{}',
        fallback_contacts text[] NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        agency_id uuid NOT NULL REFERENCES agencies(id),
        email text NOT NULL,
        name text NOT NULL,
        roles text[] NOT NULL CHECK (roles <@ ARRAY['admin','agency_admin','author','approver','supervisor']::text[]),
        created_at timestamptz NOT NULL DEFAULT now(),
        disabled_at timestamptz
      );
      CREATE UNIQUE INDEX users_email_key ON users (lower(email));
      CREATE INDEX users_agency_idx ON users (agency_id);

      CREATE TABLE api_keys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id),
        agency_id uuid NOT NULL REFERENCES agencies(id),
        name text NOT NULL,
        prefix text NOT NULL UNIQUE,
        key_hash text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz,
        revoked_at timestamptz,
        last_used_at timestamptz
      );
      CREATE INDEX api_keys_agency_idx ON api_keys (agency_id);

      CREATE TABLE topics (
        key text PRIMARY KEY CHECK (key ~ '^[a-z0-9-]+(\\.[a-z0-9-]+)*$'),
        title text NOT NULL,
        description text NOT NULL DEFAULT '',
        created_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE reference_counters (
        year int PRIMARY KEY,
        last_number int NOT NULL
      );

      CREATE TABLE notices (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        reference text UNIQUE,
        issuing_agency_id uuid NOT NULL REFERENCES agencies(id),
        author_id uuid NOT NULL REFERENCES users(id),
        status text NOT NULL DEFAULT 'draft'
          CHECK (status IN ('draft','in_review','published','superseded','cancelled','expired')),
        version int NOT NULL DEFAULT 1,
        content_hash text NOT NULL,
        title text NOT NULL,
        summary text NOT NULL,
        body_markdown text NOT NULL,
        body_html text NOT NULL,
        category text NOT NULL CHECK (category IN ('alert','advisory','update','information')),
        severity text NOT NULL CHECK (severity IN ('critical','high','moderate','low')),
        topics text[] NOT NULL CHECK (cardinality(topics) > 0),
        target_jurisdictions text[] NOT NULL DEFAULT '{}',
        required_actions text[] NOT NULL DEFAULT '{}',
        acknowledge_by timestamptz,
        effective_at timestamptz,
        expires_at timestamptz,
        reference_ids uuid[] NOT NULL DEFAULT '{}',
        incident_reference text,
        submitted_at timestamptz,
        rejection_reasons text[],
        approved_by uuid REFERENCES users(id),
        approved_content_hash text,
        published_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT notices_two_person_rule CHECK (approved_by IS NULL OR approved_by <> author_id),
        CONSTRAINT notices_published_has_reference CHECK (status IN ('draft','in_review') OR reference IS NOT NULL),
        CONSTRAINT notices_approval_bound_to_content CHECK (approved_by IS NULL OR approved_content_hash = content_hash)
      );
      CREATE INDEX notices_agency_status_idx ON notices (issuing_agency_id, status);
      CREATE INDEX notices_status_published_idx ON notices (status, published_at DESC);

      CREATE TABLE subscriptions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        agency_id uuid NOT NULL REFERENCES agencies(id),
        name text NOT NULL,
        topic_patterns text[] NOT NULL CHECK (cardinality(topic_patterns) > 0),
        min_severity text NOT NULL CHECK (min_severity IN ('critical','high','moderate','low')),
        channel text NOT NULL CHECK (channel IN ('email','webhook')),
        email_addresses text[] NOT NULL DEFAULT '{}',
        webhook_url text,
        signing_secret text,
        previous_signing_secret text,
        previous_secret_expires_at timestamptz,
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active','paused','disabled')),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT subscriptions_channel_target CHECK (
          (channel = 'email' AND cardinality(email_addresses) > 0 AND webhook_url IS NULL)
          OR (channel = 'webhook' AND webhook_url IS NOT NULL AND signing_secret IS NOT NULL))
      );
      CREATE INDEX subscriptions_agency_idx ON subscriptions (agency_id);
      CREATE INDEX subscriptions_active_idx ON subscriptions (status) WHERE status = 'active';

      CREATE TABLE acknowledgments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        notice_id uuid NOT NULL REFERENCES notices(id),
        agency_id uuid NOT NULL REFERENCES agencies(id),
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','acknowledged')),
        due_at timestamptz,
        acknowledged_at timestamptz,
        acknowledged_by_name text,
        acknowledged_by_email text,
        acknowledged_by_user_id uuid REFERENCES users(id),
        channel text CHECK (channel IN ('email_link','api')),
        late boolean,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT acknowledgments_one_per_agency UNIQUE (notice_id, agency_id),
        CONSTRAINT acknowledgments_complete CHECK (status = 'pending' OR (acknowledged_at IS NOT NULL AND channel IS NOT NULL))
      );
      CREATE INDEX acknowledgments_agency_idx ON acknowledgments (agency_id, status);

      CREATE TABLE deliveries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        notice_id uuid REFERENCES notices(id),
        subscription_id uuid REFERENCES subscriptions(id),
        agency_id uuid NOT NULL REFERENCES agencies(id),
        acknowledgment_id uuid REFERENCES acknowledgments(id),
        event_type text NOT NULL CHECK (event_type IN ('notice.published','notice.updated','notice.cancelled','notice.reminder','subscription.test')),
        channel text NOT NULL CHECK (channel IN ('email','webhook')),
        mandatory boolean NOT NULL DEFAULT false,
        recipients text[] NOT NULL DEFAULT '{}',
        target_url text,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','sending','delivered','retrying','failed')),
        attempt_count int NOT NULL DEFAULT 0,
        -- attempt_count when the current retry schedule began (a manual retry starts a new one)
        schedule_start int NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        lease_until timestamptz,
        delivered_recipients text[] NOT NULL DEFAULT '{}',
        last_error text,
        delivered_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      -- One delivery per (notice, subscription, event); mandatory email per (notice, agency, event).
      CREATE UNIQUE INDEX deliveries_notice_subscription_key ON deliveries (notice_id, subscription_id, event_type)
        WHERE notice_id IS NOT NULL AND subscription_id IS NOT NULL;
      CREATE UNIQUE INDEX deliveries_notice_mandatory_key ON deliveries (notice_id, agency_id, event_type)
        WHERE notice_id IS NOT NULL AND subscription_id IS NULL;
      CREATE INDEX deliveries_notice_idx ON deliveries (notice_id);
      CREATE INDEX deliveries_subscription_idx ON deliveries (subscription_id, created_at DESC);
      CREATE INDEX deliveries_due_idx ON deliveries (next_attempt_at) WHERE status IN ('pending','retrying','sending');

      CREATE TABLE delivery_attempts (
        id bigserial PRIMARY KEY,
        delivery_id uuid NOT NULL REFERENCES deliveries(id),
        attempt_number int NOT NULL,
        recipient text,
        started_at timestamptz NOT NULL,
        duration_ms int NOT NULL,
        succeeded boolean NOT NULL,
        status_code int,
        smtp_response text,
        error text
      );
      CREATE INDEX delivery_attempts_delivery_idx ON delivery_attempts (delivery_id, id);

      CREATE TABLE outbox (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigserial NOT NULL UNIQUE,
        subject text NOT NULL,
        payload jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz
      );
      CREATE INDEX outbox_unsent_idx ON outbox (seq) WHERE sent_at IS NULL;

      CREATE TABLE audit_events (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        actor_type text NOT NULL CHECK (actor_type IN ('user','system','recipient')),
        actor_id text,
        agency_id uuid,
        action text NOT NULL,
        entity_type text NOT NULL,
        entity_id text NOT NULL,
        before jsonb,
        after jsonb
      );
      CREATE INDEX audit_events_entity_idx ON audit_events (entity_type, entity_id, id);
      CREATE INDEX audit_events_agency_idx ON audit_events (agency_id, id);

      -- NATS subject semantics for topic patterns: '*' one level, '>' everything below.
      -- Patterns are validated to [a-z0-9-] tokens, so the only regex characters are the ones added here.
      -- (Backslashes are doubled for the JavaScript template literal: PostgreSQL sees '\.'.)
      CREATE FUNCTION sne_topic_matches(pattern text, topic text) RETURNS boolean
        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $fn$
          SELECT pattern = '>' OR topic ~ ('^' || replace(replace(replace(pattern, '.', '\\.'), '*', '[^.]+'), '\\.>', '(\\.[^.]+)+') || '$')
        $fn$;

      CREATE FUNCTION sne_severity_rank(severity text) RETURNS int
        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $fn$
          SELECT array_position(ARRAY['critical','high','moderate','low'], severity)
        $fn$;

      CREATE TABLE dev_mail (
        id bigserial PRIMARY KEY,
        created_at timestamptz NOT NULL DEFAULT now(),
        to_address text NOT NULL,
        subject text NOT NULL,
        html text NOT NULL,
        text text NOT NULL
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP FUNCTION sne_topic_matches(text, text), sne_severity_rank(text);
      DROP TABLE dev_mail, audit_events, outbox, delivery_attempts, deliveries, acknowledgments,
        subscriptions, notices, reference_counters, topics, api_keys, users, agencies;
    `);
  }
}
