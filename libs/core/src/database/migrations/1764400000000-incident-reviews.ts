import { MigrationInterface, QueryRunner } from 'typeorm';

const OLD_ROLES = `ARRAY['admin','agency_admin','author','approver','supervisor']::text[]`;
const NEW_ROLES = `ARRAY['admin','agency_admin','author','approver','supervisor','reviewer','review_lead','analyst']::text[]`;

/**
 * Critical incident reviews (issue 11): the partnership's standardized review and reporting.
 *
 * - Three roles: `reviewer` enters reviews for their agency, `review_lead` submits them (the
 *   `approver` approves, never the review's lead or submitter), `analyst` reads partnership aggregates.
 * - `critical_incidents` holds coded, de-identified fields only: there is no name, address or date
 *   of birth column at all, and the incident date is a month and a year. The one free-text column
 *   (`summary`) goes through the de-identification guard before it is saved.
 * - `incident_reviews`: the working copy of a review, pinned to the instrument version it uses.
 *   `approved_version` is the version last approved: aggregates read that version's ratings, so an
 *   amendment in progress never changes a published figure. `review_versions` keeps a snapshot of
 *   every submitted and approved version (the visible amendment history).
 * - Ratings and findings are rows per version (copied forward by an amendment); recommendations
 *   carry their own status lifecycle, with every change in `recommendation_status_history`.
 * - `data_sharing_agreements`: an agency's opt-in to partnership aggregates, per kind of data, with
 *   a date. Rows are never updated: the latest row per agency is in force (an empty `covers` is a
 *   withdrawal), so the history stays.
 * - `notices.source_review_id`: the review a notice was drafted from.
 */
export class IncidentReviews1764400000000 implements MigrationInterface {
  name = 'IncidentReviews1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE users DROP CONSTRAINT users_roles_check;
      ALTER TABLE users ADD CONSTRAINT users_roles_check CHECK (roles <@ ${NEW_ROLES});
      ALTER TABLE api_keys DROP CONSTRAINT api_keys_roles_check;
      ALTER TABLE api_keys ADD CONSTRAINT api_keys_roles_check CHECK (roles IS NULL OR roles <@ ${NEW_ROLES});

      CREATE TABLE data_sharing_agreements (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        agency_id uuid NOT NULL REFERENCES agencies(id),
        covers text[] NOT NULL CHECK (covers <@ ARRAY['incidents','culture']::text[]),
        signed_on date NOT NULL,
        note text NOT NULL DEFAULT '' CHECK (length(note) <= 2000),
        recorded_by uuid REFERENCES users(id),
        recorded_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX data_sharing_agreements_by_agency ON data_sharing_agreements (agency_id, recorded_at DESC);

      CREATE TABLE review_reference_counters (
        agency_id uuid NOT NULL REFERENCES agencies(id),
        kind text NOT NULL CHECK (kind IN ('incident','review')),
        year int NOT NULL,
        last_number int NOT NULL,
        PRIMARY KEY (agency_id, kind, year)
      );

      CREATE TABLE critical_incidents (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        agency_id uuid NOT NULL REFERENCES agencies(id),
        reference text NOT NULL,
        incident_type text NOT NULL CHECK (incident_type IN ('fatality','near_fatality','serious_injury')),
        incident_year smallint NOT NULL CHECK (incident_year BETWEEN 1990 AND 2100),
        incident_month smallint NOT NULL CHECK (incident_month BETWEEN 1 AND 12),
        age_band text NOT NULL CHECK (age_band IN ('under_1','1_3','4_6','7_12','13_17')),
        prior_involvement text NOT NULL CHECK (prior_involvement IN ('none','screened_out','investigated','in_home_services','in_care')),
        prior_recency text CHECK (prior_recency IN ('current','within_12_months','within_36_months','older')),
        circumstances text[] NOT NULL CHECK (cardinality(circumstances) >= 1 AND circumstances <@ ARRAY['unsafe_sleep','substance_exposure','physical_abuse','neglect','drowning','firearm','vehicle','medical','other']::text[]),
        summary text NOT NULL DEFAULT '' CHECK (length(summary) <= 20000),
        created_by uuid REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (agency_id, reference),
        CONSTRAINT critical_incidents_recency CHECK ((prior_involvement = 'none') = (prior_recency IS NULL))
      );

      CREATE TABLE incident_reviews (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        agency_id uuid NOT NULL REFERENCES agencies(id),
        incident_id uuid NOT NULL REFERENCES critical_incidents(id),
        reference text NOT NULL,
        external_id text CHECK (length(external_id) BETWEEN 1 AND 200),
        status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','submitted','approved','shared')),
        version int NOT NULL DEFAULT 1 CHECK (version >= 1),
        approved_version int CHECK (approved_version >= 1 AND approved_version <= version),
        instrument_version text NOT NULL,
        lead_id uuid REFERENCES users(id),
        summary text NOT NULL DEFAULT '' CHECK (length(summary) <= 50000),
        shared_summary text CHECK (length(shared_summary) <= 20000),
        shared_at timestamptz,
        shared_by uuid REFERENCES users(id),
        submitted_by uuid REFERENCES users(id),
        submitted_at timestamptz,
        approved_by uuid REFERENCES users(id),
        approved_at timestamptz,
        returned_reason text,
        imported boolean NOT NULL DEFAULT false,
        created_by uuid REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (agency_id, reference),
        UNIQUE (agency_id, external_id),
        CONSTRAINT incident_reviews_shared_has_summary CHECK (status <> 'shared' OR (shared_summary IS NOT NULL AND shared_at IS NOT NULL)),
        CONSTRAINT incident_reviews_two_people CHECK (approved_by IS NULL OR (approved_by IS DISTINCT FROM submitted_by AND approved_by IS DISTINCT FROM lead_id)),
        CONSTRAINT incident_reviews_approved_has_version CHECK (status NOT IN ('approved','shared') OR (approved_version IS NOT NULL AND approved_version = version))
      );
      CREATE INDEX incident_reviews_by_incident ON incident_reviews (incident_id);
      CREATE INDEX incident_reviews_approved ON incident_reviews (agency_id) WHERE approved_version IS NOT NULL;

      CREATE TABLE review_ratings (
        review_id uuid NOT NULL REFERENCES incident_reviews(id) ON DELETE CASCADE,
        version int NOT NULL,
        item_id text NOT NULL CHECK (length(item_id) BETWEEN 1 AND 100),
        rating smallint NOT NULL CHECK (rating BETWEEN 0 AND 3),
        PRIMARY KEY (review_id, version, item_id)
      );

      CREATE TABLE review_findings (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        review_id uuid NOT NULL REFERENCES incident_reviews(id) ON DELETE CASCADE,
        version int NOT NULL,
        position int NOT NULL CHECK (position >= 1),
        domain_id text,
        text text NOT NULL CHECK (length(text) BETWEEN 1 AND 5000),
        UNIQUE (review_id, version, position)
      );

      CREATE TABLE review_recommendations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        review_id uuid NOT NULL REFERENCES incident_reviews(id) ON DELETE CASCADE,
        position int NOT NULL CHECK (position >= 1),
        finding_position int,
        text text NOT NULL CHECK (length(text) BETWEEN 1 AND 5000),
        owner text NOT NULL CHECK (owner IN ('agency','member','partnership')),
        owner_agency_id uuid REFERENCES agencies(id),
        target_date date,
        status text NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed','accepted','in_progress','implemented','not_adopted')),
        status_reason text CHECK (length(status_reason) <= 2000),
        status_changed_at timestamptz NOT NULL DEFAULT now(),
        implemented_on date,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (review_id, position),
        CONSTRAINT review_recommendations_member_owner CHECK ((owner = 'member') = (owner_agency_id IS NOT NULL)),
        CONSTRAINT review_recommendations_not_adopted_reason CHECK (status <> 'not_adopted' OR length(trim(status_reason)) > 0),
        CONSTRAINT review_recommendations_implemented_on CHECK ((status = 'implemented') = (implemented_on IS NOT NULL))
      );
      CREATE INDEX review_recommendations_owner ON review_recommendations (owner_agency_id) WHERE owner_agency_id IS NOT NULL;

      CREATE TABLE recommendation_status_history (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        recommendation_id uuid NOT NULL REFERENCES review_recommendations(id) ON DELETE CASCADE,
        status text NOT NULL,
        reason text,
        changed_by uuid REFERENCES users(id),
        changed_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX recommendation_status_history_by_rec ON recommendation_status_history (recommendation_id, changed_at);

      CREATE TABLE review_versions (
        review_id uuid NOT NULL REFERENCES incident_reviews(id) ON DELETE CASCADE,
        version int NOT NULL,
        event text NOT NULL CHECK (event IN ('submitted','approved','imported')),
        content jsonb NOT NULL,
        recorded_by uuid REFERENCES users(id),
        recorded_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (review_id, version, event)
      );

      ALTER TABLE notices ADD COLUMN source_review_id uuid REFERENCES incident_reviews(id);
      CREATE INDEX notices_by_source_review ON notices (source_review_id) WHERE source_review_id IS NOT NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE notices DROP COLUMN source_review_id;
      DROP TABLE review_versions, recommendation_status_history, review_recommendations, review_findings, review_ratings,
        incident_reviews, critical_incidents, review_reference_counters, data_sharing_agreements;
      UPDATE users SET roles = array(SELECT unnest(roles) INTERSECT SELECT unnest(${OLD_ROLES}));
      UPDATE api_keys SET roles = array(SELECT unnest(roles) INTERSECT SELECT unnest(${OLD_ROLES}));
      ALTER TABLE users DROP CONSTRAINT users_roles_check;
      ALTER TABLE users ADD CONSTRAINT users_roles_check CHECK (roles <@ ${OLD_ROLES});
      ALTER TABLE api_keys DROP CONSTRAINT api_keys_roles_check;
      ALTER TABLE api_keys ADD CONSTRAINT api_keys_roles_check CHECK (roles IS NULL OR roles <@ ${OLD_ROLES});
    `);
  }
}
