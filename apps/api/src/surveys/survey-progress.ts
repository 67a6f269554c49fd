import { suppressTeamCounts } from '@sne/core';

/**
 * The response counts a wave's list and page may show (README, "Survey anonymity"). A count below
 * k is a group below k: the results hide such a team's count and roll it into "other teams
 * combined", so the list must not show it either, nor a set of counts it could be subtracted from.
 *
 * While a wave runs, the owner needs to know whether to send a reminder and which teams will not
 * show on their own yet: the agency's total (once it reaches k) and, per team, only whether it has
 * reached k. No team's count: read every day, counts that change would show which team each new
 * answer came from and, with the total, the small teams' counts.
 * Once closed, nothing changes any more: the counts the results show, suppressed by the same rule
 * (count-suppression.ts), so the list gives back nothing the results hide.
 */
export interface TeamProgress {
  /** null while the wave runs, and for a team the results hide. */
  responses: number | null;
  responseRate: number | null;
  /** Whether the team has k responses or more: its results can be shown on their own. */
  reachedMinimum: boolean;
  /** Closed waves: why the count is hidden, as in the results. */
  suppressed: 'too-few' | 'complementary' | null;
}

export interface WaveProgress {
  /** The agency's total; null below k. */
  responses: number | null;
  expected: number;
  responseRate: number | null;
  teams: Map<string, TeamProgress>;
}

const rate = (responses: number, expected: number) => (expected > 0 ? Math.round((responses / expected) * 1000) / 1000 : 0);

export function publishedProgress(teams: Array<{ id: string; responses: number; expected: number }>, closed: boolean, k: number): WaveProgress {
  const total = teams.reduce((s, t) => s + t.responses, 0);
  const expected = teams.reduce((s, t) => s + t.expected, 0);
  const counts = closed ? suppressTeamCounts(teams, k) : undefined;
  const shown = (t: { id: string }) => !!counts && !counts.hidden.has(t.id);
  return {
    responses: total >= k ? total : null,
    expected,
    responseRate: total >= k ? rate(total, expected) : null,
    teams: new Map(
      teams.map((t) => [
        t.id,
        {
          responses: shown(t) ? t.responses : null,
          responseRate: shown(t) ? rate(t.responses, t.expected) : null,
          reachedMinimum: t.responses >= k,
          suppressed: counts?.hidden.has(t.id) ? (counts.primary.has(t.id) ? 'too-few' : 'complementary') : null,
        },
      ]),
    ),
  };
}
