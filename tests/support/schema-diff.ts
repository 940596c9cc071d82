import type { DataSource, QueryRunner, ReplicationMode } from 'typeorm';

/**
 * The statements TypeORM would generate to bring the database to the entities (the parity
 * check: none). TypeORM 1.1's schema builder reads the tables with `Promise.all` on one query
 * runner (`PostgresQueryRunner.loadTables`, typeorm#12055), which pg 8 queues with a
 * deprecation warning and pg 9 refuses: here that runner sends one query at a time.
 */
export async function pendingSchemaStatements(db: DataSource): Promise<string[]> {
  const create = db.createQueryRunner.bind(db);
  const own = db as { createQueryRunner: (mode?: ReplicationMode) => QueryRunner };
  own.createQueryRunner = (mode) => oneQueryAtATime(create(mode));
  try {
    return (await db.driver.createSchemaBuilder().log()).upQueries.map((q) => q.query);
  } finally {
    delete (own as Partial<typeof own>).createQueryRunner;
  }
}

/** The runner, its queries queued here: each is sent once the one before it has answered. */
function oneQueryAtATime(runner: QueryRunner): QueryRunner {
  const query = runner.query.bind(runner) as (...args: unknown[]) => Promise<unknown>;
  let previous: Promise<unknown> = Promise.resolve();
  runner.query = ((...args: unknown[]) => {
    const next = previous.then(() => query(...args));
    previous = next.catch(() => undefined);
    return next;
  }) as QueryRunner['query'];
  return runner;
}
