import { createHash } from 'node:crypto';

/**
 * The audit log's hash chain: how a link is computed, and how the chain is walked and checked in
 * the database (export files: audit-export.ts).
 *
 * A link (table `audit_chain`, written by the sealer, see audit-sealer.ts) is
 *   seq        1, 2, 3, … without gaps: the event's position in the chain
 *   event_id   the audit event; ids increase along the chain
 *   prev_hash  the previous link's hash (64 zero hex digits for seq 1)
 *   hash       sha256( hex(prev_hash) || canonical text of the event ), UTF-8
 *
 * The canonical text is computed by PostgreSQL (`canonicalEventSql`): the jsonb text of an object
 * (`canonicalEventJsonbSql`) holding every content field: id, at (UTC, microseconds), actor,
 * agency, action, entity, before and after. jsonb text is deterministic (keys sorted, fixed
 * spacing, numbers exactly as stored), so nothing depends on how JavaScript would round a
 * timestamp or a number.
 *
 * An export is JSON lines, one link per line, in seq order, with the canonical text embedded
 * verbatim, so a file can be checked offline byte for byte:
 *   {"seq":1,"prevHash":"00…","hash":"ab…","event":{"at": "…", "id": 1, …}}
 */

export const GENESIS_HASH = '0'.repeat(64);
/** pg_try_advisory_xact_lock key of the sealer (7264001 is the migrations'). */
export const AUDIT_SEALER_LOCK = 7264002;
/** Unsealed events older than this mean the sealer is lagging (reported, not a break). */
export const SEAL_LAG_SECONDS = 60;

export type ChainProblem = 'content changed' | 'missing event' | 'out of order' | 'hash mismatch' | 'inserted event';

export interface BrokenLink {
  /** The chain position where the chain breaks (null for an event that is not in the chain at all). */
  seq: number | null;
  /** The audit event named (for a deleted event: the id its link still names). */
  id: string | null;
  action: string | null;
  entityType: string | null;
  entityId: string | null;
  problem: ChainProblem;
  detail: string;
}

export interface AuditChainReport {
  ok: boolean;
  source: 'database' | 'file';
  /** Links verified intact, from seq 1 (up to the break, if any). */
  checked: number;
  /** The last link verified: compare its hash with one kept elsewhere to detect a cut-off tail. */
  head: { seq: number; id: string; hash: string } | null;
  firstBroken?: BrokenLink;
  /** When an anchor (a hash kept from an earlier check) was given: where the chain still has it. */
  anchor?: { hash: string; foundAtSeq: number | null };
  /** Database only: events not sealed yet. Not a break; `lagging` when the oldest is older than a minute. */
  unsealed?: { count: number; oldestId: string | null; oldestAt: string | null; lagging: boolean };
}

/** Runs one statement and returns its rows (a TypeORM DataSource/EntityManager `query`, or a pg client's rows). */
export type Query = (sql: string, params?: unknown[]) => Promise<any[]>;

/**
 * The canonical text of the audit event aliased `e`, as the chain hashes it: by definition the
 * jsonb text of the object `canonicalEventJsonbSql` builds. Written out here in jsonb's own key
 * order (shorter keys first, then bytewise) and spacing, with each value as jsonb writes it
 * (strings through the same escaping as to_json, numbers and nested jsonb as their text), which
 * costs the sealer about half of building the jsonb object and printing it.
 * audit-canonical-text.test.ts holds the two byte for byte to each other over every kind of value
 * a column can hold.
 */
export function canonicalEventSql(e = 'e'): string {
  const str = (col: string) => `coalesce(to_json(${e}.${col})::text, 'null')`;
  return `('{"at": "' || to_char(${e}.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') ||
      '", "id": ' || ${e}.id::text ||
      ', "after": ' || coalesce(${e}.after::text, 'null') ||
      ', "action": ' || ${str('action')} ||
      ', "before": ' || coalesce(${e}.before::text, 'null') ||
      ', "actorId": ' || ${str('actor_id')} ||
      ', "agencyId": ' || ${str('agency_id')} ||
      ', "entityId": ' || ${str('entity_id')} ||
      ', "actorType": ' || ${str('actor_type')} ||
      ', "entityType": ' || ${str('entity_type')} || '}')`;
}

/** The definition of the canonical text: the jsonb text of an object of every content field. */
export function canonicalEventJsonbSql(e = 'e'): string {
  return `jsonb_build_object(
      'id', ${e}.id,
      'at', to_char(${e}.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
      'actorType', ${e}.actor_type, 'actorId', ${e}.actor_id, 'agencyId', ${e}.agency_id,
      'action', ${e}.action, 'entityType', ${e}.entity_type, 'entityId', ${e}.entity_id,
      'before', ${e}.before, 'after', ${e}.after)::text`;
}

export function chainHash(prevHash: string, canonical: string): string {
  return createHash('sha256').update(prevHash, 'utf8').update(canonical, 'utf8').digest('hex');
}

// --- walking the chain ------------------------------------------------------------------------------

/** One link as the walker sees it, from the database or from an export line. */
export interface ChainLink {
  seq: number;
  /** The event id the link names (database), or the one in the exported event (file). */
  eventId: string | null;
  prevHash: string;
  hash: string;
  /** The event's canonical text; null when the event is gone. */
  content: string | null;
  action: string | null;
  entityType: string | null;
  entityId: string | null;
  /** Set when the line could not be read as an export line (file only). */
  unreadable?: string;
}

/**
 * Checks links in seq order and stops at the first broken one. Each link is judged with the next
 * one in view (one link of lookahead), which tells a reordering from an edit and an edited event
 * from an edited stored hash.
 */
export class ChainWalker {
  checked = 0;
  head: AuditChainReport['head'] = null;
  broken?: BrokenLink;
  private expectedSeq = 1;
  private prevHash = GENESIS_HASH;
  private lastId = -1n;
  private pending?: ChainLink;
  /** The last link accepted, and the head before it (to take it back if a later link shows it rewritten). */
  private previous?: { head: AuditChainReport['head']; named: Omit<BrokenLink, 'problem' | 'detail'> };

  /** The seq whose hash is the anchor, once met. */
  anchorSeq: number | null = null;

  /**
   * `seqExists` tells a missing position from one that appears elsewhere (files can be reordered);
   * `anchor` is a hash kept from an earlier check, which an intact chain still contains.
   */
  constructor(
    private readonly seqExists: (seq: number) => boolean = () => false,
    private readonly anchor?: string,
  ) {}

  /** Feeds the next link; false once the chain is broken (stop feeding). */
  push(link: ChainLink): boolean {
    if (this.broken) return false;
    if (this.pending) this.judge(this.pending, link);
    this.pending = link;
    return !this.broken;
  }

  end(): void {
    if (this.pending && !this.broken) this.judge(this.pending, undefined);
    this.pending = undefined;
  }

  private judge(l: ChainLink, next: ChainLink | undefined): void {
    const fail = (problem: ChainProblem, detail: string) => {
      this.broken = { seq: Number.isFinite(l.seq) ? l.seq : null, id: l.eventId, action: l.action, entityType: l.entityType, entityId: l.entityId, problem, detail };
    };
    if (l.unreadable) return fail('content changed', l.unreadable);
    if (l.seq < this.expectedSeq) return fail('out of order', `seq ${l.seq} appears again after seq ${this.expectedSeq - 1}`);
    if (l.seq > this.expectedSeq) {
      const gap = l.seq === this.expectedSeq + 1 ? `seq ${this.expectedSeq}` : `seq ${this.expectedSeq}–${l.seq - 1}`;
      if (this.seqExists(this.expectedSeq)) return fail('out of order', `seq ${l.seq} appears where ${gap} belongs`);
      return fail('missing event', `${gap} missing before this event`);
    }
    if (l.content === null) return fail('missing event', `the event of seq ${l.seq} (id ${l.eventId}) has been deleted`);
    const id = BigInt(l.eventId!);
    if (id <= this.lastId) return fail('out of order', `event ${id} is chained after event ${this.lastId}`);
    if (next && next.seq === l.seq + 1 && next.eventId !== null && !next.unreadable) {
      const nextId = BigInt(next.eventId);
      if (nextId < id && nextId > this.lastId) return fail('out of order', `event ${id} is chained before event ${nextId}, which has a smaller id`);
    }
    if (l.prevHash !== this.prevHash) {
      // In its place and intact on its own, yet chained to another hash than the previous link's:
      // that link was rewritten together with its hash (this one still chains to the original).
      const previous = this.previous;
      if (previous && chainHash(l.prevHash, l.content) === l.hash) {
        this.broken = {
          ...previous.named,
          problem: 'content changed',
          detail: `the event and its hash were rewritten: seq ${l.seq} verifies but chains to another hash than this one's (or its own link was rewritten)`,
        };
        this.checked--;
        this.head = previous.head;
        if (this.anchorSeq === previous.named.seq) this.anchorSeq = null;
        return;
      }
      return fail('hash mismatch', `prev_hash is not the hash of seq ${l.seq - 1}`);
    }
    const computed = chainHash(l.prevHash, l.content);
    if (computed !== l.hash) {
      if (next && next.prevHash === computed) return fail('hash mismatch', 'the stored hash was altered (the content still matches the chain)');
      return fail('content changed', 'the event no longer matches the hash it was sealed with');
    }
    this.previous = {
      head: this.head,
      named: { seq: l.seq, id: l.eventId, action: l.action, entityType: l.entityType, entityId: l.entityId },
    };
    this.expectedSeq = l.seq + 1;
    this.prevHash = l.hash;
    this.lastId = id;
    this.checked++;
    this.head = { seq: l.seq, id: String(id), hash: l.hash };
    if (this.anchor !== undefined && this.anchorSeq === null && l.hash === this.anchor) this.anchorSeq = l.seq;
  }

  /** The report's verdict: the first break, or a missing anchor when the chain is intact but lacks it. */
  result(source: AuditChainReport['source']): AuditChainReport {
    let broken = this.broken;
    if (!broken && this.anchor !== undefined && this.anchorSeq === null) {
      broken = {
        seq: this.head ? this.head.seq + 1 : 1,
        id: null,
        action: null,
        entityType: null,
        entityId: null,
        problem: 'missing event',
        detail: `no link has the expected hash ${this.anchor}: events were cut from the end, or the chain was rewritten`,
      };
    }
    return {
      ok: !broken,
      source,
      checked: this.checked,
      head: this.head,
      ...(broken ? { firstBroken: broken } : {}),
      ...(this.anchor !== undefined ? { anchor: { hash: this.anchor, foundAtSeq: this.anchorSeq } } : {}),
    };
  }
}

// --- the database -----------------------------------------------------------------------------------

export const PAGE = 5000;

export function linksSql(e = 'e'): string {
  return `SELECT c.seq::text AS seq, c.event_id::text AS event_id, encode(c.prev_hash, 'hex') AS prev_hash, encode(c.hash, 'hex') AS hash,
                 CASE WHEN ${e}.id IS NULL THEN NULL ELSE ${canonicalEventSql(e)} END AS content,
                 ${e}.action, ${e}.entity_type, ${e}.entity_id
            FROM audit_chain c LEFT JOIN audit_events ${e} ON ${e}.id = c.event_id
           WHERE c.seq > $1 ORDER BY c.seq LIMIT $2`;
}

export interface LinkRow {
  seq: string;
  event_id: string;
  prev_hash: string;
  hash: string;
  content: string | null;
  action: string | null;
  entity_type: string | null;
  entity_id: string | null;
}

/**
 * Walks the sealed chain in the database by seq, recomputing every hash; also names an event
 * inside the sealed range that is not in the chain (written in afterwards), and reports events
 * not sealed yet.
 */
export async function verifyAuditChain(query: Query, options: { anchor?: string } = {}): Promise<AuditChainReport> {
  const walker = new ChainWalker(undefined, options.anchor?.toLowerCase());
  let after = 0;
  for (;;) {
    const rows: LinkRow[] = await query(linksSql(), [after, PAGE]);
    for (const r of rows) {
      const pushed = walker.push({
        seq: Number(r.seq),
        eventId: r.event_id,
        prevHash: r.prev_hash,
        hash: r.hash,
        content: r.content,
        action: r.action,
        entityType: r.entity_type,
        entityId: r.entity_id,
      });
      if (!pushed) break;
    }
    if (walker.broken || rows.length < PAGE) break;
    after = Number(rows[rows.length - 1].seq);
  }
  walker.end();
  const walked = walker.result('database');
  let broken = walked.firstBroken;

  const [last]: { seq: string; event_id: string }[] = await query(`SELECT c.seq::text AS seq, c.event_id::text AS event_id FROM audit_chain c ORDER BY c.seq DESC LIMIT 1`);
  const sealedUpTo = last?.event_id ?? '0';
  // An event inside the sealed range without a link: it was written in after its place was sealed.
  const [inserted]: { id: string; action: string; entity_type: string; entity_id: string; next_seq: string | null }[] = await query(
    `SELECT e.id::text AS id, e.action, e.entity_type, e.entity_id,
            (SELECT c2.seq::text FROM audit_chain c2 WHERE c2.event_id > e.id ORDER BY c2.event_id LIMIT 1) AS next_seq
       FROM audit_events e
      WHERE e.id <= $1 AND NOT EXISTS (SELECT 1 FROM audit_chain c WHERE c.event_id = e.id)
      ORDER BY e.id LIMIT 1`,
    [sealedUpTo],
  );
  if (inserted && (!broken || broken.seq === null || (inserted.next_seq !== null && Number(inserted.next_seq) < broken.seq))) {
    broken = {
      seq: null,
      id: inserted.id,
      action: inserted.action,
      entityType: inserted.entity_type,
      entityId: inserted.entity_id,
      problem: 'inserted event',
      detail: `event ${inserted.id} is inside the sealed range${inserted.next_seq ? ` (before seq ${inserted.next_seq})` : ''} but not in the chain`,
    };
  }

  const [u]: { count: number; oldest_id: string | null; oldest_at: string | null; lagging: boolean }[] = await query(
    `SELECT count(*)::int AS count, min(id)::text AS oldest_id,
            to_char(min(at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS oldest_at,
            coalesce(min(at) < now() - make_interval(secs => $2), false) AS lagging
       FROM audit_events WHERE id > $1`,
    [sealedUpTo, SEAL_LAG_SECONDS],
  );
  return {
    ...walked,
    ok: !broken,
    ...(broken ? { firstBroken: broken } : {}),
    unsealed: { count: u.count, oldestId: u.oldest_id, oldestAt: u.oldest_at, lagging: u.lagging },
  };
}

/** One line for people: what the report says. */
export function describeReport(r: AuditChainReport): string {
  const head = r.head ? `head seq ${r.head.seq} (event ${r.head.id}) hash ${r.head.hash}` : 'no sealed events';
  const out: string[] = [];
  if (r.ok) out.push(`audit chain OK: ${r.checked} event(s) checked, ${head}`);
  else {
    const b = r.firstBroken!;
    const what = [b.action, b.entityType && b.entityId ? `${b.entityType} ${b.entityId}` : null].filter(Boolean).join(' on ');
    out.push(
      `audit chain BROKEN at ${b.seq !== null ? `seq ${b.seq}` : 'an unchained event'}` +
        `${b.id ? `, event ${b.id}` : ''}${what ? ` (${what})` : ''}: ${b.problem}: ${b.detail}`,
      `${r.checked} event(s) verified intact before it; last good: ${head}`,
    );
  }
  if (r.anchor && r.anchor.foundAtSeq !== null) out.push(`anchor ${r.anchor.hash} found at seq ${r.anchor.foundAtSeq}`);
  if (r.unsealed && r.unsealed.count > 0) {
    out.push(
      `${r.unsealed.count} event(s) not sealed yet, oldest ${r.unsealed.oldestId} at ${r.unsealed.oldestAt}` +
        (r.unsealed.lagging ? ` (the sealer is lagging: older than ${SEAL_LAG_SECONDS} s)` : ''),
    );
  }
  return out.join('\n');
}
