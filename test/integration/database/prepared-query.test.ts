import { createDataSource, preparedQuery } from '@sne/core';
import { DataSource } from 'typeorm';
import { createTestDatabase, TestDatabase } from '../../support/test-database';

/**
 * The courier's hot statements run as named prepared statements on TypeORM's pool: parsed and
 * planned once per connection instead of on every call.
 */
describe('preparedQuery', () => {
  let database: TestDatabase;
  let db: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    // One connection, so every call below runs in the same session.
    db = createDataSource(database.runtimeUrl, { applicationName: 'prepared-query-test', poolSize: 1 });
    await db.initialize();
  });

  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  it('prepares a statement once under its name and runs it with new values each time', async () => {
    const sql = 'SELECT $1::int + 1 AS n, $2::text[] AS tags';
    expect(await preparedQuery(db, 'test-add-one', sql, [1, ['a']])).toEqual([{ n: 2, tags: ['a'] }]);
    expect(await preparedQuery(db, 'test-add-one', sql, [41, []])).toEqual([{ n: 42, tags: [] }]);
    const prepared = await db.query(`SELECT name, statement FROM pg_prepared_statements WHERE name = 'test-add-one'`);
    expect(prepared).toEqual([{ name: 'test-add-one', statement: sql }]);
  });

  it('answers a failing statement with PostgreSQL’s error, as TypeORM’s query would', async () => {
    await expect(preparedQuery(db, 'test-divide', 'SELECT 1 / $1::int AS n', [0])).rejects.toMatchObject({ code: '22012' });
  });
});
