import type { EntityManager } from 'typeorm';
import type { WorkSubject } from '@sne/messaging';

export const OUTBOX_CHANNEL = 'sne_outbox';

/**
 * Records work to publish, in the caller's transaction. The NOTIFY is delivered at commit,
 * waking the relay at once; a rolled-back transaction leaves neither row nor wake-up.
 */
export async function enqueue(manager: EntityManager, subject: WorkSubject, payload: object): Promise<string> {
  const rows: { id: string }[] = await manager.query(
    `INSERT INTO outbox (subject, payload) VALUES ($1, $2) RETURNING id`,
    [subject, JSON.stringify(payload)],
  );
  await manager.query(`SELECT pg_notify($1, '')`, [OUTBOX_CHANNEL]);
  return rows[0].id;
}
