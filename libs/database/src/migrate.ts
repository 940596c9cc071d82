import type { DataSource, Migration } from 'typeorm';

/** Any constant of our own: only one process at a time runs migrations on a database. */
const MIGRATION_LOCK = 7_461_030_311;

/**
 * Runs `work` while this process holds the database's migration lock: several api replicas
 * starting together (or test files) migrate and seed one after the other, never at once.
 */
export async function withMigrationLock<T>(db: DataSource, work: () => Promise<T>): Promise<T> {
  const runner = db.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    return await work();
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await runner.release();
  }
}

/** Runs the pending migrations under the migration lock: the first replica migrates, the rest wait. */
export function runMigrationsLocked(db: DataSource): Promise<Migration[]> {
  return withMigrationLock(db, () => db.runMigrations({ transaction: 'each' }));
}
