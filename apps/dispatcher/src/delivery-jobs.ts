import { endpointOf, MAX_DELIVERIES_PER_JOB, OutgoingMessage, Subjects } from '@sne/messaging';

type JobRow = { id: string; attempt_count: number; target_url: string | null };

/**
 * Jobs for deliveries: up to `size` (at most MAX_DELIVERIES_PER_JOB) deliveries each, so one
 * message, one claim and one ack cover many sends. An endpoint (webhook origin; email has none)
 * with a full job's worth gets jobs of its own; what is left of every endpoint is packed together
 * into jobs that name each delivery's endpoint (agencies with endpoints of their own would
 * otherwise cost a message per delivery). The same rows make the same jobs, so the msgId drops a
 * re-published page.
 */
export function deliveryJobs(rows: JobRow[], size = MAX_DELIVERIES_PER_JOB): OutgoingMessage[] {
  const jobs: OutgoingMessage[] = [];
  const rest = new Map<string, JobRow[]>();
  for (const [endpoint, group] of groupByEndpoint(rows)) {
    let i = 0;
    for (; group.length - i >= size; i += size) jobs.push(jobOf(endpoint, group.slice(i, i + size)));
    if (i < group.length) rest.set(endpoint, group.slice(i));
  }
  return [...jobs, ...packed(rest, size)];
}

/**
 * Jobs gathered across the pages of a fan-out: an endpoint's job goes out once it is full; the
 * rest are packed together when the fan-out ends, or as soon as enough deliveries wait (so
 * agencies with endpoints of their own do not wait for the whole fan-out). A page of 1,000
 * agencies holds only a few deliveries per shared endpoint, and jobs gathered over several pages
 * name fewer endpoints each, which cost the courier less per delivery at 100,000 (README, stop
 * 31). But the couriers must not sit idle while the first pages are written: the first release
 * comes once `firstRelease` deliveries wait (one default page), and each later one once twice as
 * many as the last, up to `mostHeld`. Only committed rows are ever added.
 */
export class EndpointJobs {
  private readonly waiting = new Map<string, JobRow[]>();
  private held = 0;
  private releaseAt: number;

  constructor(
    private readonly size = MAX_DELIVERIES_PER_JOB,
    firstRelease = 1000,
    private readonly mostHeld = 5000,
  ) {
    this.releaseAt = Math.min(firstRelease, mostHeld);
  }

  /** Adds committed deliveries; returns the jobs that are due now. */
  add(rows: JobRow[]): OutgoingMessage[] {
    const full: OutgoingMessage[] = [];
    for (const [endpoint, group] of groupByEndpoint(rows)) {
      const waiting = this.waiting.get(endpoint) ?? [];
      waiting.push(...group);
      this.held += group.length;
      while (waiting.length >= this.size) {
        full.push(jobOf(endpoint, waiting.splice(0, this.size)));
        this.held -= this.size;
      }
      if (waiting.length) this.waiting.set(endpoint, waiting);
      else this.waiting.delete(endpoint);
    }
    if (this.held < this.releaseAt) return full;
    this.releaseAt = Math.min(this.releaseAt * 2, this.mostHeld);
    return [...full, ...this.drain()];
  }

  /** Every delivery still waiting, packed into jobs, and nothing kept. */
  drain(): OutgoingMessage[] {
    const jobs = packed(this.waiting, this.size);
    this.waiting.clear();
    this.held = 0;
    return jobs;
  }
}

/** Partial groups (each shorter than `size`) packed into jobs of up to `size`; a job whose deliveries share one endpoint says so. */
function packed(groups: Map<string, JobRow[]>, size: number): OutgoingMessage[] {
  const jobs: OutgoingMessage[] = [];
  let chunk: { endpoint: string; row: JobRow }[] = [];
  const flush = () => {
    if (!chunk.length) return;
    const endpoints = new Set(chunk.map((c) => c.endpoint));
    jobs.push(endpoints.size === 1 ? jobOf(chunk[0].endpoint, chunk.map((c) => c.row)) : mixedJobOf(chunk));
    chunk = [];
  };
  for (const [endpoint, group] of groups) {
    for (const row of group) {
      chunk.push({ endpoint, row });
      if (chunk.length === size) flush();
    }
  }
  flush();
  return jobs;
}

function groupByEndpoint(rows: JobRow[]): Map<string, JobRow[]> {
  const byEndpoint = new Map<string, JobRow[]>();
  for (const r of rows) {
    const key = endpointOf(r.target_url) ?? '';
    const group = byEndpoint.get(key);
    if (group) group.push(r);
    else byEndpoint.set(key, [r]);
  }
  return byEndpoint;
}

function msgIdOf(chunk: JobRow[]): string {
  const first = chunk[0];
  return chunk.length === 1 ? `delivery:${first.id}:${first.attempt_count}` : `deliveries:${first.id}:${chunk[chunk.length - 1].id}:${chunk.length}:${first.attempt_count}`;
}

function jobOf(endpoint: string, chunk: JobRow[]): OutgoingMessage {
  const first = chunk[0];
  return {
    subject: Subjects.deliveryJobs,
    payload: chunk.length === 1 ? { deliveryId: first.id, endpoint: endpoint || undefined } : { deliveryIds: chunk.map((r) => r.id), endpoint: endpoint || undefined },
    msgId: msgIdOf(chunk),
  };
}

function mixedJobOf(chunk: { endpoint: string; row: JobRow }[]): OutgoingMessage {
  return {
    subject: Subjects.deliveryJobs,
    payload: { deliveryIds: chunk.map((c) => c.row.id), endpoints: chunk.map((c) => c.endpoint || null) },
    msgId: msgIdOf(chunk.map((c) => c.row)),
  };
}
