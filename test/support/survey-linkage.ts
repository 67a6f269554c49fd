/**
 * The anonymity check of the survey tests (issue 12): a full dump of a database as text, and the
 * linkage attempt run against it. Kept apart so that the check itself is plain to read.
 */
import { createHash } from 'node:crypto';
import { Client } from 'pg';

/** One row of one table, as `to_jsonb(row)::text`. */
export interface Dump {
  table: string;
  row: string;
}

/** Every row of every table of the public schema, read as a superuser (the operator of the threat model). */
export async function dumpEverything(adminDatabaseUrl: string): Promise<Dump[]> {
  const su = new Client({ connectionString: adminDatabaseUrl });
  await su.connect();
  try {
    const tables: { name: string }[] = (await su.query(`SELECT quote_ident(table_name) AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`)).rows;
    const out: Dump[] = [];
    for (const { name } of tables) {
      for (const r of (await su.query(`SELECT to_jsonb(t)::text AS row FROM ${name} t`)).rows) out.push({ table: name, row: r.row });
    }
    return out;
  } finally {
    await su.end();
  }
}

/** Every form a token or its hash could take in a text dump. */
export const formsOf = (token: string) => {
  const h = createHash('sha256').update(token).digest();
  return [token, h.toString('hex'), h.toString('base64'), h.toString('base64url')];
};

/**
 * The linkage checks, run against a dump. Returns what ties a response to an address (empty when
 * nothing does): a token (or its hash) outside survey_tokens; a response id outside the response
 * tables; and any row naming an address together with a value that also appears in a response or
 * free-text row (other than the wave, its teams and the agency, which every row of the wave shares).
 */
export function linkages(dump: Dump[], known: { tokens: string[]; addresses: string[]; shared: string[] }): string[] {
  const found: string[] = [];
  for (const token of known.tokens) {
    for (const form of formsOf(token)) {
      for (const d of dump) if (d.row.includes(form) && (d.table !== 'survey_tokens' || form === token)) found.push(`${d.table} holds a token or its hash: ${d.row.slice(0, 160)}`);
    }
  }
  const answers = dump.filter((d) => d.table === 'survey_responses' || d.table === 'survey_free_text').map((d) => JSON.parse(d.row));
  const responseIds = answers.map((a) => a.id as string);
  for (const d of dump) {
    if (d.table === 'survey_responses' || d.table === 'survey_free_text') continue;
    for (const id of responseIds) if (d.row.includes(id)) found.push(`${d.table} names response ${id}: ${d.row.slice(0, 160)}`);
  }
  const valuesOfAnswers = new Set<string>();
  for (const a of answers) for (const v of leaves(a)) if (v.length >= 8 && !known.shared.includes(v)) valuesOfAnswers.add(v);
  for (const d of dump) {
    if (d.table === 'survey_responses' || d.table === 'survey_free_text') continue;
    const addresses = known.addresses.filter((e) => d.row.toLowerCase().includes(e));
    if (addresses.length === 0) continue;
    for (const v of leaves(JSON.parse(d.row))) if (valuesOfAnswers.has(v)) found.push(`${d.table} names ${addresses.join(', ')} with "${v}" of a response`);
  }
  return found;
}
export const leaves = (v: unknown): string[] =>
  v === null || v === undefined ? [] : typeof v === 'object' ? Object.values(v as object).flatMap(leaves) : [String(v)];

