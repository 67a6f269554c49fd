import { createServer, Server, Socket } from 'node:net';
import { Pool } from 'pg';
import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { createDataSource } from './data-source';
import { isDatabaseUnavailable } from './database-availability';

/** One backend message: type byte, length, body. */
function message(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.write(type, 0, 'latin1');
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}

/**
 * A server that accepts the connection (AuthenticationOk, ReadyForQuery) and, in the same TCP
 * chunk, ends it as PostgreSQL does at shutdown (FATAL 57P01): the client sees the error in the
 * very tick it is handed out of the pool.
 */
function shutdownRacingServer(): Promise<{ server: Server; port: number; sockets: Set<Socket> }> {
  const sockets = new Set<Socket>();
  const fatal = Buffer.concat(
    [['S', 'FATAL'], ['V', 'FATAL'], ['C', '57P01'], ['M', 'terminating connection due to administrator command']].map(([k, v]) => Buffer.from(`${k}${v}\0`, 'latin1')).concat(Buffer.from([0])),
  );
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.once('data', () => {
      socket.write(Buffer.concat([message('R', Buffer.from([0, 0, 0, 0])), message('Z', Buffer.from('I')), message('E', fatal)]));
      socket.end();
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as { port: number }).port, sockets })));
}

describe('createDataSource', () => {
  it('a connection the server ends as the pool hands it out does not crash the process; its next query fails as "database unavailable"', async () => {
    const { server, port, sockets } = await shutdownRacingServer();
    const options = createDataSource(`postgres://sne@127.0.0.1:${port}/sne`).options as PostgresConnectionOptions;
    // The pool TypeORM builds, with the same options (TypeORM hands `extra` to pg's Pool as they are).
    const pool = new Pool({ host: '127.0.0.1', port, user: 'sne', database: 'sne', ...options.extra });
    pool.on('error', () => undefined); // TypeORM's own pool error handler
    try {
      const client = await pool.connect();
      const err = await client.query('SELECT 1').then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(Error);
      expect(isDatabaseUnavailable(err)).toBe(true);
      client.release(err as Error);
    } finally {
      await pool.end().catch(() => undefined);
      sockets.forEach((s) => s.destroy());
      await new Promise((r) => server.close(r));
    }
  });
});
