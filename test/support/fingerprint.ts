import { DataSource } from 'typeorm';

/** Columns a read moves: the key's and the session's last use. */
const MOVES_ON_READ: Record<string, string[]> = { api_keys: ['last_used_at'], sessions: ['last_seen_at'] };

/**
 * Every table's row count and a hash of its ordered rows (minus the columns a read moves): equal
 * fingerprints mean no row was written.
 */
export async function fingerprint(db: DataSource): Promise<Record<string, string>> {
  const tables: { table_name: string }[] = await db.query(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`,
  );
  const out: Record<string, string> = {};
  for (const { table_name: t } of tables) {
    const minus = (MOVES_ON_READ[t] ?? []).map((c) => ` - '${c}'`).join('');
    const [r] = await db.query(
      `SELECT count(*)::int AS n, md5(coalesce(string_agg(j, '|' ORDER BY j), '')) AS h FROM (SELECT (to_jsonb(x)${minus})::text AS j FROM "${t}" x) s`,
    );
    out[t] = `${r.n}:${r.h}`;
  }
  return out;
}

/** The fingerprint once background work (sealing the audit chain, the outbox relay) has stopped moving it. */
export async function settledFingerprint(db: DataSource, pauseMs = 1500, tries = 40): Promise<Record<string, string>> {
  let last = await fingerprint(db);
  for (let i = 0; i < tries; i++) {
    await new Promise((r) => setTimeout(r, pauseMs));
    const now = await fingerprint(db);
    if (JSON.stringify(now) === JSON.stringify(last)) return now;
    last = now;
  }
  throw new Error('the database never settled');
}

/** The tables whose fingerprint differs. */
export function changedTables(before: Record<string, string>, after: Record<string, string>): string[] {
  return Object.keys({ ...before, ...after }).filter((t) => before[t] !== after[t]);
}
