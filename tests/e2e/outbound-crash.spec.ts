import type { ChildProcess } from 'node:child_process';
import { MastodonPeer, XPeer, type FakeServer } from '@toonbank/channels/testing';
import { ConversationEntity, ReplyEntity } from '@toonbank/database';
import { QueueName, type ReplyDto } from '@toonbank/shared';
import type { DataSource } from 'typeorm';
import { closeTestDatabase, testDatabase } from '../support/database';
import { newStaffedOrganisation } from '../support/factories';
import { bearer, signIn, startTestApp, type TestApp } from '../support/test-app';
import {
  queueOn,
  spawnBuiltWorker,
  uniqueRedisPrefix,
  workerListening,
} from '../support/test-worker';

const TOKEN = 'outbound-crash-token';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** BullMQ takes a killed worker's job back once its lock (30 s) lapses and a stalled check runs. */
const RECOVERY_MS = 120_000;

/**
 * ISSUE 5: the worker process is killed (`kill -9`) while the channel is answering its post:
 * the post arrived, the answer never did. The next worker takes the job over. Mastodon's
 * Idempotency-Key makes the repeat harmless (one post, recorded as sent); X has no such key,
 * so the reply fails for a person to check instead of being posted twice.
 */
describe('a worker killed while a reply is being posted', () => {
  const prefix = uniqueRedisPrefix('outbound-crash');
  let db: DataSource;
  let app: TestApp;
  const workers: ChildProcess[] = [];
  const peers: { close(): Promise<void> }[] = [];

  const startWorker = () => {
    const child = spawnBuiltWorker(prefix);
    workers.push(child);
    return child;
  };
  const killed = (child: ChildProcess) =>
    new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });

  beforeAll(async () => {
    db = await testDatabase();
    app = await startTestApp({ REDIS_PREFIX: prefix });
  });
  afterAll(async () => {
    for (const child of workers)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await app.close();
    for (const peer of peers) await peer.close();
    for (const name of Object.values(QueueName)) {
      const queue = queueOn(prefix, name);
      await queue.obliterate({ force: true });
      await queue.close();
    }
    await closeTestDatabase();
  });

  /** Connects the channel, polls the customer's mention in, writes a reply, and kills the worker mid-answer. */
  const crashWhilePosting = async (
    provider: 'mastodon' | 'x',
    config: Record<string, unknown>,
    server: FakeServer,
    postPath: string,
  ) => {
    const w = await newStaffedOrganisation(db, { maturityLevel: 2, routingStrategy: 'manual' });
    const admin = await signIn(app, w.admin);
    // Only this test's worker may take the job: the one it kills.
    for (const child of workers)
      if (child.exitCode === null && child.signalCode === null) await killed(child);
    const first = startWorker();
    await workerListening(prefix);
    const channel = await app
      .http()
      .post('/api/channels')
      .set(bearer(admin))
      .send({ provider, name: provider, config })
      .expect(201);
    await app.http().post(`/api/channels/${channel.body.id}/poll`).set(bearer(admin)).expect(200);
    const conversation = await db
      .getRepository(ConversationEntity)
      .findOneByOrFail({ channelAccountId: channel.body.id });
    const held = server.holdNextAnswer((r) => r.method === 'POST' && r.path === postPath);
    const reply = await app
      .http()
      .post(`/api/conversations/${conversation.id}/replies`)
      .set(bearer(admin))
      .send({ text: 'Dank voor uw bericht. Wij kijken het direct voor u na. ^AB' })
      .expect(201);
    await held.arrived;
    await killed(first);
    held.release();
    startWorker();
    const deadline = Date.now() + RECOVERY_MS - 10_000;
    for (;;) {
      const row = await db
        .getRepository(ReplyEntity)
        .findOneByOrFail({ id: (reply.body as ReplyDto).id });
      if (row.status !== 'queued') return row;
      if (Date.now() > deadline) throw new Error('the reply was never taken over');
      await sleep(250);
    }
  };

  it(
    'Mastodon: the post is repeated with the same key, and the channel keeps one',
    async () => {
      const peer = await new MastodonPeer({ accessToken: TOKEN }).start();
      peers.push(peer);
      peer.mention({ text: 'Mijn stroom is uitgevallen' });
      const reply = await crashWhilePosting(
        'mastodon',
        { instanceUrl: peer.url, accessToken: TOKEN },
        peer.server,
        '/api/v1/statuses',
      );
      expect(peer.posted).toHaveLength(1);
      expect(reply).toMatchObject({
        status: 'sent',
        externalId: peer.posted[0]!.status.id,
        attempts: 2,
      });
    },
    RECOVERY_MS,
  );

  it(
    'X: the post is never repeated blindly; the reply fails with the reason',
    async () => {
      const peer = await new XPeer({
        userId: String(1e18 + Math.floor(Math.random() * 1e9)),
      }).start();
      peers.push(peer);
      peer.mention({ text: '@DemoEnergie mijn factuur klopt niet' });
      const reply = await crashWhilePosting(
        'x',
        {
          apiBaseUrl: peer.url,
          userId: peer.userId,
          clientId: peer.clientId,
          accessToken: peer.accessToken,
          refreshToken: peer.refreshToken,
        },
        peer.server,
        '/2/tweets',
      );
      expect(peer.posted.filter((p) => p.kind === 'tweet')).toHaveLength(1);
      expect(reply.status).toBe('failed');
      expect(reply.error).toMatch(/may have reached the channel/);
    },
    RECOVERY_MS,
  );
});
