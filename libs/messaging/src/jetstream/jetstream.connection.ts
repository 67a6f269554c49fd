import {
  connect,
  DiscardPolicy,
  JetStreamManager,
  NatsConnection,
  nanos,
  RetentionPolicy,
  StorageType,
  StreamConfig,
} from 'nats';
import { assertPrefix, workStreamName } from './jetstream.naming';

/** JetStream drops a re-publish with the same Nats-Msg-Id inside this window. */
export const DUPLICATE_WINDOW_MS = 2 * 60 * 1000;

/** Accepts `nats://a:4222,nats://b:4222` (the NATS_URL format) as well as a single URL. */
export function parseServers(servers: string): string[] {
  const list = servers
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (list.length === 0) throw new Error('No NATS server URL given');
  return list;
}

/**
 * Connects with reconnection that never gives up: NATS only moves work, so a broker outage must
 * delay work, not kill the process. Fails if no server answers at start-up (misconfiguration shows
 * at once). Pings every 10 s so a silently dead peer is noticed within ~30 s, not minutes.
 */
export function connectNats(servers: string, name?: string): Promise<NatsConnection> {
  return connect({
    servers: parseServers(servers),
    name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 1000,
    reconnectJitter: 250,
    pingInterval: 10_000,
    maxPingOut: 3,
    // Without this, every request (each JetStream publish of the fan-out) captures two stack traces
    // (an Error for context and a timeout NatsError) that are used only if it times out: about 20 % of
    // the dispatcher's CPU at 10,000 deliveries (bench --profile). Timeouts still reject, with a shorter stack.
    noAsyncTraces: true,
  });
}

/** True for the JetStream API's "stream not found" / "consumer not found" answers. */
export function isNotFound(err: unknown, what: 'stream' | 'consumer'): boolean {
  const e = err as { message?: string; api_error?: { err_code?: number } } | undefined;
  const code = e?.api_error?.err_code;
  if (what === 'stream' && code === 10059) return true;
  if (what === 'consumer' && code === 10014) return true;
  return typeof e?.message === 'string' && e.message.toLowerCase() === `${what} not found`;
}

/** How long start-up keeps retrying JetStream set-up that the server answered with "not now". */
export const SETUP_RETRY_MS = 60_000;
const SETUP_RETRY_FIRST_DELAY_MS = 250;
const SETUP_RETRY_MAX_DELAY_MS = 5_000;
/** JetStream system temporarily unavailable (no meta leader yet); no suitable peers (a forming cluster). */
const TRANSIENT_API_ERRORS = new Set([10008, 10005]);

/**
 * True for answers that mean "not now" rather than "no": a request timeout (a cluster without a
 * meta leader does not answer, a busy one answers late), no responders (JetStream not up yet), and
 * the API's own "temporarily unavailable". A refusal (wrong settings, no permission) is not.
 */
export function isTransientJetStreamError(err: unknown): boolean {
  const e = err as { code?: string; api_error?: { err_code?: number } } | undefined;
  if (e?.api_error) return TRANSIENT_API_ERRORS.has(e.api_error.err_code ?? -1);
  return e?.code === 'TIMEOUT' || e?.code === '503' || e?.code === '408';
}

export interface SetupRetryOptions {
  /** Default SETUP_RETRY_MS. */
  deadlineMs?: number;
  logger?: { warn(message: string): void };
  /** Stop retrying once this turns true (the process is shutting down). */
  abandoned?: () => boolean;
}

/**
 * Runs an idempotent set-up step (ensure stream, ensure consumer) until it succeeds, retrying
 * transient answers with backoff until the deadline: a process started while its cluster forms or
 * elects leaders waits for it instead of exiting. Anything else is thrown at once.
 */
export async function retryJetStreamSetup<T>(what: string, step: () => Promise<T>, options: SetupRetryOptions = {}): Promise<T> {
  const deadline = Date.now() + (options.deadlineMs ?? SETUP_RETRY_MS);
  for (let delay = SETUP_RETRY_FIRST_DELAY_MS; ; delay = Math.min(delay * 2, SETUP_RETRY_MAX_DELAY_MS)) {
    try {
      return await step();
    } catch (err) {
      if (!isTransientJetStreamError(err) || options.abandoned?.() || Date.now() + delay > deadline) throw err;
      const reason = err instanceof Error ? err.message : String(err);
      options.logger?.warn(`${what}: JetStream answered "${reason}"; retrying in ${delay} ms`);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

/**
 * Creates the deployment's work stream, or brings an existing one to the wanted settings.
 * One stream holds every subject under `${prefix}.>`; WorkQueue retention deletes a message once
 * its consumer acknowledges it, so the stream length is the backlog.
 */
export async function ensureWorkStream(jsm: JetStreamManager, prefix: string, replicas = 1): Promise<string> {
  assertPrefix(prefix);
  const name = workStreamName(prefix);
  const wanted: Partial<StreamConfig> = {
    name,
    subjects: [`${prefix}.>`],
    storage: StorageType.File,
    retention: RetentionPolicy.Workqueue,
    discard: DiscardPolicy.Old,
    duplicate_window: nanos(DUPLICATE_WINDOW_MS),
    num_replicas: replicas,
  };
  let existing: StreamConfig;
  try {
    existing = (await jsm.streams.info(name)).config;
  } catch (err) {
    if (!isNotFound(err, 'stream')) throw err;
    // Adding a stream whose identical twin was just added by another process succeeds,
    // so concurrent start-ups need no extra coordination.
    await jsm.streams.add(wanted);
    return name;
  }
  if (existing.retention !== RetentionPolicy.Workqueue || existing.storage !== StorageType.File) {
    // Neither can be changed in place; refuse rather than silently run with other semantics.
    throw new Error(`Stream ${name} exists with retention ${existing.retention} and storage ${existing.storage}; expected workqueue/file`);
  }
  const differs =
    existing.subjects?.length !== 1 ||
    existing.subjects[0] !== `${prefix}.>` ||
    existing.duplicate_window !== wanted.duplicate_window ||
    existing.num_replicas !== replicas;
  if (differs) {
    await jsm.streams.update(name, {
      subjects: wanted.subjects,
      duplicate_window: wanted.duplicate_window,
      num_replicas: replicas,
    });
  }
  return name;
}

/** Deletes the deployment's work stream (and with it its consumers); for test teardown. */
export async function deleteWorkStream(servers: string, prefix: string): Promise<void> {
  const nc = await connect({ servers: parseServers(servers), maxReconnectAttempts: 0 });
  try {
    const jsm = await nc.jetstreamManager();
    try {
      await jsm.streams.delete(workStreamName(prefix));
    } catch (err) {
      if (!isNotFound(err, 'stream')) throw err;
    }
  } finally {
    await nc.close();
  }
}
