import { MAX_DELIVERIES_PER_JOB, OutgoingMessage, Subjects } from '@sne/messaging';
import { EndpointJobs, deliveryJobs } from './delivery-jobs';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
type Payload = { deliveryId?: string; deliveryIds?: string[]; endpoint?: string; endpoints?: (string | null)[] };
const payloadOf = (j: OutgoingMessage) => j.payload as Payload;
const idsOf = (j: OutgoingMessage) => payloadOf(j).deliveryIds ?? [payloadOf(j).deliveryId!];
/** Each named delivery with the endpoint the job gives it (null: email). */
const pairsOf = (j: OutgoingMessage) => idsOf(j).map((d, i) => [d, payloadOf(j).endpoints ? payloadOf(j).endpoints![i] : (payloadOf(j).endpoint ?? null)] as const);
const originOf = (url: string | null) => (url ? new URL(url).origin : null);

describe('deliveryJobs', () => {
  const rows = [
    ...Array.from({ length: MAX_DELIVERIES_PER_JOB + 3 }, (_, i) => ({ id: id(i), attempt_count: 0, target_url: `https://a.example/hook/${i}` })),
    { id: id(900), attempt_count: 0, target_url: 'https://b.example:8443/x' },
    { id: id(901), attempt_count: 2, target_url: null },
    { id: id(902), attempt_count: 0, target_url: null },
  ];
  const jobs = deliveryJobs(rows);

  it('names every delivery in exactly one job with its own endpoint, none over the maximum', () => {
    const pairs = jobs.flatMap(pairsOf);
    expect(pairs.map(([d]) => d).sort()).toEqual(rows.map((r) => r.id).sort());
    for (const [d, endpoint] of pairs) expect(endpoint).toBe(originOf(rows.find((r) => r.id === d)!.target_url));
    expect(jobs.every((j) => idsOf(j).length <= MAX_DELIVERIES_PER_JOB)).toBe(true);
    expect(jobs.every((j) => j.subject === Subjects.deliveryJobs)).toBe(true);
  });

  it('gives a full job to an endpoint with enough deliveries, and packs what is left of every endpoint into one job', () => {
    expect(jobs.map((j) => [payloadOf(j).endpoint, payloadOf(j).endpoints, idsOf(j).length])).toEqual([
      ['https://a.example', undefined, MAX_DELIVERIES_PER_JOB],
      [undefined, ['https://a.example', 'https://a.example', 'https://a.example', 'https://b.example:8443', null, null], 6],
    ]);
  });

  it('keeps the one-endpoint form when what is packed shares one endpoint, and a lone delivery a single job', () => {
    expect(deliveryJobs(rows.slice(0, 3)).map(payloadOf)).toEqual([{ deliveryIds: [id(0), id(1), id(2)], endpoint: 'https://a.example' }]);
    expect(deliveryJobs([rows[rows.length - 1]]).map(payloadOf)).toEqual([{ deliveryId: id(902), endpoint: undefined }]);
  });

  it('makes the same msgIds from the same rows, so a re-published page is dropped by the stream', () => {
    expect(deliveryJobs(rows).map((j) => j.msgId)).toEqual(jobs.map((j) => j.msgId));
    expect(new Set(jobs.map((j) => j.msgId)).size).toBe(jobs.length);
    expect(deliveryJobs([rows[MAX_DELIVERIES_PER_JOB + 3]])[0].msgId).toBe(`delivery:${id(900)}:0`);
  });

  it('packs many endpoints of one delivery each into jobs of the size', () => {
    const own = Array.from({ length: 10 }, (_, i) => ({ id: id(i), attempt_count: 0, target_url: `https://own${i}.example/hook` }));
    const packed = deliveryJobs(own, 4);
    expect(packed.map((j) => idsOf(j).length)).toEqual([4, 4, 2]);
    expect(packed.flatMap(pairsOf)).toEqual(own.map((r) => [r.id, originOf(r.target_url)]));
  });
});

describe('EndpointJobs', () => {
  const row = (n: number, origin: string | null) => ({ id: id(n), attempt_count: 0, target_url: origin && `${origin}/hook/${n}` });

  it('holds an endpoint’s deliveries until a job is full, across calls, and packs the rest on drain', () => {
    const jobs = new EndpointJobs(3);
    expect(jobs.add([row(1, 'https://a.example'), row(2, 'https://a.example'), row(3, 'https://b.example')])).toEqual([]);
    const full = jobs.add([row(4, 'https://a.example'), row(5, 'https://a.example'), row(6, null)]);
    expect(full.map(payloadOf)).toEqual([{ deliveryIds: [id(1), id(2), id(4)], endpoint: 'https://a.example' }]);
    const rest = jobs.drain();
    expect(rest.flatMap(pairsOf).sort()).toEqual(
      [
        [id(3), 'https://b.example'],
        [id(5), 'https://a.example'],
        [id(6), null],
      ].sort(),
    );
    expect(rest).toHaveLength(1);
    expect(jobs.drain()).toEqual([]);
  });

  it('names every delivery once, in jobs of at most the size, whatever the order of the calls', () => {
    const rows = Array.from({ length: 200 }, (_, i) => row(i, i % 5 === 0 ? null : `https://h${i % 7}.example`));
    const jobs = new EndpointJobs(MAX_DELIVERIES_PER_JOB);
    const out = [...jobs.add(rows.slice(0, 70)), ...jobs.add(rows.slice(70, 71)), ...jobs.add(rows.slice(71)), ...jobs.drain()];
    const pairs = out.flatMap(pairsOf);
    expect(pairs.map(([d]) => d).sort()).toEqual(rows.map((r) => r.id).sort());
    for (const [d, endpoint] of pairs) expect(endpoint).toBe(originOf(rows.find((r) => r.id === d)!.target_url));
    expect(out.every((j) => idsOf(j).length <= MAX_DELIVERIES_PER_JOB)).toBe(true);
    expect(new Set(out.map((j) => j.msgId)).size).toBe(out.length);
  });

  it('lets everything go, packed, once too many deliveries wait (endpoints that never fill a job)', () => {
    const jobs = new EndpointJobs(64, 5);
    expect(jobs.add([1, 2, 3].map((n) => row(n, `https://own${n}.example`)))).toEqual([]);
    const out = jobs.add([4, 5].map((n) => row(n, `https://own${n}.example`)));
    expect(out).toHaveLength(1);
    expect(out.flatMap(pairsOf)).toEqual([1, 2, 3, 4, 5].map((n) => [id(n), `https://own${n}.example`]));
    expect(jobs.drain()).toEqual([]);
    expect(jobs.add([row(6, 'https://own6.example')])).toEqual([]);
  });

  it('releases first once firstRelease deliveries wait, then each time twice as many as the last, up to mostHeld', () => {
    const jobs = new EndpointJobs(64, 2, 6);
    let n = 0;
    /** Adds `count` deliveries to endpoints of their own (never a full job); how many the call released. */
    const add = (count: number) => jobs.add(Array.from({ length: count }, () => row(++n, `https://own${n}.example`))).flatMap(pairsOf).length;
    expect([add(1), add(1)]).toEqual([0, 2]); // released at 2
    expect([add(3), add(1)]).toEqual([0, 4]); // then at 4
    expect([add(5), add(1)]).toEqual([0, 6]); // then at 8, capped at 6
    expect([add(5), add(1)]).toEqual([0, 6]); // and at 6 from then on
    expect(jobs.drain()).toEqual([]);
  });

  it('releases the default first page (1,000 deliveries) at once, and holds up to 5,000 later', () => {
    const jobs = new EndpointJobs();
    let n = 0;
    const page = (count: number) => jobs.add(Array.from({ length: count }, () => row(++n, `https://h${n % 128}.example`))).flatMap(pairsOf).length;
    expect(page(1000)).toBe(1000);
    expect([page(1000), page(1000)]).toEqual([0, 2000]);
    expect([page(1000), page(1000), page(1000), page(1000)]).toEqual([0, 0, 0, 4000]);
    expect([page(1000), page(1000), page(1000), page(1000), page(1000)]).toEqual([0, 0, 0, 0, 5000]);
  });
});
