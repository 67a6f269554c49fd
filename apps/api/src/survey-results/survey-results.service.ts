import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig, Change, changeBetween, cultureInstrument, describeChange, DomainScore, PublishedGroup, SurveyResponseInput, waveResults, WaveResults } from '@sne/core';
import { Principal } from '../common/principal';

export interface WaveRow {
  id: string;
  agency_id: string;
  title: string;
  instrument_version: string;
  opens_on: string;
  closes_on: string;
  status: string;
}

export interface DomainChange extends Change {
  domainId: string;
  title: string;
  text: string;
}

export interface FreeTextGroup {
  group: string;
  questionId: string;
  question: string;
  texts: string[];
}

/** One row of the CSV: a group (team, other teams combined, agency) and a domain. */
export interface ResultRow {
  group: string;
  groupKind: 'agency' | 'team';
  responses: number | null;
  expected: number;
  responseRate: number | null;
  suppressed: string | null;
  domainId: string;
  domain: string;
  percentPositive: number | null;
  mean: number | null;
  answers: number | null;
  distribution: number[] | null;
  changeVsPrevious: number | null;
  changeLower: number | null;
  changeUpper: number | null;
  changeVerdict: string | null;
}

export interface SurveyResultsReport {
  wave: { id: string; title: string; instrumentVersion: string; opensOn: string; closesOn: string; status: string };
  minResponses: number;
  agency: PublishedGroup;
  teams: PublishedGroup[];
  combined: { teams: number; responses: number | null };
  previousWave: { id: string; title: string } | null;
  changes: { agency: DomainChange[]; teams: Array<{ team: string; domains: DomainChange[] }> };
  freeText: FreeTextGroup[];
  items: ResultRow[];
}

const day = (d: unknown) => (d instanceof Date ? d.toISOString().slice(0, 10) : String(d));

/** Loads a wave's teams and responses and scores them with suppression (libs/core/src/surveys/results.ts). */
export async function loadWaveResults(m: EntityManager, wave: WaveRow, k: number): Promise<{ results: WaveResults; teamNames: Map<string, string> }> {
  const instrument = cultureInstrument(wave.instrument_version);
  if (!instrument) throw new NotFoundException(`unknown survey instrument version ${wave.instrument_version}`);
  const teams: Array<{ id: string; name: string; expected_headcount: number }> = await m.query(
    `SELECT id, name, expected_headcount FROM survey_teams WHERE wave_id = $1 ORDER BY name, id`,
    [wave.id],
  );
  const responses: Array<{ team_id: string; answers: Record<string, unknown> }> = await m.query(`SELECT team_id, answers FROM survey_responses WHERE wave_id = $1`, [wave.id]);
  const input: SurveyResponseInput[] = responses.map((r) => ({ teamId: r.team_id, answers: r.answers }));
  const results = waveResults(instrument, teams.map((t) => ({ id: t.id, name: t.name, expectedHeadcount: t.expected_headcount })), input, k);
  return { results, teamNames: new Map(teams.map((t) => [t.id, t.name])) };
}

const WAVE_COLUMNS = `id, agency_id, title, instrument_version, opens_on::text AS opens_on, closes_on::text AS closes_on, status`;

export const RESULTS_WAIT_FOR_CLOSE =
  'results are shown once the wave is closed: while it takes answers, results read before and after one person answers would give their answers away';

/** A wave's results for its own agency: per team and for the agency, the change since the previous wave, free text where allowed. */
@Injectable()
export class SurveyResultsService {
  constructor(
    private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get k(): number {
    return this.config.surveyMinResponses;
  }

  async results(p: Principal, waveId: string): Promise<SurveyResultsReport> {
    return this.db.transaction('REPEATABLE READ', async (m) => {
      const [wave]: WaveRow[] = await m.query(`SELECT ${WAVE_COLUMNS} FROM survey_waves WHERE id = $1 AND agency_id = $2`, [waveId, p.agencyId]);
      if (!wave) throw new NotFoundException('survey wave not found');
      // While a wave takes answers, results read before and after one invited person answers would
      // give that person's answers away (their difference), free text included.
      if (wave.status !== 'closed') throw new ConflictException(RESULTS_WAIT_FOR_CLOSE);
      const { results } = await loadWaveResults(m, wave, this.k);
      // The previous wave is a closed one: an open wave's figures, read through the change against it, would move with each answer.
      const [prevWave]: WaveRow[] = await m.query(
        `SELECT ${WAVE_COLUMNS} FROM survey_waves WHERE agency_id = $1 AND id <> $2 AND instrument_version = $3 AND status = 'closed'
            AND (opens_on, created_at) < (SELECT opens_on, created_at FROM survey_waves WHERE id = $2)
          ORDER BY opens_on DESC, created_at DESC LIMIT 1`,
        [p.agencyId, waveId, wave.instrument_version],
      );
      const previous = prevWave ? (await loadWaveResults(m, prevWave, this.k)).results : undefined;
      const changes = { agency: previous ? domainChanges(results.agency, previous.agency) : [], teams: [] as Array<{ team: string; domains: DomainChange[] }> };
      if (previous) {
        for (const t of results.teams) {
          const before = previous.teams.find((x) => x.name === t.name);
          const domains = before ? domainChanges(t, before) : [];
          if (domains.length) changes.teams.push({ team: t.name, domains });
        }
      }
      const freeText = await this.freeText(m, wave, results);
      const [agency] = await m.query(`SELECT name FROM agencies WHERE id = $1`, [wave.agency_id]);
      return {
        wave: { id: wave.id, title: wave.title, instrumentVersion: wave.instrument_version, opensOn: day(wave.opens_on), closesOn: day(wave.closes_on), status: wave.status },
        minResponses: this.k,
        agency: { ...results.agency, id: wave.agency_id, name: agency.name },
        teams: results.teams,
        combined: results.combined,
        previousWave: prevWave ? { id: prevWave.id, title: prevWave.title } : null,
        changes,
        freeText,
        items: rows(results, changes),
      };
    });
  }

  /** Free text of teams shown on their own, and of the other teams together when they hold k or more responses. Sorted by text: no order of arrival. */
  private async freeText(m: EntityManager, wave: WaveRow, results: WaveResults): Promise<FreeTextGroup[]> {
    if (results.agency.responses === null) return [];
    const instrument = cultureInstrument(wave.instrument_version)!;
    const rows: Array<{ team_id: string; question_id: string; text: string }> = await m.query(
      `SELECT team_id, question_id, text FROM survey_free_text WHERE wave_id = $1 ORDER BY question_id, text`,
      [wave.id],
    );
    const shown = new Map(results.teams.filter((t) => t.responses !== null && t.responses >= this.k).map((t) => [t.id, t.name]));
    const combinedOk = (results.combined.responses ?? 0) >= this.k;
    const groups = new Map<string, FreeTextGroup>();
    for (const r of rows) {
      const group = shown.get(r.team_id) ?? (combinedOk && results.teams.some((t) => t.id === r.team_id && t.suppressed) ? 'Other teams combined' : undefined);
      if (!group) continue;
      const key = `${group}\u0000${r.question_id}`;
      if (!groups.has(key)) groups.set(key, { group, questionId: r.question_id, question: instrument.openQuestions.find((q) => q.id === r.question_id)?.text ?? r.question_id, texts: [] });
      groups.get(key)!.texts.push(r.text);
    }
    return [...groups.values()].sort((a, b) => (a.group === b.group ? a.questionId.localeCompare(b.questionId) : a.group.localeCompare(b.group)));
  }
}

/** Changes where both waves show the group's domain. */
export function domainChanges(now: PublishedGroup, before: PublishedGroup): DomainChange[] {
  if (!now.domains || !before.domains) return [];
  const out: DomainChange[] = [];
  for (const d of now.domains) {
    const b = before.domains.find((x) => x.domainId === d.domainId);
    if (!b || d.withheld || b.withheld) continue;
    const c = changeBetween(d as DomainScore, b as DomainScore);
    if (c) out.push({ domainId: d.domainId, title: d.title, ...c, text: describeChange(c) });
  }
  return out;
}

function rows(results: WaveResults, changes: SurveyResultsReport['changes']): ResultRow[] {
  const out: ResultRow[] = [];
  const add = (g: PublishedGroup, kind: 'agency' | 'team', cs: DomainChange[]) => {
    const domains = g.domains ?? results.raw.agency.domains.map((d) => ({ domainId: d.domainId, title: d.title }));
    for (const d of domains as Array<Partial<DomainScore> & { domainId: string; title: string }>) {
      const c = cs.find((x) => x.domainId === d.domainId);
      out.push({
        group: kind === 'agency' ? 'Agency' : g.name,
        groupKind: kind,
        responses: g.responses,
        expected: g.expected,
        responseRate: g.responseRate,
        suppressed: g.suppressed,
        domainId: d.domainId,
        domain: d.title,
        percentPositive: g.domains ? (d.percentPositive ?? null) : null,
        mean: g.domains ? (d.mean ?? null) : null,
        answers: g.domains ? (d.answers ?? null) : null,
        distribution: g.domains ? (d.distribution ?? null) : null,
        changeVsPrevious: c?.difference ?? null,
        changeLower: c?.lower ?? null,
        changeUpper: c?.upper ?? null,
        changeVerdict: c?.verdict ?? null,
      });
    }
  };
  add(results.agency, 'agency', changes.agency);
  for (const t of results.teams) add(t, 'team', changes.teams.find((x) => x.team === t.name)?.domains ?? []);
  return out;
}
