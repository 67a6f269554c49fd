import { Logger } from '@nestjs/common';
import { connect, JetStreamManager, NatsConnection } from 'nats';
import { DataSource, QueryRunner } from 'typeorm';
import { createDataSource } from '@sne/core';
import { ClosableWorkPublisher, createWorkPublisher, deleteWorkStream, workStreamName } from '@sne/messaging';
import { createAgency } from '../../support/fixtures';
import { createTestDatabase, testPrefix } from '../../support/test-database';

const NATS_URL = process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222';

/** What a fan-out test needs: its own database and stream prefix, a publisher, and an issuing agency with an author and an approver. */
export class FanOutTestScene {
  private referenceSeq = 0;

  private constructor(
    readonly prefix: string,
    readonly stream: string,
    readonly database: Awaited<ReturnType<typeof createTestDatabase>>,
    readonly db: DataSource,
    readonly publisher: ClosableWorkPublisher,
    private readonly nc: NatsConnection,
    readonly jsm: JetStreamManager,
    readonly issuer: { id: string; authorId: string; approverId: string },
  ) {}

  static async start(applicationName: string): Promise<FanOutTestScene> {
    Logger.overrideLogger(['error']);
    const prefix = testPrefix();
    const database = await createTestDatabase();
    const db = createDataSource(database.url, { poolSize: 10, applicationName });
    await db.initialize();
    const publisher = createWorkPublisher({ natsUrl: NATS_URL, prefix });
    await publisher.isReady();
    const nc = await connect({ servers: NATS_URL });
    const jsm = await nc.jetstreamManager();
    const issuer = await createAgency(db, { name: 'Issuing State', type: 'state', code: 'US-IL', roles: ['author', 'approver'] });
    return new FanOutTestScene(prefix, workStreamName(prefix), database, db, publisher, nc, jsm, {
      id: issuer.id,
      authorId: issuer.userIds.author!,
      approverId: issuer.userIds.approver!,
    });
  }

  /** A published notice, as the approval would leave it (reference, published_at, second-person approval). */
  async publishedNotice(opts: { severity: 'critical' | 'high' | 'moderate' | 'low'; topics: string[]; targets: string[]; acknowledgeBy?: Date }): Promise<string> {
    this.referenceSeq += 1;
    const [{ id }] = await this.db.query(
      `INSERT INTO notices (reference, issuing_agency_id, author_id, status, content_hash, title, summary, body_markdown, body_html,
                            category, severity, topics, target_jurisdictions, acknowledge_by, approved_by, approved_content_hash, published_at)
       VALUES ($1, $2, $3, 'published', 'hash', 'Title', 'Summary', 'Body', '<p>Body</p>', 'alert', $4, $5, $6, $7, $8, 'hash', now())
       RETURNING id`,
      [
        `SN-2025-${String(this.referenceSeq).padStart(4, '0')}`,
        this.issuer.id,
        this.issuer.authorId,
        opts.severity,
        opts.topics,
        opts.targets,
        opts.acknowledgeBy ?? null,
        this.issuer.approverId,
      ],
    );
    return id;
  }

  async close(): Promise<void> {
    await this.publisher.close();
    await this.nc.close();
    await deleteWorkStream(NATS_URL, this.prefix);
    await this.db.destroy();
    await this.database.drop();
  }
}

export /** Runs fn with every SQL statement the DataSource sends counted (dataSource.query and transactions alike). */
async function countingStatements<T>(ds: DataSource, fn: () => Promise<T>, statements: string[] = []): Promise<{ result: T; statements: string[] }> {
  const original = ds.createQueryRunner;
  ds.createQueryRunner = function (this: DataSource, ...args: Parameters<DataSource['createQueryRunner']>): QueryRunner {
    const runner = original.apply(this, args);
    const query = runner.query.bind(runner);
    runner.query = ((sql: string, ...rest: unknown[]) => {
      statements.push(sql.replace(/\s+/g, ' ').trim().slice(0, 60));
      return (query as (...a: unknown[]) => Promise<unknown>)(sql, ...rest);
    }) as QueryRunner['query'];
    return runner;
  };
  try {
    return { result: await fn(), statements };
  } finally {
    ds.createQueryRunner = original;
  }
}

