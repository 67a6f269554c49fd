/**
 * What a wave's results may show: scores (scoring.ts) per team and for the agency, with small
 * groups suppressed so that no published figure, nor any difference of published figures, is
 * built from fewer than k people's answers.
 *
 * Counts (count-suppression.ts): a team with 0 < responses < k shows nothing and is rolled into the
 * agency; a second team is hidden with it, and more until the hidden teams hold 0 or ≥ k
 * responses together; an agency under k shows nothing at all.
 * Domains (domain-suppression.ts): a domain's figures are built from the people who answered its
 * items, not from the responses, so the same test is made per domain on each item's answerers:
 * for the agency, every team shown for the domain, and the hidden remainder (agency minus the
 * shown teams). A team failing it hides that domain; the remainder failing it hides one more team
 * in that domain; a unanimous remainder withholds the agency's domain (rule 4).
 * A team with no responses publishes 0 responses and no scores (a 0 is a fact, not a person).
 */
import { CultureInstrument } from './culture-instrument';
import { suppressTeamCounts } from './count-suppression';
import { suppressDomains } from './domain-suppression';
import { DomainScore, GroupScore, scoreGroup, SurveyResponseInput } from './scoring';

export interface SurveyTeamInput {
  id: string;
  name: string;
  expectedHeadcount: number;
}

export type SuppressionReason = 'too-few' | 'complementary';

/** A domain's scores as shown; when `withheld` (domain-suppression.ts: too few answerers to an item here or in the hidden remainder, or a unanimous remainder) every figure is null. */
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

  const counts = suppressTeamCounts(teams.map((t) => ({ id: t.id, responses: byTeam.get(t.id)!.length })), k);
  const domains = suppressDomains(instrument, teams.map((t) => t.id), byTeam, rawTeams, counts, k);

  const group = (id: string, name: string, raw: GroupScore, isHidden: boolean, reason: SuppressionReason | null, shownIn: (i: number) => boolean): PublishedGroup => ({
    id,
    name,
    expected: raw.expected,
    responses: isHidden ? null : raw.responses,
    responseRate: isHidden ? null : raw.responseRate,
    suppressed: isHidden ? reason : null,
    domains: isHidden || raw.responses === 0 ? null : raw.domains.map((d, i) => (shownIn(i) ? { ...d } : withheld(d))),
  });
  const teamGroups = teams.map((t) =>
    group(t.id, t.name, rawTeams.get(t.id)!, counts.hidden.has(t.id), counts.primary.has(t.id) ? 'too-few' : 'complementary', (i) => !domains[i].hiddenTeams.has(t.id)),
  );
  const agency = group(AGENCY, 'Agency', rawAgency, counts.agencyHidden, 'too-few', (i) => !domains[i].agencyWithheld);
  return {
    k,
    agency,
    teams: teamGroups,
    combined: { teams: counts.hidden.size, responses: counts.agencyHidden ? null : counts.combinedResponses },
    raw: { agency: rawAgency, teams: rawTeams },
  };
}

function withheld(d: DomainScore): PublishedDomain {
  return { domainId: d.domainId, title: d.title, respondents: null, answers: null, positives: null, percentPositive: null, mean: null, distribution: null, withheld: true };
}
