import type { INestApplicationContext } from '@nestjs/common';
import { MastodonPeer } from '@toonbank/channels/testing';
import type { DataSource } from 'typeorm';
import { closeTestDatabase, testDatabase } from '../support/database';
import { newStaffedOrganisation } from '../support/factories';
import { PrivateRedis } from '../support/private-redis';
import { bearer, signIn, startTestApp, type TestApp } from '../support/test-app';
import { startTestWorker, uniqueRedisPrefix } from '../support/test-worker';

const TOKEN = 'redis-restart-token';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * ISSUE 4: Redis restarted while polling — on a private redis-server that keeps an
 * append-only file, as the compose file's does — and ingest goes on with no manual step.
 */
describe('Redis restarted while polling', () => {
  const prefix = uniqueRedisPrefix('redis-restart');
  let redis: PrivateRedis;
  let db: DataSource;
  let app: TestApp;
  let worker: INestApplicationContext;
  let peer: MastodonPeer;

  beforeAll(async () => {
    db = await testDatabase();
    redis = await PrivateRedis.start({ persist: true });
    app = await startTestApp({ REDIS_PREFIX: prefix, REDIS_URL: redis.url });
    worker = await startTestWorker(prefix, { REDIS_URL: redis.url });
    peer = await new MastodonPeer({ accessToken: TOKEN }).start();
  });
  afterAll(async () => {
    if (!redis.running) await redis.restart();
    await worker.close();
    await app.close();
    await peer.close();
    await redis.stop();
    await closeTestDatabase();
  });

  const stored = async (channelId: string, externalId: string) =>
    (
      (await db.query(
        'SELECT count(*)::int AS n FROM messages WHERE channel_account_id = $1 AND external_id = $2',
        [channelId, externalId],
      )) as [{ n: number }]
    )[0].n;
  const until = async (done: () => Promise<boolean>, what: string, timeoutMs = 60_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!(await done())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await sleep(200);
    }
  };

  it('polls on after the restart and stores what arrived meanwhile, once', async () => {
    const w = await newStaffedOrganisation(db, { routingStrategy: 'manual' });
    const created = await app
      .http()
      .post('/api/channels')
      .set(bearer(await signIn(app, w.admin)))
      .send({
        provider: 'mastodon',
        name: 'M',
        pollIntervalSeconds: 10,
        config: { instanceUrl: peer.url, accessToken: TOKEN },
      })
      .expect(201);
    const channelId = created.body.id as string;
    const before = peer.mention({ acct: 'voor@storm.example', text: 'Voor de herstart' });
    await until(
      async () => (await stored(channelId, before.status!.id)) === 1,
      'the first mention',
    );

    await redis.kill();
    const during = peer.mention({ acct: 'tijdens@storm.example', text: 'Terwijl Redis weg is' });
    await sleep(3000);
    await redis.restart();
    const after = peer.mention({ acct: 'na@storm.example', text: 'Na de herstart' });

    await until(
      async () =>
        (await stored(channelId, during.status!.id)) === 1 &&
        (await stored(channelId, after.status!.id)) === 1,
      'the mentions made during and after the outage',
    );
    expect(await stored(channelId, before.status!.id)).toBe(1);
  }, 120_000);
});
