import type { EntityManager } from 'typeorm';
import type { WorkSubject } from '@sne/messaging';

export const OUTBOX_CHANNEL = 'sne_outbox';

/**
 * Records work to publish, in the caller's transaction. The NOTIFY is delivered at commit,
 * waking the relay at once; a rolled-back transaction leaves neither row nor wake-up.
 */
export async function enqueue(manager: EntityManager, subject: WorkSubject, payload: object): Promise<string> {
  // The row and the relay's wake-up in one round trip; the notification is sent at commit.
  const rows: { id: string }[] = await manager.query(
    `WITH o AS (INSERT INTO outbox (subject, payload) VALUES ($1, $2) RETURNING id) SELECT id, pg_notify($3, '') FROM o`,
    [subject, JSON.stringify(payload), OUTBOX_CHANNEL],
  );
  return rows[0].id;
}

/** The same for many messages in one statement (bulk replays, for instance). */
export async function enqueueMany(manager: EntityManager, subject: WorkSubject, payloads: object[]): Promise<void> {
  if (payloads.length === 0) return;
  await manager.query(
    `INSERT INTO outbox (subject, payload) SELECT $1, p FROM unnest($2::jsonb[]) WITH ORDINALITY AS t(p, i) ORDER BY i`,
    [subject, payloads.map((p) => JSON.stringify(p))],
  );
  await manager.query(`SELECT pg_notify($1, '')`, [OUTBOX_CHANNEL]);
}
