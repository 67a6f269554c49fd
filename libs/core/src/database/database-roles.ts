/**
 * Two database roles, so that the apps cannot rewrite history.
 *
 * - The schema owner runs the migrations and owns every table, function and trigger.
 * - The runtime role, which the apps connect as, owns nothing and may not create anything. Its
 *   privileges are the policy below, applied by the owner after every migration run:
 *   SELECT, INSERT, UPDATE, DELETE on every table; only SELECT and INSERT on the append-only
 *   tables (those guarded by the `sne_audit_append_only` trigger: audit_events, audit_chain);
 *   SELECT on the migration history (to see that nothing is pending); USAGE on the sequences.
 *   No TRUNCATE, TRIGGER or REFERENCES anywhere.
 *
 * Why re-applied after each migration run rather than ALTER DEFAULT PRIVILEGES: the runtime
 * role's name is deployment configuration (tests use one per run), which a migration cannot
 * know; the append-only set is read from the schema, so a table that a later migration guards
 * can never keep UPDATE or DELETE by someone forgetting a REVOKE; and a privilege granted by
 * hand in between is taken away again.
 */
import { escapeIdentifier } from 'pg';
import type { Query as Sql } from '../audit/audit-chain';

/** The trigger function that makes a table append-only (migration 1764180000000). */
export const APPEND_ONLY_GUARD = 'sne_audit_append_only';
/** TypeORM's migration history. */
export const MIGRATIONS_TABLE = 'migrations';

export type TablePrivilege = 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE';
const TABLE_PRIVILEGES: TablePrivilege[] = ['SELECT', 'INSERT', 'UPDATE', 'DELETE'];

/** The policy: what the runtime role may do to one table. */
export function runtimeTablePrivileges(table: string, appendOnly: boolean): TablePrivilege[] {
  if (table === MIGRATIONS_TABLE) return ['SELECT'];
  return appendOnly ? ['SELECT', 'INSERT'] : TABLE_PRIVILEGES;
}

export interface SchemaTable {
  name: string;
  appendOnly: boolean;
  /** Which of SELECT, INSERT, UPDATE, DELETE the connected role holds on it. */
  held: TablePrivilege[];
}

/** Every table of the app's schema (the current schema), whether it is append-only, and what the connected role may do to it. */
export async function schemaTables(sql: Sql): Promise<SchemaTable[]> {
  const rows: { name: string; append_only: boolean; held: TablePrivilege[] }[] = await sql(
    `SELECT c.relname AS name,
            EXISTS (SELECT 1 FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid
                     WHERE t.tgrelid = c.oid AND p.proname = $1 AND NOT t.tgisinternal) AS append_only,
            ARRAY(SELECT p FROM unnest($2::text[]) p WHERE has_table_privilege(c.oid, p)) AS held
       FROM pg_class c
      WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p')
      ORDER BY c.relname`,
    [APPEND_ONLY_GUARD, TABLE_PRIVILEGES],
  );
  return rows.map((r) => ({ name: r.name, appendOnly: r.append_only, held: r.held }));
}

/**
 * Sets the runtime role's privileges to exactly the policy. Run by the schema owner, in one
 * transaction with the migrations' lock held (concurrent GRANTs on one table collide).
 */
export async function grantRuntimePrivileges(sql: Sql, runtimeRole: string): Promise<void> {
  const role = escapeIdentifier(runtimeRole);
  const [{ schema }] = await sql(`SELECT current_schema() AS schema`);
  const ns = escapeIdentifier(schema);
  await sql(`REVOKE ALL ON ALL TABLES IN SCHEMA ${ns} FROM ${role}`);
  await sql(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA ${ns} FROM ${role}`);
  await sql(`REVOKE CREATE ON SCHEMA ${ns} FROM ${role}`);
  await sql(`GRANT USAGE ON SCHEMA ${ns} TO ${role}`);
  for (const table of await schemaTables(sql)) {
    const privileges = runtimeTablePrivileges(table.name, table.appendOnly);
    await sql(`GRANT ${privileges.join(', ')} ON TABLE ${ns}.${escapeIdentifier(table.name)} TO ${role}`);
  }
  await sql(`GRANT USAGE ON ALL SEQUENCES IN SCHEMA ${ns} TO ${role}`);
}

export interface RuntimeRoleReport {
  role: string;
  /** What the role could use to rewrite history; empty for a proper runtime role. */
  powers: string[];
  /** Privileges of the policy the role lacks (the grants were not applied after a migration). */
  missing: string[];
}

/**
 * Each way a role could switch the append-only guard off, or change rows behind it, as a query
 * naming what the connected role holds (no rows: it holds none). A role that can SET ROLE to
 * another (membership) holds what that one holds.
 */
const POWER_CHECKS: { power: string; sql: string }[] = [
  {
    power: 'is a superuser, or may become one',
    sql: `SELECT rolname AS name FROM pg_roles WHERE rolsuper AND pg_has_role(current_user, oid, 'MEMBER')`,
  },
  {
    power: 'may create roles (and so make itself a member of the owner)',
    sql: `SELECT rolname AS name FROM pg_roles WHERE rolcreaterole AND pg_has_role(current_user, oid, 'MEMBER')`,
  },
  {
    power: 'owns the database',
    sql: `SELECT datname AS name FROM pg_database WHERE datname = current_database() AND pg_has_role(current_user, datdba, 'MEMBER')`,
  },
  {
    power: 'owns the schema',
    sql: `SELECT nspname AS name FROM pg_namespace WHERE nspname = current_schema() AND pg_has_role(current_user, nspowner, 'MEMBER')`,
  },
  {
    power: 'owns, and so may alter, drop or switch the triggers off',
    sql: `SELECT * FROM (
            SELECT c.relname AS name FROM pg_class c
             WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
               AND pg_has_role(current_user, c.relowner, 'MEMBER')
            UNION ALL
            SELECT p.proname || '()' FROM pg_proc p
             WHERE p.pronamespace = current_schema()::regnamespace AND pg_has_role(current_user, p.proowner, 'MEMBER')
          ) owned ORDER BY name LIKE 'audit%' OR name LIKE 'sne_audit%' DESC, name`,
  },
  {
    power: 'may create objects in',
    sql: `SELECT 'schema ' || current_schema() AS name WHERE has_schema_privilege(current_schema(), 'CREATE')
          UNION ALL
          SELECT 'database ' || current_database() WHERE has_database_privilege(current_database(), 'CREATE')`,
  },
  {
    power: 'may change, remove or trigger on rows of an append-only table',
    sql: `SELECT c.relname || ' (' || string_agg(p, ', ' ORDER BY n) || ')' AS name
            FROM pg_class c CROSS JOIN unnest(ARRAY['UPDATE', 'DELETE', 'TRUNCATE', 'TRIGGER']) WITH ORDINALITY AS x(p, n)
           WHERE c.relnamespace = current_schema()::regnamespace
             AND EXISTS (SELECT 1 FROM pg_trigger t JOIN pg_proc f ON f.oid = t.tgfoid WHERE t.tgrelid = c.oid AND f.proname = '${APPEND_ONLY_GUARD}')
             AND has_table_privilege(c.oid, p)
           GROUP BY c.relname ORDER BY c.relname`,
  },
];

/** PostgreSQL 15 lets a superuser grant SET on a parameter; before that only superusers set this one. */
const REPLICATION_ROLE_CHECK = {
  power: 'may switch every trigger off',
  sql: `SELECT 'session_replication_role' AS name WHERE has_parameter_privilege('session_replication_role', 'SET')`,
};

/** What the connected role could do to the audit history, and which of its grants are missing. */
export async function inspectRuntimeRole(sql: Sql): Promise<RuntimeRoleReport> {
  const [{ role, version }] = await sql(`SELECT current_user AS role, current_setting('server_version_num')::int AS version`);
  const checks = version >= 150000 ? [...POWER_CHECKS, REPLICATION_ROLE_CHECK] : POWER_CHECKS;
  const powers: string[] = [];
  for (const check of checks) {
    const names = (await sql(check.sql)).map((r: { name: string }) => r.name);
    if (names.length) powers.push(`${check.power}: ${listed(names)}`);
  }
  const missing: string[] = [];
  for (const table of await schemaTables(sql)) {
    const lacking = runtimeTablePrivileges(table.name, table.appendOnly).filter((p) => !table.held.includes(p));
    if (lacking.length) missing.push(`${lacking.join(', ')} on ${table.name}`);
  }
  const sequences = await sql(
    // CASE: the planner may test the privilege before relkind, and has_sequence_privilege fails on a table.
    `SELECT relname AS name FROM pg_class WHERE relnamespace = current_schema()::regnamespace
        AND CASE WHEN relkind = 'S' THEN NOT has_sequence_privilege(oid, 'USAGE') ELSE false END ORDER BY relname`,
  );
  if (sequences.length) missing.push(`USAGE on ${listed(sequences.map((r: { name: string }) => r.name))}`);
  return { role, powers, missing };
}

function listed(names: string[], max = 6): string {
  return names.length > max ? `${names.slice(0, max).join(', ')} and ${names.length - max} more` : names.join(', ');
}
