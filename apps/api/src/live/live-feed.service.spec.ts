import { EventEmitter } from 'node:events';
import type { Request, Response } from 'express';
import type { DataSource } from 'typeorm';
import type { AuditListener, Wake } from './audit-listener.service';
import { BATCH, HEARTBEAT_MS, LiveFeedService, RECHECK_MS } from './live-feed.service';

/** The listener's contract: a high-water mark and wake-ups. */
class FakeListener {
  safe = 0n;
  readonly subscribers = new Set<Wake>();
  async safeId() {
    return this.safe;
  }
  subscribe(wake: Wake) {
    this.subscribers.add(wake);
    return () => void this.subscribers.delete(wake);
  }
  advance(to: bigint) {
    this.safe = to;
    for (const w of this.subscribers) w(to);
  }
}

/** audit_events as the feed's query sees them: ids in (after, upTo], in order, LIMIT 500. */
class FakeDb {
  events: { id: number; action: string }[] = [];
  queries = 0;
  async query(_sql: string, params: string[]) {
    this.queries++;
    const [after, upTo] = [Number(params[0]), Number(params[1])];
    return this.events
      .filter((e) => e.id > after && e.id <= upTo)
      .slice(0, BATCH)
      .map((e) => ({ id: String(e.id), at: new Date(0), action: e.action, entity_type: 'delivery', entity_id: `d${e.id}`, after: null, notice_id: null, agency_id: null }));
  }
}

class FakeResponse extends EventEmitter {
  chunks: string[] = [];
  headers: Record<string, string> = {};
  writableEnded = false;
  destroyed = false;
  status() {
    return this;
  }
  setHeader(k: string, v: string) {
    this.headers[k.toLowerCase()] = v;
  }
  flushHeaders() {}
  write(chunk: string) {
    if (this.writableEnded) throw new Error('write after end');
    this.chunks.push(chunk);
    return true;
  }
  end() {
    this.writableEnded = true;
    this.emit('close');
  }
  get text() {
    return this.chunks.join('');
  }
  get ids() {
    return [...this.text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
  }
}

class FakeRequest extends EventEmitter {
  destroyed = false;
  socket = { setTimeout() {}, setNoDelay() {}, setKeepAlive() {} };
}

const settle = async () => {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
};

describe('LiveFeedService', () => {
  let listener: FakeListener;
  let db: FakeDb;
  let service: LiveFeedService;
  let req: FakeRequest;
  let res: FakeResponse;
  /** What the credential check answers (the controller's re-run of the guard); counts its calls. */
  let allowed: () => Promise<boolean>;
  let checks: number;
  const filter = { kind: 'agency' as const, agencyId: 'a' };

  beforeEach(() => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick'] });
    listener = new FakeListener();
    db = new FakeDb();
    service = new LiveFeedService(db as unknown as DataSource, listener as unknown as AuditListener, { liveFeedRecheckMs: RECHECK_MS });
    req = new FakeRequest();
    res = new FakeResponse();
    allowed = async () => true;
    checks = 0;
  });

  afterEach(() => jest.useRealTimers());

  const open = (last: bigint | null) =>
    service.stream(req as unknown as Request, res as unknown as Response, filter, last, () => {
      checks++;
      return allowed();
    });

  it('replays everything after Last-Event-ID in batches of 500, then sends live events up to the mark only', async () => {
    db.events = Array.from({ length: 1200 }, (_, i) => ({ id: i + 1, action: 'delivery.delivered' }));
    listener.safe = 1200n;
    await open(99n);
    expect(res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(res.ids).toEqual(Array.from({ length: 1101 }, (_, i) => i + 100));
    expect(db.queries).toBe(3); // 500 + 500 + 101

    // Written but beyond the mark (an earlier id may still be in flight): not yet.
    db.events.push({ id: 1201, action: 'acknowledgment.acknowledged' }, { id: 1202, action: 'delivery.created' });
    listener.advance(1200n);
    await settle();
    expect(res.ids.at(-1)).toBe(1200);
    listener.advance(1202n);
    await settle();
    expect(res.ids.slice(-2)).toEqual([1201, 1202]);
    expect(res.text).toContain('id: 1201\nevent: acknowledgment.acknowledged\ndata: {"entityType":"delivery","entityId":"d1201"');
  });

  it('starts at the current mark when there is no Last-Event-ID', async () => {
    db.events = [{ id: 1, action: 'delivery.created' }, { id: 2, action: 'delivery.created' }];
    listener.safe = 2n;
    await open(null);
    expect(res.text).toContain(': connected after 2');
    expect(res.ids).toEqual([]);
    db.events.push({ id: 3, action: 'delivery.delivered' });
    listener.advance(3n);
    await settle();
    expect(res.ids).toEqual([3]);
  });

  it('sends a heartbeat comment every 15 s', async () => {
    await open(null);
    const beats = () => (res.text.match(/^: heartbeat /gm) ?? []).length;
    expect(beats()).toBe(0);
    jest.advanceTimersByTime(HEARTBEAT_MS);
    expect(beats()).toBe(1);
    jest.advanceTimersByTime(2 * HEARTBEAT_MS);
    expect(beats()).toBe(3);
  });

  it('lets go of everything when the client disconnects', async () => {
    await open(null);
    expect(listener.subscribers.size).toBe(1);
    expect(service.openFeeds).toBe(1);
    req.emit('close');
    expect(listener.subscribers.size).toBe(0);
    expect(service.openFeeds).toBe(0);
    expect(res.writableEnded).toBe(true);
    const written = res.chunks.length;
    jest.advanceTimersByTime(10 * HEARTBEAT_MS); // no heartbeat left behind (a write after end would throw)
    db.events.push({ id: 1, action: 'delivery.created' });
    listener.advance(1n);
    await settle();
    expect(res.chunks.length).toBe(written);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('ends every open stream on shutdown, so the HTTP server can close', async () => {
    await open(null);
    await service.onModuleDestroy();
    expect(res.writableEnded).toBe(true);
    expect(listener.subscribers.size).toBe(0);
  });

  it('asks every RECHECK_MS whether the caller may still read, and stays open while it may', async () => {
    await open(null);
    expect(checks).toBe(0);
    for (let i = 0; i < 3; i++) {
      jest.advanceTimersByTime(RECHECK_MS);
      await settle();
    }
    expect(checks).toBe(3);
    expect(res.writableEnded).toBe(false);
    expect(service.openFeeds).toBe(1);
  });

  it('ends the stream, and sends nothing more, once the credentials stop being valid', async () => {
    await open(null);
    allowed = async () => false;
    jest.advanceTimersByTime(RECHECK_MS);
    await settle();
    expect(res.writableEnded).toBe(true);
    expect(res.text).toContain(': credentials no longer valid');
    expect(listener.subscribers.size).toBe(0);
    expect(service.openFeeds).toBe(0);
    const written = res.chunks.length;
    db.events.push({ id: 1, action: 'delivery.created' });
    listener.advance(1n);
    jest.advanceTimersByTime(10 * HEARTBEAT_MS);
    await settle();
    expect(res.chunks.length).toBe(written);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('fails closed: a check that cannot run (database unreachable) ends the stream too', async () => {
    await open(null);
    allowed = async () => {
      throw new Error('connection terminated');
    };
    jest.advanceTimersByTime(RECHECK_MS);
    await settle();
    expect(res.writableEnded).toBe(true);
    expect(service.openFeeds).toBe(0);
  });

  it('runs one check at a time, however slow the database', async () => {
    await open(null);
    let answer: (ok: boolean) => void = () => undefined;
    allowed = () => new Promise((resolve) => (answer = resolve));
    jest.advanceTimersByTime(5 * RECHECK_MS);
    await settle();
    expect(checks).toBe(1);
    answer(true);
    await settle();
    jest.advanceTimersByTime(RECHECK_MS);
    await settle();
    expect(checks).toBe(2);
    expect(res.writableEnded).toBe(false);
  });
});
