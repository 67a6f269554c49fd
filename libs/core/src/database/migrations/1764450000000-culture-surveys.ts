import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Team safety-culture surveys (issue 12), anonymous by construction: the database holds nothing
 * that ties a response to a person, even for an operator with full access.
 *
 * - `survey_recipients` is the address list of a wave (for invitations and whole-list reminders).
 *   It holds no token and no order beyond the address itself.
 * - `survey_tokens` holds only the SHA-256 of each one-time token (emailed, or printed as a team
 *   code), its wave and team; never the address it went to, never a time. Tokens are inserted in a
 *   shuffled order in one statement, so even their physical order says nothing about the list.
 *   Using a token deletes its row in the transaction that records the response: a token counts once.
 * - `survey_responses` carries no token, no sequence (random uuid) and no time finer than the day.
 *   Free-text answers live in `survey_free_text`, not joined to the structured answers, so a
 *   writing style cannot be matched to an answer pattern.
 * Invitation emails are sent straight to the mail server, never through a table (an outbox row
 * holding address and link would be the very mapping this design refuses to keep).
 */
export class CultureSurveys1764450000000 implements MigrationInterface {
  name = 'CultureSurveys1764450000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE survey_waves (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        agency_id uuid NOT NULL REFERENCES agencies(id),
        title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
        instrument_version text NOT NULL,
        opens_on date NOT NULL,
        closes_on date NOT NULL,
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open','closed')),
        closed_at timestamptz,
        created_by uuid REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT survey_waves_window CHECK (closes_on >= opens_on)
      );
      CREATE INDEX survey_waves_by_agency ON survey_waves (agency_id, opens_on DESC);

      CREATE TABLE survey_teams (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        wave_id uuid NOT NULL REFERENCES survey_waves(id) ON DELETE CASCADE,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        kind text NOT NULL DEFAULT 'unit' CHECK (kind IN ('unit','office')),
        expected_headcount int NOT NULL CHECK (expected_headcount BETWEEN 1 AND 100000),
        UNIQUE (wave_id, name)
      );

      CREATE TABLE survey_recipients (
        wave_id uuid NOT NULL REFERENCES survey_waves(id) ON DELETE CASCADE,
        team_id uuid NOT NULL REFERENCES survey_teams(id) ON DELETE CASCADE,
        email text NOT NULL CHECK (length(email) BETWEEN 3 AND 320),
        PRIMARY KEY (wave_id, email)
      );

      CREATE TABLE survey_tokens (
        token_hash bytea PRIMARY KEY CHECK (length(token_hash) = 32),
        wave_id uuid NOT NULL REFERENCES survey_waves(id) ON DELETE CASCADE,
        team_id uuid NOT NULL REFERENCES survey_teams(id) ON DELETE CASCADE,
        channel text NOT NULL CHECK (channel IN ('email','code'))
      );

      CREATE TABLE survey_responses (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        wave_id uuid NOT NULL REFERENCES survey_waves(id) ON DELETE CASCADE,
        team_id uuid NOT NULL REFERENCES survey_teams(id) ON DELETE CASCADE,
        submitted_on date NOT NULL,
        answers jsonb NOT NULL CHECK (jsonb_typeof(answers) = 'object')
      );
      CREATE INDEX survey_responses_by_wave ON survey_responses (wave_id, team_id);

      CREATE TABLE survey_free_text (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        wave_id uuid NOT NULL REFERENCES survey_waves(id) ON DELETE CASCADE,
        team_id uuid NOT NULL REFERENCES survey_teams(id) ON DELETE CASCADE,
        question_id text NOT NULL,
        text text NOT NULL CHECK (length(text) BETWEEN 1 AND 4000),
        submitted_on date NOT NULL
      );
      CREATE INDEX survey_free_text_by_wave ON survey_free_text (wave_id, team_id);

      CREATE TABLE survey_reminders (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        wave_id uuid NOT NULL REFERENCES survey_waves(id) ON DELETE CASCADE,
        recipients int NOT NULL,
        sent_by uuid REFERENCES users(id),
        sent_at timestamptz NOT NULL DEFAULT now()
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE survey_reminders, survey_free_text, survey_responses, survey_tokens, survey_recipients, survey_teams, survey_waves`);
  }
}
