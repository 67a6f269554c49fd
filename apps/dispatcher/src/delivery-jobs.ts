import { endpointOf, MAX_DELIVERIES_PER_JOB, OutgoingMessage, Subjects } from '@sne/messaging';

type JobRow = { id: string; attempt_count: number; target_url: string | null };

/**
 * One job per endpoint (webhook origin; email has none) for up to `size` (at most MAX_DELIVERIES_PER_JOB) of its
 * deliveries: one message, one claim and one ack for many sends. A re-run of the same page makes
 * the same jobs, so the msgId drops repeats.
 */
export function jobsByEndpoint(rows: JobRow[], size = MAX_DELIVERIES_PER_JOB): OutgoingMessage[] {
  const jobs: OutgoingMessage[] = [];
  for (const [endpoint, group] of groupByEndpoint(rows)) {
    for (let i = 0; i < group.length; i += size) jobs.push(jobOf(endpoint, group.slice(i, i + size)));
  }
  return jobs;
}

/**
 * Jobs gathered across the pages of a fan-out: an endpoint's job goes out once it is full, the
 * rest when the fan-out ends, or all at once when `holdAtMost` deliveries are waiting (agencies
 * with endpoints of their own never fill a job, and must not wait for the whole fan-out). A page
 * of 1,000 agencies holds only a few deliveries per shared endpoint; jobs cut per page would be
 * small, and each job costs a message, an ack and a pass through the courier's handler. Only
 * committed rows are ever added.
 */
export class EndpointJobs {
  private readonly waiting = new Map<string, JobRow[]>();
  private held = 0;

  constructor(
    private readonly size = MAX_DELIVERIES_PER_JOB,
    private readonly holdAtMost = 5000,
  ) {}

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
    return this.held >= this.holdAtMost ? [...full, ...this.drain()] : full;
  }

  /** Every job still waiting, and nothing kept. */
  drain(): OutgoingMessage[] {
    const jobs = [...this.waiting].map(([endpoint, group]) => jobOf(endpoint, group));
    this.waiting.clear();
    this.held = 0;
    return jobs;
  }
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

function jobOf(endpoint: string, chunk: JobRow[]): OutgoingMessage {
  const first = chunk[0];
  return {
    subject: Subjects.deliveryJobs,
    payload: chunk.length === 1 ? { deliveryId: first.id, endpoint: endpoint || undefined } : { deliveryIds: chunk.map((r) => r.id), endpoint: endpoint || undefined },
    msgId: chunk.length === 1 ? `delivery:${first.id}:${first.attempt_count}` : `deliveries:${first.id}:${chunk[chunk.length - 1].id}:${chunk.length}:${first.attempt_count}`,
  };
}
