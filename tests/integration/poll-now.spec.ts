import type { INestApplicationContext } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import { MastodonPeer } from '@toonbank/channels/testing';
import { ChannelAccountEntity } from '@toonbank/database';
import { QueueName } from '@toonbank/shared';
import type { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { closeTestDatabase, testDatabase } from '../support/database';
import { expectError } from '../support/expect-error';
import { newStaffedOrganisation } from '../support/factories';
import { connectMastodon } from '../support/mastodon-channel';
import { PrivateRedis } from '../support/private-redis';
import { closeAllInboxClients, connectInbox, SILENCE_MS } from '../support/socket-client';
import { bearer, signIn, startTestApp, type TestApp } from '../support/test-app';
import { startTestWorker, uniqueRedisPrefix } from '../support/test-worker';

const TOKEN = 'poll-now-token';
const WORKER_ENV = { SWEEP_INTERVAL_SECONDS: '0' };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One command on the private server, on a connection of its own. */
async function onRedis<T>(redis: PrivateRedis, command: (client: Redis) => Promise<T>): Promise<T> {
  const client = new Redis(redis.url);
  client.on('error', () => undefined);
  try {
    return await command(client);
  } finally {
    client.disconnect();
  }
}

/**
 * Whatever is printed to stderr (or through console.error / console.warn) meanwhile: BullMQ
 * prints an error with its stack there when the Queue, QueueEvents or Worker has no 'error'
 * listener, and ioredis its "Unhandled error event".
 */
async function plainTextPrintedDuring(run: () => Promise<void>): Promise<string[]> {
  const printed: string[] = [];
  const record = (...args: unknown[]) => {
    printed.push(args.map((a) => (a instanceof Error ? a.message : String(a))).join(' '));
  };
  const error = jest.spyOn(console, 'error').mockImplementation(record);
  const warn = jest.spyOn(console, 'warn').mockImplementation(record);
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: unknown) => {
    record(chunk);
    return true;
  });
  try {
    await run();
  } finally {
    error.mockRestore();
    warn.mockRestore();
    stderr.mockRestore();
  }
  return printed;
}

/**
 * ISSUE 13, item 8: "poll now" waits up to POLL_NOW_WAIT_SECONDS: the result when the poll
 * finished (200), else 202 `{ jobId }` and a `channel.updated` when it ends; 503
 * `service.unavailable` at once without a worker or without Redis. On a private redis-server.
 */
describe('poll now', () => {
  const prefix = uniqueRedisPrefix('poll-now');
  let redis: PrivateRedis;
  let db: DataSource;
  let app: TestApp;
  let worker: INestApplicationContext | null = null;
  let peer: MastodonPeer;
  let admin: string;
  let agent: string;
  let channelId: string;

  beforeAll(async () => {
    db = await testDatabase();
    redis = await PrivateRedis.start();
    const env = { REDIS_PREFIX: prefix, REDIS_URL: redis.url };
    app = await startTestApp({ ...env, POLL_NOW_WAIT_SECONDS: '1' });
    worker = await startTestWorker(prefix, { REDIS_URL: redis.url, ...WORKER_ENV });
    peer = await new MastodonPeer({ accessToken: TOKEN }).start();
    const w = await newStaffedOrganisation(db, { routingStrategy: 'manual' });
    admin = await signIn(app, w.admin);
    agent = await signIn(app, w.agent);
    channelId = await connectMastodon(app, admin, peer, TOKEN, { pollIntervalSeconds: 3600 });
    // The first poll, which a new channel's schedule runs at once, is over before the tests poll.
    const deadline = Date.now() + 20_000;
    while (
      !(await db.getRepository(ChannelAccountEntity).findOneByOrFail({ id: channelId }))
        .lastPolledAt
    ) {
      if (Date.now() > deadline) throw new Error('the first poll did not end');
      await sleep(100);
    }
  });
  afterEach(() => closeAllInboxClients());
  afterAll(async () => {
    if (!redis.running) await redis.restart();
    await worker?.close();
    await app.close();
    await peer.close();
    await redis.stop();
    await closeTestDatabase();
  });

  const pollNow = () => app.http().post(`/api/channels/${channelId}/poll`).set(bearer(admin));
  const timed = async <T>(run: () => Promise<T>) => {
    const started = Date.now();
    const result = await run();
    return { result, ms: Date.now() - started };
  };

  it('answers 200 { fetched, stored } when the poll finished within the wait, as before', async () => {
    peer.mention({ acct: 'snel@poll.example', text: 'Een snelle vraag' });
    const response = await pollNow().expect(200);
    expect(response.body).toEqual({ fetched: expect.any(Number), stored: 1 });
  });

  it('answers 202 { jobId } when the poll is still running, and pushes channel.updated when it ends', async () => {
    const inbox = await connectInbox(app, admin);
    const colleague = await connectInbox(app, agent);
    // Another poll of this channel holds its lock: "poll now" waits for its turn.
    const lock = `${prefix}:poll-lock:${channelId}`;
    await onRedis(redis, (client) => client.set(lock, 'another-poll', 'PX', 30_000));
    peer.mention({ acct: 'traag@poll.example', text: 'Een vraag die even wacht' });

    const { result: response, ms } = await timed(() => pollNow());
    expect(response.status).toBe(202);
    expect(response.body).toEqual({ jobId: expect.any(String) });
    expect(ms).toBeLessThan(5000);
    expect(inbox.payloadsOf('channel.updated')).toEqual([]);

    await onRedis(redis, (client) => client.del(lock));
    const event = (await inbox.nextEvent('channel.updated', 15_000)) as Record<string, unknown>;
    expect(event).toMatchObject({
      id: channelId,
      status: 'active',
      lastPolledAt: expect.any(String),
      poll: { jobId: response.body.jobId, fetched: expect.any(Number), stored: 1 },
    });
    expect(event).not.toHaveProperty('config.accessToken');
    expect(event).not.toHaveProperty('credentialsEncrypted');
    // To the admin who asked only: an agent of the organisation may not even read channels.
    await sleep(SILENCE_MS);
    expect(colleague.payloadsOf('channel.updated')).toEqual([]);
  }, 30_000);

  it('a poll that fails for good within the wait (not a channel error): 503 service.unavailable, never 500', async () => {
    const accounts = db.getRepository(ChannelAccountEntity);
    const [{ sealed }] = (await db.query(
      'SELECT credentials_encrypted AS sealed FROM channel_accounts WHERE id = $1',
      [channelId],
    )) as { sealed: string }[];
    // Credentials that no key opens: the poller throws, not a channel's error.
    await accounts.update({ id: channelId }, { credentialsEncrypted: 'not-sealed-by-any-key' });
    try {
      const response = await pollNow();
      expectError(response, 503, 'service.unavailable');
      expect(response.body.message).toMatch(/the poll failed/);
      expect(JSON.stringify(response.body)).not.toMatch(/sealed|decrypt|stack/i);
    } finally {
      await accounts.update(
        { id: channelId },
        { credentialsEncrypted: sealed, status: 'active', lastError: null, lastErrorAt: null },
      );
    }
  });

  it('gives every queue of the api and the worker an error listener', () => {
    for (const context of [app.app, worker as INestApplicationContext]) {
      for (const name of Object.values(QueueName)) {
        const queue = context.get<Queue>(getQueueToken(name), { strict: false });
        expect({ name, listeners: queue.listenerCount('error') > 0 }).toEqual({
          name,
          listeners: true,
        });
      }
    }
  });

  it('answers 503 service.unavailable at once when no worker runs', async () => {
    await worker?.close();
    worker = null;
    const { result: response, ms } = await timed(() => pollNow());
    expectError(response, 503, 'service.unavailable');
    expect(ms).toBeLessThan(5000);
    worker = await startTestWorker(prefix, { REDIS_URL: redis.url, ...WORKER_ENV });
    await pollNow().expect(200);
  }, 30_000);

  it('answers 503 service.unavailable at once when Redis is down, and nothing prints plain text meanwhile', async () => {
    const printed = await plainTextPrintedDuring(async () => {
      await redis.kill();
      const { result: response, ms } = await timed(() => pollNow());
      expectError(response, 503, 'service.unavailable');
      expect(ms).toBeLessThan(5000);
      // The outage goes on a while: every connection retries (and fails) several times.
      await sleep(4000);
      await redis.restart();
      await sleep(2000);
    });
    expect(printed).toEqual([]);
  }, 30_000);
});
