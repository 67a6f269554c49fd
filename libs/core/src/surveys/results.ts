/**
 * What a wave's results may show: scores (scoring.ts) per team and for the agency, with small
 * groups suppressed so that no published figure gives a small team's answers back.
 *
 * 1. A team with 0 < responses < k shows no figure (primary). Its responses still count in the
 *    agency's figures: it is rolled up into the level above.
 * 2. Complementary suppression on the response counts (aggregates/suppress, the agency total as the
 *    equation): if one team is suppressed, a second one is, so agency − the others cannot give it back.
 * 3. Stronger than the engine's guarantee: the suppressed teams together ("other teams combined")
 *    must hold 0 or at least k responses; otherwise the next smallest team is suppressed too. The
 *    agency minus the published teams is then a group of at least k people, like any published team.
 * 4. Per domain, the agency's figures are withheld when the combined remainder would be unanimous
 *    (no positive answer, or only positive answers, or no answer at all): each small team's numerator would follow.
 * 5. An agency with fewer than k responses shows nothing at all (and so none of its teams).
 * A team with no responses publishes 0 responses and no scores (a 0 is a fact, not a person).
 */
import { suppress } from '../aggregates/suppression';
import { CultureInstrument } from './culture-instrument';
import { DomainScore, GroupScore, scoreGroup, SurveyResponseInput } from './scoring';

export interface SurveyTeamInput {
  id: string;
  name: string;
  expectedHeadcount: number;
}

export type SuppressionReason = 'too-few' | 'complementary';

/** A domain's scores as shown; when `withheld` (rule 4) every figure is null. */
export type PublishedDomain = { [K in keyof DomainScore]: K extends 'domainId' | 'title' ? DomainScore[K] : DomainScore[K] | null } & { withheld?: boolean };

export interface PublishedGroup {
  id: string;
  name: string;
  expected: number;
  /** null: suppressed. */
  responses: number | null;
  responseRate: number | null;
  suppressed: SuppressionReason | null;
  /** null when suppressed or without responses. */
  domains: PublishedDomain[] | null;
}

export interface WaveResults {
  k: number;
  agency: PublishedGroup;
  teams: PublishedGroup[];
  /** How many teams are rolled up ("other teams combined") and how many responses they hold together (null when that would tell too much). */
  combined: { teams: number; responses: number | null };
  /** Scores, unsuppressed: for the code that computes changes and decides on free text; never sent out as is. */
  raw: { agency: GroupScore; teams: Map<string, GroupScore> };
}

const AGENCY = '__agency__';

export function waveResults(instrument: CultureInstrument, teams: SurveyTeamInput[], responses: SurveyResponseInput[], k: number): WaveResults {
  const byTeam = new Map<string, SurveyResponseInput[]>(teams.map((t) => [t.id, []]));
  for (const r of responses) byTeam.get(r.teamId)?.push(r);
  const inTeams = responses.filter((r) => byTeam.has(r.teamId));
  const rawTeams = new Map(teams.map((t) => [t.id, scoreGroup(instrument, byTeam.get(t.id)!, t.expectedHeadcount)]));
  const rawAgency = scoreGroup(instrument, inTeams, teams.reduce((s, t) => s + t.expectedHeadcount, 0));

  const { published, primary } = suppress({
    cells: [{ id: AGENCY, value: inTeams.length }, ...teams.map((t) => ({ id: t.id, value: byTeam.get(t.id)!.length }))],
    equations: teams.length ? [{ total: AGENCY, parts: teams.map((t) => t.id) }] : [],
    k,
  });
  const hidden = new Set(teams.filter((t) => published.get(t.id) === null).map((t) => t.id));
  const agencyHidden = published.get(AGENCY) === null;
  if (agencyHidden) for (const t of teams) if (byTeam.get(t.id)!.length > 0) hidden.add(t.id);
  // Rule 3: the combined remainder holds 0 or at least k responses.
  const count = (id: string) => byTeam.get(id)!.length;
  const remainder = () => [...hidden].reduce((s, id) => s + count(id), 0);
  while (remainder() > 0 && remainder() < k) {
    const next = teams.filter((t) => !hidden.has(t.id) && count(t.id) > 0).sort((a, b) => count(a.id) - count(b.id) || (a.id < b.id ? -1 : 1))[0];
    if (!next) break; // every team with answers is hidden: then the agency itself is < k and hidden (rule 5)
    hidden.add(next.id);
  }

  const group = (id: string, name: string, raw: GroupScore, isHidden: boolean, reason: SuppressionReason | null): PublishedGroup => ({
    id,
    name,
    expected: raw.expected,
    responses: isHidden ? null : raw.responses,
    responseRate: isHidden ? null : raw.responseRate,
    suppressed: isHidden ? reason : null,
    domains: isHidden || raw.responses === 0 ? null : raw.domains.map((d) => ({ ...d })),
  });
  const teamGroups = teams.map((t) => group(t.id, t.name, rawTeams.get(t.id)!, hidden.has(t.id), primary.has(t.id) ? 'too-few' : 'complementary'));
  const agency = group(AGENCY, 'Agency', rawAgency, agencyHidden, 'too-few');
  if (agency.domains && hidden.size) {
    agency.domains = rawAgency.domains.map((d, i) => {
      let positives = d.positives;
      let answers = d.answers;
      for (const t of teamGroups) {
        const td = t.domains?.[i];
        if (td) {
          positives -= td.positives!;
          answers -= td.answers!;
        }
      }
      return positives === 0 || positives === answers ? withheld(d) : { ...d };
    });
  }
  const combinedResponses = remainder();
  return {
    k,
    agency,
    teams: teamGroups,
    combined: { teams: hidden.size, responses: agencyHidden ? null : combinedResponses },
    raw: { agency: rawAgency, teams: rawTeams },
  };
}

function withheld(d: DomainScore): PublishedDomain {
  return { domainId: d.domainId, title: d.title, respondents: null, answers: null, positives: null, percentPositive: null, mean: null, distribution: null, withheld: true };
}
