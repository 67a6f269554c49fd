import { hasRole, Principal } from '../common/principal';
import { SurveyWaveResponse, SurveyWaveSummaryResponse } from './surveys.dto';

/**
 * What a supervisor sees in the list of the agency's waves (README, "Team safety-culture
 * surveys"): enough to find a wave and open its results, nothing of how it is run. Running a wave
 * is the agency admin's: the address lists, invitations, reminders and each team's progress
 * while it runs tell them whom to chase, and a supervisor reading per-team progress day after day
 * would learn what the results hide. The wave's own figures stay: its total follows the same rule
 * (null below SURVEY_MIN_RESPONSES). Once closed, the teams' counts are in the results.
 *
 * A list of the fields a supervisor gets, not of those taken away: a field added to the admin's
 * view later stays the admin's until someone decides otherwise here.
 */
export function waveSummary(w: SurveyWaveResponse): SurveyWaveSummaryResponse {
  const { id, title, instrumentVersion, opensOn, closesOn, status, acceptingResponses, closedAt, minResponses, responses, expectedHeadcount, responseRate } = w;
  return { id, title, instrumentVersion, opensOn, closesOn, status, acceptingResponses, closedAt, minResponses, responses, expectedHeadcount, responseRate };
}

/** Whether the caller runs the agency's waves (and sees them in full), or only reads their results. */
export const runsSurveys = (p: Principal) => hasRole(p, 'agency_admin');
