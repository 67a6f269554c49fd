import type { SurveyTeamResponse, SurveyWaveSummaryResponse } from '../surveys/surveys.dto';

/** The console's words for the counts the wave list publishes (surveys/survey-progress.ts): never a count below k. */
export function waveProgressText(w: SurveyWaveSummaryResponse): string {
  return w.responses === null
    ? `fewer than ${w.minResponses} responses${w.status === 'closed' ? '' : ' so far'}, of ${w.expectedHeadcount} expected`
    : `${w.responses} responses of ${w.expectedHeadcount} expected (${Math.round(w.responseRate! * 100)}%)`;
}

export function teamProgressText(t: SurveyTeamResponse, k: number, closed: boolean): string {
  if (t.responses !== null) return `${t.responses} (${Math.round(t.responseRate! * 100)}%)`;
  if (!closed) return t.reachedMinimum ? `${k} or more: enough to be shown` : `fewer than ${k} so far: not shown on its own yet`;
  return t.suppressed === 'too-few' ? `fewer than ${k}: combined with other teams` : 'hidden with a smaller team, so that its count cannot be worked out';
}
