/**
 * Where an attachment's bytes live, behind one interface. PostgreSQL (`attachment_blobs`, in the
 * same transaction as the attachment's row) is the default; ATTACHMENT_STORE=disk keeps them as
 * files named by the attachment id under ATTACHMENT_DIR. Each row records its store, so both are
 * read from whatever the current setting.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EntityManager } from 'typeorm';

export type AttachmentStorage = 'postgres' | 'disk';

export interface AttachmentStore {
  readonly kind: AttachmentStorage;
  /** Stores the bytes; `m` is the transaction that inserts the attachment's row. */
  put(m: EntityManager, id: string, data: Buffer): Promise<void>;
  read(m: EntityManager, id: string): Promise<Buffer | null>;
  /** After the row's deletion committed (or its insertion failed): frees what the row no longer names. */
  discard(id: string): Promise<void>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export class PostgresAttachmentStore implements AttachmentStore {
  readonly kind = 'postgres' as const;

  async put(m: EntityManager, id: string, data: Buffer): Promise<void> {
    await m.query(`INSERT INTO attachment_blobs (attachment_id, data) VALUES ($1, $2)`, [id, data]);
  }

  async read(m: EntityManager, id: string): Promise<Buffer | null> {
    const [row] = await m.query(`SELECT data FROM attachment_blobs WHERE attachment_id = $1`, [id]);
    return row ? (row.data as Buffer) : null;
  }

  /** The blob goes with its row (ON DELETE CASCADE). */
  async discard(): Promise<void> {}
}

export class DiskAttachmentStore implements AttachmentStore {
  readonly kind = 'disk' as const;

  constructor(private readonly dir: string) {}

  async put(_m: EntityManager, id: string, data: Buffer): Promise<void> {
    const file = this.file(id);
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    // Written aside, then renamed: a reader never sees half a file.
    const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    await writeFile(tmp, data, { mode: 0o600, flag: 'wx' });
    await rename(tmp, file);
  }

  async read(_m: EntityManager, id: string): Promise<Buffer | null> {
    try {
      return await readFile(this.file(id));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  async discard(id: string): Promise<void> {
    await rm(this.file(id), { force: true });
  }

  private file(id: string): string {
    if (!UUID.test(id)) throw new TypeError('an attachment id is a uuid');
    return join(this.dir, id);
  }
}

export function attachmentStores(dir: string): Record<AttachmentStorage, AttachmentStore> {
  return { postgres: new PostgresAttachmentStore(), disk: new DiskAttachmentStore(dir) };
}
