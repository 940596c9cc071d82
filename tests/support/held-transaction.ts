import type { DataSource, QueryRunner } from 'typeorm';

/**
 * A transaction of the test's own, on a connection of its own, that holds what it locks or
 * writes until the test ends it: the way to force an interleaving. Instead of sleeping, the
 * test waits until the backends it stalls are queued behind it (`waitForWaiters`).
 */
export interface HeldTransaction {
  query<T = unknown>(sql: string, parameters?: unknown[]): Promise<T>;
  /**
   * Until `count` backends wait, directly or through one another, on this transaction (a
   * chain of lock waits that starts here), so that a request has reached its lock for sure.
   */
  waitForWaiters(count: number, timeoutMs?: number): Promise<void>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
}

/** Every backend that waits on `$1`, or on one that does, and so on. */
const WAITERS_SQL = `
  WITH RECURSIVE chain(pid) AS (
    SELECT $1::int
    UNION
    SELECT a.pid FROM pg_stat_activity a JOIN chain c ON c.pid = ANY (pg_blocking_pids(a.pid))
  )
  SELECT count(*)::int - 1 AS waiters FROM chain`;

export async function holdTransaction(db: DataSource): Promise<HeldTransaction> {
  const runner: QueryRunner = db.createQueryRunner();
  await runner.connect();
  await runner.startTransaction();
  const [{ pid }] = (await runner.query('SELECT pg_backend_pid() AS pid')) as [{ pid: number }];
  const end = async (how: 'commit' | 'rollback') => {
    try {
      if (how === 'commit') await runner.commitTransaction();
      else await runner.rollbackTransaction();
    } finally {
      await runner.release();
    }
  };
  return {
    query: (sql, parameters) => runner.query(sql, parameters),
    async waitForWaiters(count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const [{ waiters }] = (await db.query(WAITERS_SQL, [pid])) as [{ waiters: number }];
        if (waiters >= count) return;
        if (Date.now() > deadline) {
          throw new Error(`${waiters} of ${count} backends wait on the held transaction`);
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    commit: () => end('commit'),
    rollback: () => end('rollback'),
  };
}
