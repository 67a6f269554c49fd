/**
 * Creating the two roles of database-roles.ts takes a superuser: the embedded default does it at
 * every start, `npm run db:roles` does it for compose or an operator, and the test harness does
 * it once per run. Idempotent and safe to run concurrently (an advisory lock serialises it):
 * - two LOGIN roles, neither a superuser nor able to create roles or databases; an existing
 *   role is brought to those attributes and given the password;
 * - the database, created if missing, owned by the schema owner (and with it, on PostgreSQL 15,
 *   the schema public);
 * - objects of the schema that someone else owns (a database migrated before there were two
 *   roles) handed to the schema owner, so that its migrations and grants apply to them.
 */
import { randomBytes } from 'node:crypto';
import { Client, escapeIdentifier, escapeLiteral } from 'pg';
import { withClient } from './pg-client';

export interface LoginRole {
  name: string;
  /** Absent: the role's password is left as it is (trust or peer authentication, or set elsewhere). */
  password?: string;
}

export interface DatabaseRoles {
  database: string;
  /** Runs the migrations and owns the schema. */
  owner: LoginRole;
  /** What the apps connect as: owns nothing. */
  runtime: LoginRole;
}

const PROVISIONING_LOCK = 7264010;
const DUPLICATE = new Set(['42710', '23505', '42P04']); // duplicate_object, unique_violation (a concurrent CREATE), duplicate_database
const LIMITS = 'LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS';

export async function provisionDatabase(adminUrl: string, roles: DatabaseRoles): Promise<void> {
  if (roles.owner.name === roles.runtime.name) throw new Error(`the schema owner and the runtime role must differ (both "${roles.owner.name}")`);
  await withClient({ connectionString: adminUrl, application_name: 'sne-provisioning' }, async (admin) => {
    await admin.query(`SELECT pg_advisory_lock($1)`, [PROVISIONING_LOCK]);
    try {
      await ensureLoginRole(admin, roles.owner, LIMITS);
      // NOINHERIT: even a membership granted later by mistake brings no privileges without SET ROLE (which the check still reports).
      await ensureLoginRole(admin, roles.runtime, `${LIMITS} NOINHERIT`);
      const [member] = (await admin.query(`SELECT 1 FROM pg_roles r WHERE r.rolname = $1 AND pg_has_role(r.oid, $2::text, 'MEMBER')`, [roles.runtime.name, roles.owner.name])).rows;
      if (member) throw new Error(`the runtime role "${roles.runtime.name}" is a member of the schema owner "${roles.owner.name}": revoke that membership`);
      await ignoringDuplicate(admin.query(`CREATE DATABASE ${escapeIdentifier(roles.database)} OWNER ${escapeIdentifier(roles.owner.name)}`));
      await admin.query(`ALTER DATABASE ${escapeIdentifier(roles.database)} OWNER TO ${escapeIdentifier(roles.owner.name)}`);
    } finally {
      await admin.query(`SELECT pg_advisory_unlock($1)`, [PROVISIONING_LOCK]).catch(() => undefined);
    }
  });
  await withClient({ connectionString: urlFor(adminUrl, { database: roles.database }), application_name: 'sne-provisioning' }, (db) => adoptSchema(db, roles.owner.name));
}

/** The same server and options, with another role (and password) or database. */
export function urlFor(url: string, change: { role?: LoginRole; database?: string }): string {
  const u = new URL(url);
  if (change.role) {
    u.username = encodeURIComponent(change.role.name);
    u.password = change.role.password ? encodeURIComponent(change.role.password) : '';
  }
  if (change.database) u.pathname = `/${encodeURIComponent(change.database)}`;
  return u.toString();
}

export const EMBEDDED_OWNER_ROLE = 'sne_owner';
export const EMBEDDED_RUNTIME_ROLE = 'sne_app';

/**
 * The embedded default: given the cluster's superuser URL, the two roles (new passwords at every
 * start: nothing to keep on disk) and their URLs for DATABASE_URL and DATABASE_MIGRATION_URL.
 */
export async function provisionEmbeddedRoles(superuserUrl: string): Promise<{ runtimeUrl: string; migrationUrl: string }> {
  const database = decodeURIComponent(new URL(superuserUrl).pathname.slice(1));
  const owner = { name: EMBEDDED_OWNER_ROLE, password: randomBytes(24).toString('hex') };
  const runtime = { name: EMBEDDED_RUNTIME_ROLE, password: randomBytes(24).toString('hex') };
  await provisionDatabase(urlFor(superuserUrl, { database: 'postgres' }), { database, owner, runtime });
  return { runtimeUrl: urlFor(superuserUrl, { role: runtime }), migrationUrl: urlFor(superuserUrl, { role: owner }) };
}

async function ensureLoginRole(admin: Client, role: LoginRole, attributes: string): Promise<void> {
  const [existing] = (await admin.query(`SELECT rolsuper FROM pg_roles WHERE rolname = $1`, [role.name])).rows;
  if (existing?.rolsuper) throw new Error(`the role "${role.name}" exists and is a superuser: give the apps' roles other names`);
  const name = escapeIdentifier(role.name);
  if (!existing) await ignoringDuplicate(admin.query(`CREATE ROLE ${name}`));
  await admin.query(`ALTER ROLE ${name} WITH ${attributes}${role.password ? ` PASSWORD ${escapeLiteral(role.password)}` : ''}`);
}

/**
 * The schema and every object in it owned by the owner (extension members stay with their
 * extension), and nobody else may create in it (PostgreSQL 14 and older let PUBLIC).
 */
async function adoptSchema(db: Client, owner: string): Promise<void> {
  const [schema] = (
    await db.query(
      `SELECT current_schema() AS name, pg_get_userbyid(nspowner) NOT IN ('pg_database_owner', $1::text) AS foreign_owner FROM pg_namespace WHERE nspname = current_schema()`,
      [owner],
    )
  ).rows;
  if (schema.foreign_owner) await db.query(`ALTER SCHEMA ${escapeIdentifier(schema.name)} OWNER TO ${escapeIdentifier(owner)}`);
  await db.query(`REVOKE CREATE ON SCHEMA ${escapeIdentifier(schema.name)} FROM PUBLIC`);
  const { rows } = await db.query(
    `SELECT format('ALTER %s %s OWNER TO %I', o.kind, o.name, $1::text) AS statement
       FROM (
         SELECT CASE c.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END AS kind,
                c.oid::regclass::text AS name, c.relowner AS owner, c.oid, 'pg_class'::regclass AS classid
           FROM pg_class c
          WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
            -- a serial or identity sequence follows its table
            AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('a', 'i'))
         UNION ALL
         SELECT 'ROUTINE', p.oid::regprocedure::text, p.proowner, p.oid, 'pg_proc'::regclass
           FROM pg_proc p WHERE p.pronamespace = current_schema()::regnamespace
         UNION ALL
         SELECT 'TYPE', t.oid::regtype::text, t.typowner, t.oid, 'pg_type'::regclass
           FROM pg_type t
          WHERE t.typnamespace = current_schema()::regnamespace AND t.typrelid = 0
            AND NOT EXISTS (SELECT 1 FROM pg_type a WHERE a.typarray = t.oid)
       ) o
      WHERE o.owner <> (SELECT oid FROM pg_roles WHERE rolname = $1::text)
        AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = o.classid AND d.objid = o.oid AND d.deptype = 'e')`,
    [owner],
  );
  for (const { statement } of rows) await db.query(statement);
}

async function ignoringDuplicate(query: Promise<unknown>): Promise<void> {
  try {
    await query;
  } catch (err) {
    if (!DUPLICATE.has((err as { code?: string }).code ?? '')) throw err;
  }
}
