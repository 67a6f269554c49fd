import { EntityManager } from 'typeorm';
import { Agency, audit, currentCultureInstrument, seededRandom, systemActor } from '@sne/core';

/**
 * Two fictional culture-survey waves (spring and autumn, both closed) for the demo's member
 * agencies, so the results pages, the benchmark and the comparison show something on first start.
 * Answers come from a seeded generator (the same demo every time): each agency has a level of
 * positive answers, a little higher in the autumn. One small team per agency stays under the
 * threshold, to show suppression. Each wave's responses are written in one statement.
 *
 * Data-sharing agreements: an agency whose agreement in force does not cover 'culture' gets a new
 * row with its current coverage plus 'culture' (rows are never updated; the latest is in force, so
 * merging keeps the 'incidents' coverage another seed may have recorded). recorded_at is later than
 * any earlier row of the agency, so the merged row is the one in force even within one transaction.
 */
const PLAN: Record<string, { level: number; teams: Array<[string, number]> }> = {
  'Ohio Department of Children and Youth': { level: 0.66, teams: [['Intake and screening', 14], ['Ongoing services', 12], ['Regional office South', 4]] },
  'Franklin County Children Services': { level: 0.52, teams: [['Intake', 10], ['Family services', 9], ['After hours', 3]] },
  'Cherokee Nation Indian Child Welfare': { level: 0.61, teams: [['ICW caseworkers', 9], ['Family preservation', 8], ['Supervisors', 3]] },
  'Arizona Department of Child Safety': { level: 0.44, teams: [['Hotline', 12], ['Investigations', 15], ['Permanency', 10]] },
};
const WAVES = [
  { title: 'Spring 2026 team survey', opens: '2026-04-06', closes: '2026-04-24', lift: 0 },
  { title: 'Autumn 2026 team survey', opens: '2026-10-05', closes: '2026-10-23', lift: 0.06 },
];
const FREE_TEXT = [
  'Protected time each week to talk through hard cases with the supervisor.',
  'Fewer cases per worker when someone is on leave.',
  'Hear back about what changed after a review.',
  'Better handoffs between intake and ongoing services.',
  'Less paperwork duplicated between systems.',
];

export async function seedDemoSurveys(m: EntityManager, agencies: Agency[]): Promise<void> {
  const actor = systemActor('demo-seed');
  const ins = currentCultureInstrument();
  const rnd = seededRandom(0x5eed_c017);
  for (const agency of agencies) {
    const plan = PLAN[agency.name];
    if (!plan) continue;
    await coverCulture(m, agency);
    for (const w of WAVES) {
      const [wave] = await m.query(
        `INSERT INTO survey_waves (agency_id, title, instrument_version, opens_on, closes_on, status, closed_at) VALUES ($1, $2, $3, $4, $5, 'closed', $5::date + 1) RETURNING id`,
        [agency.id, w.title, ins.version, w.opens, w.closes],
      );
      await audit(m, actor, { action: 'survey.wave_opened', entityType: 'survey_wave', entityId: wave.id, agencyId: agency.id, after: { title: w.title, demo: true } });
      const teamIds: string[] = [];
      const answers: string[] = [];
      const texts: Array<[string, string]> = [];
      for (const [name, headcount] of plan.teams) {
        const [team] = await m.query(`INSERT INTO survey_teams (wave_id, name, expected_headcount) VALUES ($1, $2, $3) RETURNING id`, [wave.id, name, headcount]);
        const responses = headcount < 5 ? Math.min(headcount, 2) : Math.round(headcount * (0.6 + rnd() * 0.3));
        const teamLevel = plan.level + w.lift + (rnd() - 0.5) * 0.16;
        for (let i = 0; i < responses; i++) {
          const a: Record<string, number> = {};
          for (const d of ins.domains) {
            const level = teamLevel + (d.id === 'workload' ? -0.18 : d.id === 'teamwork' ? 0.1 : 0);
            for (const item of d.items) {
              if (rnd() < 0.03) continue; // an item left unanswered now and then
              const scored = rnd() < level ? (rnd() < 0.45 ? 5 : 4) : 1 + Math.floor(rnd() * 3);
              a[item.id] = item.reverse ? 6 - scored : scored;
            }
          }
          teamIds.push(team.id);
          answers.push(JSON.stringify(a));
          if (rnd() < 0.25) texts.push([team.id, FREE_TEXT[Math.floor(rnd() * FREE_TEXT.length)]]);
        }
      }
      await m.query(
        `INSERT INTO survey_responses (wave_id, team_id, submitted_on, answers)
         SELECT $1, t, $2::date, a FROM unnest($3::uuid[], $4::jsonb[]) AS x(t, a)`,
        [wave.id, w.closes, teamIds, answers],
      );
      await m.query(
        `INSERT INTO survey_free_text (wave_id, team_id, question_id, text, submitted_on)
         SELECT $1, t, $2, x, $3::date FROM unnest($4::uuid[], $5::text[]) AS f(t, x)`,
        [wave.id, ins.openQuestions[0].id, w.closes, texts.map((t) => t[0]), texts.map((t) => t[1])],
      );
      await audit(m, actor, { action: 'survey.wave_closed', entityType: 'survey_wave', entityId: wave.id, agencyId: agency.id, after: { responses: answers.length, demo: true } });
    }
  }
}

/** Adds 'culture' to the agency's agreement in force (a new row), unless it covers it already. */
async function coverCulture(m: EntityManager, agency: Agency): Promise<void> {
  const [current] = await m.query(
    `SELECT covers FROM data_sharing_agreements WHERE agency_id = $1 ORDER BY recorded_at DESC, id DESC LIMIT 1`,
    [agency.id],
  );
  if (current?.covers.includes('culture')) return;
  const covers = [...new Set([...(current?.covers ?? []), 'culture'])];
  const signedOn = '2026-01-15';
  const [row] = await m.query(
    `INSERT INTO data_sharing_agreements (agency_id, covers, signed_on, note, recorded_at)
     VALUES ($1, $2, $3, 'Partnership data-sharing agreement, culture surveys (demo)',
             greatest(clock_timestamp(), (SELECT max(recorded_at) + interval '1 microsecond' FROM data_sharing_agreements WHERE agency_id = $1)))
     RETURNING id`,
    [agency.id, covers, signedOn],
  );
  await audit(m, systemActor('demo-seed'), { action: 'data_sharing.recorded', entityType: 'data_sharing_agreement', entityId: row.id, agencyId: agency.id, after: { covers, signedOn } });
}
