import { describeChanges, diffNotices } from './notice-diff';

describe('notice diff', () => {
  const before = { title: 'Recall', summary: 'Old', bodyMarkdown: 'Line one\nLine two\nLine three', severity: 'high', requiredActions: ['Check homes'], acknowledgeBy: new Date('2026-12-01T00:00:00Z') };

  it('lists exactly the fields that changed, with line changes for long text', () => {
    const after = { ...before, severity: 'critical', bodyMarkdown: 'Line one\nLine 2 corrected\nLine three', requiredActions: ['Check homes', 'Tell families'] };
    const changes = diffNotices(before, after);
    expect(changes.map((c) => c.field)).toEqual(['Body', 'Severity', 'Required actions']);
    expect(changes[0].lines).toEqual(['- Line two', '+ Line 2 corrected']);
    expect(changes[1]).toMatchObject({ before: 'high', after: 'critical' });
    expect(changes[2].lines).toEqual(['+ Tell families']);
    expect(describeChanges(changes)).toContain('Severity: "high" → "critical"');
  });

  it('finds nothing when nothing changed', () => {
    expect(diffNotices(before, { ...before })).toEqual([]);
  });
});
