import { versionHistory, wordDiff } from './notice-history';

describe('notice version history', () => {
  it('marks the words that changed, not whole fields', () => {
    const [title] = wordDiff({ title: 'Recall of the blue infant sleeper' }, { title: 'Recall of the green infant sleeper' });
    expect(title.label).toBe('Title');
    expect(title.parts.filter((p) => p.change !== 'same').map((p) => [p.change, p.text.trim()])).toEqual([
      ['removed', 'blue'],
      ['added', 'green'],
    ]);
    expect(title.parts.map((p) => p.text).join('')).toContain('Recall of the ');
  });

  it('lists each version with what it changed against the one before, the first against the notice it updates', () => {
    const at = new Date('2026-12-01T10:00:00Z');
    const history = versionHistory(
      [
        { version: 2, savedAt: at, savedBy: 'u', contentHash: 'h2', content: { title: 'B', summary: 'same', topics: ['x', 'y'] } },
        { version: 1, savedAt: at, savedBy: 'u', contentHash: 'h1', content: { title: 'A', summary: 'same', topics: ['x'] } },
      ],
      { title: 'A', summary: 'old' },
    );
    expect(history.map((h) => h.version)).toEqual([1, 2]);
    expect(history[0].changes.map((c) => c.field)).toEqual(['summary', 'topics']);
    expect(history[1].changes.map((c) => c.field)).toEqual(['title', 'topics']);
    expect(versionHistory([{ version: 1, savedAt: at, savedBy: null, contentHash: 'h', content: { title: 'A' } }])[0].changes).toEqual([]);
  });
});
