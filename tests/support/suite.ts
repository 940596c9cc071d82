import type { INestApplicationContext } from '@nestjs/common';
import type { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import { closeTestDatabase, testDatabase } from './database';
import { closeAllInboxClients } from './socket-client';
import { startTestApp, type TestApp } from './test-app';
import { queueOn, removeQueues, startTestWorker, uniqueRedisPrefix } from './test-worker';

export interface SuiteOptions {
  /**
   * A Redis prefix of the suite's own, named after this (its queues are removed after the
   * suite); without it the app runs on the run's prefix and a suite must not start a worker.
   */
  redis?: string;
  /** Starts the worker module in-process on the suite's prefix too (without `env`). */
  worker?: boolean;
  /** Configuration for this suite's app only. */
  env?: Record<string, string>;
  /** Closes every inbox socket client after each test, not only after the suite. */
  sockets?: 'per-test';
}

/** What a suite reaches once its beforeAll has run (reading it earlier throws). */
export interface Suite {
  readonly app: TestApp;
  readonly db: DataSource;
  readonly worker: INestApplicationContext;
  /** The suite's own Redis prefix (only with `redis`). */
  readonly prefix: string;
  /** A handle on one of the suite's queues (only with `redis`), closed after the suite. */
  queue(name: string): Queue;
}

/**
 * The set-up most integration suites share: the migrated test database, the real API (and,
 * on request, the worker) on a Redis prefix of the suite's own, and everything closed and
 * removed after the suite. Call it at the top of a describe block.
 */
export function useTestApp(options: SuiteOptions = {}): Suite {
  if (options.worker && !options.redis) throw new Error('a suite with a worker needs `redis`');
  const prefix = options.redis ? uniqueRedisPrefix(options.redis) : undefined;
  const env = { ...(prefix ? { REDIS_PREFIX: prefix } : {}), ...options.env };
  let app: TestApp | undefined;
  let db: DataSource | undefined;
  let worker: INestApplicationContext | undefined;
  const queues = new Map<string, Queue>();

  beforeAll(async () => {
    db = await testDatabase();
    app = await startTestApp(env);
    if (options.worker) worker = await startTestWorker(prefix as string);
  });
  if (options.sockets === 'per-test') afterEach(() => closeAllInboxClients());
  afterAll(async () => {
    closeAllInboxClients();
    await app?.close();
    await worker?.close();
    await Promise.all([...queues.values()].map((queue) => queue.close()));
    if (prefix) await removeQueues(prefix);
    await closeTestDatabase();
  });

  const ready = <T>(value: T | undefined, name: string): T => {
    if (value === undefined) throw new Error(`the suite's ${name} is read before its beforeAll`);
    return value;
  };
  return {
    get app() {
      return ready(app, 'app');
    },
    get db() {
      return ready(db, 'database');
    },
    get worker() {
      return ready(worker, 'worker (pass `worker: true`)');
    },
    get prefix() {
      return ready(prefix, 'Redis prefix (pass `redis`)');
    },
    queue(name) {
      const queue = queues.get(name) ?? queueOn(this.prefix, name);
      queues.set(name, queue);
      return queue;
    },
  };
}
