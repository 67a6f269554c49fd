import { endpointOf, MAX_DELIVERIES_PER_JOB, OutgoingMessage, Subjects } from '@sne/messaging';

/**
 * One job per endpoint (webhook origin; email has none) for up to MAX_DELIVERIES_PER_JOB of its
 * deliveries: one message, one claim and one ack for many sends. A re-run of the same page makes
 * the same jobs, so the msgId drops repeats.
 */
export function jobsByEndpoint(rows: { id: string; attempt_count: number; target_url: string | null }[]): OutgoingMessage[] {
  const byEndpoint = new Map<string, typeof rows>();
  for (const r of rows) {
    const key = endpointOf(r.target_url) ?? '';
    const group = byEndpoint.get(key);
    if (group) group.push(r);
    else byEndpoint.set(key, [r]);
  }
  const jobs: OutgoingMessage[] = [];
  for (const [endpoint, group] of byEndpoint) {
    for (let i = 0; i < group.length; i += MAX_DELIVERIES_PER_JOB) {
      const chunk = group.slice(i, i + MAX_DELIVERIES_PER_JOB);
      const first = chunk[0];
      jobs.push({
        subject: Subjects.deliveryJobs,
        payload: chunk.length === 1 ? { deliveryId: first.id, endpoint: endpoint || undefined } : { deliveryIds: chunk.map((r) => r.id), endpoint: endpoint || undefined },
        msgId: chunk.length === 1 ? `delivery:${first.id}:${first.attempt_count}` : `deliveries:${first.id}:${chunk[chunk.length - 1].id}:${chunk.length}:${first.attempt_count}`,
      });
    }
  }
  return jobs;
}
