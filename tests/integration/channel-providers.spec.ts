import { randomInt } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { ChannelAccountsRepository } from '@toonbank/channel-accounts';
import {
  ConnectorRegistry,
  InvalidPayload,
  type ChannelConnector,
  type WebhookEndpoint,
} from '@toonbank/channels';
import { BlueskyPeer, FakePlcDirectory, MetaPeer, XPeer } from '@toonbank/channels/testing';
import { ConversationEntity, MessageEntity } from '@toonbank/database';
import { IngestWriter, WebhookIngest } from '@toonbank/ingest';
import { JobName, QueueName } from '@toonbank/shared';
import type { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import { closeTestDatabase, testDatabase } from '../support/database';
import { newChannelAccount, newStaffedOrganisation } from '../support/factories';
import { bearer, signIn, startTestApp, type TestApp } from '../support/test-app';
import { drained, queueOn, startTestWorker, uniqueRedisPrefix } from '../support/test-worker';

const APP_SECRET = 'meta-app-secret-for-tests';
const VERIFY_TOKEN = 'meta-verify-token-for-tests';

/** Each provider end to end: its connector against its fake peer over HTTP, the worker, the database. */
describe('channel providers end to end', () => {
  const prefix = uniqueRedisPrefix('providers');
  let db: DataSource;
  let app: TestApp;
  let worker: INestApplicationContext;
  /** Where the api resolves Bluesky DIDs: every fake Bluesky peer publishes its account here. */
  let plc: FakePlcDirectory;
  const queues: Queue[] = [];

  beforeAll(async () => {
    db = await testDatabase();
    plc = await new FakePlcDirectory().start();
    app = await startTestApp({
      BLUESKY_PLC_DIRECTORY_URL: plc.url,
      REDIS_PREFIX: prefix,
      META_APP_SECRET: APP_SECRET,
      META_VERIFY_TOKEN: VERIFY_TOKEN,
    });
    worker = await startTestWorker(prefix);
    for (const name of [QueueName.Polling, QueueName.Ingest]) queues.push(queueOn(prefix, name));
  });
  afterAll(async () => {
    await app.close();
    await worker.close();
    await plc.close();
    for (const queue of queues) {
      await queue.obliterate({ force: true });
      await queue.close();
    }
    await closeTestDatabase();
  });

  const settle = async () => {
    for (const queue of queues) await drained(queue);
  };
  const world = async () => {
    const staffed = await newStaffedOrganisation(db, { routingStrategy: 'manual' });
    return { ...staffed, token: await signIn(app, staffed.admin) };
  };
  const connect = async (token: string, provider: string, config: Record<string, unknown>) => {
    const response = await app
      .http()
      .post('/api/channels')
      .set(bearer(token))
      .send({ provider, name: provider, config });
    if (response.status !== 201)
      throw new Error(`${provider}: ${response.status} ${JSON.stringify(response.body)}`);
    await settle();
    return response.body as { id: string; handle: string; ingest: string };
  };
  const messagesOf = (channelId: string) =>
    db
      .getRepository(MessageEntity)
      .find({ where: { channelAccountId: channelId }, order: { createdAt: 'ASC' } });

  describe('Bluesky', () => {
    it('connects with an app password, polls mentions and threads a reply into its conversation', async () => {
      const peer = await new BlueskyPeer({
        handle: `webcare${randomInt(1e6)}.bsky.social`,
        plc,
      }).start();
      try {
        const w = await world();
        const channel = await connect(w.token, 'bluesky', peer.config);
        expect(channel.handle).toMatch(/^@webcare/);
        const first = peer.mention({
          handle: 'ana.bsky.social',
          displayName: 'Ana P',
          text: 'Mijn factuur klopt niet',
        });
        const answer = peer.mention({
          handle: 'bram.bsky.social',
          text: 'Bij mij ook',
          replyTo: first as never,
        });
        const poll = await app
          .http()
          .post(`/api/channels/${channel.id}/poll`)
          .set(bearer(w.token))
          .expect(200);
        expect(poll.body).toEqual({ fetched: 2, stored: 2 });
        const messages = await messagesOf(channel.id);
        expect(messages.map((m) => m.authorHandle)).toEqual([
          '@ana.bsky.social',
          '@bram.bsky.social',
        ]);
        expect(messages[0]!.externalId).toMatch(/^at:\/\//);
        expect(messages[1]!.conversationId).toBe(messages[0]!.conversationId);
        expect(answer).toBeDefined();
      } finally {
        await peer.close();
      }
    });
  });

  describe('Bluesky: one account, one organisation', () => {
    const attempt = (token: string, config: Record<string, unknown>) =>
      app
        .http()
        .post('/api/channels')
        .set(bearer(token))
        .send({ provider: 'bluesky', name: 'bluesky', config });

    it('refuses a server that claims another account’s DID (connected or not), and the account itself in another organisation, exactly like a wrong app password', async () => {
      const victim = await new BlueskyPeer({
        handle: `victim${randomInt(1e6)}.bsky.social`,
        plc,
      }).start();
      // Another tenant's own server, answering the login with the victim's DID.
      const squatter = await new BlueskyPeer({
        handle: `squatter${randomInt(1e6)}.example.com`,
        did: victim.did,
        appPassword: 'squatter-app-password',
      }).start();
      try {
        const holder = await world();
        const other = await world();
        await connect(holder.token, 'bluesky', victim.config);
        expect((await attempt(holder.token, victim.config)).status).toBe(409);

        const wrongPassword = await attempt(other.token, {
          ...victim.config,
          appPassword: 'wrong-app-password',
        });
        const squatted = await attempt(other.token, squatter.config);
        const connectedElsewhere = await attempt(other.token, victim.config);
        // The DID of an account connected nowhere yet: a squatter cannot take it either.
        const unclaimed = await new BlueskyPeer({
          handle: `unclaimed${randomInt(1e6)}.bsky.social`,
          plc,
        }).start();
        const squatter2 = await new BlueskyPeer({
          handle: `squatter${randomInt(1e6)}.example.com`,
          did: unclaimed.did,
          appPassword: 'squatter-app-password',
        }).start();
        let squattedFree;
        try {
          squattedFree = await attempt(other.token, squatter2.config);
        } finally {
          await Promise.all([unclaimed.close(), squatter2.close()]);
        }
        expect(wrongPassword.body).toEqual({
          statusCode: 422,
          code: 'channel.credentials_invalid',
          message: 'The channel refused the credentials.',
        });
        for (const response of [squatted, connectedElsewhere, squattedFree]) {
          expect(response.status).toBe(422);
          expect(response.text).toBe(wrongPassword.text);
        }
        expect(
          squatter.requests.some((r) => r.path === '/xrpc/com.atproto.server.createSession'),
        ).toBe(true);
        const [stored] = (await db.query(
          `SELECT count(*)::int AS n FROM channel_accounts WHERE organisation_id = $1`,
          [other.organisation.id],
        )) as { n: number }[];
        expect(stored!.n).toBe(0);
      } finally {
        await victim.close();
        await squatter.close();
      }
    });
  });

  describe('X', () => {
    it('connects, polls mentions across pages and stores each once', async () => {
      const peer = await new XPeer({ userId: String(1e18 + randomInt(1e9)), pageSize: 3 }).start();
      try {
        const w = await world();
        const channel = await connect(w.token, 'x', {
          apiBaseUrl: peer.url,
          userId: peer.userId,
          clientId: peer.clientId,
          accessToken: peer.accessToken,
          refreshToken: peer.refreshToken,
        });
        for (let i = 0; i < 7; i += 1) peer.mention({ text: `@DemoEnergie storing ${i}` });
        const poll = await app
          .http()
          .post(`/api/channels/${channel.id}/poll`)
          .set(bearer(w.token))
          .expect(200);
        expect(poll.body).toEqual({ fetched: 7, stored: 7 });
        expect(
          (
            await app
              .http()
              .post(`/api/channels/${channel.id}/poll`)
              .set(bearer(w.token))
              .expect(200)
          ).body,
        ).toEqual({
          fetched: 0,
          stored: 0,
        });
        const messages = await messagesOf(channel.id);
        expect(new Set(messages.map((m) => m.externalId)).size).toBe(7);
        expect(messages.every((m) => m.authorHandle?.startsWith('@'))).toBe(true);
      } finally {
        await peer.close();
      }
    });
  });

  describe('Meta webhooks', () => {
    let peer: MetaPeer;
    const page = {
      id: String(1e9 + randomInt(1e9)),
      name: 'Demo Energie',
      token: 'EAAG-test-page-token',
    };
    const webhook = () => `${app.url}/api/webhooks/meta`;

    beforeAll(async () => {
      peer = await new MetaPeer({ pages: [page] }).start();
    });
    afterAll(() => peer.close());

    it('answers the verification handshake with the challenge only for the right token', async () => {
      const ok = await app
        .http()
        .get('/api/webhooks/meta')
        .query({
          'hub.mode': 'subscribe',
          'hub.challenge': '1158201444',
          'hub.verify_token': VERIFY_TOKEN,
        })
        .expect(200);
      expect(ok.text).toBe('1158201444');
      const wrong = await app
        .http()
        .get('/api/webhooks/meta')
        .query({ 'hub.mode': 'subscribe', 'hub.challenge': '1', 'hub.verify_token': 'guess' });
      expect(wrong.status).toBe(403);
    });

    it('stores a signed delivery once (even delivered twice), routed to its page’s channel; refuses a bad signature', async () => {
      const w = await world();
      const channel = await connect(w.token, 'facebook', {
        pageId: page.id,
        pageAccessToken: page.token,
        graphBaseUrl: peer.graphBaseUrl,
      });
      expect(channel).toMatchObject({ handle: 'Demo Energie', ingest: 'webhook' });

      const { delivery, comment } = peer.pageComment({
        pageId: page.id,
        text: 'Waar blijft mijn terugbetaling?',
      });
      expect(await peer.deliver(webhook(), delivery, APP_SECRET, { badSignature: true })).toBe(403);
      expect(await peer.deliver(webhook(), delivery, APP_SECRET, { unsigned: true })).toBe(403);
      await settle();
      expect(await messagesOf(channel.id)).toEqual([]);

      expect(await peer.deliver(webhook(), delivery, APP_SECRET)).toBe(200);
      expect(await peer.deliver(webhook(), delivery, APP_SECRET)).toBe(200); // Meta retries
      await settle();
      const messages = await messagesOf(channel.id);
      expect(messages.map((m) => [m.externalId, m.text])).toEqual([
        [comment.id, 'Waar blijft mijn terugbetaling?'],
      ]);
      const conversation = await db
        .getRepository(ConversationEntity)
        .findOneByOrFail({ id: messages[0]!.conversationId });
      expect(conversation.organisationId).toBe(w.organisation.id);
    });

    it('stores the good items of a delivery and skips the malformed one; an unknown page stores nothing', async () => {
      const w = await world();
      const other = {
        id: String(1e9 + randomInt(1e9)),
        name: 'Elsewhere',
        token: 'EAAG-elsewhere',
      };
      const channel = await connect(w.token, 'facebook', {
        pageId: page.id,
        pageAccessToken: page.token,
        graphBaseUrl: peer.graphBaseUrl,
      }).catch(
        // The page is connected by the previous test's organisation: one page, one channel, and
        // another organisation hears only that the credentials were refused.
        (error: Error) => ({ error }),
      );
      expect('error' in channel && channel.error.message).toContain(
        '422 {"statusCode":422,"code":"channel.credentials_invalid","message":"The channel refused the credentials."}',
      );

      const good = peer.pageComment({ pageId: page.id, text: 'Mijn meter is kapot' });
      const messenger = peer.messengerMessage({ pageId: page.id, text: 'Kunt u mij bellen?' });
      const broken = {
        object: 'page',
        entry: [
          {
            id: page.id,
            time: 1,
            changes: [{ field: 'feed', value: { item: 'comment', verb: 'add' } }],
          },
        ],
      };
      const unknown = {
        object: 'page',
        entry: [{ id: other.id, time: 1, changes: good.delivery.entry[0]!.changes }],
      };
      const batch = MetaPeer.batch(
        good.delivery,
        messenger.delivery,
        broken as never,
        unknown as never,
      );
      expect(await peer.deliver(webhook(), batch, APP_SECRET)).toBe(200);
      await settle();
      const stored = await db.query(
        `SELECT m.external_id, m.visibility FROM messages m JOIN channel_accounts a ON a.id = m.channel_account_id
          WHERE a.external_account_id = $1 AND a.deleted_at IS NULL AND m.external_id = ANY($2)`,
        [page.id, [good.comment.id, messenger.message.mid]],
      );
      expect(stored).toHaveLength(2);
      expect(
        stored.find((m: { external_id: string }) => m.external_id === messenger.message.mid)
          .visibility,
      ).toBe('direct');
    });

    it('stores an Instagram delivery from the same endpoint in its Instagram account', async () => {
      const linkedPage = {
        id: String(1e9 + randomInt(1e9)),
        name: 'Linked page',
        token: 'EAAG-linked',
      };
      const account = {
        id: String(1e14 + randomInt(1e9)),
        username: 'demo_energie',
        pageId: linkedPage.id,
      };
      const instagramPeer = await new MetaPeer({
        pages: [linkedPage],
        instagram: [account],
      }).start();
      try {
        const w = await world();
        const channel = await connect(w.token, 'instagram', {
          igUserId: account.id,
          pageAccessToken: linkedPage.token,
          graphBaseUrl: instagramPeer.graphBaseUrl,
        });
        const { delivery, comment } = instagramPeer.instagramComment({
          igUserId: account.id,
          text: 'Wanneer komt de monteur?',
        });
        expect(delivery.object).toBe('instagram');
        expect(
          await instagramPeer.deliver(webhook(), delivery, APP_SECRET, { badSignature: true }),
        ).toBe(403);
        expect(await instagramPeer.deliver(webhook(), delivery, APP_SECRET)).toBe(200);
        await settle();
        expect((await messagesOf(channel.id)).map((m) => [m.externalId, m.text])).toEqual([
          [comment.id, 'Wanneer komt de monteur?'],
        ]);
      } finally {
        await instagramPeer.close();
      }
    });

    it('stores a delivery queued before the jobs named their endpoint ({ source: "meta" })', async () => {
      const w = await world();
      const oldPage = { id: String(1e9 + randomInt(1e9)), name: 'Old', token: 'EAAG-old' };
      peer.addPage(oldPage);
      const channel = await connect(w.token, 'facebook', {
        pageId: oldPage.id,
        pageAccessToken: oldPage.token,
        graphBaseUrl: peer.graphBaseUrl,
      });
      const { delivery, comment } = peer.pageComment({
        pageId: oldPage.id,
        text: 'Nog van gisteren',
      });
      await queues[1]!.add(JobName.IngestWebhook, { source: 'meta', body: delivery });
      await settle();
      expect((await messagesOf(channel.id)).map((m) => m.externalId)).toEqual([comment.id]);
    });

    it('answers 404 on an endpoint no connector declares, signed or not', async () => {
      const { delivery } = peer.pageComment({ pageId: page.id });
      expect(await peer.deliver(`${app.url}/api/webhooks/whatsapp`, delivery, APP_SECRET)).toBe(
        404,
      );
      const handshake = await app
        .http()
        .get('/api/webhooks/whatsapp')
        .query({ 'hub.mode': 'subscribe', 'hub.challenge': '1', 'hub.verify_token': VERIFY_TOKEN });
      expect(handshake.status).toBe(404);
      // The handshake answers text/plain; its errors keep the contract's body.
      expect(JSON.parse(handshake.text)).toMatchObject({ statusCode: 404, code: 'not_found' });
    });
  });

  describe('a webhook of a new network', () => {
    /** A test-only endpoint and provider, as a provider folder would declare them. */
    const endpoint: WebhookEndpoint = {
      name: 'test-own',
      settings: [],
      verify: () => true,
      kindOf: (body) => {
        const kind = (body as { kind?: unknown }).kind;
        if (typeof kind !== 'string') throw new InvalidPayload('no kind');
        return kind;
      },
    };
    const testConnector = {
      capabilities: { provider: 'x' },
      configFields: [],
      webhook: {
        endpoint,
        kind: 'mention',
        parse: (body: unknown) => {
          const { account, id, text } = body as { account: string; id: string; text: string };
          const item = {
            externalId: id,
            authorExternalId: 'customer-1',
            authorHandle: '@klant',
            authorName: null,
            text,
            createdAt: new Date(),
            inReplyToExternalId: null,
            threadRootExternalId: null,
            visibility: 'public',
            language: null,
            attachments: [],
            raw: { id, text },
          };
          return [{ accountExternalId: account, items: [item], rejected: [] }];
        },
      },
    } as unknown as ChannelConnector;

    it('gets its deliveries stored through the connector registry alone', async () => {
      const w = await world();
      const externalAccountId = String(randomInt(1e9));
      const channel = await newChannelAccount(db, w.organisation, {
        provider: 'x',
        externalAccountId,
      });
      const ingest = new WebhookIngest(
        worker.get(ChannelAccountsRepository, { strict: false }),
        worker.get(IngestWriter, { strict: false }),
        new ConnectorRegistry([testConnector]),
      );
      const body = { kind: 'mention', account: externalAccountId, id: 'post-1', text: 'Hallo?' };
      expect(await ingest.ingest('test-own', body)).toEqual({
        entries: 1,
        stored: 1,
        unrouted: 0,
        rejected: 0,
      });
      expect((await messagesOf(channel.id)).map((m) => [m.externalId, m.text])).toEqual([
        ['post-1', 'Hallo?'],
      ]);
      await expect(ingest.ingest('test-own', { ...body, kind: 'like' })).rejects.toThrow(
        InvalidPayload,
      );
    });
  });
});
