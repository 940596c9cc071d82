import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { QueueName } from '@toonbank/shared';
import { Queue } from 'bullmq';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { testDatabase } from './database';

/** A Redis prefix of a suite's own: its queues never meet another suite's workers. */
export const uniqueRedisPrefix = (name: string) =>
  `toonbank-test-${name}-${randomBytes(4).toString('hex')}`;

/** Runs `fn` with these environment variables, restoring the previous values afterwards. */
export async function withEnv<T>(env: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
  Object.assign(process.env, env);
  try {
    return await fn();
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}

/** The worker process's module, in-process, on a Redis prefix (start-up checks included). */
export async function startTestWorker(
  redisPrefix: string,
  env: Record<string, string> = {},
): Promise<INestApplicationContext> {
  await testDatabase();
  return withEnv({ REDIS_PREFIX: redisPrefix, ...env }, async () => {
    const context = await NestFactory.createApplicationContext(WorkerModule.forRoot(), {
      logger: false,
      abortOnError: false,
    });
    await context.init();
    return context;
  });
}

/** A queue handle on a prefix, for inspecting and cleaning up after the workers. */
export const queueOn = (
  redisPrefix: string,
  name: string,
  redisUrl = process.env.REDIS_URL as string,
) =>
  new Queue(name, {
    prefix: redisPrefix,
    connection: { url: redisUrl, maxRetriesPerRequest: null },
  });

/** Removes every queue of a suite's prefix, jobs and schedulers included (after the suite). */
export async function removeQueues(redisPrefix: string): Promise<void> {
  for (const name of Object.values(QueueName)) {
    const queue = queueOn(redisPrefix, name);
    try {
      await queue.obliterate({ force: true });
    } finally {
      await queue.close();
    }
  }
}

/** Waits until a queue has nothing waiting, delayed-and-due or running. */
/**
 * Resolves once a worker of this prefix takes jobs (a spawned worker needs a few seconds to
 * start): "poll now" answers 503 while no worker listens.
 */
export async function workerListening(redisPrefix: string, timeoutMs = 60_000): Promise<void> {
  const queue = queueOn(redisPrefix, QueueName.Polling);
  const deadline = Date.now() + timeoutMs;
  try {
    while ((await queue.getWorkersCount()) === 0) {
      if (Date.now() > deadline) throw new Error(`no worker listens on ${redisPrefix}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    await queue.close();
  }
}

export async function drained(queue: Queue, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const counts = await queue.getJobCounts('waiting', 'active', 'prioritized', 'waiting-children');
    if (Object.values(counts).every((count) => count === 0)) return;
    if (Date.now() > deadline)
      throw new Error(`queue ${queue.name} not drained: ${JSON.stringify(counts)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The built worker (`apps/worker/dist/main.js`) as a process of its own, on a Redis prefix: for tests that kill it. */
export function spawnBuiltWorker(redisPrefix: string): ChildProcess {
  const root = join(__dirname, '..', '..');
  return spawn(process.execPath, [join(root, 'apps/worker/dist/main.js')], {
    cwd: root,
    env: {
      ...process.env,
      REDIS_PREFIX: redisPrefix,
      LOG_LEVEL: 'error',
      SWEEP_INTERVAL_SECONDS: '0',
    },
    stdio: 'ignore',
  });
}
