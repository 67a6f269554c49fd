import { baselineDomain, baselineInstrument, baselineItem, currentInstrument, instrument, instrumentVersions, itemsOf, ratingProblems } from './instrument';

describe('the review instrument files', () => {
  it.each(instrumentVersions())('version %s is well formed: unique ids, a 0–3 anchored scale, 3–5 items per domain', (v) => {
    const ins = instrument(v)!;
    expect(ins.scale.map((s) => s.value)).toEqual([0, 1, 2, 3]);
    for (const s of ins.scale) expect(s.definition.length).toBeGreaterThan(10);
    const ids = ins.domains.flatMap((d) => d.items.map((i) => i.id));
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ins.domains.map((d) => d.id)).size).toBe(ins.domains.length);
    for (const d of ins.domains) expect(d.items.length).toBeGreaterThanOrEqual(3);
  });

  it.each(instrumentVersions().slice(1))('every item of version %s maps to a baseline item of the same domain', (v) => {
    const base = itemsOf(baselineInstrument().version);
    for (const [id, { item, domain }] of itemsOf(v)) {
      expect(item.mapsTo).toBeDefined();
      expect(base.get(item.mapsTo!)?.domain.id).toBe(domain.id);
      expect(baselineItem(v, id)).toBe(item.mapsTo);
    }
  });

  it('every baseline item is continued by the current version, so no trend line just stops', () => {
    const continued = new Set([...itemsOf(currentInstrument().version).values()].map(({ item }) => item.mapsTo ?? item.id));
    for (const id of itemsOf(baselineInstrument().version).keys()) expect(continued.has(id)).toBe(true);
  });

  it('maps a split item of version 2 back to the one it came from', () => {
    expect(baselineItem('2', 'cp.vacancies')).toBe('cp.turnover');
    expect(baselineDomain('2', 'cp.vacancies')).toBe('caseworker-personnel');
    expect(baselineItem('1', 'cp.vacancies')).toBeUndefined();
  });

  it('checks ratings: unknown items, out-of-range and fractional values, completeness', () => {
    expect(ratingProblems('2', { 'cp.workload': 2, 'su.availability': 0 })).toEqual([]);
    expect(ratingProblems('2', { 'cp.workload': 4 })).toHaveLength(1);
    expect(ratingProblems('2', { 'cp.workload': 1.5 })).toHaveLength(1);
    expect(ratingProblems('2', { 'cp.workload': '2' })).toHaveLength(1);
    expect(ratingProblems('1', { 'cp.vacancies': 1 })).toHaveLength(1);
    expect(ratingProblems('9', {})).toHaveLength(1);
    expect(ratingProblems('2', { 'cp.workload': 2 }, true).length).toBe(itemsOf('2').size - 1);
  });
});
