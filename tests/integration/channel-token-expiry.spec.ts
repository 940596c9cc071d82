// A channel that says the access token expired whatever its own `exp` says (the channel's
// clock runs ahead of ours, or it revoked the token early): the session is renewed at once
// (forced), the rotated secrets are stored before the call is tried again, and the call is
// tried once more (issue 13, item 10). With the real outbound queue and poller, the worker,
// PostgreSQL, Redis and the fake peers over HTTP.
import { randomInt } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { ChannelAccountsRepository, ChannelSessions } from '@toonbank/channel-accounts';
import {
  FacebookConnector,
  SafeHttp,
  type BlueskySecrets,
  type XSecrets,
} from '@toonbank/channels';
import {
  BlueskyPeer,
  FakePlcDirectory,
  MastodonPeer,
  MetaPeer,
  XPeer,
} from '@toonbank/channels/testing';
import { ChannelAccountEntity, ConversationEntity, ReplyEntity } from '@toonbank/database';
import { CredentialVault } from '@toonbank/platform';
import { QueueName, type ReplyDto } from '@toonbank/shared';
import type { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import { closeTestDatabase, testDatabase } from '../support/database';
import { newChannelAccount } from '../support/factories';
import { connectChannel, replyWorld, type ReplyWorld } from '../support/reply-world';
import { sleep } from '../support/socket-client';
import { bearer, startTestApp, type TestApp } from '../support/test-app';
import { drained, queueOn, startTestWorker, uniqueRedisPrefix } from '../support/test-worker';

const CLEAN = 'Dank voor uw bericht. Wij kijken het direct voor u na. ^AB';

describe('a token the channel calls expired', () => {
  const prefix = uniqueRedisPrefix('token-expiry');
  let db: DataSource;
  let app: TestApp;
  let worker: INestApplicationContext;
  let plc: FakePlcDirectory;
  const queues: Queue[] = [];
  const peers: { close(): Promise<void> }[] = [];

  beforeAll(async () => {
    db = await testDatabase();
    plc = await new FakePlcDirectory().start();
    app = await startTestApp({ BLUESKY_PLC_DIRECTORY_URL: plc.url, REDIS_PREFIX: prefix });
    worker = await startTestWorker(prefix);
    for (const name of [QueueName.Polling, QueueName.Ingest, QueueName.Outbound])
      queues.push(queueOn(prefix, name));
  });
  afterAll(async () => {
    await app.close();
    await worker.close();
    for (const peer of peers) await peer.close();
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
  const world = () => replyWorld(app, db);
  type World = ReplyWorld;
  const connect = async (w: World, provider: string, config: Record<string, unknown>) => {
    const channel = await connectChannel(app, w, provider, config);
    await settle();
    return channel;
  };
  const bluesky = async (w: World) => {
    const peer = await new BlueskyPeer({
      handle: `webcare${randomInt(1e6)}.bsky.social`,
      plc,
    }).start();
    peers.push(peer);
    return { peer, channel: await connect(w, 'bluesky', peer.config) };
  };
  const x = async (w: World) => {
    const peer = await new XPeer({ userId: String(1e18 + randomInt(1e9)) }).start();
    peers.push(peer);
    const channel = await connect(w, 'x', {
      apiBaseUrl: peer.url,
      userId: peer.userId,
      clientId: peer.clientId,
      accessToken: peer.accessToken,
      refreshToken: peer.refreshToken,
    });
    return { peer, channel };
  };

  /** The channel's credentials as stored (opened with the app's key). */
  const storedSecrets = async <T>(channelId: string): Promise<T> => {
    const row = await app.app
      .get(ChannelAccountsRepository)
      .withCredentials(
        (await db.getRepository(ChannelAccountEntity).findOneByOrFail({ id: channelId }))
          .organisationId,
        channelId,
      );
    return app.app.get(CredentialVault).open<T>(row!.credentialsEncrypted!, channelId);
  };
  const poll = (w: World, channelId: string) =>
    app.http().post(`/api/channels/${channelId}/poll`).set(bearer(w.admin));
  const conversationAfterPoll = async (w: World, channelId: string) => {
    await poll(w, channelId).expect(200);
    return db.getRepository(ConversationEntity).findOneByOrFail({ channelAccountId: channelId });
  };
  const write = async (w: World, conversationId: string, text = CLEAN) => {
    const response = await app
      .http()
      .post(`/api/conversations/${conversationId}/replies`)
      .set(bearer(w.lead))
      .send({ text });
    if (response.status !== 201)
      throw new Error(`reply: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body as ReplyDto;
  };
  /** Until the reply leaves `queued`. */
  const settled = async (id: string, timeoutMs = 20_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const row = await db.getRepository(ReplyEntity).findOneByOrFail({ id });
      if (row.status !== 'queued') return row;
      if (Date.now() > deadline) throw new Error(`reply ${id} still queued: ${row.error ?? ''}`);
      await sleep(100);
    }
  };
  const channelRow = (id: string) => db.getRepository(ChannelAccountEntity).findOneByOrFail({ id });

  describe('the outbound queue', () => {
    it('Bluesky (400 ExpiredToken on createRecord): refreshes, stores the rotated session, posts once', async () => {
      const w = await world();
      const { peer, channel } = await bluesky(w);
      peer.mention({ text: 'Mijn factuur klopt niet' });
      const conversation = await conversationAfterPoll(w, channel.id);
      const before = await storedSecrets<BlueskySecrets>(channel.id);
      peer.expireTokenOnNextCall({ nsid: 'com.atproto.repo.createRecord', status: 400 });

      const sent = await settled((await write(w, conversation.id)).id);

      expect({ status: sent.status, error: sent.error, attempts: sent.attempts }).toEqual({
        status: 'sent',
        error: null,
        attempts: 1,
      });
      expect(peer.posted).toHaveLength(1);
      expect(sent.externalId).toBe(peer.posted[0]!.uri);
      expect({ refreshes: peer.refreshes, logins: peer.logins }).toEqual({
        refreshes: 1,
        logins: 1,
      });
      const after = await storedSecrets<BlueskySecrets>(channel.id);
      expect(after.session!.refreshJwt).not.toBe(before.session!.refreshJwt);
      expect(after.session!.accessJwt).not.toBe(before.session!.accessJwt);
      // The stored session is the live one: it renews without logging in again.
      const createRecord = peer.requests.filter((r) => r.path.endsWith('repo.createRecord'));
      expect(createRecord.map((r) => r.headers.authorization)).toEqual([
        `Bearer ${before.session!.accessJwt}`,
        `Bearer ${after.session!.accessJwt}`,
      ]);
      expect((await channelRow(channel.id)).status).toBe('active');
    });

    it('X (401 on the post): refreshes, stores the rotated refresh token, posts once', async () => {
      const w = await world();
      const { peer, channel } = await x(w);
      peer.mention({ text: '@DemoEnergie mijn factuur klopt niet' });
      const conversation = await conversationAfterPoll(w, channel.id);
      const before = await storedSecrets<XSecrets>(channel.id);
      peer.expireTokenOnNextCall();

      const sent = await settled((await write(w, conversation.id)).id);

      expect({ status: sent.status, error: sent.error }).toEqual({ status: 'sent', error: null });
      expect(peer.posted.filter((p) => p.kind === 'tweet')).toHaveLength(1);
      const after = await storedSecrets<XSecrets>(channel.id);
      expect(peer.usedRefreshTokens.has(before.refreshToken)).toBe(true);
      expect(after).toMatchObject({
        accessToken: peer.accessToken,
        refreshToken: peer.refreshToken,
      });
      expect(after.refreshToken).not.toBe(before.refreshToken);
    });

    it('X, several sends at once after an expiry: refreshed once, every reply posted once, none failed', async () => {
      const w = await world();
      const { peer, channel } = await x(w);
      peer.mentionMany(4);
      await poll(w, channel.id).expect(200);
      const conversations = await db
        .getRepository(ConversationEntity)
        .findBy({ channelAccountId: channel.id });
      expect(conversations).toHaveLength(4);
      const before = await storedSecrets<XSecrets>(channel.id);
      // Dead for X whatever our clock says: the four sends, written at once, are all refused.
      peer.expireAccessToken();
      const written = await Promise.all(
        conversations.map((c, i) => write(w, c.id, CLEAN.replace('direct', `direct (${i + 1})`))),
      );
      const sent = await Promise.all(written.map((reply) => settled(reply.id)));

      expect(sent.map((r) => ({ status: r.status, error: r.error }))).toEqual(
        sent.map(() => ({ status: 'sent', error: null })),
      );
      expect(peer.posted.filter((p) => p.kind === 'tweet')).toHaveLength(4);
      const tokenCalls = peer.requests.filter((r) => r.path.endsWith('/oauth2/token'));
      expect(tokenCalls).toHaveLength(1);
      expect(peer.usedRefreshTokens).toEqual(new Set([before.refreshToken]));
      expect(await storedSecrets<XSecrets>(channel.id)).toMatchObject({
        accessToken: peer.accessToken,
        refreshToken: peer.refreshToken,
      });
      expect((await channelRow(channel.id)).status).toBe('active');
    });

    it('Mastodon (a 401, nothing to renew, nothing stored meanwhile): not tried again with the refused token, failed', async () => {
      const w = await world();
      const peer = await new MastodonPeer({ accessToken: 'expiry-token' }).start();
      peers.push(peer);
      const channel = await connect(w, 'mastodon', {
        instanceUrl: peer.url,
        accessToken: 'expiry-token',
      });
      peer.mention();
      const conversation = await conversationAfterPoll(w, channel.id);
      peer.expireTokenOnNextCall();
      const sent = await settled((await write(w, conversation.id)).id);
      expect(sent.status).toBe('failed');
      expect(sent.error).toMatch(/^the channel refused the credentials: /);
      expect(peer.posted).toHaveLength(0);
      const statuses = peer.requests.filter(
        (r) => r.method === 'POST' && r.path === '/api/v1/statuses',
      );
      expect(statuses).toHaveLength(1);
    });

    it('refused again after the renewal: an auth failure as before, nothing posted', async () => {
      const w = await world();
      const { peer, channel } = await bluesky(w);
      peer.mention();
      const conversation = await conversationAfterPoll(w, channel.id);
      peer.expireTokenOnNextCall({ nsid: 'com.atproto.repo.createRecord', times: 2 });
      const failed = await settled((await write(w, conversation.id)).id);
      expect(failed.status).toBe('failed');
      expect(failed.error).toMatch(/^the channel refused the credentials: .*ExpiredToken/);
      expect(peer.posted).toHaveLength(0);
      expect(peer.refreshes).toBe(1);
    });
  });

  describe('the poller', () => {
    it('Bluesky: renews on ExpiredToken, stores the rotated session and polls on', async () => {
      const w = await world();
      const { peer, channel } = await bluesky(w);
      peer.mention();
      await poll(w, channel.id).expect(200);
      const before = await storedSecrets<BlueskySecrets>(channel.id);
      peer.mention({ handle: 'bram.bsky.social' });
      peer.expireTokenOnNextCall({ nsid: 'app.bsky.notification.listNotifications' });

      expect((await poll(w, channel.id).expect(200)).body).toEqual({ fetched: 1, stored: 1 });

      const after = await storedSecrets<BlueskySecrets>(channel.id);
      expect(after.session!.refreshJwt).not.toBe(before.session!.refreshJwt);
      expect(peer.refreshes).toBe(1);
      expect(await channelRow(channel.id)).toMatchObject({ status: 'active', lastError: null });
    });

    it('X: renews on a 401 across pages, stores the rotated refresh token, stores every mention once', async () => {
      const w = await world();
      const { peer, channel } = await x(w);
      peer.mention();
      await poll(w, channel.id).expect(200);
      const before = await storedSecrets<XSecrets>(channel.id);
      peer.pageSize = 2;
      for (let i = 0; i < 5; i += 1) peer.mention({ text: `@DemoEnergie vraag ${i}` });
      // The second page's request is refused: the first page was read, nothing stored yet
      // (X pages from the newest down; the cursor is stored with the last page).
      peer.expireTokenOnNextCall({ afterCalls: 1 });
      const requestsBefore = peer.requests.length;

      const answer = (await poll(w, channel.id).expect(200)).body as {
        fetched: number;
        stored: number;
      };

      expect(answer).toEqual({ fetched: 5, stored: 5 });
      // Page 1, page 2 refused, the token endpoint, then pages 1 to 3 again.
      expect(peer.requests.slice(requestsBefore).map((r) => r.path.split('/').at(-1))).toEqual([
        'mentions',
        'mentions',
        'token',
        'mentions',
        'mentions',
        'mentions',
      ]);
      const after = await storedSecrets<XSecrets>(channel.id);
      expect(after.refreshToken).toBe(peer.refreshToken);
      expect(after.refreshToken).not.toBe(before.refreshToken);
      const stored = await db.query(
        `SELECT count(*)::int AS n, count(DISTINCT external_id)::int AS distinct FROM messages WHERE channel_account_id = $1`,
        [channel.id],
      );
      expect(stored[0]).toEqual({ n: 6, distinct: 6 });
      expect((await channelRow(channel.id)).status).toBe('active');
    });
  });

  describe('a page token an admin replaced meanwhile (Meta: nothing to refresh)', () => {
    it('the call is tried once more with the token stored now', async () => {
      const peer = await new MetaPeer().start();
      peers.push(peer);
      const http = new SafeHttp(true);
      try {
        const w = await world();
        const page = peer.addPage({ id: String(3e12 + randomInt(1e9)) });
        const vault = app.app.get(CredentialVault);
        const account = await newChannelAccount(db, w.organisation, {
          provider: 'facebook',
          name: 'Facebook',
          handle: page.name,
          externalAccountId: page.id,
          config: { pageId: page.id, graphBaseUrl: peer.url },
        });
        await db
          .getRepository(ChannelAccountEntity)
          .update(
            { id: account.id },
            { credentialsEncrypted: vault.seal({ pageAccessToken: page.token }, account.id) },
          );
        const repository = app.app.get(ChannelAccountsRepository);
        const loaded = (await repository.withCredentials(w.organisation.id, account.id))!;
        // The admin stores a new page token; the old one stops working at once.
        page.token = `${page.token}-new`;
        await db
          .getRepository(ChannelAccountEntity)
          .update(
            { id: account.id },
            { credentialsEncrypted: vault.seal({ pageAccessToken: page.token }, account.id) },
          );
        const { comment } = peer.pageComment({ pageId: page.id });
        const connector = new FacebookConnector();
        const sessions = worker.get(ChannelSessions);
        const tokens: unknown[] = [];

        const sent = await sessions.withSession(loaded, new Date(), (connected) => {
          tokens.push(connected.secrets.pageAccessToken);
          return connector.send(
            connected as never,
            {
              replyId: 'd1e2f3a4-0000-4000-8000-000000000001',
              idempotencyKey: 'd1e2f3a4-0000-4000-8000-000000000001',
              text: 'Dank voor uw bericht. ^AB',
              private: false,
              inReplyTo: {
                externalId: comment.id,
                authorExternalId: comment.fromId,
                authorHandle: comment.fromName ?? comment.fromId,
                visibility: 'public',
                raw: null,
              },
            },
            http,
          );
        });

        expect(tokens).toEqual([page.token.replace(/-new$/, ''), page.token]);
        expect(peer.posted).toHaveLength(1);
        expect(sent.externalId).toBeTruthy();
      } finally {
        await http.close();
      }
    });
  });
});
