import type { DataSource, QueryRunner } from 'typeorm';
import { AUDIT_SEALER_LOCK, GENESIS_HASH } from './audit-chain';

export interface SealResult {
  /** Links written by this round. */
  sealed: number;
  /** Another sealer held the lock: nothing was done. */
  busy: boolean;
  /** A hole in the ids stops sealing until the transactions that could fill it have ended. */
  blocked: boolean;
  /** A full batch was sealed: there may be more right away. */
  more: boolean;
  head: { seq: number; eventId: string } | null;
  /** The first event id that is waiting on a hole, when blocked. */
  waitingAt: string | null;
}

/**
 * Seals committed audit events into the hash chain (`audit_chain`), in id order, one batch per
 * transaction. Writers never wait for it: events are inserted as before, and sealed after they
 * commit. Safe with several instances: a round runs only under pg_try_advisory_xact_lock, and
 * seq and event_id are unique anyway.
 *
 * Ids are drawn before commit, so event 11 can commit before event 10. A round seals the events
 * that follow the head with no hole in their ids. At a hole it proves, rather than guesses, when
 * the hole is final:
 *
 *  1. Every INSERT into audit_events takes its transaction id before drawing an event id (the
 *     `audit_events_xid_first` trigger), and ids are handed out in increasing order.
 *  2. The round reads the visible events and M, the largest id visible; every id below M was
 *     drawn before M, so by a transaction that already had a transaction id then.
 *  3. After that read the round takes a transaction id F of its own (the fence): F is larger than
 *     the id of every transaction that may still write an event id ≤ M.
 *  4. Once a later snapshot has xmin ≥ F, all those transactions have ended: every id ≤ M is
 *     committed or will never exist, and the events up to M are sealed, skipping the holes.
 *
 * A transaction that keeps an event uncommitted for long holds the chain back (never sealing out
 * of order); the verification reports events left unsealed for over a minute.
 */
export class AuditChainSealer {
  /** A pending proof: ids ≤ upTo are final once every transaction id < xid has ended. */
  private fence: { upTo: bigint; xid: bigint } | null = null;
  /** Every id ≤ finalUpTo is committed or will never exist. */
  private finalUpTo = 0n;
  /** The highest seq seen: a chain that shrinks was reset, and the proofs with it. */
  private seenSeq = 0n;

  constructor(
    private readonly db: DataSource,
    private readonly batch = 5000,
  ) {}

  /** True while a hole is waiting for its proof (a quick recheck pays off). */
  get waiting(): boolean {
    return this.fence !== null;
  }

  /** One round: at most `batch` events sealed in one transaction. */
  async sealOnce(): Promise<SealResult> {
    const q = this.db.createQueryRunner();
    await q.connect();
    try {
      await q.startTransaction('READ COMMITTED');
      try {
        const result = await this.round(q);
        await q.commitTransaction();
        return result;
      } catch (err) {
        await q.rollbackTransaction().catch(() => undefined);
        throw err;
      }
    } finally {
      await q.release();
    }
  }

  /** Rounds until nothing more can be sealed now (or `maxRounds`); returns the links written. */
  async sealAvailable(maxRounds = 1000): Promise<number> {
    let total = 0;
    for (let i = 0; i < maxRounds; i++) {
      const r = await this.sealOnce();
      total += r.sealed;
      if (r.busy || !r.more) break;
    }
    return total;
  }

  /** The log was emptied and restarted under us (maintenance): what was proven about the old ids says nothing now. */
  private restarted(): SealResult {
    this.finalUpTo = 0n;
    this.fence = null;
    this.seenSeq = 0n;
    return { sealed: 0, busy: false, blocked: false, more: true, head: null, waitingAt: null };
  }

  private async round(q: QueryRunner): Promise<SealResult> {
    const [{ locked }] = await q.query(`SELECT pg_try_advisory_xact_lock($1) AS locked`, [AUDIT_SEALER_LOCK]);
    if (!locked) return { sealed: 0, busy: true, blocked: false, more: false, head: null, waitingAt: null };

    if (this.fence) {
      // This transaction has no transaction id yet, so xmin is the oldest one still running.
      const [{ xmin }] = await q.query(`SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin`);
      if (BigInt(xmin) >= this.fence.xid) {
        if (this.fence.upTo > this.finalUpTo) this.finalUpTo = this.fence.upTo;
        this.fence = null;
      }
    }

    const [head]: { seq: string; event_id: string; hash: string }[] = await q.query(
      `SELECT c.seq::text AS seq, c.event_id::text AS event_id, encode(c.hash, 'hex') AS hash FROM audit_chain c ORDER BY c.seq DESC LIMIT 1`,
    );
    let seq = head ? BigInt(head.seq) : 0n;
    let last = head ? BigInt(head.event_id) : 0n;
    const prev = head?.hash ?? GENESIS_HASH;

    // One statement: the batch's ids and the largest visible id come from the same snapshot. Only
    // ids first: while a hole waits for its proof, each look costs an index scan, not the canonical
    // text of the whole batch again.
    const batch: { id: string; max: string }[] = await q.query(
      // e.id, not the alias: ordered as numbers, not as text.
      `SELECT e.id::text AS id, (SELECT max(id)::text FROM audit_events) AS max FROM audit_events e WHERE e.id > $1 ORDER BY e.id LIMIT $2`,
      [last.toString(), this.batch],
    );
    if (seq < this.seenSeq || (batch.length > 0 && BigInt(batch[0].max) < this.finalUpTo)) return this.restarted();

    // The run that can be sealed now: ids in sequence, or proven final (below the fence).
    let waitingAt: string | null = null;
    const ids: string[] = [];
    for (let i = 0, next = last; i < batch.length; i++) {
      const id = BigInt(batch[i].id);
      if (id !== next + 1n && id > this.finalUpTo) {
        waitingAt = batch[i].id;
        break;
      }
      ids.push(batch[i].id);
      next = id;
    }
    if (waitingAt !== null && !this.fence) {
      // Taken after the read: larger than the transaction id of anyone who may still fill a hole ≤ max.
      const [{ xid }] = await q.query(`SELECT pg_current_xact_id()::text AS xid`);
      this.fence = { upTo: BigInt(batch[0].max), xid: BigInt(xid) };
    }

    // Committed events stay (the log is append-only), so each id read above has its text now.
    // PostgreSQL links them (migration 1764500000000): the canonical texts and the hashes never
    // leave it. A NULL head: an id had no event, the log was reset under us, nothing was written.
    if (ids.length > 0) {
      const [linked]: { head: string | null }[] = await q.query(
        `SELECT encode(head, 'hex') AS head FROM sne_audit_seal($1::bigint[], $2::bigint, decode($3, 'hex'))`,
        [ids, (seq + 1n).toString(), prev],
      );
      if (linked.head === null) return this.restarted();
      seq += BigInt(ids.length);
      last = BigInt(ids[ids.length - 1]);
    }
    this.seenSeq = seq;
    return {
      sealed: ids.length,
      busy: false,
      blocked: waitingAt !== null,
      more: waitingAt === null && batch.length === this.batch,
      head: seq > 0n ? { seq: Number(seq), eventId: last.toString() } : null,
      waitingAt,
    };
  }
}
