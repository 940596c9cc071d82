import type { INestApplicationContext } from '@nestjs/common';
import {
  ConversationEntity,
  type ChannelAccountEntity,
  type OrganisationEntity,
} from '@toonbank/database';
import { JobName, QueueName } from '@toonbank/shared';
import type { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { closeTestDatabase, testDatabase } from '../support/database';
import { newChannelAccount, newConversation, newOrganisation } from '../support/factories';
import { PrivateRedis } from '../support/private-redis';
import { queueOn, startTestWorker, uniqueRedisPrefix } from '../support/test-worker';

/** The SLA timer's job id (libs/sla slaTimerJobId): timers already in Redis keep it. */
const slaTimerJobId = (conversation: ConversationEntity) =>
  `sla-${conversation.id}-${conversation.slaDueAt?.getTime()}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const until = async (done: () => Promise<boolean>, what: string, timeoutMs: number) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(100);
  }
};

/** One command on the private server, on a connection of its own. */
async function onRedis<T>(redis: PrivateRedis, command: (client: Redis) => Promise<T>): Promise<T> {
  const client = new Redis(redis.url);
  try {
    return await command(client);
  } finally {
    client.disconnect();
  }
}

/** The schedulers every worker keeps (SWEEP_INTERVAL_SECONDS > 0), besides one per polled account. */
const FIXED_SCHEDULERS: Record<string, string[]> = {
  [QueueName.Maintenance]: [JobName.DropExpiredRaw, JobName.PruneSessions],
  [QueueName.Routing]: [JobName.RoutingSweep],
  [QueueName.Sla]: [JobName.SlaSweep],
  [QueueName.Outbound]: [JobName.OutboundSweep],
};

/**
 * ISSUE 13, item 5: Redis back empty. The worker re-creates its job schedulers (on its own
 * timer, and when Redis reconnects) and the SLA sweep sets again, from PostgreSQL, the timer
 * of every open conversation that waits for its first response; the timers still fire.
 * Each case on a redis-server of its own, never the shared one.
 */
describe.each([
  {
    outage: 'FLUSHALL (no reconnect): the periodic check',
    // The check runs every 2 s; the sweep only once a minute, so that the timer, not the
    // sweep, is what flags the breach.
    env: { SCHEDULE_CHECK_SECONDS: '2', SWEEP_INTERVAL_SECONDS: '60' },
    restoreWithinMs: 2000 + 3000,
    empty: (redis: PrivateRedis) => onRedis(redis, (client) => client.flushall()),
  },
  {
    outage: 'a restart without data: the reconnect',
    // No periodic check within the test's time: only the reconnect can bring them back.
    env: { SCHEDULE_CHECK_SECONDS: '3600', SWEEP_INTERVAL_SECONDS: '60' },
    restoreWithinMs: 10_000,
    empty: async (redis: PrivateRedis) => {
      await redis.kill();
      await redis.restart();
    },
  },
])('Redis back empty, $outage', ({ env, restoreWithinMs, empty }) => {
  const prefix = uniqueRedisPrefix('redis-empty');
  let redis: PrivateRedis;
  let db: DataSource;
  let worker: INestApplicationContext;
  let organisation: OrganisationEntity;
  let channel: ChannelAccountEntity;
  const queues = new Map<string, Queue>();

  beforeAll(async () => {
    db = await testDatabase();
    redis = await PrivateRedis.start();
    organisation = await newOrganisation(db, { routingStrategy: 'manual' });
    // Polled, before the worker starts: its scheduler is one of those written at start-up.
    channel = await newChannelAccount(db, organisation, { pollIntervalSeconds: 3600 });
    worker = await startTestWorker(prefix, { REDIS_URL: redis.url, ...env });
    for (const name of Object.values(QueueName)) queues.set(name, queueOn(prefix, name, redis.url));
  });
  afterAll(async () => {
    if (!redis.running) await redis.restart();
    await worker.close();
    for (const queue of queues.values()) await queue.close();
    await redis.stop();
    await closeTestDatabase();
  });

  const queue = (name: string) => queues.get(name) as Queue;
  const missingSchedulers = async (channelAccountId: string) => {
    const wanted = { ...FIXED_SCHEDULERS, [QueueName.Polling]: [`poll:${channelAccountId}`] };
    const missing: string[] = [];
    for (const [name, ids] of Object.entries(wanted)) {
      const present = new Set((await queue(name).getJobSchedulers()).map((s) => s.key));
      missing.push(...ids.filter((id) => !present.has(id)));
    }
    return missing;
  };
  const timerState = (conversation: ConversationEntity) =>
    queue(QueueName.Sla).getJobState(slaTimerJobId(conversation));

  it('re-creates every job scheduler and sets the lost SLA timers again, which still fire', async () => {
    await until(
      async () => (await missingSchedulers(channel.id)).length === 0,
      'the schedulers at start-up',
      10_000,
    );

    const marker = `${prefix}:before-the-outage`;
    await onRedis(redis, (client) => client.set(marker, '1'));
    await empty(redis);
    // Empty indeed (the schedulers may be back already: they do not wait for the test).
    expect(await onRedis(redis, (client) => client.exists(marker))).toBe(0);
    // Open and waiting for a first response when Redis lost everything: only PostgreSQL knows.
    const open = await newConversation(db, organisation, channel, {
      slaDueAt: new Date(Date.now() + restoreWithinMs + 4000),
    });
    const answered = await newConversation(db, organisation, channel, {
      slaDueAt: new Date(Date.now() + restoreWithinMs + 4000),
      firstResponseAt: new Date(),
    });

    const lost = Date.now();
    await until(
      async () => (await missingSchedulers(channel.id)).length === 0,
      'the schedulers after Redis came back empty',
      restoreWithinMs,
    );
    await until(
      async () => (await timerState(open)) === 'delayed',
      'the SLA timer set again',
      restoreWithinMs - (Date.now() - lost) + 2000,
    );
    expect(await timerState(answered)).toBe('unknown');

    // The timer fires at the due time: the timer flags the breach (the next sweep is a minute away).
    const dueInMs = (open.slaDueAt as Date).getTime() - Date.now();
    await until(
      async () => (await timerState(open)) === 'completed',
      'the SLA timer',
      dueInMs + 5000,
    );
    const job = await queue(QueueName.Sla).getJob(slaTimerJobId(open));
    expect(job?.returnvalue).toEqual({ breached: true });
    const stored = await db.getRepository(ConversationEntity).findOneByOrFail({ id: open.id });
    expect(stored.slaBreached).toBe(true);
  }, 90_000);
});
