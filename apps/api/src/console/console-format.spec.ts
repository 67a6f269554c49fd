import { duration, isoToLocal, linesOf, listOf, localToIso } from './console-format';
import { placeFindings, segment } from './console-findings';
import { safeNext } from './console.filter';

describe('console form helpers', () => {
  it('reads a datetime-local value as wall-clock time in the agency zone, both sides of a DST change', () => {
    expect(localToIso('2026-03-06T17:00', 'America/New_York')).toBe('2026-03-06T22:00:00.000Z');
    expect(localToIso('2026-07-06T17:00', 'America/New_York')).toBe('2026-07-06T21:00:00.000Z');
    expect(localToIso('2026-07-06T17:00', 'America/Phoenix')).toBe('2026-07-07T00:00:00.000Z');
    expect(localToIso('', 'UTC')).toBeUndefined();
    expect(localToIso('tomorrow', 'UTC')).toBeNull();
    expect(isoToLocal('2026-03-06T22:00:00.000Z', 'America/New_York')).toBe('2026-03-06T17:00');
  });

  it('formats durations and splits lists', () => {
    expect([duration(45), duration(5400), duration(3600 * 30), duration(null)]).toEqual(['45 s', '1 h 30 min', '30 h', '–']);
    expect(duration(86400 * 3 + 7200)).toBe('3 d 2 h');
    expect(linesOf(' a \r\n\r\n b ')).toEqual(['a', 'b']);
    expect(listOf('39, 39049\nCherokee Nation')).toEqual(['39', '39049', 'Cherokee Nation']);
  });
});

describe('de-identification findings in place', () => {
  it('marks each finding in its field, including one line of the required actions', () => {
    const { fields, list } = placeFindings(
      [
        { field: 'body', start: 10, end: 20, text: 'Jane Smith', kind: 'personal_name', reason: 'a name' },
        { field: 'requiredActions[1]', start: 5, end: 15, text: '614-555-01', kind: 'phone', reason: 'a phone' },
        { field: 'summary', start: 99, end: 120, text: 'not there', kind: 'x', reason: '' },
      ],
      { body: 'Reviewed: Jane Smith, age 2', requiredActions: ['Check homes', 'Call 614-555-01 now'], summary: 'Short' },
    );
    expect(list.map((f) => [f.n, f.label])).toEqual([[1, 'Body'], [2, 'Required actions'], [3, 'Summary']]);
    const body = fields.find((f) => f.field === 'body')!;
    expect(body.segments).toEqual([
      { text: 'Reviewed: ', mark: false },
      { text: 'Jane Smith', mark: true, n: 1, kind: 'personal_name', reason: 'a name' },
      { text: ', age 2', mark: false },
    ]);
    const actions = fields.find((f) => f.field === 'requiredActions')!;
    expect(actions.segments.filter((s) => s.mark).map((s) => s.text)).toEqual(['614-555-01']);
    expect(fields.find((f) => f.field === 'summary')).toBeUndefined();
  });

  it('falls back to the finding text when the offsets no longer fit, and never overlaps marks', () => {
    const { fields } = placeFindings([{ field: 'title', start: 0, end: 4, text: 'Ava', kind: 'personal_name', reason: '' }], { title: 'Missing: Ava' });
    expect(fields[0].segments.map((s) => (s.mark ? `[${s.text}]` : s.text)).join('')).toBe('Missing: [Ava]');
    const overlapping = segment('abcdef', [
      { start: 0, end: 4, n: 1, kind: 'k', reason: '' },
      { start: 2, end: 5, n: 2, kind: 'k', reason: '' },
    ]);
    expect(overlapping.map((s) => s.text)).toEqual(['abcd', 'ef']);
  });
});

describe('where sign-in sends you next', () => {
  it('only ever to a console page on this site', () => {
    expect(safeNext('/console/notices?status=published')).toBe('/console/notices?status=published');
    expect(safeNext('/console')).toBe('/console');
    for (const bad of ['https://evil.example/console', '//evil.example/console', '/consolex', '/console/../api/v1/audit', '/console/%2E%2E/x', '/console\\@evil', '/console/sign-in', '/api/v1/notices', 42]) {
      expect(safeNext(bad)).toBeUndefined();
    }
  });
});
