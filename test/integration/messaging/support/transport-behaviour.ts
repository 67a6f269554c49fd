import type { INestMicroservice } from '@nestjs/common';
import { CustomTransportStrategy } from '@nestjs/microservices';
import { throwError, timer, map } from 'rxjs';
import {
  ConsumerSpec,
  DEFAULT_RETRY_DELAY_MS,
  JetStreamContext,
  OutgoingMessage,
  PermanentFailure,
  RetryLater,
  Subjects,
  WorkConsumers,
  WorkGate,
  WorkPublisher,
} from '@sne/messaging';
import { sleep, waitFor } from './wait-for';
import { Behaviour, startWorkApp } from './work-test-app';

/** One isolated broker scope (a fresh stream, or a fresh in-process broker) for one test. */
export interface TransportScope {
  publisher: WorkPublisher;
  server(consumers: ConsumerSpec[], shutdownGraceMs?: number, gate?: WorkGate): CustomTransportStrategy & WorkConsumers;
  /** Messages stored and not yet acknowledged (for JetStream: the work-queue stream's length). */
  stored(): Promise<number>;
  /** Messages the consumer still owes: waiting, in flight or due for redelivery. */
  outstanding(): Promise<number>;
  dispose(): Promise<void>;
}

interface Seen {
  deliveryId: string;
  ctx: JetStreamContext;
  server: string;
}

const ACK_WAIT_MS = 1000;

function jobSpec(overrides: Partial<ConsumerSpec> = {}): ConsumerSpec {
  return { subject: Subjects.deliveryJobs, durable: 'courier', concurrency: 4, ackWaitMs: ACK_WAIT_MS, ...overrides };
}

/** A gate the test opens and closes by hand (in the apps: DatabaseAvailability). */
class TestGate implements WorkGate {
  private readonly listeners = new Set<(open: boolean) => void>();
  constructor(private open: boolean) {}
  isOpen(): boolean {
    return this.open;
  }
  onChange(listener: (open: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  set(open: boolean): void {
    this.open = open;
    this.listeners.forEach((l) => l(open));
  }
}

function jobs(count: number, tag: string): OutgoingMessage[] {
  return Array.from({ length: count }, (_, i) => ({
    subject: Subjects.deliveryJobs,
    payload: { deliveryId: `${tag}-${i}` },
    msgId: `${tag}-${i}`,
  }));
}

/**
 * The behaviour both transports promise, run through a real Nest microservice whose handler is
 * registered with @EventPattern (so Nest's handler wrapping and RPC exception filter are in the path).
 */
export function describeTransportBehaviour(name: string, newScope: () => Promise<TransportScope>): void {
  describe(`${name} transport behaviour`, () => {
    let scope: TransportScope;
    let apps: INestMicroservice[];
    let seen: Seen[];

    const start = async (behaviour: Behaviour, spec: Partial<ConsumerSpec> = {}, label = 'a', shutdownGraceMs?: number, strategy = scope.server([jobSpec(spec)], shutdownGraceMs)) => {
      const app = await startWorkApp(strategy, async (data, ctx) => {
        seen.push({ deliveryId: data.deliveryId, ctx, server: label });
        return behaviour(data, ctx);
      });
      apps.push(app);
      return app;
    };
    const seenFor = (deliveryId: string) => seen.filter((s) => s.deliveryId === deliveryId);

    beforeEach(async () => {
      scope = await newScope();
      apps = [];
      seen = [];
    });

    afterEach(async () => {
      await Promise.all(apps.map((app) => app.close()));
      await scope.dispose();
    });

    it('delivers each message once with its context, acks on success and empties the work queue', async () => {
      // Odd jobs answer with an Observable, even ones with a Promise: Nest handlers may return either.
      await start((data) => (Number(data.deliveryId.split('-')[1]) % 2 ? timer(5).pipe(map(() => 'done')) : sleep(5)));
      await scope.publisher.publishMany(jobs(20, 'ok'));

      await waitFor(() => seen.length >= 20, '20 deliveries');
      await waitFor(async () => (await scope.stored()) === 0, 'the work queue to empty');
      await sleep(100);
      expect(seen).toHaveLength(20);
      expect(new Set(seen.map((s) => s.deliveryId)).size).toBe(20);
      for (const s of seen) {
        expect(s.ctx).toBeInstanceOf(JetStreamContext);
        expect(s.ctx.subject).toBe(Subjects.deliveryJobs);
        expect(s.ctx.msgId).toBe(s.deliveryId);
        expect(s.ctx.deliveryCount).toBe(1);
      }
    });

    it('buffers messages published before the consumer listens', async () => {
      await scope.publisher.publishMany(jobs(3, 'early'));
      await start(() => undefined);
      await waitFor(() => seen.length >= 3, '3 early deliveries');
      await waitFor(async () => (await scope.outstanding()) === 0, 'nothing outstanding');
    });

    it('redelivers after RetryLater (thrown or as an erroring Observable) after its delay, with the delivery count raised', async () => {
      await start((data, ctx) => {
        if (ctx.deliveryCount > 1) return undefined;
        if (data.deliveryId === 'retry-0') throw new RetryLater(200, 'remote busy');
        if (data.deliveryId === 'retry-1') return throwError(() => new RetryLater(200, 'remote busy'));
        throw new RetryLater(60_000, 'come back much later');
      });
      await scope.publisher.publishMany(jobs(3, 'retry'));

      await waitFor(() => seenFor('retry-0').length >= 2 && seenFor('retry-1').length >= 2, 'the short retries twice');
      for (const id of ['retry-0', 'retry-1']) {
        expect(seenFor(id).map((s) => s.ctx.deliveryCount)).toEqual([1, 2]);
      }
      // The long delay must be honoured too: not redelivered as if it were an ordinary error.
      await sleep(DEFAULT_RETRY_DELAY_MS + 1000);
      expect(seenFor('retry-2')).toHaveLength(1);
      expect(await scope.outstanding()).toBe(1);
    });

    it('terminates on PermanentFailure: never redelivered', async () => {
      await start(() => {
        throw new PermanentFailure('recipient gone');
      });
      await scope.publisher.publish(jobs(1, 'perm')[0]);

      await waitFor(() => seen.length >= 1, 'the first delivery');
      await waitFor(async () => (await scope.outstanding()) === 0, 'the consumer to let the message go');
      // Longer than ack wait and the default retry delay: a redelivery would have happened by now.
      await sleep(Math.max(ACK_WAIT_MS, DEFAULT_RETRY_DELAY_MS) + 500);
      expect(seen).toHaveLength(1);
    });

    it('redelivers after an unexpected error, after DEFAULT_RETRY_DELAY_MS', async () => {
      await start((_data, ctx) => {
        if (ctx.deliveryCount === 1) throw new Error('database hiccup');
      });
      await scope.publisher.publish(jobs(1, 'boom')[0]);

      await waitFor(() => seen.length >= 2, 'a redelivery', DEFAULT_RETRY_DELAY_MS + 15_000);
      await waitFor(async () => (await scope.stored()) === 0, 'the work queue to empty');
      expect(seen.map((s) => s.ctx.deliveryCount)).toEqual([1, 2]);
    });

    it('does not redeliver a message whose handler legitimately runs longer than ack wait', async () => {
      await start(() => sleep(ACK_WAIT_MS * 2.5));
      await scope.publisher.publish(jobs(1, 'long')[0]);

      await waitFor(() => seen.length >= 1, 'the delivery');
      await waitFor(async () => (await scope.stored()) === 0, 'the work queue to empty');
      expect(seen).toHaveLength(1);
    });

    it('runs up to `concurrency` handlers at once, never more', async () => {
      let active = 0;
      let peak = 0;
      let releaseGate!: () => void;
      const gate = new Promise<void>((resolve) => (releaseGate = resolve));
      // Bounded wait: if the transport ran fewer at once, the peak assertion fails instead of the test hanging.
      const fallback = setTimeout(() => releaseGate(), 5000);
      await start(
        async () => {
          active++;
          peak = Math.max(peak, active);
          if (active >= 10) releaseGate();
          await gate;
          await sleep(10);
          active--;
        },
        { concurrency: 10 },
      );
      await scope.publisher.publishMany(jobs(40, 'conc'));

      await waitFor(() => seen.length >= 40, '40 deliveries', 30_000);
      await waitFor(async () => (await scope.stored()) === 0, 'the work queue to empty');
      clearTimeout(fallback);
      expect(peak).toBe(10);
    });

    it('splits work between two servers sharing a durable, each message handled once', async () => {
      const slow = () => sleep(10);
      await start(slow, { concurrency: 5 }, 'a');
      await start(slow, { concurrency: 5 }, 'b');
      await scope.publisher.publishMany(jobs(100, 'split'));

      await waitFor(() => new Set(seen.map((s) => s.deliveryId)).size >= 100, '100 distinct deliveries', 30_000);
      await waitFor(async () => (await scope.stored()) === 0, 'the work queue to empty');
      await sleep(200);
      expect(seen).toHaveLength(100);
      expect(seen.filter((s) => s.server === 'a').length).toBeGreaterThan(0);
      expect(seen.filter((s) => s.server === 'b').length).toBeGreaterThan(0);
    });

    it('takes no work while its gate is closed (the database is away), and all of it once it opens', async () => {
      const gate = new TestGate(false);
      const strategy = scope.server([jobSpec()], undefined, gate);
      await start(() => undefined, {}, 'gated', undefined, strategy);
      expect(strategy.consumersRunning()).toBe(true);
      await scope.publisher.publishMany(jobs(5, 'gated'));
      // Longer than a pull round trip and an in-process dispatch: the work would have started by now.
      await sleep(1500);
      expect(seen).toHaveLength(0);
      expect(await scope.stored()).toBe(5);

      gate.set(true);
      await waitFor(() => seen.length >= 5, '5 deliveries once the gate opens');
      await waitFor(async () => (await scope.stored()) === 0, 'the work queue to empty');
      expect(seen.map((s) => s.ctx.deliveryCount)).toEqual([1, 1, 1, 1, 1]);
    });

    it('hands a message whose process died mid-handler to another server after ack wait', async () => {
      let unblock!: () => void;
      const never = new Promise<void>((resolve) => (unblock = resolve));
      const crashed = await start(() => never, {}, 'crashed', 100);
      await scope.publisher.publish(jobs(1, 'crash')[0]);
      await waitFor(() => seen.length >= 1, 'the first delivery');

      // Closing with the handler still running abandons the message without an ack.
      await crashed.close();
      apps.splice(apps.indexOf(crashed), 1);
      await start(() => undefined, {}, 'survivor');

      await waitFor(() => seen.some((s) => s.server === 'survivor'), 'the survivor to get the message');
      await waitFor(async () => (await scope.stored()) === 0, 'the work queue to empty');
      const survivor = seen.find((s) => s.server === 'survivor')!;
      expect(survivor.deliveryId).toBe('crash-0');
      expect(survivor.ctx.deliveryCount).toBe(2);
      unblock();
    });
  });
}
