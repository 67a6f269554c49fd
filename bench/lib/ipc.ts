/**
 * Request/response over a forked child's IPC channel: the parent sends `{ rid, cmd, ...args }`,
 * the child answers `{ rid, ok, result | error }`. Children report figures this way, so the
 * bench never needs a control port.
 */
import type { ChildProcess } from 'node:child_process';

export interface IpcRequest {
  rid: number;
  cmd: string;
  [key: string]: unknown;
}

export interface IpcReply {
  rid: number;
  ok: boolean;
  result?: unknown;
  error?: string;
}

/** Parent side: call(cmd, args) resolves with the child's result. */
export class IpcClient {
  private next = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  constructor(
    readonly child: ChildProcess,
    private readonly name: string,
  ) {
    child.on('message', (m: IpcReply) => {
      const p = this.pending.get(m?.rid);
      if (!p) return;
      this.pending.delete(m.rid);
      if (m.ok) p.resolve(m.result);
      else p.reject(new Error(`${this.name}: ${m.error}`));
    });
    // A child that died (Ctrl-C reaches the whole process group) must not crash the parent on send.
    child.on('error', () => undefined);
    child.on('exit', (code, signal) => {
      for (const p of this.pending.values()) p.reject(new Error(`${this.name} exited (${code ?? signal})`));
      this.pending.clear();
    });
  }

  call<T = unknown>(cmd: string, args: Record<string, unknown> = {}, timeoutMs = 600_000): Promise<T> {
    const rid = this.next++;
    if (!this.child.connected) return Promise.reject(new Error(`${this.name} is gone (${cmd})`));
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(rid);
        reject(new Error(`${this.name}: ${cmd} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(rid, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v as T);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.child.send({ rid, cmd, ...args }, (err) => {
        if (!err) return;
        clearTimeout(timer);
        this.pending.delete(rid);
        reject(new Error(`${this.name}: ${cmd}: ${err.message}`));
      });
    });
  }
}

/** Child side: serve commands until the parent goes away. */
export function serveIpc(handlers: Record<string, (req: IpcRequest) => unknown | Promise<unknown>>): void {
  if (!process.send) throw new Error('this process must be started with child_process.fork');
  process.on('message', async (req: IpcRequest) => {
    const handler = handlers[req?.cmd];
    let reply: IpcReply;
    try {
      if (!handler) throw new Error(`unknown command ${req?.cmd}`);
      reply = { rid: req.rid, ok: true, result: await handler(req) };
    } catch (err) {
      reply = { rid: req.rid, ok: false, error: (err as Error)?.stack ?? String(err) };
    }
    process.send!(reply);
  });
  // The parent died or closed the channel: nothing left to serve.
  process.on('disconnect', () => process.exit(0));
}

/** Wall-clock milliseconds with sub-millisecond resolution, comparable across processes on one host. */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}
