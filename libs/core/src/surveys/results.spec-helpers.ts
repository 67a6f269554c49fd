/**
 * Test-only, and independent of the suppression code: what an attacker can work out from a wave's
 * published results. For each domain it takes the agency's published figures minus every team's
 * published figures for that domain (the remainder), and counts from the raw responses who stands
 * behind each published figure and behind the remainder: per item, and per domain (respondents).
 * A problem is any such group of 1..k−1 people.
 */
import { CultureInstrument, LIKERT_MAX, LIKERT_MIN } from './culture-instrument';
import { PublishedGroup, WaveResults } from './results';
import { SurveyResponseInput } from './scoring';

const answered = (r: SurveyResponseInput, itemId: string) => {
  const v = r.answers[itemId];
  return typeof v === 'number' && Number.isInteger(v) && v >= LIKERT_MIN && v <= LIKERT_MAX;
};
const small = (n: number, k: number) => n > 0 && n < k;
const shows = (g: PublishedGroup, d: number) => !!g.domains && !g.domains[d].withheld;

export function groupsBelowK(ins: CultureInstrument, results: WaveResults, responses: SurveyResponseInput[], k: number): string[] {
  const problems: string[] = [];
  const of = (teamIds: string[]) => responses.filter((r) => teamIds.includes(r.teamId));
  const allTeams = results.teams.map((t) => t.id);
  const check = (label: string, group: SurveyResponseInput[], d: number) => {
    const domain = ins.domains[d];
    for (const item of domain.items) {
      const n = group.filter((r) => answered(r, item.id)).length;
      if (small(n, k)) problems.push(`${label} ${item.id}: ${n} answered`);
    }
    const respondents = group.filter((r) => domain.items.some((i) => answered(r, i.id))).length;
    if (small(respondents, k)) problems.push(`${label} ${domain.id}: ${respondents} respondents`);
  };
  // Counts: the shown teams and the hidden remainder.
  if (results.agency.responses !== null) {
    const shownCounts = results.teams.filter((t) => t.responses !== null);
    for (const t of shownCounts) if (small(t.responses!, k)) problems.push(`team ${t.name}: ${t.responses} responses`);
    const remainder = results.agency.responses - shownCounts.reduce((s, t) => s + t.responses!, 0);
    if (small(remainder, k)) problems.push(`agency minus the shown teams: ${remainder} responses`);
  }
  ins.domains.forEach((domain, d) => {
    const shownTeams = results.teams.filter((t) => shows(t, d));
    for (const t of shownTeams) check(`team ${t.name}`, of([t.id]), d);
    if (!shows(results.agency, d)) return;
    check('agency', of(allTeams), d);
    const hidden = allTeams.filter((id) => !shownTeams.some((t) => t.id === id));
    check('agency minus the shown teams', of(hidden), d);
    // What the attacker computes from the published figures themselves.
    const minus = (pick: (g: PublishedGroup) => number) => pick(results.agency) - shownTeams.reduce((s, t) => s + pick(t), 0);
    const respondents = minus((g) => g.domains![d].respondents!);
    if (small(respondents, k)) problems.push(`published agency minus teams, ${domain.id}: ${respondents} respondents`);
  });
  return problems;
}
