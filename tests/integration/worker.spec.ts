// The worker process in-process (the module main.ts boots), against the test database and the
// shared Redis under a Redis prefix of its own, so that no other suite's queue interferes:
// start-up checks, the nightly schedulers, the prune and retention jobs, the heartbeat and a
// clean stop.
import { randomBytes, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { INestApplicationContext } from '@nestjs/common';
import { DiscoveryService, NestFactory } from '@nestjs/core';
import {
  type ChannelAccountEntity,
  MessageEntity,
  RefreshTokenEntity,
  SessionEntity,
} from '@toonbank/database';
import { upsertJobSchedule } from '@toonbank/platform';
import { JobName, QueueName } from '@toonbank/shared';
import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { HEARTBEAT_INTERVAL_MS, heartbeatKey } from '../../apps/worker/src/heartbeat';
import { MaintenanceProcessor } from '../../apps/worker/src/jobs/maintenance.processor';
import { RoutingProcessor } from '../../apps/worker/src/jobs/routing.processor';
import { SlaProcessor } from '../../apps/worker/src/jobs/sla.processor';
import { PollingProcessor } from '../../apps/worker/src/jobs/polling.processor';
import { IngestProcessor } from '../../apps/worker/src/jobs/ingest.processor';
import { OutboundProcessor } from '../../apps/worker/src/jobs/outbound.processor';
import { CountsProcessor } from '../../apps/worker/src/jobs/counts.processor';
import { ScheduleKeeper } from '../../apps/worker/src/schedule-keeper';
import { blockingClientOf } from '../../apps/worker/src/stop-working';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { closeTestDatabase, testDatabase } from '../support/database';
import {
  newChannelAccount,
  newConversation,
  newInboundMessage,
  newOrganisation,
  newUser,
} from '../support/factories';
import {
  queueOn,
  removeQueues,
  startTestWorker,
  uniqueRedisPrefix,
  withEnv,
} from '../support/test-worker';

const DAY_MS = 24 * 3600 * 1000;
const PREFIX = `toonbank-test-worker-${randomBytes(4).toString('hex')}`;
const SUITE_PREFIX = process.env.REDIS_PREFIX;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs the container health check script (apps/worker/src/healthcheck.ts) as it is, on a
 * fresh module registry, and answers the exit code it chose (process.exit is intercepted).
 */
async function runHealthcheck(prefix: string): Promise<number> {
  let exited!: (code: number) => void;
  const code = new Promise<number>((resolve) => (exited = resolve));
  const exit = jest.spyOn(process, 'exit').mockImplementation(((value?: number) => {
    exited(value ?? 0);
  }) as typeof process.exit);
  try {
    return await withEnv({ REDIS_PREFIX: prefix }, async () => {
      jest.isolateModules(() => {
        jest.requireActual('../../apps/worker/src/healthcheck');
      });
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('the health check did not exit')), 5000);
      });
      return Promise.race([code, timeout]).finally(() => clearTimeout(timer));
    });
  } finally {
    exit.mockRestore();
  }
}

describe('worker', () => {
  let db: DataSource;
  let worker: INestApplicationContext;
  let closed = false;
  let queue: Queue;
  let queueEvents: QueueEvents;
  let redis: Redis;

  beforeAll(async () => {
    db = await testDatabase();
    worker = await withEnv({ REDIS_PREFIX: PREFIX }, async () => {
      const context = await NestFactory.createApplicationContext(WorkerModule.forRoot(), {
        logger: false,
      });
      await context.init(); // as main.ts does: runs the start-up checks
      return context;
    });
    const connection = { url: process.env.REDIS_URL as string, maxRetriesPerRequest: null };
    queue = new Queue(QueueName.Maintenance, { connection, prefix: PREFIX });
    queueEvents = new QueueEvents(QueueName.Maintenance, { connection, prefix: PREFIX });
    await queueEvents.waitUntilReady();
    redis = new Redis(process.env.REDIS_URL as string);
  }, 20_000);

  afterAll(async () => {
    if (!closed) await worker?.close();
    await queueEvents?.close();
    if (queue) {
      await queue.obliterate({ force: true });
      await queue.close();
    }
    if (redis) {
      // Only this suite's prefix: the heartbeat key (the queue is obliterated above).
      const leftovers = await redis.keys(`${PREFIX}:*`);
      if (leftovers.length > 0) await redis.del(...leftovers);
      redis.disconnect();
    }
    await closeTestDatabase();
  }, 20_000);

  it('uses a Redis prefix of its own', () => {
    expect(PREFIX).toMatch(/^toonbank-test-worker-[0-9a-f]{8}$/);
    expect(process.env.REDIS_PREFIX).toBe(SUITE_PREFIX); // restored after the start
    expect(SUITE_PREFIX).not.toBe(PREFIX);
  });

  it('starts: the job registry check passes and the BullMQ worker runs', () => {
    const processors = [
      worker.get(MaintenanceProcessor),
      worker.get(RoutingProcessor),
      worker.get(SlaProcessor),
      worker.get(PollingProcessor),
      worker.get(IngestProcessor),
      worker.get(OutboundProcessor),
      worker.get(CountsProcessor),
    ];
    expect(processors.flatMap((p) => Object.keys(p.handlers)).sort()).toEqual(
      Object.values(JobName).sort(),
    );
    for (const processor of processors) {
      expect(processor.worker.isRunning()).toBe(true);
      expect(processor.worker.opts.prefix).toBe(PREFIX);
    }
  });

  it('loads no controller: the HTTP routes belong to the api (ConversationsApiModule, ChannelsApiModule...)', () => {
    const controllers = worker.get(DiscoveryService).getControllers();
    expect(controllers.map((wrapper) => wrapper.name)).toEqual([]);
  });

  it('upserts the nightly maintenance job schedulers (sessions, raw payloads), idempotently', async () => {
    const expected = [
      expect.objectContaining({
        key: JobName.DropExpiredRaw,
        name: JobName.DropExpiredRaw,
        pattern: '41 3 * * *',
        tz: 'Europe/Amsterdam',
        next: expect.any(Number),
      }),
      expect.objectContaining({
        key: JobName.PruneSessions,
        name: JobName.PruneSessions,
        pattern: '17 3 * * *',
        tz: 'Europe/Amsterdam',
        next: expect.any(Number),
      }),
    ];
    const byKey = <T extends { key: string }>(schedulers: T[]) =>
      [...schedulers].sort((a, b) => a.key.localeCompare(b.key));
    const schedulers = byKey(await queue.getJobSchedulers());
    expect(schedulers).toEqual(expected);
    for (const scheduler of schedulers) {
      const next = scheduler.next as number;
      expect(next).toBeGreaterThan(Date.now());
      expect(next).toBeLessThanOrEqual(Date.now() + DAY_MS + 3600 * 1000);
    }
    // Their next runs wait as delayed jobs.
    expect(await queue.getDelayedCount()).toBe(2);

    // Every worker upserts them at start-up: doing it again changes nothing.
    for (const schedule of await worker.get(MaintenanceProcessor).schedules())
      await upsertJobSchedule(schedule);
    expect(byKey(await queue.getJobSchedulers())).toEqual(expected);
    expect(await queue.getDelayedCount()).toBe(2);
  });

  it('processes a maintenance.drop-expired-raw job: expired raw payloads go (privacy.spec.ts has the rules)', async () => {
    const organisation = await newOrganisation(db, { rawRetentionDays: 10 });
    const channel = await newChannelAccount(db, organisation);
    const conversation = await newConversation(db, organisation, channel);
    const old = await newInboundMessage(db, conversation, { raw: { id: 'old' } });
    const recent = await newInboundMessage(db, conversation, { raw: { id: 'recent' } });
    await db.query('UPDATE messages SET stored_at = $2 WHERE id = $1', [
      old.id,
      new Date(Date.now() - 11 * DAY_MS),
    ]);

    const job = await queue.add(JobName.DropExpiredRaw, {});
    const result = (await job.waitUntilFinished(queueEvents, 10_000)) as {
      dropped: number;
      batches: number;
    };
    expect(result.dropped).toBeGreaterThanOrEqual(1); // other suites' old payloads count too
    const raws = await db.getRepository(MessageEntity).findBy({ conversationId: conversation.id });
    expect(Object.fromEntries(raws.map((m) => [m.id, m.raw]))).toEqual({
      [old.id]: null,
      [recent.id]: { id: 'recent' },
    });
  }, 15_000);

  it('processes a maintenance.prune-sessions job: expired sessions and refresh tokens go, valid ones stay', async () => {
    const organisation = await newOrganisation(db);
    const user = await newUser(db, organisation, { role: 'agent' });
    const now = Date.now();
    const sessions = db.getRepository(SessionEntity);
    const tokens = db.getRepository(RefreshTokenEntity);
    const session = (expiresAt: Date) =>
      sessions.save(
        sessions.create({
          organisationId: organisation.id,
          userId: user.id,
          expiresAt,
          revokedAt: null,
          revokedReason: null,
          userAgent: 'jest',
          ipAddress: '127.0.0.1',
        }),
      );
    const token = async (sessionId: string, expiresAt: Date, usedAt: Date | null = null) => {
      const tokenHash = randomUUID();
      await tokens.insert({
        organisationId: organisation.id,
        sessionId,
        tokenHash,
        expiresAt,
        usedAt,
      });
      return tokenHash;
    };
    const yesterday = new Date(now - DAY_MS);
    const inAMonth = new Date(now + 30 * DAY_MS);
    const expired = await session(yesterday);
    const expiredToken = await token(expired.id, yesterday);
    const valid = await session(inAMonth);
    const validToken = await token(valid.id, inAMonth);
    const staleTokenOfValid = await token(valid.id, yesterday, new Date(now - 2 * DAY_MS));

    const job = await queue.add(JobName.PruneSessions, {});
    const result = (await job.waitUntilFinished(queueEvents, 10_000)) as { removed: number };
    expect(result.removed).toBeGreaterThanOrEqual(1); // other suites' expired sessions count too

    const left = await sessions.findBy({ userId: user.id });
    expect(left.map((s) => s.id)).toEqual([valid.id]);
    const leftTokens = await tokens.findBy({ organisationId: organisation.id });
    expect(leftTokens.map((t) => t.tokenHash)).toEqual([validToken]);
    expect(leftTokens.map((t) => t.tokenHash)).not.toContain(expiredToken);
    expect(leftTokens.map((t) => t.tokenHash)).not.toContain(staleTokenOfValid);
    expect(await job.getState()).toBe('completed');
  }, 15_000);

  it('fails a job it has no handler for at once, without retrying it', async () => {
    const job = await queue.add('maintenance.no-such-job', {}, { attempts: 5 });
    await expect(job.waitUntilFinished(queueEvents, 10_000)).rejects.toThrow(
      'no handler for job maintenance.no-such-job',
    );
    const failed = await queue.getJob(job.id as string);
    expect(failed?.attemptsMade).toBe(1);
    expect(await failed?.getState()).toBe('failed');
  }, 15_000);

  it('keeps the heartbeat key <prefix>:worker:heartbeat:<hostname>, and the health check passes', async () => {
    const key = `${PREFIX}:worker:heartbeat:${hostname()}`;
    expect(heartbeatKey(PREFIX)).toBe(key);
    const [value, ttl] = await Promise.all([redis.get(key), redis.pttl(key)]);
    expect(value).not.toBeNull();
    expect(Math.abs(Date.now() - Date.parse(value as string))).toBeLessThan(
      HEARTBEAT_INTERVAL_MS + 5000,
    );
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(HEARTBEAT_INTERVAL_MS * 3);

    expect(await runHealthcheck(PREFIX)).toBe(0);
    // A deployment (prefix) whose worker never ran fails the check.
    expect(await runHealthcheck(`${PREFIX}-none`)).toBe(1);
  }, 20_000);

  it('stops cleanly on close, even in the second after a reconnect: the BullMQ worker stops taking jobs and the database is released', async () => {
    const processor = worker.get(MaintenanceProcessor);
    const dataSource = worker.get(DataSource);
    // One worker's blocking connection between two reconnect attempts, as in the second after
    // a Redis restart: ioredis never emits the 'end' that a plain Worker.close() waits for then
    // (bullmq#4656), and this close hung for ever before WorkerDrain.
    const blocking = (await blockingClientOf(processor.worker))!;
    blocking.disconnect(true);
    while (blocking.status !== 'reconnecting') await sleep(5);

    const started = Date.now();
    await worker.close();
    closed = true;
    expect(Date.now() - started).toBeLessThan(5000);
    expect(processor.worker.isRunning()).toBe(false);
    expect(dataSource.isInitialized).toBe(false);

    // A job added now is not picked up by anyone.
    const job = await queue.add(JobName.PruneSessions, {});
    await sleep(500);
    expect(await job.getState()).toBe('waiting');
  }, 15_000);
});

/** The ScheduleKeeper with polls on (SWEEP_INTERVAL_SECONDS > 0): the schedulers it owns. */
describe('worker schedule keeper', () => {
  const prefix = uniqueRedisPrefix('keeper');
  let db: DataSource;
  let worker: INestApplicationContext;
  let polling: Queue;

  beforeAll(async () => {
    db = await testDatabase();
    // The periodic check is an hour away: only the test's check() runs.
    worker = await startTestWorker(prefix, {
      SWEEP_INTERVAL_SECONDS: '3600',
      SCHEDULE_CHECK_SECONDS: '3600',
    });
    polling = queueOn(prefix, QueueName.Polling);
  }, 20_000);
  afterAll(async () => {
    await worker?.close();
    await polling?.close();
    await removeQueues(prefix);
    await closeTestDatabase();
  }, 20_000);

  it('re-creates a lost poll scheduler, and removes those of accounts paused or deleted meanwhile', async () => {
    const organisation = await newOrganisation(db);
    const account = (overrides: Partial<ChannelAccountEntity> = {}) =>
      newChannelAccount(db, organisation, { pollIntervalSeconds: 3600, ...overrides });
    const active = await account();
    const paused = await account({ status: 'paused' });
    const deleted = await account({ deletedAt: new Date() });
    // Left behind (the pause or deletion raced the keeper, or Redis was away at the time).
    for (const stale of [paused, deleted]) {
      await polling.upsertJobScheduler(`poll:${stale.id}`, { every: 3600_000 });
    }
    await polling.removeJobScheduler(`poll:${active.id}`);
    const state = async () => {
      const keys = new Set((await polling.getJobSchedulers(0, -1)).map((s) => s.key));
      return {
        active: keys.has(`poll:${active.id}`),
        paused: keys.has(`poll:${paused.id}`),
        deleted: keys.has(`poll:${deleted.id}`),
      };
    };
    const wanted = { active: true, paused: false, deleted: false };

    worker.get(ScheduleKeeper).check('test');
    const deadline = Date.now() + 10_000;
    while (JSON.stringify(await state()) !== JSON.stringify(wanted) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await state()).toEqual(wanted);
  });
});
