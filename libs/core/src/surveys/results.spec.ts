import fc from 'fast-check';
import { findLeaks } from '../aggregates/leak-checker.spec-helpers';
import { cultureInstrument } from './culture-instrument';
import { waveResults } from './results';
import { SurveyResponseInput } from './scoring';

const ins = cultureInstrument('1')!;
const items = ins.domains.flatMap((d) => d.items.map((i) => i.id));
const team = (id: string, expectedHeadcount = 20) => ({ id, name: `Team ${id}`, expectedHeadcount });
const all = (teamId: string, value: number, n: number): SurveyResponseInput[] =>
  Array.from({ length: n }, () => ({ teamId, answers: Object.fromEntries(items.map((i) => [i, value])) }));

describe('wave results: suppression of small teams', () => {
  it('publishes teams of k or more, rolls a small team into the agency and suppresses a second one', () => {
    const r = waveResults(ins, [team('a'), team('b'), team('c')], [...all('a', 4, 2), ...all('b', 2, 6), ...all('c', 5, 9)], 5);
    const by = Object.fromEntries(r.teams.map((t) => [t.id, t]));
    expect(by.a).toMatchObject({ responses: null, domains: null, suppressed: 'too-few' });
    expect(by.b).toMatchObject({ responses: null, domains: null, suppressed: 'complementary' });
    expect(by.c.responses).toBe(9);
    expect(by.c.responseRate).toBe(0.45);
    expect(r.agency.responses).toBe(17);
    expect(r.combined).toEqual({ teams: 2, responses: 8 });
    // The agency's figures include the small team's answers.
    expect(r.agency.domains!.every((d) => d.answers! > 0 && !d.withheld)).toBe(true);
  });

  it('suppresses more teams until the combined remainder holds at least k responses', () => {
    const r = waveResults(ins, [team('a'), team('b'), team('c'), team('d')], [...all('a', 4, 1), ...all('b', 2, 1), ...all('c', 5, 6), ...all('d', 1, 7)], 5);
    expect(r.teams.map((t) => t.responses)).toEqual([null, null, null, 7]);
    expect(r.combined.responses).toBe(8);
  });

  it('withholds an agency domain when the remainder would be unanimous (every small-team answer negative)', () => {
    const r = waveResults(ins, [team('a'), team('b'), team('c')], [...all('a', 3, 2), ...all('b', 3, 3), ...all('c', 5, 9)], 5);
    // a and b answer 3 (neutral; reversed items score 3 too): 0 positives in the remainder.
    expect(r.agency.domains!.every((d) => d.withheld && d.percentPositive === null && d.positives === null)).toBe(true);
  });

  it('shows nothing for an agency under k, and publishes empty teams as 0 without scores', () => {
    const r = waveResults(ins, [team('a'), team('b')], all('a', 4, 4), 5);
    expect(r.agency).toMatchObject({ responses: null, domains: null });
    expect(r.teams[0].responses).toBeNull();
    expect(r.teams[1]).toMatchObject({ responses: 0, domains: null, suppressed: null });
    expect(r.combined.responses).toBeNull();
    const one = waveResults(ins, [team('solo', 5)], all('solo', 4, 5), 5);
    expect(one.teams[0].responses).toBe(5);
    expect(one.agency.domains![0].percentPositive).toBe(0.75); // 3 of 4 items positive (the reversed item answered 4 scores 2)
  });

  const answers = fc.dictionary(fc.constantFrom(...items), fc.integer({ min: 1, max: 5 }), { minKeys: 0, maxKeys: items.length });
  const waves = fc.record({
    teams: fc.array(fc.array(answers, { maxLength: 9 }), { minLength: 1, maxLength: 6 }),
    k: fc.integer({ min: 2, max: 6 }),
  });

  it('property: no published figure lets a suppressed team’s response count or domain numerators be recomputed', () => {
    fc.assert(
      fc.property(waves, ({ teams: teamAnswers, k }) => {
        const teams = teamAnswers.map((_, i) => team(`t${i}`));
        const responses = teamAnswers.flatMap((rs, i) => rs.map((a) => ({ teamId: `t${i}`, answers: a })));
        const r = waveResults(ins, teams, responses, k);
        // Every table an attacker sees: responses, and per domain positives and answers; agency = Σ teams.
        const cells: Array<{ id: string; value: number }> = [];
        const equations: Array<{ total: string; parts: string[] }> = [];
        const published = new Map<string, number | null>();
        const primary: string[] = [];
        const add = (figure: string, value: (g: 'agency' | number) => number, shown: (g: 'agency' | number) => number | null) => {
          for (const g of ['agency', ...teams.map((_, i) => i)] as const) {
            const id = `${figure}:${g}`;
            cells.push({ id, value: value(g) });
            published.set(id, shown(g));
            if (g !== 'agency' && r.teams[g].suppressed && (figure !== 'n' || value(g) > 0)) primary.push(id);
          }
          equations.push({ total: `${figure}:agency`, parts: teams.map((_, i) => `${figure}:${i}`) });
        };
        const raw = (g: 'agency' | number) => (g === 'agency' ? r.raw.agency : r.raw.teams.get(`t${g}`)!);
        const shown = (g: 'agency' | number) => (g === 'agency' ? r.agency : r.teams[g]);
        add('n', (g) => raw(g).responses, (g) => shown(g).responses);
        ins.domains.forEach((d, i) => {
          add(`p.${d.id}`, (g) => raw(g).domains[i].positives, (g) => (shown(g).responses === 0 ? 0 : shown(g).domains?.[i].positives ?? null));
          add(`a.${d.id}`, (g) => raw(g).domains[i].answers, (g) => (shown(g).responses === 0 ? 0 : shown(g).domains?.[i].answers ?? null));
        });
        // Published figures are true figures.
        for (const c of cells) if (published.get(c.id) !== null) expect(published.get(c.id)).toBe(c.value);
        expect(findLeaks({ cells, equations }, published, primary)).toEqual([]);
        // And the combined remainder is never a group of fewer than k.
        const hidden = r.teams.filter((t) => t.suppressed).reduce((s, t) => s + r.raw.teams.get(t.id)!.responses, 0);
        if (r.agency.responses !== null) expect(hidden === 0 || hidden >= k).toBe(true);
        for (const t of r.teams) if (t.responses !== null && t.responses > 0) expect(t.responses).toBeGreaterThanOrEqual(k);
      }),
      { numRuns: 300 },
    );
  });
});
