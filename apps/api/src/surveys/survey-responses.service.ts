import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Actor, answerProblems as checkedAnswers, audit, CultureInstrument, cultureInstrument, DeidFinding, NOT_A_NOTICE, scanForIdentifyingData } from '@sne/core';
import { plausibleToken, tokenHash } from './survey-tokens';

/** What a token opens: the wave's survey, or why it cannot be answered. */
export type TokenState =
  | { state: 'open'; wave: TokenWave }
  | { state: 'not-yet-open' | 'closed'; wave: TokenWave }
  | { state: 'used' };

export interface TokenWave {
  id: string;
  title: string;
  agencyName: string;
  teamName: string;
  opensOn: string;
  closesOn: string;
  instrument: CultureInstrument;
}

export type SubmitOutcome =
  | { outcome: 'recorded' }
  | { outcome: 'invalid'; problems: string[] }
  | { outcome: 'identifying'; findings: DeidFinding[] }
  | { outcome: 'not-yet-open' | 'closed' | 'used' };

/** The respondent is nobody in particular: the audit event names the wave and its agency, nothing of the person. */
const RESPONDENT = (agencyId: string): Actor => ({ type: 'recipient', id: null, agencyId });

/**
 * Taking a response for a one-time token (an emailed link or a team code). The token is the
 * credential; its hash is deleted in the transaction that stores the answers, so it counts once,
 * and the response row keeps nothing of it: a random id, the team, the day, the answers.
 */
@Injectable()
export class SurveyResponsesService {
  constructor(private readonly db: DataSource) {}

  async state(token: string): Promise<TokenState> {
    if (!plausibleToken(token)) return { state: 'used' };
    const [row]: { id: string; title: string; agency_name: string; team_name: string; version: string; status: string; opens_on: string; closes_on: string; today: string }[] = await this.db.query(
      `SELECT w.id, w.title, a.name AS agency_name, t.name AS team_name, w.instrument_version AS version, w.status,
              w.opens_on::text AS opens_on, w.closes_on::text AS closes_on, (now() AT TIME ZONE a.time_zone)::date::text AS today
       FROM survey_tokens k JOIN survey_waves w ON w.id = k.wave_id JOIN survey_teams t ON t.id = k.team_id JOIN agencies a ON a.id = w.agency_id
       WHERE k.token_hash = $1`,
      [tokenHash(token)],
    );
    if (!row) return { state: 'used' };
    const instrument = cultureInstrument(row.version);
    if (!instrument) throw new Error(`survey wave ${row.id} names an unknown instrument version`);
    const wave: TokenWave = { id: row.id, title: row.title, agencyName: row.agency_name, teamName: row.team_name, opensOn: row.opens_on, closesOn: row.closes_on, instrument };
    if (row.status === 'closed' || row.today > row.closes_on) return { state: 'closed', wave };
    if (row.today < row.opens_on) return { state: 'not-yet-open', wave };
    return { state: 'open', wave };
  }

  /**
   * Records one response, or says why not (nothing stored then). Free text is scanned by the
   * de-identification guard first: a finding goes back to the respondent to remove.
   */
  async submit(token: string, answers: Record<string, unknown>, openAnswers: Record<string, string>): Promise<SubmitOutcome> {
    const current = await this.state(token);
    if (current.state !== 'open') return { outcome: current.state };
    const version = current.wave.instrument.version;
    const problems = answerProblems(version, answers, openAnswers);
    if (problems.length) return { outcome: 'invalid', problems };
    const texts = Object.fromEntries(Object.entries(openAnswers).filter(([, v]) => v.trim().length > 0).map(([k, v]) => [k, v.trim()]));
    const findings = scanForIdentifyingData(texts, NOT_A_NOTICE);
    if (findings.length) return { outcome: 'identifying', findings };

    return this.db.transaction(async (m) => {
      // The token is spent here, once: of two concurrent submissions only one DELETE finds the row.
      const [spent]: [{ wave_id: string; team_id: string; agency_id: string; today: string }[], number] = await m.query(
        `DELETE FROM survey_tokens k USING survey_waves w, agencies a
         WHERE k.token_hash = $1 AND w.id = k.wave_id AND a.id = w.agency_id AND w.status = 'open'
           AND (now() AT TIME ZONE a.time_zone)::date BETWEEN w.opens_on AND w.closes_on
         RETURNING k.wave_id, k.team_id, w.agency_id, (now() AT TIME ZONE a.time_zone)::date::text AS today`,
        [tokenHash(token)],
      );
      const used = spent[0];
      if (!used) return { outcome: 'used' as const };
      // The day only: an exact time could be matched to when someone was seen at a screen.
      await m.query(`INSERT INTO survey_responses (wave_id, team_id, submitted_on, answers) VALUES ($1, $2, $3, $4)`, [used.wave_id, used.team_id, used.today, JSON.stringify(answers)]);
      for (const [questionId, text] of Object.entries(texts)) {
        // A separate row, not joined to the answers: a writing style cannot be matched to an answer pattern.
        await m.query(`INSERT INTO survey_free_text (wave_id, team_id, question_id, text, submitted_on) VALUES ($1, $2, $3, $4, $5)`, [used.wave_id, used.team_id, questionId, text, used.today]);
      }
      await audit(m, RESPONDENT(used.agency_id), { action: 'survey.response_recorded', entityType: 'survey_wave', entityId: used.wave_id });
      return { outcome: 'recorded' as const };
    });
  }
}

function answerProblems(version: string, answers: Record<string, unknown>, openAnswers: Record<string, string>): string[] {
  const problems = checkedAnswers(version, answers, openAnswers);
  if (problems.length === 0 && Object.keys(answers).length === 0) problems.push('Answer at least one of the statements.');
  return problems;
}
