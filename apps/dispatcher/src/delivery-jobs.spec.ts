import { MAX_DELIVERIES_PER_JOB, Subjects } from '@sne/messaging';
import { EndpointJobs, jobsByEndpoint } from './delivery-jobs';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('jobsByEndpoint', () => {
  const rows = [
    ...Array.from({ length: MAX_DELIVERIES_PER_JOB + 3 }, (_, i) => ({ id: id(i), attempt_count: 0, target_url: `https://a.example/hook/${i}` })),
    { id: id(900), attempt_count: 0, target_url: 'https://b.example:8443/x' },
    { id: id(901), attempt_count: 2, target_url: null },
    { id: id(902), attempt_count: 0, target_url: null },
  ];
  const jobs = jobsByEndpoint(rows);
  const payloads = jobs.map((j) => j.payload as { deliveryId?: string; deliveryIds?: string[]; endpoint?: string });

  it('names every delivery in exactly one job, each job to one endpoint, none over the maximum', () => {
    const named = payloads.flatMap((p) => p.deliveryIds ?? [p.deliveryId!]);
    expect(named.sort()).toEqual(rows.map((r) => r.id).sort());
    for (const p of payloads) {
      const ids = p.deliveryIds ?? [p.deliveryId!];
      expect(ids.length).toBeLessThanOrEqual(MAX_DELIVERIES_PER_JOB);
      const origins = new Set(ids.map((i) => rows.find((r) => r.id === i)!.target_url).map((u) => (u ? new URL(u).origin : undefined)));
      expect([...origins]).toEqual([p.endpoint]);
    }
    expect(jobs.every((j) => j.subject === Subjects.deliveryJobs)).toBe(true);
  });

  it('splits an endpoint past the maximum, keeps a lone delivery a single job, and groups email (no endpoint)', () => {
    expect(payloads.map((p) => [p.endpoint, (p.deliveryIds ?? [p.deliveryId]).length])).toEqual([
      ['https://a.example', MAX_DELIVERIES_PER_JOB],
      ['https://a.example', 3],
      ['https://b.example:8443', 1],
      [undefined, 2],
    ]);
    expect(payloads[2]).toEqual({ deliveryId: id(900), endpoint: 'https://b.example:8443' });
  });

  it('makes the same msgIds from the same rows, so a re-published page is dropped by the stream', () => {
    expect(jobsByEndpoint(rows).map((j) => j.msgId)).toEqual(jobs.map((j) => j.msgId));
    expect(new Set(jobs.map((j) => j.msgId)).size).toBe(jobs.length);
    expect(jobs[2].msgId).toBe(`delivery:${id(900)}:0`);
  });
});

describe('EndpointJobs', () => {
  const row = (n: number, origin: string | null) => ({ id: id(n), attempt_count: 0, target_url: origin && `${origin}/hook/${n}` });
  const named = (jobs: ReturnType<EndpointJobs['drain']>) => jobs.map((j) => (j.payload as { deliveryIds?: string[]; deliveryId?: string }).deliveryIds ?? [(j.payload as { deliveryId: string }).deliveryId]);

  it('holds an endpoint’s deliveries until a job is full, across calls, and gives the rest on drain', () => {
    const jobs = new EndpointJobs(3);
    expect(jobs.add([row(1, 'https://a.example'), row(2, 'https://a.example'), row(3, 'https://b.example')])).toEqual([]);
    const full = jobs.add([row(4, 'https://a.example'), row(5, 'https://a.example'), row(6, null)]);
    expect(named(full)).toEqual([[id(1), id(2), id(4)]]);
    expect((full[0].payload as { endpoint?: string }).endpoint).toBe('https://a.example');
    const rest = jobs.drain();
    expect(named(rest).sort()).toEqual([[id(3)], [id(5)], [id(6)]].sort());
    expect(jobs.drain()).toEqual([]);
  });

  it('names every delivery once, in jobs of at most the size, whatever the order of the calls', () => {
    const rows = Array.from({ length: 200 }, (_, i) => row(i, i % 5 === 0 ? null : `https://h${i % 7}.example`));
    const jobs = new EndpointJobs(MAX_DELIVERIES_PER_JOB);
    const out = [...jobs.add(rows.slice(0, 70)), ...jobs.add(rows.slice(70, 71)), ...jobs.add(rows.slice(71)), ...jobs.drain()];
    const all = named(out).flat();
    expect(all.sort()).toEqual(rows.map((r) => r.id).sort());
    expect(named(out).every((ids) => ids.length <= MAX_DELIVERIES_PER_JOB)).toBe(true);
    expect(new Set(out.map((j) => j.msgId)).size).toBe(out.length);
  });

  it('lets everything go once too many deliveries wait (endpoints that never fill a job)', () => {
    const jobs = new EndpointJobs(64, 5);
    expect(jobs.add([1, 2, 3].map((n) => row(n, `https://own${n}.example`)))).toEqual([]);
    const out = jobs.add([4, 5].map((n) => row(n, `https://own${n}.example`)));
    expect(named(out).flat().sort()).toEqual([1, 2, 3, 4, 5].map(id).sort());
    expect(jobs.drain()).toEqual([]);
    expect(jobs.add([row(6, 'https://own6.example')])).toEqual([]);
  });
});
