import type { ChildProcess } from 'node:child_process';
import { MastodonPeer } from '@toonbank/channels/testing';
import { QueueName } from '@toonbank/shared';
import type { DataSource } from 'typeorm';
import { closeTestDatabase, testDatabase } from '../support/database';
import { newStaffedOrganisation } from '../support/factories';
import { bearer, signIn, startTestApp, type TestApp } from '../support/test-app';
import { queueOn, spawnBuiltWorker, uniqueRedisPrefix } from '../support/test-worker';

const TOKEN = 'crash-test-token';
const BURST = 3000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * ISSUE 4: a worker killed (`kill -9`) in the middle of ingesting a burst, then started again:
 * every message is stored exactly once and no conversation is left half written.
 */
describe('a worker killed in the middle of an ingest', () => {
  const prefix = uniqueRedisPrefix('crash');
  let db: DataSource;
  let app: TestApp;
  let peer: MastodonPeer;
  const workers: ChildProcess[] = [];

  const startWorker = () => {
    const child = spawnBuiltWorker(prefix);
    workers.push(child);
    return child;
  };
  const count = async (sql: string, id: string) =>
    ((await db.query(sql, [id])) as [{ n: number }])[0].n;

  beforeAll(async () => {
    db = await testDatabase();
    app = await startTestApp({ REDIS_PREFIX: prefix });
    peer = await new MastodonPeer({ accessToken: TOKEN, pageSize: 250, maxPageSize: 250 }).start();
  });
  afterAll(async () => {
    for (const child of workers)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await app.close();
    await peer.close();
    for (const name of [QueueName.Polling, QueueName.Ingest, QueueName.Routing, QueueName.Sla]) {
      const queue = queueOn(prefix, name);
      await queue.obliterate({ force: true });
      await queue.close();
    }
    await closeTestDatabase();
  });

  it(`stores all ${BURST} mentions of a burst exactly once`, async () => {
    const w = await newStaffedOrganisation(db, { routingStrategy: 'manual' });
    const token = await signIn(app, w.admin);
    const first = startWorker();
    const created = await app
      .http()
      .post('/api/channels')
      .set(bearer(token))
      .send({
        provider: 'mastodon',
        name: 'M',
        pollIntervalSeconds: 10,
        config: { instanceUrl: peer.url, accessToken: TOKEN },
      })
      .expect(201);
    const channelId = created.body.id as string;
    const stored = () =>
      count('SELECT count(*)::int AS n FROM messages WHERE channel_account_id = $1', channelId);

    // The first poll finds nothing and sets the cursor; then the burst arrives.
    for (let waited = 0; ; waited += 100) {
      const [row] = (await db.query('SELECT cursor FROM channel_accounts WHERE id = $1', [
        channelId,
      ])) as [{ cursor: unknown }];
      if (row.cursor) break;
      if (waited > 30_000) throw new Error('the first poll did not happen');
      await sleep(100);
    }
    for (let i = 0; i < BURST; i += 1)
      peer.mention({ acct: `klant${i}@storm.example`, text: `Storing ${i}: geen stroom` });

    // Kill the worker as soon as the burst is being stored.
    for (let waited = 0; (await stored()) === 0; waited += 20) {
      if (waited > 30_000) throw new Error('the burst was not picked up');
      await sleep(20);
    }
    first.kill('SIGKILL');
    const atKill = await stored();
    expect(atKill).toBeLessThan(BURST);

    startWorker();
    for (let waited = 0; (await stored()) < BURST; waited += 250) {
      if (waited > 150_000)
        throw new Error(`only ${await stored()} of ${BURST} stored after the restart`);
      await sleep(250);
    }
    await sleep(2000); // nothing more arrives
    expect(await stored()).toBe(BURST);
    expect(
      await count(
        'SELECT count(DISTINCT external_id)::int AS n FROM messages WHERE channel_account_id = $1',
        channelId,
      ),
    ).toBe(BURST);
    expect(
      await count(
        'SELECT count(*)::int AS n FROM conversations WHERE channel_account_id = $1',
        channelId,
      ),
    ).toBe(BURST);
    expect(
      await count(
        `SELECT count(*)::int AS n FROM conversations c WHERE c.channel_account_id = $1
           AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id)`,
        channelId,
      ),
    ).toBe(0);
    process.stderr.write(
      `crash recovery: killed with ${atKill} of ${BURST} stored; all ${BURST} stored once after the restart\n`,
    );
  }, 240_000);
});
