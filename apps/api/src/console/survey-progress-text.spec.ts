import { waveProgressText } from './survey-progress-text';
import type { SurveyWaveSummaryResponse } from '../surveys/surveys.dto';

describe("a wave's progress in words", () => {
  const wave = (over: Partial<SurveyWaveSummaryResponse>) => ({ responses: null, responseRate: null, minResponses: 5, expectedHeadcount: 40, status: 'open', ...over }) as SurveyWaveSummaryResponse;

  it('says "so far" only while the wave takes answers, and never a count below k', () => {
    expect(waveProgressText(wave({}))).toBe('fewer than 5 responses so far, of 40 expected');
    expect(waveProgressText(wave({ status: 'closed' }))).toBe('fewer than 5 responses, of 40 expected');
    expect(waveProgressText(wave({ responses: 12, responseRate: 0.3 }))).toBe('12 responses of 40 expected (30%)');
  });
});
