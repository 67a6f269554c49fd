import { DEID_KINDS, DeidFinding, scanForIdentifyingData, scanNotice } from './deid-scanner';
import { DETECTORS } from './detectors';

const scan = (text: string): DeidFinding[] => scanForIdentifyingData({ body: text });

describe('DEID_KINDS and the detectors', () => {
  it('lists the sixteen kinds, and there is exactly one detector per kind', () => {
    expect([...DEID_KINDS]).toEqual([
      'personal_name', 'date_of_birth', 'exact_age_date', 'ssn', 'phone', 'email', 'street_address', 'case_number',
      'medicaid_id', 'tribal_enrollment', 'vehicle_id', 'social_handle', 'file_name', 'geo_coordinates', 'initials', 'quasi_identifier',
    ]);
    expect(DETECTORS.map((d) => d.kind).sort()).toEqual([...DEID_KINDS].sort());
  });
});

describe('scanNotice', () => {
  it('scans title, summary, body and each required action under its own field name', () => {
    const notice = {
      title: 'Safe sleep reminder after the death of Jayden',
      summary: 'Mother Maria Lopez had been offered a crib.',
      body: '## What happened\nThe infant, Jayden, was found in an adult bed at 12 Orchard Road.',
      requiredActions: ['Check every home with an infant under 1 year', 'Call the grandmother at 614-555-0182'],
    };
    const findings = scanNotice(notice);
    expect(findings.map((f) => [f.field, f.kind, f.text])).toEqual([
      ['title', 'personal_name', 'Jayden'],
      ['summary', 'personal_name', 'Maria Lopez'],
      ['body', 'personal_name', 'Jayden'],
      ['body', 'street_address', '12 Orchard Road'],
      ['requiredActions[1]', 'phone', '614-555-0182'],
    ]);
    const fields: Record<string, string> = { title: notice.title, summary: notice.summary, body: notice.body, 'requiredActions[1]': notice.requiredActions[1] };
    for (const f of findings) {
      expect(fields[f.field].slice(f.start, f.end)).toBe(f.text);
      expect(f.reason.length).toBeGreaterThan(10);
    }
  });

  it('returns nothing for a clean notice and tolerates empty fields', () => {
    expect(scanNotice({ title: '', summary: '', body: '', requiredActions: [] })).toEqual([]);
    expect(
      scanNotice({
        title: 'Inclined infant sleepers linked to suffocation deaths',
        summary: 'Remove inclined sleepers from every home under supervision.',
        body: '## What happened\nThree infant deaths were reviewed in Franklin County in 2025. Questions: safety@dcf.example.gov.',
        requiredActions: ['Check every home with an infant under 1 year'],
      }),
    ).toEqual([]);
  });

  it("passes the agency's own contacts through: its mailbox, its line and the name in its mailbox are never findings", () => {
    const notice = { title: 'Pool safety', summary: '', body: "Dana Whitfield's cell is 614-555-0177; write to dana.whitfield@agency.example.gov.", requiredActions: [] };
    expect(scanNotice(notice).map((f) => f.kind).sort()).toEqual(['email', 'personal_name', 'phone']);
    expect(scanNotice(notice, { knownPublic: ['dana.whitfield@agency.example.gov', '614-555-0177'] })).toEqual([]);
  });

  it('reports each new kind through the same surface', () => {
    const body =
      'Plate 7KJX221; @jaydens_mom22; Harmon_J_autopsy.pdf; the home at 35.21847, -97.44391; the child, J.M.; ' +
      'a second grader at Lincoln Elementary.';
    expect(new Set(scan(body).map((f) => f.kind))).toEqual(new Set(['vehicle_id', 'social_handle', 'file_name', 'geo_coordinates', 'initials', 'quasi_identifier']));
  });

  it('is deterministic', () => {
    const text = 'The infant, Jayden, DOB 02/11/2025, lived at 12 Orchard Road; CPS case 19-4432; cell 614-555-0182.';
    expect(scan(text)).toEqual(scan(text));
  });
});

describe('long and adversarial input', () => {
  const prose =
    'The infant, Jayden, was found prone on March 3, 2026 at 12 Orchard Road. Call 1-800-222-1222 for Poison Control. CPS case 19-4432 ' +
    'was screened out. Effective May 1, 2026, workers must check the sleep space. Contact Dana Whitfield, Safety Program Manager.\n';
  const inputs: Array<[string, string]> = [
    ['notice prose', prose],
    ['one long word', 'a'],
    ['capitalised words', 'Aaaa '],
    ['given names', 'Maria Lopez and Jayden Ruiz, '],
    ['digits and dashes', '1-'],
    ['digits and spaces', '12 '],
    ['at signs', '@'],
    ['long local parts', `${'a'.repeat(63)}@`],
    ['dots', 'a.'],
    ['titles', 'Mr. '],
    ['role words', 'the infant, '],
    ['street-like words', '12 Main Main Main Main Main '],
    ['case markers', 'case # ID no. '],
    ['birth cues', 'DOB is as on '],
    ['dates and times', 'March 3, 2026 at 2:40 a.m. '],
    ['parentheses', '(Aaa '],
    ['paths', '/a b/'],
    ['handles', 'user a.b_'],
    ['newlines', '\n'],
  ];
  const body = (unit: string, n: number): string => unit.repeat(Math.ceil(n / unit.length)).slice(0, n);

  // Linear time, proven by a ratio: sixteen times the text must take well under 256 times as long (what a
  // quadratic scan would take). The time is the process's CPU time, the best of several runs (five of the
  // short text, three of the long one, whose first run is also the termination check), so other jobs on a
  // busy machine (which stretch wall-clock time, not the work done) do not decide; no absolute threshold.
  it.each(inputs)('terminates and scales linearly on %s (50,000 characters): 16x the text takes less than 40x the time', (_name, unit) => {
    const time = (text: string, runs: number): number => {
      let best = Infinity;
      for (let i = 0; i < runs; i++) {
        const t0 = process.cpuUsage();
        const findings = scan(text);
        const used = process.cpuUsage(t0);
        expect(Array.isArray(findings)).toBe(true);
        best = Math.min(best, (used.user + used.system) / 1000);
      }
      return best;
    };
    const large = time(body(unit, 50_000), 3);
    const small = time(body(unit, 3_125), 5);
    expect(large / Math.max(small, 0.5)).toBeLessThan(40);
  });

  it('scans a realistic 50,000-character body and places every finding', () => {
    const long = body(prose, 50_000);
    const findings = scanNotice({ title: 'Safe sleep', summary: '', body: long, requiredActions: [] });
    expect(findings.filter((f) => f.kind === 'personal_name').length).toBeGreaterThan(100);
    for (const f of findings) expect(long.slice(f.start, f.end)).toBe(f.text);
  });
});
