import { BadRequestException, ConflictException, HttpException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { isEmail } from 'class-validator';
import { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig, audit, cultureInstrument, currentCultureInstrument } from '@sne/core';
import { publishedProgress } from './survey-progress';
import { actorOf, Principal } from '../common/principal';
import { AddRecipientsDto, OpenWaveDto, SurveyTeamResponse, SurveyWaveListItemResponse, SurveyWaveResponse, TeamKind } from './surveys.dto';
import { runsSurveys, waveSummary } from './survey-wave-summary';
import { SurveyMailer } from './survey-mail';
import { newLinkToken, newTeamCode, storeTokens } from './survey-tokens';

/** Reminders: at most one per wave in this many hours (each goes to the whole list). */
export const REMINDER_INTERVAL_HOURS = 24;

interface WaveRow {
  id: string;
  agency_id: string;
  agency_name: string;
  title: string;
  instrument_version: string;
  opens_on: string;
  closes_on: string;
  status: 'open' | 'closed';
  closed_at: Date | null;
  today: string;
}

const WAVE_COLUMNS = `w.id, w.agency_id, a.name AS agency_name, w.title, w.instrument_version, w.opens_on::text AS opens_on,
  w.closes_on::text AS closes_on, w.status, w.closed_at, (now() AT TIME ZONE a.time_zone)::date::text AS today`;

/**
 * Survey waves, run by an agency's agency admins (its supervisors only list them): open a wave for its teams, keep each team's
 * address list, send one-time links (or print one-time team codes), remind the whole list, close.
 * Every count here is a count: nothing says who answered (see README, "Survey anonymity"); and
 * no count shown is of fewer than SURVEY_MIN_RESPONSES people (survey-progress.ts).
 */
@Injectable()
export class SurveysService {
  constructor(
    private readonly db: DataSource,
    private readonly mailer: SurveyMailer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async open(p: Principal, dto: OpenWaveDto): Promise<SurveyWaveResponse> {
    const version = dto.instrumentVersion ?? currentCultureInstrument().version;
    if (!cultureInstrument(version)) throw new BadRequestException(`unknown survey instrument version "${version}"`);
    if (dto.closesOn < dto.opensOn) throw new BadRequestException('closesOn must be on or after opensOn');
    const names = dto.teams.map((t) => t.name.trim());
    if (names.some((n) => n.length === 0)) throw new BadRequestException('every team needs a name');
    if (new Set(names.map((n) => n.toLowerCase())).size !== names.length) throw new BadRequestException('team names must differ within a wave');
    const id = await this.db.transaction(async (m) => {
      const [wave]: { id: string }[] = await m.query(
        `INSERT INTO survey_waves (agency_id, title, instrument_version, opens_on, closes_on, created_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [p.agencyId, dto.title.trim(), version, dto.opensOn, dto.closesOn, p.userId],
      );
      await m.query(
        `INSERT INTO survey_teams (wave_id, name, kind, expected_headcount)
         SELECT $1, t.name, t.kind, t.headcount FROM unnest($2::text[], $3::text[], $4::int[]) AS t(name, kind, headcount)`,
        [wave.id, names, dto.teams.map((t) => t.kind ?? 'unit'), dto.teams.map((t) => t.expectedHeadcount)],
      );
      await audit(m, actorOf(p), {
        action: 'survey.wave_opened',
        entityType: 'survey_wave',
        entityId: wave.id,
        after: { title: dto.title.trim(), instrumentVersion: version, opensOn: dto.opensOn, closesOn: dto.closesOn, teams: names.length },
      });
      return wave.id;
    });
    return this.get(p, id);
  }

  /** The agency's waves: in full for its agency admins, as summaries for its supervisors (survey-wave-summary.ts). */
  async list(p: Principal): Promise<SurveyWaveListItemResponse[]> {
    const waves: WaveRow[] = await this.db.query(
      `SELECT ${WAVE_COLUMNS} FROM survey_waves w JOIN agencies a ON a.id = w.agency_id WHERE w.agency_id = $1 ORDER BY w.opens_on DESC, w.created_at DESC LIMIT 500`,
      [p.agencyId],
    );
    const described = await this.describe(this.db.manager, waves);
    return runsSurveys(p) ? described : described.map(waveSummary);
  }

  async get(p: Principal, id: string): Promise<SurveyWaveResponse> {
    const [wave] = await this.describe(this.db.manager, [await this.wave(this.db.manager, p, id)]);
    return wave;
  }

  /** Adds addresses to a team's list: every one must be an email address (else 400, nothing added); repeats are skipped. */
  async addRecipients(p: Principal, waveId: string, teamId: string, dto: AddRecipientsDto): Promise<{ added: number; skipped: number }> {
    const emails = dto.emails.map((e) => e.trim().toLowerCase());
    const invalid = emails.filter((e) => !isEmail(e) || e.length > 320);
    if (invalid.length) throw new BadRequestException(`not email addresses: ${invalid.slice(0, 10).map((e) => JSON.stringify(e)).join(', ')}${invalid.length > 10 ? ` and ${invalid.length - 10} more` : ''}`);
    const unique = [...new Set(emails)];
    return this.db.transaction(async (m) => {
      const wave = await this.wave(m, p, waveId, true);
      this.assertNotClosed(wave);
      await this.team(m, wave.id, teamId);
      const added: unknown[] = await m.query(
        `INSERT INTO survey_recipients (wave_id, team_id, email) SELECT $1, $2, e FROM unnest($3::text[]) AS e
         ON CONFLICT (wave_id, email) DO NOTHING RETURNING 1 AS one`,
        [wave.id, teamId, unique],
      );
      await audit(m, actorOf(p), { action: 'survey.recipients_added', entityType: 'survey_wave', entityId: wave.id, after: { teamId, added: added.length } });
      return { added: added.length, skipped: emails.length - added.length };
    });
  }

  /**
   * Sends each address not yet invited its own one-time link. The tokens' hashes are stored
   * shuffled in one statement and the pairs (address, link) exist only in memory until the mail
   * server has them. Addresses the server refuses are reported once and may be sent again.
   */
  async invite(p: Principal, waveId: string): Promise<{ sent: number; failed: string[] }> {
    const { wave, invitations } = await this.db.transaction(async (m) => {
      const wave = await this.wave(m, p, waveId, true);
      this.assertTakesMail(wave);
      // TypeORM answers an UPDATE … RETURNING with [rows, count].
      const [rows]: [{ email: string; team_id: string; team_name: string }[], number] = await m.query(
        `UPDATE survey_recipients r SET invited = true FROM survey_teams t
         WHERE r.wave_id = $1 AND NOT r.invited AND t.id = r.team_id RETURNING r.email, r.team_id, t.name AS team_name`,
        [wave.id],
      );
      if (rows.length === 0) throw new ConflictException('every address on the list has been sent its link: add addresses first');
      const invitations = rows.map((r) => ({ email: r.email, teamId: r.team_id, teamName: r.team_name, token: newLinkToken() }));
      await storeTokens(m, wave.id, 'email', invitations);
      await audit(m, actorOf(p), { action: 'survey.invitations_sent', entityType: 'survey_wave', entityId: wave.id, after: { count: invitations.length } });
      // Rendered before the commit: a message that cannot be made leaves nobody marked as invited.
      const mails = invitations.map((i) => this.mailer.compose(i.email, 'survey-invitation', { ...this.mailData(wave), teamName: i.teamName, url: `${this.config.publicUrl}/survey/${i.token}` }));
      return { wave, invitations: mails };
    });
    const outcome = await this.mailer.sendAll(invitations);
    if (outcome.failed.length) {
      // The refused addresses' tokens were never delivered; a later send gives them fresh ones.
      await this.db.transaction(async (m) => {
        await m.query(`UPDATE survey_recipients SET invited = false WHERE wave_id = $1 AND email = ANY($2::text[])`, [wave.id, outcome.failed]);
        await audit(m, actorOf(p), { action: 'survey.invitations_refused', entityType: 'survey_wave', entityId: wave.id, after: { count: outcome.failed.length } });
      });
    }
    return outcome;
  }

  /** A reminder to everyone invited: the product does not know who answered, so it thanks those who did. */
  async remind(p: Principal, waveId: string): Promise<{ sent: number; failed: string[] }> {
    const { mails } = await this.db.transaction(async (m) => {
      const wave = await this.wave(m, p, waveId, true);
      this.assertTakesMail(wave);
      const [last]: { wait_seconds: number | null }[] = await m.query(
        `SELECT ceil(extract(epoch FROM max(sent_at) + make_interval(hours => $2) - now()))::int AS wait_seconds FROM survey_reminders WHERE wave_id = $1`,
        [wave.id, REMINDER_INTERVAL_HOURS],
      );
      if (last.wait_seconds !== null && last.wait_seconds > 0) {
        throw new HttpException(`a reminder went to this list less than ${REMINDER_INTERVAL_HOURS} hours ago: send the next one later`, 429, { cause: { retryAfter: last.wait_seconds } });
      }
      const rows: { email: string }[] = await m.query(`SELECT email FROM survey_recipients WHERE wave_id = $1 AND invited ORDER BY email`, [wave.id]);
      if (rows.length === 0) throw new ConflictException('no one has been sent a link yet: send the invitations first');
      await m.query(`INSERT INTO survey_reminders (wave_id, recipients, sent_by) VALUES ($1, $2, $3)`, [wave.id, rows.length, p.userId]);
      await audit(m, actorOf(p), { action: 'survey.reminder_sent', entityType: 'survey_wave', entityId: wave.id, after: { recipients: rows.length } });
      return { mails: rows.map((r) => this.mailer.compose(r.email, 'survey-reminder', this.mailData(wave))) };
    });
    return this.mailer.sendAll(mails);
  }

  /** N one-time codes for a team, to hand out on paper: returned this once, only their hashes kept. */
  async issueCodes(p: Principal, waveId: string, teamId: string, count: number): Promise<{ wave: WaveRow; teamName: string; codes: string[] }> {
    return this.db.transaction(async (m) => {
      const wave = await this.wave(m, p, waveId, true);
      this.assertNotClosed(wave);
      const team = await this.team(m, wave.id, teamId);
      const codes = Array.from({ length: count }, newTeamCode);
      await storeTokens(m, wave.id, 'code', codes.map((token) => ({ teamId, token })));
      await audit(m, actorOf(p), { action: 'survey.codes_issued', entityType: 'survey_wave', entityId: wave.id, after: { teamId, count } });
      return { wave, teamName: team.name, codes };
    });
  }

  /** Closes the wave: no more responses; links and codes not used are deleted. */
  async close(p: Principal, waveId: string): Promise<SurveyWaveResponse> {
    await this.db.transaction(async (m) => {
      const wave = await this.wave(m, p, waveId, true);
      this.assertNotClosed(wave);
      await m.query(`UPDATE survey_waves SET status = 'closed', closed_at = now() WHERE id = $1`, [wave.id]);
      const [, unused] = await m.query(`DELETE FROM survey_tokens WHERE wave_id = $1`, [wave.id]);
      await audit(m, actorOf(p), { action: 'survey.wave_closed', entityType: 'survey_wave', entityId: wave.id, after: { unusedLinksDeleted: unused } });
    });
    return this.get(p, waveId);
  }

  /** The caller's agency's wave, else 404 (another agency's wave is not revealed). */
  async wave(m: EntityManager, p: Principal, id: string, lock = false): Promise<WaveRow> {
    const [wave]: WaveRow[] = await m.query(
      `SELECT ${WAVE_COLUMNS} FROM survey_waves w JOIN agencies a ON a.id = w.agency_id WHERE w.id = $1 AND w.agency_id = $2${lock ? ' FOR UPDATE OF w' : ''}`,
      [id, p.agencyId],
    );
    if (!wave) throw new NotFoundException('no such survey wave');
    return wave;
  }

  private async team(m: EntityManager, waveId: string, teamId: string): Promise<{ id: string; name: string }> {
    const [team]: { id: string; name: string }[] = await m.query(`SELECT id, name FROM survey_teams WHERE id = $1 AND wave_id = $2`, [teamId, waveId]);
    if (!team) throw new NotFoundException('no such team in this wave');
    return team;
  }

  private assertNotClosed(wave: WaveRow) {
    if (wave.status === 'closed') throw new ConflictException('the wave is closed');
  }

  /** Links and reminders only while answers can still come in. */
  private assertTakesMail(wave: WaveRow) {
    this.assertNotClosed(wave);
    if (wave.today > wave.closes_on) throw new ConflictException(`the wave's window ended on ${wave.closes_on}: close it`);
  }

  private mailData(wave: WaveRow) {
    return { agencyName: wave.agency_name, title: wave.title, opensOn: wave.opens_on, closesOn: wave.closes_on, surveyUrl: `${this.config.publicUrl}/survey` };
  }

  private async describe(m: EntityManager, waves: WaveRow[]): Promise<SurveyWaveResponse[]> {
    if (waves.length === 0) return [];
    const ids = waves.map((w) => w.id);
    const teams: { wave_id: string; id: string; name: string; kind: TeamKind; expected_headcount: number; recipients: number; invited: number; responses: number }[] = await m.query(
      `SELECT t.wave_id, t.id, t.name, t.kind, t.expected_headcount,
              (SELECT count(*) FROM survey_recipients r WHERE r.team_id = t.id)::int AS recipients,
              (SELECT count(*) FROM survey_recipients r WHERE r.team_id = t.id AND r.invited)::int AS invited,
              (SELECT count(*) FROM survey_responses s WHERE s.team_id = t.id)::int AS responses
       FROM survey_teams t WHERE t.wave_id = ANY($1::uuid[]) ORDER BY t.name`,
      [ids],
    );
    const reminders: { wave_id: string; n: number }[] = await m.query(`SELECT wave_id, count(*)::int AS n FROM survey_reminders WHERE wave_id = ANY($1::uuid[]) GROUP BY wave_id`, [ids]);
    return waves.map((w) => {
      const rows = teams.filter((t) => t.wave_id === w.id);
      const progress = publishedProgress(rows.map((t) => ({ id: t.id, responses: t.responses, expected: t.expected_headcount })), w.status === 'closed', this.config.surveyMinResponses);
      const own: SurveyTeamResponse[] = rows.map((t) => ({
        id: t.id,
        name: t.name,
        kind: t.kind,
        expectedHeadcount: t.expected_headcount,
        recipients: t.recipients,
        invited: t.invited,
        ...progress.teams.get(t.id)!,
      }));
      return {
        id: w.id,
        title: w.title,
        instrumentVersion: w.instrument_version,
        opensOn: w.opens_on,
        closesOn: w.closes_on,
        status: w.status,
        acceptingResponses: w.status === 'open' && w.today >= w.opens_on && w.today <= w.closes_on,
        closedAt: w.closed_at ? new Date(w.closed_at).toISOString() : null,
        minResponses: this.config.surveyMinResponses,
        responses: progress.responses,
        expectedHeadcount: progress.expected,
        responseRate: progress.responseRate,
        reminders: reminders.find((r) => r.wave_id === w.id)?.n ?? 0,
        teams: own,
      };
    });
  }
}
