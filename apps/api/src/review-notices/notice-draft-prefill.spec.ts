import { clip, draftFromReview, draftProblems, firstSentence, suggestedTopics } from './notice-draft-prefill';

const review = {
  reference: 'R-2026-0007',
  agencyName: 'Ohio DCY',
  findings: [
    { position: 1, text: 'No checklist item on sleep. Workers relied on memory.', domainTitle: 'Tools and resources' },
    { position: 2, text: 'Supervisors lacked a list of infants.\nIt was built by hand.', domainTitle: null },
  ],
  recommendations: [
    { id: 'r1', position: 1, text: ' Add a sleep item to the checklist ' },
    { id: 'r3', position: 3, text: 'Give supervisors a weekly list' },
  ],
};

describe('a notice draft from a review', () => {
  it('proposes the title and summary from the findings and quotes them in the body', () => {
    const { dto, links } = draftFromReview(review, { topics: ['safe-sleep'] });
    expect(dto.title).toBe('No checklist item on sleep.');
    expect(dto.summary).toBe('Critical incident review R-2026-0007 found 2 systemic findings: No checklist item on sleep. Supervisors lacked a list of infants.');
    expect(dto.body).toContain('1. No checklist item on sleep. Workers relied on memory. *(Tools and resources)*');
    expect(dto.body).toContain('2. Supervisors lacked a list of infants.\n   It was built by hand.');
    expect(dto.body).toContain('## What to do');
    expect(dto.requiredActions).toEqual(['Add a sleep item to the checklist', 'Give supervisors a weekly list']);
    expect(dto).toMatchObject({ category: 'alert', severity: 'high', incidentReference: 'R-2026-0007', topics: ['safe-sleep'] });
    expect(links).toEqual([
      { actionIndex: 0, recommendationId: 'r1', text: 'Add a sleep item to the checklist' },
      { actionIndex: 1, recommendationId: 'r3', text: 'Give supervisors a weekly list' },
    ]);
  });

  it('without recommendations it is an advisory with no required action', () => {
    const { dto } = draftFromReview({ ...review, recommendations: [] }, { topics: ['x'], severity: 'low' });
    expect(dto).toMatchObject({ category: 'advisory', severity: 'low', requiredActions: [] });
  });

  it('without findings the title names the review', () => {
    expect(draftFromReview({ ...review, findings: [] }, { topics: ['x'] }).dto.title).toBe('Lessons from critical incident review R-2026-0007');
  });

  it('refuses what a notice cannot carry: too many or too long recommendations', () => {
    const many = Array.from({ length: 21 }, (_, i) => ({ id: `r${i}`, position: i + 1, text: 'x' }));
    const long = [{ id: 'r', position: 4, text: 'y'.repeat(1001) }];
    expect(draftProblems({ ...review, recommendations: many }, draftFromReview({ ...review, recommendations: many }, { topics: ['x'] }))[0]).toMatch(/at most 20/);
    expect(draftProblems({ ...review, recommendations: long }, draftFromReview({ ...review, recommendations: long }, { topics: ['x'] }))).toEqual([
      'recommendation 4 is longer than 1000 characters, the most a required action may have',
    ]);
    expect(draftProblems(review, draftFromReview(review, { topics: ['x'] }))).toEqual([]);
  });

  it('clips at a word boundary and finds the first sentence', () => {
    expect(clip('one two three four', 10)).toBe('one two…');
    expect(clip('short', 10)).toBe('short');
    expect(firstSentence('First one. Second.')).toBe('First one.');
    expect(firstSentence('No stop here\nnext line')).toBe('No stop here');
  });

  it("suggests the catalogue's topics that fit the circumstances", () => {
    const catalogue = ['intake.screening', 'safe-sleep', 'substance-exposure.fentanyl', 'substance-exposure.xylazine'];
    expect(suggestedTopics(['unsafe_sleep'], catalogue)).toEqual(['safe-sleep']);
    expect(suggestedTopics(['substance_exposure', 'other'], catalogue)).toEqual(['substance-exposure.fentanyl', 'substance-exposure.xylazine']);
    expect(suggestedTopics(['drowning'], catalogue)).toEqual([]);
  });
});
