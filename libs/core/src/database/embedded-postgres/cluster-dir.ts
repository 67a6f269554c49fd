import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { canReach, OS_USER, OsUser } from './os-user';

/** Where clusters go whose DATA_DIR the `postgres` user cannot reach. */
export const RELOCATION_ROOT = '/var/lib/safety-notice-exchange';

export interface ClusterDir {
  /** Where the cluster lives. */
  dataDir: string;
  /** Set when that is not where it was asked for: the directory asked for. */
  relocatedFrom?: string;
}

/**
 * Where the cluster lives. As root, PostgreSQL runs as `postgres`, which must be able to enter
 * the data directory's parent. When it cannot (a clone under /root, which is 0700), the cluster
 * lives in RELOCATION_ROOT/<id>/postgres instead, <id> a hash of the directory asked for, so the
 * same DATA_DIR finds the same cluster on every start. A cluster already in either place is
 * used where it is.
 */
export function chooseClusterDir(requested: string, user: OsUser | undefined): ClusterDir {
  if (!user) return { dataDir: requested };
  const holdsCluster = (dir: string) => fs.existsSync(path.join(dir, 'PG_VERSION'));
  const relocated = relocatedDir(requested);
  if (holdsCluster(requested)) {
    if (!canReach(user, path.dirname(requested))) {
      throw new Error(
        `Embedded PostgreSQL: running as root, PostgreSQL runs as the user "${OS_USER}", which cannot reach the cluster in ${requested} ` +
          `(a parent directory lacks the x permission for others). Make it reachable, move the cluster away to start afresh, or set DATABASE_URL.`,
      );
    }
    return { dataDir: requested };
  }
  if (holdsCluster(relocated)) return { dataDir: relocated, relocatedFrom: requested };
  if (canReach(user, path.dirname(requested))) return { dataDir: requested };

  if (!fs.existsSync(RELOCATION_ROOT)) fs.mkdirSync(RELOCATION_ROOT, { recursive: true, mode: 0o755 });
  const parent = path.dirname(relocated);
  fs.mkdirSync(parent, { recursive: true, mode: 0o700 });
  fs.chownSync(parent, user.uid, user.gid);
  fs.chmodSync(parent, 0o700);
  if (!canReach(user, parent)) {
    throw new Error(
      `Embedded PostgreSQL: running as root, the user "${OS_USER}" can reach neither ${path.dirname(requested)} nor ${parent}. ` +
        `Run as an ordinary user, make one of them reachable, or set DATABASE_URL to a PostgreSQL server.`,
    );
  }
  return { dataDir: relocated, relocatedFrom: requested };
}

function relocatedDir(requested: string): string {
  return path.join(RELOCATION_ROOT, createHash('sha256').update(path.resolve(requested)).digest('hex').slice(0, 16), 'postgres');
}
