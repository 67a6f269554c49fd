/**
 * The outside analyst's attack on culture-survey results, on the real stack and through the HTTP
 * API only: a wave with teams Solo (1 response), Quad (4: teamwork items only), Big (6) and Big2
 * (6, one of whom skipped workload), answered with printed team codes. Solo and Quad are hidden
 * together (5 responses), but Solo alone of them answered workload and psychological safety: agency
 * minus Big minus Big2 used to give Solo's own answers there (respondents 1, the distribution of
 * Solo's scored answers). Now no published figure, nor agency minus the shown teams, comes from
 * fewer than SURVEY_MIN_RESPONSES (5) people in any domain; nor does the wave list show a count
 * below 5, while the wave runs or after.
 */
import { parse } from 'csv-parse/sync';
import { cultureInstrument, scored } from '@sne/core';
import { apiClient, createAgency, TestAgency } from '../support/fixtures';
import { startStack, Stack } from '../support/stack';

const K = 5;
const ins = cultureInstrument('1')!;
const itemsOf = (domainIds: string[]) => ins.domains.filter((d) => domainIds.includes(d.id)).flatMap((d) => d.items);
const ALL = ins.domains.map((d) => d.id);
const TEAMS = [
  { name: 'Big', expectedHeadcount: 8 },
  { name: 'Big2', expectedHeadcount: 8 },
  { name: 'Quad', expectedHeadcount: 6 },
  { name: 'Solo', expectedHeadcount: 3 },
];
/** Solo's answers: a known pattern, so the test can tell when a published figure is Solo's alone. */
const SOLO = (i: number) => [2, 3, 1, 5, 2, 4][i % 6];

describe('survey results: a hidden team cannot be given back by what its people answered', () => {
  let stack: Stack;
  let call: ReturnType<typeof apiClient>;
  let A: TestAgency;
  let wave: any;

  beforeAll(async () => {
    stack = await startStack();
    call = apiClient(stack.url);
    A = await createAgency(stack.db, { name: 'Small groups', roles: ['agency_admin', 'supervisor'] });
  });

  afterAll(async () => {
    await stack?.close();
  });

  const admin = (method: string, path: string, body?: unknown) => call(method, path, { key: A.keys.agency_admin, body });
  const answer = async (code: string, domainIds: string[], value: (i: number) => number) => {
    const fields = Object.fromEntries(itemsOf(domainIds).map((item, i) => [item.id, String(value(i))]));
    const r = await fetch(`${stack.url}/survey/${code}`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
    expect(r.status).toBe(303);
  };
  const team = (name: string) => wave.teams.find((t: any) => t.name === name);
  const codes = async (name: string, count: number): Promise<string[]> => {
    const r = await admin('POST', `/api/v1/surveys/waves/${wave.id}/teams/${team(name).id}/codes`, { count });
    expect(r.status).toBe(200);
    return r.body.codes;
  };
  const listed = async () => (await admin('GET', '/api/v1/surveys/waves')).body.find((w: any) => w.id === wave.id);

  it('while the wave runs, the list shows the total and whether each team has reached 5, never a count below 5', async () => {
    const opened = await admin('POST', '/api/v1/surveys/waves', { title: 'Small groups', opensOn: '2020-01-01', closesOn: '2099-12-31', teams: TEAMS });
    expect(opened.status).toBe(201);
    wave = opened.body;
    const [solo, quad, big, big2] = [await codes('Solo', 1), await codes('Quad', 4), await codes('Big', 6), await codes('Big2', 6)];
    await answer(solo[0], ALL, SOLO);
    for (const c of quad) await answer(c, ['teamwork'], (i) => 1 + (i % 5));
    for (const [j, c] of big.entries()) await answer(c, ALL, (i) => 1 + ((i + j) % 5));
    for (const [j, c] of big2.entries()) await answer(c, j === 0 ? ALL.filter((d) => d !== 'workload') : ALL, (i) => 1 + ((i + 2 * j) % 5));

    const running = await listed();
    expect(running).toMatchObject({ status: 'open', minResponses: K, responses: 17, expectedHeadcount: 25, responseRate: 0.68 });
    expect(running.teams.map((t: any) => [t.name, t.responses, t.responseRate, t.reachedMinimum])).toEqual([
      ['Big', null, null, true],
      ['Big2', null, null, true],
      ['Quad', null, null, false],
      ['Solo', null, null, false],
    ]);
    expect((await admin('GET', `/api/v1/surveys/waves/${wave.id}`)).body.teams.map((t: any) => t.responses)).toEqual([null, null, null, null]);
  });

  it('once closed, the list shows the counts the results show: Solo and Quad hidden together', async () => {
    expect((await admin('POST', `/api/v1/surveys/waves/${wave.id}/close`)).status).toBe(200);
    const closed = await listed();
    expect(closed).toMatchObject({ status: 'closed', responses: 17 });
    expect(closed.teams.map((t: any) => [t.name, t.responses, t.suppressed])).toEqual([
      ['Big', 6, null],
      ['Big2', 6, null],
      ['Quad', null, 'too-few'],
      ['Solo', null, 'too-few'],
    ]);
    const r = (await admin('GET', `/api/v1/surveys/waves/${wave.id}/results`)).body;
    expect(closed.teams.map((t: any) => t.responses)).toEqual(['Big', 'Big2', 'Quad', 'Solo'].map((n) => r.teams.find((t: any) => t.name === n).responses));
  });

  it("agency minus the shown teams is never fewer than 5 people in any domain, and never Solo's answers", async () => {
    const res = await admin('GET', `/api/v1/surveys/waves/${wave.id}/results`);
    expect(res.status).toBe(200);
    const r = res.body;
    expect(r.combined).toEqual({ teams: 2, responses: 5 });
    expect(r.agency.responses).toBe(17);
    const shownIn = (g: any, d: number) => g.domains && !g.domains[d].withheld;
    let checked = 0;
    ins.domains.forEach((domain, d) => {
      const soloDistribution = [0, 0, 0, 0, 0];
      itemsOf([domain.id]).forEach((item) => soloDistribution[scored(item, SOLO(itemsOf(ALL).indexOf(item))) - 1]++);
      for (const t of r.teams.filter((x: any) => shownIn(x, d))) expect(t.domains[d].respondents === 0 || t.domains[d].respondents >= K).toBe(true);
      if (!shownIn(r.agency, d)) return;
      checked++;
      const shown = r.teams.filter((t: any) => shownIn(t, d));
      const respondents = r.agency.domains[d].respondents - shown.reduce((s: number, t: any) => s + t.domains[d].respondents, 0);
      const distribution = r.agency.domains[d].distribution.map((v: number, i: number) => v - shown.reduce((s: number, t: any) => s + t.domains[d].distribution[i], 0));
      expect({ domain: domain.id, small: respondents > 0 && respondents < K }).toEqual({ domain: domain.id, small: false });
      expect(distribution).not.toEqual(soloDistribution);
    });
    expect(checked).toBe(ins.domains.length); // the agency keeps every domain: a big team is hidden in it instead
    // The analyst's subtraction in particular: Big2 (5 respondents, the fewest) no longer shows workload.
    const WL = ins.domains.findIndex((x) => x.id === 'workload');
    const PS = ins.domains.findIndex((x) => x.id === 'psychological-safety');
    const byName = Object.fromEntries(r.teams.map((t: any) => [t.name, t]));
    expect(r.agency.domains[WL].respondents).toBe(12);
    expect(byName.Big2.domains[WL]).toMatchObject({ withheld: true, respondents: null, distribution: null });
    expect(byName.Big.domains[WL].respondents).toBe(6);
    // Psychological safety: Big and Big2 both have 6 respondents there; one of them (the lower id) is hidden.
    expect([byName.Big.domains[PS].withheld, byName.Big2.domains[PS].withheld].filter(Boolean)).toEqual([true]);

    // The CSV export holds the same blanks.
    const csv = await admin('GET', `/api/v1/surveys/waves/${wave.id}/results?format=csv`);
    const rows: any[] = parse(csv.text, { columns: true });
    expect(rows.find((x) => x.group === 'Big2' && x.domainId === 'workload')).toMatchObject({ percentPositive: '', mean: '', answers: '', distribution: '' });
    expect(rows.find((x) => x.group === 'Big' && x.domainId === 'workload').answers).not.toBe('');
  });
});
