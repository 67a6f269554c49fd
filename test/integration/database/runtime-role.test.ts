import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { audit, createDataSource, runMigrations, systemActor } from '@sne/core';
import { verifyAuditChain } from '@sne/core/audit/audit-chain';
import { AuditChainSealer } from '@sne/core/audit/audit-sealer';
import { createTestDatabase, TestDatabase, testRoles, testRun } from '../../support/test-database';

/**
 * The runtime role, which the apps connect as, cannot rewrite history. Every way we know to
 * change or remove audit events or chain links, or to stop the guard that refuses it, is tried as
 * that role: each is refused, and afterwards nothing in the database differs (triggers, rules,
 * functions, tables, privileges, the role itself, every event and link) and the chain verifies.
 * Its ordinary work still succeeds: writing an event, sealing it. Its privileges are exactly the
 * policy on every table, also on tables a later migration creates, and a privilege granted by
 * hand is taken back at the next migration run.
 */

const { owner, runtime } = testRoles();
const FORGED_ROLE = `sne_${testRun()}_forger`;

/** 42501 insufficient_privilege; a GRANT of privileges one lacks the grant option for only warns and grants nothing. */
type Refusal = '42501' | 'grants nothing';

interface Attempt {
  attempt: string;
  sql: string;
  refused: Refusal;
}

const ATTEMPTS: Attempt[] = [
  // Switch the append-only guard off.
  { attempt: 'disable the user triggers of audit_events', sql: `ALTER TABLE audit_events DISABLE TRIGGER USER`, refused: '42501' },
  { attempt: 'disable all triggers of audit_events', sql: `ALTER TABLE audit_events DISABLE TRIGGER ALL`, refused: '42501' },
  { attempt: 'disable the guard of audit_events by name', sql: `ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only`, refused: '42501' },
  { attempt: 'disable the user triggers of audit_chain', sql: `ALTER TABLE audit_chain DISABLE TRIGGER USER`, refused: '42501' },
  { attempt: 'disable all triggers of audit_chain', sql: `ALTER TABLE audit_chain DISABLE TRIGGER ALL`, refused: '42501' },
  { attempt: 'switch every trigger off for the session', sql: `SET session_replication_role = replica`, refused: '42501' },
  { attempt: 'switch every trigger off through set_config', sql: `SELECT set_config('session_replication_role', 'replica', false)`, refused: '42501' },
  { attempt: 'drop the guard trigger of audit_events', sql: `DROP TRIGGER audit_events_append_only ON audit_events`, refused: '42501' },
  { attempt: 'drop the guard trigger of audit_chain', sql: `DROP TRIGGER audit_chain_append_only ON audit_chain`, refused: '42501' },
  { attempt: 'drop the trigger that orders event ids', sql: `DROP TRIGGER audit_events_xid_first ON audit_events`, refused: '42501' },
  { attempt: 'create a trigger on audit_events', sql: `CREATE TRIGGER audit_events_forge BEFORE INSERT ON audit_events FOR EACH STATEMENT EXECUTE FUNCTION sne_audit_assign_xid()`, refused: '42501' },
  { attempt: 'create a rule that swallows new events', sql: `CREATE RULE audit_events_swallow AS ON INSERT TO audit_events DO INSTEAD NOTHING`, refused: '42501' },
  { attempt: 'turn on row-level security to hide events', sql: `ALTER TABLE audit_events ENABLE ROW LEVEL SECURITY`, refused: '42501' },
  // Change the functions behind the triggers.
  { attempt: 'replace the guard function', sql: `CREATE OR REPLACE FUNCTION sne_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $fn$ BEGIN RETURN NULL; END $fn$`, refused: '42501' },
  { attempt: 'rename the guard function', sql: `ALTER FUNCTION sne_audit_append_only() RENAME TO sne_audit_gone`, refused: '42501' },
  { attempt: 'make the guard function run as someone else', sql: `ALTER FUNCTION sne_audit_append_only() SECURITY DEFINER`, refused: '42501' },
  { attempt: 'drop the guard function and its triggers', sql: `DROP FUNCTION sne_audit_append_only() CASCADE`, refused: '42501' },
  { attempt: 'replace the function that orders event ids', sql: `CREATE OR REPLACE FUNCTION sne_audit_assign_xid() RETURNS trigger LANGUAGE plpgsql AS $fn$ BEGIN RETURN NULL; END $fn$`, refused: '42501' },
  { attempt: 'drop the function that announces events', sql: `DROP FUNCTION sne_audit_notify() CASCADE`, refused: '42501' },
  // Change or remove rows.
  { attempt: 'update an event', sql: `UPDATE audit_events SET action = 'forged' WHERE id = (SELECT max(id) FROM audit_events)`, refused: '42501' },
  { attempt: 'delete an event', sql: `DELETE FROM audit_events WHERE id = (SELECT max(id) FROM audit_events)`, refused: '42501' },
  { attempt: 'truncate audit_events', sql: `TRUNCATE audit_events`, refused: '42501' },
  { attempt: 'update a link', sql: `UPDATE audit_chain SET hash = sha256('forged') WHERE seq = 1`, refused: '42501' },
  { attempt: 'delete a link', sql: `DELETE FROM audit_chain WHERE seq = (SELECT max(seq) FROM audit_chain)`, refused: '42501' },
  { attempt: 'truncate audit_chain', sql: `TRUNCATE audit_chain`, refused: '42501' },
  { attempt: 'move the event id sequence back', sql: `SELECT setval('audit_events_id_seq', 1)`, refused: '42501' },
  // Change the tables.
  { attempt: 'rename audit_events', sql: `ALTER TABLE audit_events RENAME TO audit_events_old`, refused: '42501' },
  { attempt: 'drop a column of audit_events', sql: `ALTER TABLE audit_events DROP COLUMN after`, refused: '42501' },
  { attempt: 'take audit_events over', sql: `ALTER TABLE audit_events OWNER TO CURRENT_USER`, refused: '42501' },
  { attempt: 'drop audit_events', sql: `DROP TABLE audit_events`, refused: '42501' },
  { attempt: 'drop audit_chain', sql: `DROP TABLE audit_chain`, refused: '42501' },
  // Create anything.
  { attempt: 'create a table', sql: `CREATE TABLE audit_events_copy (LIKE audit_events)`, refused: '42501' },
  { attempt: 'create a function', sql: `CREATE FUNCTION sne_forge() RETURNS int LANGUAGE sql AS 'SELECT 1'`, refused: '42501' },
  { attempt: 'create a schema of its own, which its search path would read first', sql: `CREATE SCHEMA AUTHORIZATION CURRENT_USER`, refused: '42501' },
  // Grant itself more.
  { attempt: 'grant itself UPDATE, DELETE and TRUNCATE on audit_events', sql: `GRANT UPDATE, DELETE, TRUNCATE ON audit_events TO CURRENT_USER`, refused: 'grants nothing' },
  { attempt: 'grant itself TRIGGER on audit_events', sql: `GRANT TRIGGER ON audit_events TO CURRENT_USER`, refused: 'grants nothing' },
  { attempt: 'grant itself every privilege on audit_chain', sql: `GRANT ALL ON audit_chain TO CURRENT_USER`, refused: 'grants nothing' },
  { attempt: 'grant itself CREATE on the schema', sql: `GRANT CREATE ON SCHEMA public TO CURRENT_USER`, refused: 'grants nothing' },
  { attempt: 'become the schema owner', sql: `SET ROLE ${owner.name}`, refused: '42501' },
  { attempt: 'make itself a member of the schema owner', sql: `GRANT ${owner.name} TO CURRENT_USER`, refused: '42501' },
  { attempt: 'make itself a superuser', sql: `ALTER ROLE CURRENT_USER SUPERUSER`, refused: '42501' },
  { attempt: 'let itself create roles', sql: `ALTER ROLE CURRENT_USER CREATEROLE`, refused: '42501' },
  { attempt: 'create a superuser', sql: `CREATE ROLE ${FORGED_ROLE} SUPERUSER LOGIN`, refused: '42501' },
];

let database: TestDatabase;
let admin: Client;
let app: DataSource;

beforeAll(async () => {
  database = await createTestDatabase();
  admin = new Client({ connectionString: database.url });
  await admin.connect();
  app = createDataSource(database.runtimeUrl, { poolSize: 4, applicationName: 'sne-runtime-role-test' });
  await app.initialize();
  // A log to protect, written and sealed the way the apps do it: as the runtime role.
  for (let i = 0; i < 5; i++) {
    await app.transaction((m) => audit(m, systemActor('test'), { action: 'notice.created', entityType: 'notice', entityId: `n-${i}`, after: { title: `Notice ${i}` } }));
  }
  await new AuditChainSealer(app).sealAvailable();
});

afterAll(async () => {
  await app?.destroy();
  await admin?.end();
  await database?.drop();
});

/** What an attempt could have changed, as readable lines (a difference names itself). */
async function snapshot(): Promise<string[]> {
  const { rows } = await admin.query(
    `SELECT 'trigger ' || tgrelid::regclass || '.' || tgname || ' enabled=' || tgenabled::text || ' function=' || tgfoid::regprocedure AS line FROM pg_trigger WHERE NOT tgisinternal
     UNION ALL SELECT 'rule ' || ev_class::regclass || '.' || rulename FROM pg_rewrite WHERE ev_class IN ('audit_events'::regclass, 'audit_chain'::regclass)
     UNION ALL SELECT 'function ' || p.oid::regprocedure || ' owner=' || pg_get_userbyid(p.proowner) || ' definer=' || p.prosecdef || ' body=' || md5(p.prosrc)
                FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace
     UNION ALL SELECT 'relation ' || c.oid::regclass || ' kind=' || c.relkind::text || ' owner=' || pg_get_userbyid(c.relowner) || ' rls=' || c.relrowsecurity
                      || ' acl=' || coalesce(c.relacl::text, '-')
                      || ' columns=' || (SELECT string_agg(a.attname, ',' ORDER BY a.attnum) FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped)
                FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace
     UNION ALL SELECT 'schema ' || nspname || ' owner=' || pg_get_userbyid(nspowner) || ' acl=' || coalesce(nspacl::text, '-')
                FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema'
     UNION ALL SELECT 'role ' || r.rolname || ' super=' || r.rolsuper || ' createrole=' || r.rolcreaterole
                      || ' member of=' || coalesce((SELECT string_agg(m.roleid::regrole::text, ',') FROM pg_auth_members m WHERE m.member = r.oid), '-')
                FROM pg_roles r WHERE r.rolname IN ($1, $2)
     UNION ALL SELECT 'sequence audit_events_id_seq at ' || last_value FROM audit_events_id_seq
     UNION ALL SELECT 'events ' || count(*) || ' ' || md5(coalesce(string_agg(e::text, '|' ORDER BY e.id), '')) FROM audit_events e
     UNION ALL SELECT 'links ' || count(*) || ' ' || md5(coalesce(string_agg(c::text, '|' ORDER BY c.seq), '')) FROM audit_chain c`,
    [runtime.name, FORGED_ROLE],
  );
  return rows.map((r) => r.line).sort();
}

describe('as the runtime role, every way to rewrite history is refused', () => {
  let before: string[];

  beforeAll(async () => {
    before = await snapshot();
    expect(before).toContainEqual(expect.stringMatching(/^events 5 /));
    expect(before).toContainEqual(expect.stringMatching(/^links 5 /));
  });

  it.each(ATTEMPTS)('$attempt: $sql', async ({ sql, refused }) => {
    const c = new Client({ connectionString: database.runtimeUrl });
    const notices: string[] = [];
    c.on('notice', (n) => notices.push(n.message ?? ''));
    await c.connect();
    try {
      const outcome = await c.query(sql).then(
        () => null,
        (err: { code: string; message: string }) => err,
      );
      if (refused === '42501') {
        expect(outcome).toMatchObject({ code: '42501' });
      } else {
        expect(outcome).toBeNull();
        expect(notices).toContainEqual(expect.stringMatching(/^no privileges were granted/));
      }
      expect((await c.query(`SELECT current_user AS role, current_setting('session_replication_role') AS mode`)).rows[0]).toEqual({ role: runtime.name, mode: 'origin' });
    } finally {
      await c.end();
    }
    expect(await snapshot()).toEqual(before);
    expect(await verifyAuditChain(async (q, p) => (await admin.query(q, p)).rows)).toMatchObject({ ok: true, checked: 5 });
  });

  it('still writes an event, and seals it into the chain', async () => {
    await app.transaction((m) => audit(m, systemActor('test'), { action: 'topic.created', entityType: 'topic', entityId: 't-1' }));
    expect(await new AuditChainSealer(app).sealAvailable()).toBe(1);
    expect(await verifyAuditChain((q, p) => app.query(q, p))).toMatchObject({ ok: true, checked: 6, unsealed: { count: 0 } });
  });
});

const CRUD = ['SELECT', 'INSERT', 'UPDATE', 'DELETE'];
/** The tables whose privileges differ from CRUD; a table a migration adds to this list must be added here by hand. */
const RESTRICTED: Record<string, string[]> = {
  audit_events: ['SELECT', 'INSERT'],
  audit_chain: ['SELECT', 'INSERT'],
  migrations: ['SELECT'],
};

/** Every privilege the runtime role holds on every table of the schema. */
async function tablePrivileges(c: Client): Promise<Record<string, string[]>> {
  const { rows } = await c.query(
    `SELECT c.relname AS name,
            ARRAY(SELECT p FROM unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER']) p
                   WHERE has_table_privilege($1, c.oid, p)) AS held
       FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') ORDER BY c.relname`,
    [runtime.name],
  );
  return Object.fromEntries(rows.map((r) => [r.name, r.held]));
}

describe('the runtime role holds exactly the policy', () => {
  it('on every table: CRUD, and only SELECT and INSERT on the append-only ones; no TRUNCATE, REFERENCES or TRIGGER anywhere', async () => {
    const held = await tablePrivileges(admin);
    expect(Object.keys(held).length).toBeGreaterThan(15);
    for (const [table, privileges] of Object.entries(held)) expect({ table, privileges }).toEqual({ table, privileges: RESTRICTED[table] ?? CRUD });
    // The append-only tables are those the guard protects: the list above is the whole of them.
    const { rows } = await admin.query(`SELECT DISTINCT tgrelid::regclass::text AS name FROM pg_trigger WHERE tgfoid = 'sne_audit_append_only'::regproc ORDER BY 1`);
    expect(rows.map((r) => r.name)).toEqual(['audit_chain', 'audit_events']);
  });

  it('on the schema, the database and the sequences: use, never create or move', async () => {
    const { rows } = await admin.query(
      `SELECT has_schema_privilege($1, 'public', 'USAGE') AS schema_usage, has_schema_privilege($1, 'public', 'CREATE') AS schema_create,
              has_database_privilege($1, current_database(), 'CREATE') AS database_create,
              bool_and(has_sequence_privilege($1, s.oid, 'USAGE')) AS sequences_usage, bool_or(has_sequence_privilege($1, s.oid, 'UPDATE')) AS sequences_update
         FROM pg_class s WHERE s.relnamespace = 'public'::regnamespace AND s.relkind = 'S'`,
      [runtime.name],
    );
    expect(rows[0]).toEqual({ schema_usage: true, schema_create: false, database_create: false, sequences_usage: true, sequences_update: false });
  });
});

describe('grants follow the schema at every migration run', () => {
  let later: TestDatabase;
  let ownerDs: DataSource;

  beforeAll(async () => {
    later = await createTestDatabase();
    ownerDs = createDataSource(later.ownerUrl, { poolSize: 2, applicationName: 'sne-runtime-role-test' });
    await ownerDs.initialize();
  });

  afterAll(async () => {
    await ownerDs?.destroy();
    await later?.drop();
  });

  it('a table created later gets CRUD, one created append-only gets SELECT and INSERT; a privilege granted by hand is taken back', async () => {
    // What a later migration might do, run as the owner as migrations are.
    await ownerDs.query(`CREATE TABLE later_notes (id bigserial PRIMARY KEY, body text NOT NULL)`);
    await ownerDs.query(`CREATE TABLE later_log (id bigserial PRIMARY KEY, body text NOT NULL)`);
    await ownerDs.query(`CREATE TRIGGER later_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON later_log FOR EACH STATEMENT EXECUTE FUNCTION sne_audit_append_only()`);
    await ownerDs.query(`GRANT UPDATE, TRUNCATE ON audit_events TO ${runtime.name}`);

    await runMigrations(ownerDs, { grantTo: runtime.name });

    const c = new Client({ connectionString: later.url });
    await c.connect();
    try {
      const held = await tablePrivileges(c);
      expect(held.later_notes).toEqual(CRUD);
      expect(held.later_log).toEqual(['SELECT', 'INSERT']);
      expect(held.audit_events).toEqual(['SELECT', 'INSERT']);
    } finally {
      await c.end();
    }
    const asRuntime = new Client({ connectionString: later.runtimeUrl });
    await asRuntime.connect();
    try {
      await asRuntime.query(`INSERT INTO later_notes (body) VALUES ('a'), ('b')`);
      await asRuntime.query(`UPDATE later_notes SET body = 'c'`);
      await asRuntime.query(`INSERT INTO later_log (body) VALUES ('a')`);
      await expect(asRuntime.query(`UPDATE later_log SET body = 'b'`)).rejects.toMatchObject({ code: '42501' });
    } finally {
      await asRuntime.end();
    }
  });
});
