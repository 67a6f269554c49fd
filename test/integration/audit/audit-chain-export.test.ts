import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportAuditChain, verifyAuditExport } from '@sne/core/audit/audit-export';
import { asSuperuser, Db, dropOpenedDatabases, expectBroken, sealedDb, verify } from './audit-chain-support';

// A hole in the audit ids waits for every older transaction on the server (see sealAll).
jest.setTimeout(240_000);

/**
 * The audit chain's export against the real PostgreSQL: every link in seq order with the event as
 * hashed, verified offline; an edited, deleted, swapped or reformatted line is named, and a
 * tampered database exports a file that fails the same way.
 */

afterAll(dropOpenedDatabases);

describe('export, verified offline', () => {
  let db: Db;
  let dir: string;
  let lines: string[];

  beforeAll(async () => {
    db = await sealedDb();
    dir = mkdtempSync(join(tmpdir(), 'sne-audit-'));
    lines = [];
    for await (const page of exportAuditChain((sql, params) => db.ds.query(sql, params), 10)) lines.push(...page);
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function file(name: string, content: string[]): string {
    const path = join(dir, name);
    writeFileSync(path, content.join('\n') + '\n');
    return path;
  }

  it('exports every link in seq order with the event as hashed, and the file verifies', async () => {
    expect(lines).toHaveLength(48);
    const first = JSON.parse(lines[0]);
    expect(first).toMatchObject({ seq: 1, prevHash: '0'.repeat(64), hash: expect.stringMatching(/^[0-9a-f]{64}$/), event: { action: 'notice.created' } });
    const report = await verifyAuditExport(file('ok.jsonl', lines));
    const inDb = await verify(db.ds);
    expect(report).toEqual({ ok: true, source: 'file', checked: 48, head: inDb.head });
  });

  it('an edited line: content changed, naming its event', async () => {
    const edited = [...lines];
    const event = JSON.parse(edited[12]).event;
    edited[12] = edited[12].replace('"pending"', '"delivered"');
    expect(edited[12]).not.toEqual(lines[12]);
    expectBroken(await verifyAuditExport(file('edited.jsonl', edited)), { seq: 13, id: String(event.id), action: event.action, problem: 'content changed' });
  });

  it('a deleted line: missing event, naming the event after the gap', async () => {
    const cut = lines.filter((_, i) => i !== 7);
    const next = JSON.parse(lines[8]).event;
    expectBroken(await verifyAuditExport(file('cut.jsonl', cut)), { seq: 9, id: String(next.id), problem: 'missing event' });
  });

  it('two lines swapped: out of order', async () => {
    const swapped = [...lines];
    [swapped[20], swapped[25]] = [swapped[25], swapped[20]];
    const moved = JSON.parse(lines[25]);
    expectBroken(await verifyAuditExport(file('swapped.jsonl', swapped)), { seq: moved.seq, id: String(moved.event.id), problem: 'out of order' });
  });

  it('a line rewritten by a JSON tool: named, as not the line that was exported', async () => {
    const reformatted = [...lines];
    reformatted[3] = JSON.stringify(JSON.parse(lines[3]));
    const event = JSON.parse(lines[3]).event;
    expectBroken(await verifyAuditExport(file('reformatted.jsonl', reformatted)), { seq: 4, id: String(event.id), problem: 'content changed' });
  });

  it('the tampered database exports a file that fails the same way', async () => {
    const target = JSON.parse(lines[30]).event;
    await asSuperuser(db.url, `UPDATE audit_events SET entity_id = 'd-999' WHERE id = ${target.id}`);
    const tampered: string[] = [];
    for await (const page of exportAuditChain((sql, params) => db.ds.query(sql, params))) tampered.push(...page);
    const fromFile = await verifyAuditExport(file('tampered.jsonl', tampered));
    const fromDb = await verify(db.ds);
    expectBroken(fromFile, { seq: 31, id: String(target.id), entityId: 'd-999', problem: 'content changed' });
    expect(fromDb.firstBroken).toEqual(fromFile.firstBroken);
    expect(readFileSync(join(dir, 'ok.jsonl'), 'utf8')).toContain(`"entityId": "${target.entityId}"`);
  });
});
