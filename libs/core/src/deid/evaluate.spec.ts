import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeidFinding } from './deid-scanner';
import { DeidLabelledItem, evaluateItems, evaluateSet, halves, labelledOccurrences, labelledSetPaths, loadLabelledSet, validateLabelledSet } from './evaluate';
import { formatMisses, formatPerKind, formatSummary } from './report';

const item = (id: string, text: string, spans: Array<[string, string]> = [], field?: DeidLabelledItem['field']): DeidLabelledItem => ({
  id,
  identifying: spans.length > 0,
  kinds: [...new Set(spans.map(([k]) => k))] as DeidLabelledItem['kinds'],
  spans: spans.map(([kind, text]) => ({ kind, text })) as DeidLabelledItem['spans'],
  field,
  text,
});

/** A stand-in scanner: finds every "Ana" as a name, in whichever field it is given. */
const fake = (fields: Record<string, string>): DeidFinding[] =>
  Object.entries(fields).flatMap(([field, text]) => labelledOccurrences(text, 'Ana').map((start) => ({ field, start, end: start + 3, text: 'Ana', kind: 'personal_name' as const, reason: 'test' })));

describe('evaluation harness', () => {
  const items = [
    item('i1', 'Ana and Ana again', [['personal_name', 'Ana']]),
    item('i2', 'Call 614-555-0182', [['phone', '614-555-0182']]),
    item('i3', 'Ana was born 2020', [['date_of_birth', '2020']], 'requiredAction'),
    item('c1', 'Ana Lake is a place'),
    item('c2', 'Nothing here'),
  ];

  it('counts text-level recall and precision, and every occurrence of a labelled span for per-kind recall', () => {
    const e = evaluateItems(items, 'x', fake);
    expect([e.identifyingTexts, e.cleanTexts, e.truePositives, e.flaggedTexts]).toEqual([3, 2, 2, 3]);
    expect(e.recall).toBeCloseTo(2 / 3);
    expect(e.precision).toBeCloseTo(2 / 3);
    expect(e.falseNegatives).toEqual(['i2']);
    expect(e.falsePositives).toEqual(['c1']);
    const name = e.perKind.find((k) => k.kind === 'personal_name')!;
    expect([name.spans, name.found, name.findings, name.correctFindings, name.findingsInCleanTexts]).toEqual([2, 2, 4, 2, 1]);
    // A finding of another kind does not count for the labelled kind.
    expect(e.perKind.find((k) => k.kind === 'date_of_birth')).toMatchObject({ spans: 1, found: 0, recall: 0 });
    expect(e.missedSpans.map((m) => m.id)).toEqual(['i2', 'i3']);
  });

  it('scans each text as the field it names', () => {
    const seen: string[] = [];
    evaluateItems(items, 'x', (fields) => {
      seen.push(...Object.keys(fields));
      return [];
    });
    expect(seen).toEqual(['body', 'body', 'requiredActions[0]', 'body', 'body']);
  });

  it('splits a set into two halves alternating within identifying and within clean texts', () => {
    const [a, b] = halves(items);
    expect(a.map((i) => i.id)).toEqual(['i1', 'i3', 'c1']);
    expect(b.map((i) => i.id)).toEqual(['i2', 'c2']);
  });

  it('reports the whole set, then its dev/test splits or its halves', () => {
    const many = Array.from({ length: 20 }, (_, k) => item(`x${k}`, k % 2 ? 'Ana' : 'none', k % 2 ? [['personal_name', 'Ana']] : []));
    expect(evaluateSet({ name: 's', version: 1, items: many }, fake).map((e) => e.label)).toEqual(['s: all', 's: half A', 's: half B']);
    const split = many.map((i, k) => ({ ...i, split: (k < 10 ? 'dev' : 'test') as 'dev' | 'test' }));
    expect(evaluateSet({ name: 's', version: 1, items: split }, fake).map((e) => e.label)).toEqual(['s: all', 's: dev split', 's: test split']);
  });

  it('refuses a malformed set: unknown kinds, spans not in their text, duplicate ids, kinds that do not match the spans', () => {
    const bad = { name: 'b', version: 1, items: [item('a', 'text', [['nickname', 'text']]), item('a', 'text', [['phone', 'absent']]), { ...item('c', 'x'), kinds: ['phone'] } as DeidLabelledItem] };
    const problems = validateLabelledSet(bad as never);
    expect(problems.join('\n')).toMatch(/unknown kind nickname/);
    expect(problems.join('\n')).toMatch(/'absent' not found/);
    expect(problems.join('\n')).toMatch(/duplicate id/);
    expect(problems.join('\n')).toMatch(/kinds do not match/);
  });

  it('loads any labelled set file in the format, and lists every set in a folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'deid-sets-'));
    const set = { name: 'heldout-like', version: 1, items: [{ id: 'h1', identifying: true, kinds: ['personal_name'], spans: [{ kind: 'personal_name', text: 'Ana' }], field: 'summary', note: 'n', text: 'Ana fell.' }] };
    writeFileSync(join(dir, 'b.json'), JSON.stringify(set));
    writeFileSync(join(dir, 'a.json'), JSON.stringify({ ...set, name: 'a' }));
    writeFileSync(join(dir, 'notes.txt'), 'not a set');
    expect(labelledSetPaths(dir).map((p) => p.slice(dir.length + 1))).toEqual(['a.json', 'b.json']);
    expect(loadLabelledSet(join(dir, 'b.json')).items[0].field).toBe('summary');
    writeFileSync(join(dir, 'c.json'), JSON.stringify({ ...set, items: [{ ...set.items[0], text: 'nobody' }] }));
    expect(() => loadLabelledSet(join(dir, 'c.json'))).toThrow(/not found in its text/);
    // Writers from the brief call the list of actions by the notice's own name for it.
    writeFileSync(join(dir, 'd.json'), JSON.stringify({ ...set, items: [{ ...set.items[0], field: 'requiredActions' }] }));
    expect(loadLabelledSet(join(dir, 'd.json')).items[0].field).toBe('requiredAction');
    writeFileSync(join(dir, 'e.json'), JSON.stringify({ ...set, items: [{ ...set.items[0], field: 'footer' }] }));
    expect(() => loadLabelledSet(join(dir, 'e.json'))).toThrow(/unknown field footer/);
  });

  it('formats the summary, the per-kind table and the misses', () => {
    const e = evaluateItems(items, 'x', fake);
    expect(formatSummary([e])).toMatch(/x\s+5\s+3\s+2\s+3\s+2\s+1\s+1\s+66\.7%\s+66\.7%/);
    expect(formatPerKind(e)).toMatch(/personal_name\s+recall 100\.0%\s+2\/2\s+precision\s+50\.0%\s+2\/4\s+in clean\s+1/);
    expect(formatMisses(e)).toMatch(/i2\s+phone/);
  });
});
