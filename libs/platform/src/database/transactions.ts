import { Logger } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import type { IsolationLevel } from 'typeorm/driver/types/IsolationLevel';

/** SQLSTATEs with which PostgreSQL aborts a transaction that may simply run again. */
const RETRYABLE: ReadonlyMap<string, TransactionRetryReason> = new Map([
  ['40P01', 'deadlock'],
  ['40001', 'serialization'],
]);

export type TransactionRetryReason = 'deadlock' | 'serialization';

/** How often a transaction runs at most: the first attempt and three more. */
export const TRANSACTION_ATTEMPTS = 4;

export interface TransactionOptions {
  isolation?: IsolationLevel;
  /** At most this many runs (default TRANSACTION_ATTEMPTS). */
  attempts?: number;
}

/** Why PostgreSQL aborted this transaction, when running it again may succeed; else null. */
export function retryableTransactionError(error: unknown): TransactionRetryReason | null {
  if (typeof error !== 'object' || error === null) return null;
  const { code, driverError } = error as { code?: unknown; driverError?: { code?: unknown } };
  const sqlState = driverError?.code ?? code;
  return typeof sqlState === 'string' ? (RETRYABLE.get(sqlState) ?? null) : null;
}

type RetryListener = (reason: TransactionRetryReason) => void;
const listeners = new Set<RetryListener>();

/** Tells `listener` of every retry in this process (the metrics count them); returns the unsubscribe. */
export function onTransactionRetry(listener: RetryListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const logger = new Logger('Transactions');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `work` in a transaction, and runs it again (a bounded number of times, after a short
 * jittered pause) when PostgreSQL aborts it for a deadlock or a serialization failure: the
 * other transaction went through, and this one, started afresh, judges on what it wrote.
 * So `work` must do nothing but database work on its manager: events, queue jobs and other
 * effects belong after the commit, once this returns. When the attempts are used up the
 * error goes on (the HTTP filter answers it 409 `conflict`). The lock order that keeps
 * deadlocks rare is the README's "Lock order".
 */
export async function inTransaction<T>(
  db: DataSource,
  work: (manager: EntityManager) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  const attempts = Math.max(1, options.attempts ?? TRANSACTION_ATTEMPTS);
  for (let attempt = 1; ; attempt += 1) {
    try {
      return options.isolation
        ? await db.transaction(options.isolation, work)
        : await db.transaction(work);
    } catch (error) {
      const reason = retryableTransactionError(error);
      if (!reason || attempt >= attempts) throw error;
      logger.warn(`transaction aborted (${reason}), attempt ${attempt} of ${attempts}: again`);
      for (const listener of listeners) listener(reason);
      // Full jitter, doubling: two victims of one deadlock do not meet again at once.
      await sleep(Math.random() * 10 * 2 ** attempt);
    }
  }
}
