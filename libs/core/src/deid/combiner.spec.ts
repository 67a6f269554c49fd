import { combineCandidates, MAX_SPAN } from './combiner';
import { candidate } from './detector';

describe('combineCandidates', () => {
  const text = 'Harmon_J_autopsy.pdf and Jayden Ruiz and 614-555-0182';

  it('merges overlapping candidates of one kind into one span, keeping the stronger reason', () => {
    const out = combineCandidates('body', text, [candidate('personal_name', 25, 31, 'weak', 2), candidate('personal_name', 25, 36, 'strong', 4)]);
    expect(out).toEqual([{ field: 'body', start: 25, end: 36, text: 'Jayden Ruiz', kind: 'personal_name', reason: 'strong' }]);
  });

  it('keeps the higher-priority kind where kinds overlap, whichever comes first', () => {
    const name = candidate('personal_name', 0, 6, 'name');
    const file = candidate('file_name', 0, 20, 'file');
    for (const order of [[name, file], [file, name]]) {
      expect(combineCandidates('body', text, order).map((f) => [f.kind, f.text])).toEqual([['file_name', 'Harmon_J_autopsy.pdf']]);
    }
  });

  it('keeps findings that do not overlap, in order of position', () => {
    const out = combineCandidates('title', text, [candidate('phone', 41, 53, 'p'), candidate('personal_name', 25, 36, 'n')]);
    expect(out.map((f) => [f.field, f.kind, f.text])).toEqual([
      ['title', 'personal_name', 'Jayden Ruiz'],
      ['title', 'phone', '614-555-0182'],
    ]);
  });

  it('drops empty spans and spans longer than any detector makes', () => {
    const long = 'x'.repeat(MAX_SPAN + 10);
    expect(combineCandidates('body', long, [candidate('quasi_identifier', 0, MAX_SPAN + 5, 'too long'), candidate('email', 3, 3, 'empty')])).toEqual([]);
  });

  it('keeps both findings when findings of different kinds only partly overlap', () => {
    const t = 'the only girl on the Eastside team, @uncle_t_2k wrote';
    const out = combineCandidates('body', t, [candidate('quasi_identifier', 0, 40, 'q'), candidate('social_handle', 36, 47, 'h')]);
    expect(out.map((f) => f.kind)).toEqual(['quasi_identifier', 'social_handle']);
  });

  it('never lets a quasi-identifier hide the identifiers inside it', () => {
    const t = 'at 3 a.m. on December 1, 2025 near Highway 30';
    const out = combineCandidates('body', t, [candidate('quasi_identifier', 0, t.length, 'q'), candidate('exact_age_date', 13, 29, 'd')]);
    expect(out.map((f) => [f.kind, f.text])).toEqual([
      ['quasi_identifier', t],
      ['exact_age_date', 'December 1, 2025'],
    ]);
  });
});
