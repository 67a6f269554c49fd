/**
 * The three apps as separate processes (`node dist/apps/<app>/src/main.js`), configured by env,
 * their output kept in log files. Stopped with SIGTERM (their graceful path, which also writes
 * CPU profiles), then SIGKILL if they linger.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export type AppName = 'api' | 'dispatcher' | 'courier';
export const APP_NAMES: AppName[] = ['api', 'dispatcher', 'courier'];

export interface RunningApp {
  name: AppName;
  child: ChildProcess;
  log: string;
  exited: Promise<number | string>;
  exitInfo?: number | string;
}

/** The repository: the nearest folder up with a package.json (from dist/bench/lib when run, bench/lib under jest). */
const ROOT = (function repositoryRoot(dir: string): string {
  return existsSync(join(dir, 'package.json')) || dirname(dir) === dir ? dir : repositoryRoot(dirname(dir));
})(__dirname);

/**
 * The node flags `npm run start:<app>` gives the app (package.json), so the bench measures the apps
 * as they are run: the courier's heap budget, for one.
 */
export function productionNodeFlags(name: AppName): string[] {
  const scripts: Record<string, string> = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts;
  const command = scripts[`start:${name}`] ?? '';
  const m = new RegExp(`node((?: --\\S+)*) dist/apps/${name}/src/main\\.js`).exec(command);
  if (!m) throw new Error(`package.json's start:${name} does not run dist/apps/${name}/src/main.js with node`);
  return m[1].split(' ').filter(Boolean);
}

export function startApp(name: AppName, env: Record<string, string>, logDir: string, tag: string, nodeFlags: string[] = []): RunningApp {
  const log = join(logDir, `${tag}-${name}.log`);
  const out = createWriteStream(log);
  const child = spawn(process.execPath, [...productionNodeFlags(name), ...nodeFlags, join(ROOT, 'dist', 'apps', name, 'src', 'main.js')], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.pipe(out, { end: false });
  child.stderr!.pipe(out, { end: false });
  const app: RunningApp = { name, child, log, exited: Promise.resolve(0) };
  app.exited = new Promise((res) =>
    child.on('exit', (code, signal) => {
      app.exitInfo = code ?? signal ?? 'unknown';
      setTimeout(() => out.end(), 50);
      res(app.exitInfo);
    }),
  );
  return app;
}

export async function stopApp(app: RunningApp, graceMs = 20_000): Promise<void> {
  if (app.exitInfo !== undefined) return;
  app.child.kill('SIGTERM');
  const timer = setTimeout(() => app.child.kill('SIGKILL'), graceMs);
  await app.exited;
  clearTimeout(timer);
}

export function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
