import type { DataSource, Migration } from 'typeorm';

/** Any constant of our own: only one process at a time runs migrations on a database. */
const MIGRATION_LOCK = 7_461_030_311;

/**
 * Runs the pending migrations under a PostgreSQL advisory lock, so that several api
 * replicas (or test files) starting together migrate once and the rest wait.
 */
export async function runMigrationsLocked(db: DataSource): Promise<Migration[]> {
  const runner = db.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    return await db.runMigrations({ transaction: 'each' });
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await runner.release();
  }
}
