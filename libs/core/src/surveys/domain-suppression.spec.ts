import fc from 'fast-check';
import { cultureInstrument } from './culture-instrument';
import { waveResults } from './results';
import { groupsBelowK } from './results.spec-helpers';
import { SurveyResponseInput } from './scoring';

const ins = cultureInstrument('1')!;
const K = 5;
const team = (id: string) => ({ id, name: id, expectedHeadcount: 20 });
const domainIndex = (id: string) => ins.domains.findIndex((d) => d.id === id);
const itemsOf = (domainIds: string[]) => ins.domains.filter((d) => domainIds.includes(d.id)).flatMap((d) => d.items.map((i) => i.id));
/** n responses of a team answering every item of the given domains, the j-th response with value(j, item index). */
const answering = (teamId: string, n: number, domainIds: string[], value: (j: number, i: number) => number = (j, i) => 1 + ((j + i) % 5)): SurveyResponseInput[] =>
  Array.from({ length: n }, (_, j) => ({ teamId, answers: Object.fromEntries(itemsOf(domainIds).map((id, i) => [id, value(j, i)])) }));
const ALL = ins.domains.map((d) => d.id);
const WL = domainIndex('workload');
const TW = domainIndex('teamwork');
const results = (teamIds: string[], responses: SurveyResponseInput[], k = K) => waveResults(ins, teamIds.map(team), responses, k);
const byName = (r: ReturnType<typeof results>) => Object.fromEntries(r.teams.map((t) => [t.id, t]));

describe('wave results: who answered each domain and item', () => {
  it("the analyst's wave: agency minus Big minus Big2 no longer gives Solo's workload or psychological-safety answers", () => {
    const responses = [
      ...answering('Solo', 1, ALL),
      ...answering('Quad', 4, ['teamwork']),
      ...answering('Big', 6, ALL),
      ...answering('Big2', 5, ALL),
      ...answering('Big2', 1, ALL.filter((d) => d !== 'workload')),
    ];
    const r = results(['Solo', 'Quad', 'Big', 'Big2'], responses);
    const t = byName(r);
    // Counts as before: Solo and Quad hidden together (5 responses).
    expect(r.combined).toEqual({ teams: 2, responses: 5 });
    expect([t.Big.responses, t.Big2.responses]).toEqual([6, 6]);
    // Teamwork: Solo and Quad together are 5 answerers to every item: both big teams shown.
    expect([t.Big.domains![TW].withheld, t.Big2.domains![TW].withheld, r.agency.domains![TW].withheld]).toEqual([undefined, undefined, undefined]);
    // Workload: only Solo of the hidden answered it, so one big team is hidden for workload too; the agency still shows it.
    expect(r.agency.domains![WL]).toMatchObject({ respondents: 12 });
    expect([t.Big.domains![WL].withheld, t.Big2.domains![WL].withheld]).toEqual([undefined, true]);
    expect(r.agency.domains![WL].respondents! - t.Big.domains![WL].respondents!).toBe(6);
    expect(groupsBelowK(ins, r, responses, K)).toEqual([]);
  });

  // Every pattern of which small (hidden) teams answered the workload domain, one or all of each, unanimous or not.
  const setups: Array<{ name: string; small: Array<[string, number]>; big: Array<[string, number]> }> = [
    { name: 'one small team (a big one hidden with it)', small: [['Solo', 1]], big: [['Big', 6], ['Big2', 7], ['Big3', 8]] },
    { name: 'two small teams', small: [['Solo', 1], ['Quad', 4]], big: [['Big', 6], ['Big2', 6]] },
    { name: 'three small teams', small: [['A', 2], ['B', 2], ['C', 2]], big: [['Big', 6], ['Big2', 6]] },
  ];
  const cases: Array<[string, string, string, boolean]> = [];
  for (const s of setups) {
    const subsets = 1 << s.small.length;
    for (let mask = 0; mask < subsets; mask++) {
      for (const howMany of ['one', 'all']) for (const unanimous of [true, false]) cases.push([s.name, mask.toString(2).padStart(s.small.length, '0'), howMany, unanimous]);
    }
  }

  it.each(cases)('%s; answered workload: %s (%s of each), unanimous %s: no figure or difference from fewer than k', (setupName, mask, howMany, unanimous) => {
    const s = setups.find((x) => x.name === setupName)!;
    const responses: SurveyResponseInput[] = [];
    const answeredWorkload: string[] = [];
    s.small.forEach(([id, n], i) => {
      const inMask = mask[i] === '1';
      const answerers = inMask ? (howMany === 'one' ? 1 : n) : 0;
      const value = unanimous ? () => 5 : (j: number, x: number) => 1 + ((j + x + i) % 5);
      responses.push(...answering(id, answerers, ['teamwork', 'workload'], value), ...answering(id, n - answerers, ['teamwork']));
      if (inMask) answeredWorkload.push(id);
    });
    for (const [id, n] of s.big) responses.push(...answering(id, n, ALL));
    const r = results([...s.small.map(([id]) => id), ...s.big.map(([id]) => id)], responses);
    expect(groupsBelowK(ins, r, responses, K)).toEqual([]);
    // Every small team is hidden; the agency keeps its workload figure whenever the hidden answers are not unanimous.
    for (const [id] of s.small) expect(byName(r)[id].responses).toBeNull();
    if (!unanimous && answeredWorkload.length) expect(r.agency.domains![WL].withheld).toBeUndefined();
  });

  it('tests each item, not only the domain: 5 hidden respondents to workload, but 1 of them to one item', () => {
    const onlySolo = 'wl.too-many';
    const responses = [
      ...answering('Solo', 1, ALL),
      ...answering('Quad', 4, ALL).map((r) => ({ ...r, answers: Object.fromEntries(Object.entries(r.answers).filter(([id]) => id !== onlySolo)) })),
      ...answering('Big', 6, ALL),
      ...answering('Big2', 7, ALL),
    ];
    const r = results(['Solo', 'Quad', 'Big', 'Big2'], responses);
    const t = byName(r);
    // Percent positive is a mean of item shares: with positives and answers it would pin Solo's answer to that item.
    expect([t.Big.domains![WL].withheld, t.Big2.domains![WL].withheld]).toEqual([true, undefined]);
    expect(r.agency.domains![WL].withheld).toBeUndefined();
    expect(groupsBelowK(ins, r, responses, K)).toEqual([]);
  });

  it("hides a shown team's domain when fewer than k of its members answered it, and a second team with it", () => {
    const responses = [...answering('Big', 2, ALL), ...answering('Big', 4, ['teamwork']), ...answering('Big2', 6, ALL), ...answering('Big3', 7, ALL)];
    const r = results(['Big', 'Big2', 'Big3'], responses);
    const t = byName(r);
    expect([t.Big.responses, t.Big2.responses, t.Big3.responses]).toEqual([6, 6, 7]);
    expect([t.Big.domains![WL].withheld, t.Big2.domains![WL].withheld, t.Big3.domains![WL].withheld]).toEqual([true, true, undefined]);
    expect(t.Big.domains![TW].withheld).toBeUndefined();
    expect(groupsBelowK(ins, r, responses, K)).toEqual([]);
  });

  it('withholds the agency’s domain when fewer than k in the whole agency answered one of its items', () => {
    const responses = [...answering('Big', 3, ALL), ...answering('Big', 3, ['teamwork']), ...answering('Big2', 6, ['teamwork'])];
    const r = results(['Big', 'Big2'], responses);
    expect(r.agency.domains![WL]).toMatchObject({ withheld: true, respondents: null, distribution: null });
    expect(r.teams.map((t) => t.domains![WL].withheld)).toEqual([true, undefined]); // Big2: nobody answered, a shown 0
    expect(r.teams[1].domains![WL]).toMatchObject({ respondents: 0, percentPositive: null });
    expect(r.agency.domains![TW].withheld).toBeUndefined();
    expect(groupsBelowK(ins, r, responses, K)).toEqual([]);
  });

  // Each response, per domain: skipped, answered whole, or a random part of it.
  const response = fc.array(fc.oneof(fc.constant('skip'), fc.constant('all'), fc.constant('some')), { minLength: ins.domains.length, maxLength: ins.domains.length }).chain((plan) =>
    fc.tuple(fc.constant(plan), fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 30, maxLength: 30 }), fc.array(fc.boolean(), { minLength: 30, maxLength: 30 })).map(([p, values, keep]) => {
      const answers: Record<string, number> = {};
      let x = 0;
      ins.domains.forEach((d, i) => {
        for (const item of d.items) {
          if (p[i] === 'all' || (p[i] === 'some' && keep[x % 30])) answers[item.id] = values[x % 30];
          x++;
        }
      });
      return answers;
    }),
  );
  const waves = fc.record({ teams: fc.array(fc.array(response, { maxLength: 9 }), { minLength: 1, maxLength: 6 }), k: fc.integer({ min: 2, max: 6 }) });

  it('property: for random small waves, agency minus every published team never gives a group below k, per domain and item', () => {
    fc.assert(
      fc.property(waves, ({ teams, k }) => {
        const ids = teams.map((_, i) => `t${i}`);
        const responses = teams.flatMap((rs, i) => rs.map((answers) => ({ teamId: `t${i}`, answers })));
        const r = results(ids, responses, k);
        expect(groupsBelowK(ins, r, responses, k)).toEqual([]);
        // And what is shown is true.
        for (const [g, raw] of [[r.agency, r.raw.agency], ...r.teams.map((t) => [t, r.raw.teams.get(t.id)!] as const)] as const) {
          g.domains?.forEach((d, i) => {
            if (!d.withheld) expect(d).toEqual(raw.domains[i]);
          });
        }
      }),
      { numRuns: 400 },
    );
  });
});
