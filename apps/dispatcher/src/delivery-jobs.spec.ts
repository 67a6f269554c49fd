import { MAX_DELIVERIES_PER_JOB, Subjects } from '@sne/messaging';
import { jobsByEndpoint } from './delivery-jobs';

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
