import { createServer, Server, Socket } from 'node:net';
import { Client, Pool } from 'pg';
import { QueryFailedError } from 'typeorm';
import { DatabaseAvailability, isDatabaseUnavailable } from './database-availability';

const coded = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('isDatabaseUnavailable', () => {
  it.each([
    ['admin shutdown', coded('57P01', 'terminating connection due to administrator command')],
    ['crash shutdown', coded('57P02')],
    ['cannot connect now', coded('57P03', 'the database system is starting up')],
    ['connection failure (class 08)', coded('08006')],
    ['unable to connect (class 08)', coded('08001')],
    ['protocol violation (class 08)', coded('08P01')],
    ['refused', coded('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')],
    ['reset', coded('ECONNRESET', 'read ECONNRESET')],
    ['a dead client', new Error('Connection terminated unexpectedly')],
    ['a pool timeout', new Error('timeout exceeded when trying to connect')],
    ['a client no longer queryable', new Error('Client has encountered a connection error and is not queryable')],
    ['inside TypeORM', new QueryFailedError('SELECT 1', [], coded('57P01'))],
    ['as a cause', new Error('claim failed', { cause: coded('ECONNREFUSED') })],
    ['inside an AggregateError', new AggregateError([coded('ECONNREFUSED'), coded('ECONNREFUSED')], 'connect failed')],
  ])('yes: %s', (_, err) => {
    expect(isDatabaseUnavailable(err)).toBe(true);
  });

  it.each([
    ['a unique violation', new QueryFailedError('INSERT', [], coded('23505', 'duplicate key'))],
    ['bad text', new QueryFailedError('SELECT', [], coded('22P02', 'invalid input syntax'))],
    ['a missing table', coded('42P01', 'relation does not exist')],
    ['a serialization failure', coded('40001')],
    ['a plain error', new Error('boom')],
    ['nothing', undefined],
    ['a string', 'ECONNREFUSED'],
  ])('no: %s', (_, err) => {
    expect(isDatabaseUnavailable(err)).toBe(false);
  });

  describe('the errors node-postgres really raises', () => {
    let silent: Server;
    const sockets = new Set<Socket>();
    let silentPort: number;
    let closedPort: number;

    beforeAll(async () => {
      // A port that accepts connections and never answers (a hung server), and one nobody listens on.
      silent = createServer((socket) => sockets.add(socket));
      silentPort = await new Promise<number>((r) => silent.listen(0, '127.0.0.1', () => r((silent.address() as { port: number }).port)));
      const probe = createServer();
      closedPort = await new Promise<number>((r) => probe.listen(0, '127.0.0.1', () => r((probe.address() as { port: number }).port)));
      await new Promise((r) => probe.close(r));
    });

    afterAll(async () => {
      sockets.forEach((s) => s.destroy());
      await new Promise((r) => silent.close(r));
    });

    it('a refused connection', async () => {
      const err = await new Client({ host: '127.0.0.1', port: closedPort }).connect().catch((e) => e);
      expect(isDatabaseUnavailable(err)).toBe(true);
    });

    it('a pool that cannot get a connection in time', async () => {
      const pool = new Pool({ host: '127.0.0.1', port: silentPort, connectionTimeoutMillis: 200 });
      const err = await pool.query('SELECT 1').catch((e) => e);
      await pool.end().catch(() => undefined);
      expect(err.message).toMatch(/timeout/);
      expect(isDatabaseUnavailable(err)).toBe(true);
    });
  });
});

describe('DatabaseAvailability', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  function setup(probe: () => Promise<unknown>) {
    const log = { log: jest.fn(), warn: jest.fn() };
    let now = Date.parse('2026-03-01T10:00:00Z');
    const clock = { advance: (ms: number) => (now += ms) };
    const availability = new DatabaseAvailability(probe, log, () => now);
    const changes: boolean[] = [];
    availability.onChange((open) => changes.push(open));
    return { availability, log, clock, changes };
  }

  it('logs an outage once when it starts and once when the probe finds the database back', async () => {
    let up = false;
    const probe = jest.fn(async () => {
      if (!up) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    });
    const { availability, log, clock, changes } = setup(probe);
    expect(availability.isOpen()).toBe(true);

    for (let i = 0; i < 1000; i++) expect(availability.noteFailure(coded('ECONNREFUSED'))).toBe(true);
    expect(availability.isOpen()).toBe(false);
    expect(log.warn).toHaveBeenCalledTimes(1);
    expect(log.warn.mock.calls[0][0]).toMatch(/^database unavailable since 2026-03-01T10:00:00.000Z \(x\)/);
    expect(changes).toEqual([false]);

    // The probe backs off while the database stays away, and says nothing.
    await jest.advanceTimersByTimeAsync(10_000);
    const probesWhileDown = probe.mock.calls.length;
    expect(probesWhileDown).toBeGreaterThan(3);
    expect(probesWhileDown).toBeLessThan(12);
    expect(log.warn).toHaveBeenCalledTimes(1);

    up = true;
    clock.advance(12_300);
    await jest.advanceTimersByTimeAsync(2000);
    expect(availability.isOpen()).toBe(true);
    expect(changes).toEqual([false, true]);
    expect(log.log).toHaveBeenCalledTimes(1);
    expect(log.log.mock.calls[0][0]).toBe('database back after 12.3 s (unavailable since 2026-03-01T10:00:00.000Z)');
    const probesAfter = probe.mock.calls.length;
    await jest.advanceTimersByTimeAsync(10_000);
    expect(probe.mock.calls.length).toBe(probesAfter); // no probing while it answers

    // A second outage is a new state change: logged again.
    availability.noteFailure(coded('57P01'));
    expect(log.warn).toHaveBeenCalledTimes(2);
    availability.close();
  });

  it('leaves other errors to the caller', () => {
    const { availability, log, changes } = setup(async () => undefined);
    expect(availability.noteFailure(coded('23505'))).toBe(false);
    expect(availability.noteFailure(new Error('boom'))).toBe(false);
    expect(availability.isOpen()).toBe(true);
    expect(log.warn).not.toHaveBeenCalled();
    expect(changes).toEqual([]);
  });

  it('asks work that met the outage to wait longer the longer it lasts, up to 30 s', () => {
    const { availability, clock } = setup(() => new Promise(() => undefined));
    expect(availability.retryDelayMs()).toBe(1000);
    availability.noteFailure(coded('ECONNREFUSED'));
    expect(availability.retryDelayMs()).toBe(1000);
    clock.advance(4000);
    expect(availability.retryDelayMs()).toBe(4000);
    clock.advance(600_000);
    expect(availability.retryDelayMs()).toBe(30_000);
    availability.close();
  });
});
