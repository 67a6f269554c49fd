/**
 * Which teams' response counts may be shown, for a wave's results and for its closed wave list
 * alike (the two must agree, or one would give back what the other hides).
 *
 * 1. A team with 0 < responses < k is hidden (primary). Its responses still count in the agency's.
 * 2. Complementary suppression on the counts (aggregates/suppress, the agency total as the
 *    equation): if one team is hidden, a second one is, so agency − the others cannot give it back.
 * 3. The hidden teams together ("other teams combined") hold 0 or at least k responses; otherwise
 *    the next smallest team is hidden too. Agency minus the shown teams is then a group of 0 or at
 *    least k people, like any shown team.
 * 5. An agency with fewer than k responses shows no count at all (and so none of its teams).
 * A team with no responses shows 0 (a 0 is a fact, not a person).
 */
import { suppress } from '../aggregates/suppression';

export interface TeamCount {
  id: string;
  responses: number;
}

export interface CountSuppression {
  /** Teams whose count (and every figure) is hidden. */
  hidden: Set<string>;
  /** Of those, the ones hidden for having 0 < responses < k (rule 1); the others are complementary. */
  primary: Set<string>;
  /** Rule 5: the agency's own count is below k. */
  agencyHidden: boolean;
  /** Responses of the hidden teams together: 0 or at least k unless the agency is hidden. */
  combinedResponses: number;
}

const AGENCY = '__agency__';

export function suppressTeamCounts(teams: TeamCount[], k: number): CountSuppression {
  const count = new Map(teams.map((t) => [t.id, t.responses]));
  const total = teams.reduce((s, t) => s + t.responses, 0);
  const { published, primary } = suppress({
    cells: [{ id: AGENCY, value: total }, ...teams.map((t) => ({ id: t.id, value: t.responses }))],
    equations: teams.length ? [{ total: AGENCY, parts: teams.map((t) => t.id) }] : [],
    k,
  });
  const hidden = new Set(teams.filter((t) => published.get(t.id) === null).map((t) => t.id));
  const agencyHidden = published.get(AGENCY) === null;
  if (agencyHidden) for (const t of teams) if (t.responses > 0) hidden.add(t.id);
  // Rule 3: the combined remainder holds 0 or at least k responses.
  const remainder = () => [...hidden].reduce((s, id) => s + count.get(id)!, 0);
  while (remainder() > 0 && remainder() < k) {
    const next = teams.filter((t) => !hidden.has(t.id) && t.responses > 0).sort((a, b) => a.responses - b.responses || (a.id < b.id ? -1 : 1))[0];
    if (!next) break; // every team with answers is hidden: then the agency itself is < k and hidden (rule 5)
    hidden.add(next.id);
  }
  return { hidden, primary: new Set([...primary].filter((id) => id !== AGENCY)), agencyHidden, combinedResponses: remainder() };
}
