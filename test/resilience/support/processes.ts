/**
 * Child processes owned by one test file: the apps (built JS under dist/, so they can be
 * `kill -9`ed), nats-server and PostgreSQL helpers. Every child's stdout and stderr are kept
 * (the tail of it) so a failing test can print what each process said.
 */
import { ChildProcess, spawn, SpawnOptions } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '../../..');
const MAX_LOG_CHARS = 64 * 1024;

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** A free TCP port on 127.0.0.1 (bound and released; the race with other processes is negligible here). */
export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => res(port));
    });
  });
}

/** Several distinct free ports. */
export async function freePorts(n: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < n) ports.add(await freePort());
  return [...ports];
}

/**
 * Polls `check` until it returns a value other than undefined/false. Errors thrown by `check`
 * count as "not yet" (a database or broker may be down on purpose), and the last one is
 * reported if time runs out.
 */
export async function waitUntil<T>(check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs: number, what: string, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value as T;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      const why = lastError ? ` (last error: ${(lastError as Error).message ?? lastError})` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${why}`);
    }
    await sleep(everyMs);
  }
}

/** One child process with its captured output. */
export class Child {
  readonly proc: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private log = '';
  private readonly listeners = new Set<() => void>();
  private readonly lineListeners = new Set<(line: string) => void>();

  constructor(
    readonly label: string,
    command: string,
    args: string[],
    options: SpawnOptions = {},
  ) {
    this.proc = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    // Each stream is split into whole lines of its own (a chunk may end mid-line).
    const onData = () => {
      let partial = '';
      return (chunk: Buffer) => {
        const text = chunk.toString();
        this.log += text;
        if (this.log.length > MAX_LOG_CHARS * 2) this.log = this.log.slice(-MAX_LOG_CHARS);
        if (this.lineListeners.size > 0) {
          const lines = (partial + text).split('\n');
          partial = lines.pop() ?? '';
          for (const line of lines) this.lineListeners.forEach((l) => l(line));
        } else partial = '';
        this.listeners.forEach((l) => l());
      };
    };
    this.proc.stdout?.on('data', onData());
    this.proc.stderr?.on('data', onData());
    this.exited = new Promise((res) => {
      this.proc.once('exit', (code, signal) => {
        this.log += `\n[${label} exited: code ${code}, signal ${signal}]\n`;
        this.listeners.forEach((l) => l());
        res({ code, signal });
      });
      this.proc.once('error', (err) => {
        this.log += `\n[${label} failed to spawn: ${err.message}]\n`;
        res({ code: -1, signal: null });
      });
    });
  }

  get output(): string {
    return this.log;
  }

  /** Calls `listener` with every whole line the process prints from now on (stdout and stderr); returns an unsubscribe. */
  onLine(listener: (line: string) => void): () => void {
    this.lineListeners.add(listener);
    return () => this.lineListeners.delete(listener);
  }

  get running(): boolean {
    return this.proc.exitCode === null && this.proc.signalCode === null;
  }

  get pid(): number | undefined {
    return this.proc.pid;
  }

  /** Resolves once the output matches; rejects if the process exits first or time runs out. */
  waitForOutput(pattern: RegExp, timeoutMs = 30_000): Promise<void> {
    return new Promise((res, rej) => {
      const done = (err?: Error) => {
        clearTimeout(timer);
        this.listeners.delete(check);
        if (err) rej(err);
        else res();
      };
      const check = () => {
        if (pattern.test(this.log)) done();
        else if (!this.running) done(new Error(`${this.label} exited before printing ${pattern}:\n${this.tail()}`));
      };
      const timer = setTimeout(() => done(new Error(`${this.label} did not print ${pattern} within ${timeoutMs} ms:\n${this.tail()}`)), timeoutMs);
      this.listeners.add(check);
      check();
    });
  }

  /** Sends the signal (SIGKILL by default: a crash) and waits for the exit. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (!this.running) return;
    this.proc.kill(signal);
    await this.exited;
  }

  /** SIGTERM, then SIGKILL after graceMs. */
  async stop(graceMs = 5000): Promise<void> {
    if (!this.running) return;
    this.proc.kill('SIGTERM');
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  tail(chars = 6000): string {
    return this.log.length > chars ? `…${this.log.slice(-chars)}` : this.log;
  }
}

/**
 * The children of one test file. `cleanup()` stops every one still running; `report()` returns
 * each child's output tail, for printing when a test fails.
 */
export class ProcessGroup {
  readonly children: Child[] = [];

  add<C extends Child>(child: C): C {
    this.children.push(child);
    return child;
  }

  report(chars = 4000): string {
    return this.children.map((c) => `===== ${c.label} (pid ${c.pid}) =====\n${c.tail(chars)}`).join('\n');
  }

  async cleanup(): Promise<void> {
    await Promise.all(this.children.map((c) => c.stop(3000).catch(() => undefined)));
  }

  /** Runs the test body; on failure (or always, with RESILIENCE_VERBOSE=1) prints every child's output. */
  async printLogsOnFailure<T>(body: () => Promise<T>): Promise<T> {
    try {
      const result = await body();
      // eslint-disable-next-line no-console
      if (process.env.RESILIENCE_VERBOSE) console.log(`Child process output:\n${this.report()}`);
      return result;
    } catch (err) {
      // eslint-disable-next-line no-console
      console.error(`Test failed: ${(err as Error).message}\n\nChild process output:\n${this.report()}`);
      throw err;
    }
  }
}

export type AppName = 'api' | 'dispatcher' | 'courier';

export interface AppEnv {
  DATABASE_URL: string;
  NATS_URL: string;
  NATS_PREFIX: string;
  [name: string]: string;
}

/**
 * What the three apps need to run separately; LOG_LEVEL=info so readiness can be read from the
 * log. The lease is short so the sweeper hands out abandoned work quickly (the webhook timeout
 * must stay below it), and the workers' health listeners are off unless a test gives them ports
 * (parallel test files would otherwise all want the default ones).
 */
export function appEnv(base: AppEnv, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    LOG_FORMAT: 'pretty',
    WEBHOOK_ALLOW_HTTP: 'true',
    DELIVERY_LEASE_SECONDS: '5',
    WEBHOOK_TIMEOUT_MS: '4000',
    HEALTH_PORT: 'off',
    ...base,
    ...extra,
  };
  return env;
}

const READY: Record<AppName, RegExp> = {
  api: /listening on http/,
  dispatcher: /Consuming notice\.events/,
  courier: /Consuming delivery\.jobs/,
};

/** What a half-written dist/ looks like (another `npm run build` in the same tree, between tsc and tsc-alias). */
const PARTIAL_BUILD = /Cannot find module|ERR_MODULE_NOT_FOUND|SyntaxError: Unexpected end of input/;

/**
 * Spawns `node dist/apps/<app>/src/main.js` and waits until it is up (API listening, consumers
 * pulling). A start that dies of a half-written build (someone rebuilding dist/ in the same tree
 * at that moment) is tried again a few times; any other early exit fails the test at once.
 */
export async function startApp(group: ProcessGroup, app: AppName, env: NodeJS.ProcessEnv, label: string = app, readyTimeoutMs = 45_000): Promise<Child> {
  for (let attempt = 1; ; attempt++) {
    const child = group.add(
      new Child(attempt === 1 ? label : `${label} (start attempt ${attempt})`, process.execPath, [resolve(REPO_ROOT, `dist/apps/${app}/src/main.js`)], {
        cwd: REPO_ROOT,
        env,
      }),
    );
    try {
      await child.waitForOutput(READY[app], readyTimeoutMs);
      return child;
    } catch (err) {
      if (child.running || attempt >= 4 || !PARTIAL_BUILD.test(child.output)) throw err;
      await sleep(3000);
    }
  }
}
