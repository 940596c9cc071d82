import type { INestApplicationContext } from '@nestjs/common';
import { MastodonPeer } from '@toonbank/channels/testing';
import { ChannelAccountEntity, ConversationEntity, MessageEntity } from '@toonbank/database';
import { QueueName } from '@toonbank/shared';
import type { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import { CHANNEL_PROVIDERS_ANSWER } from '../../apps/web/src/test/channelProviders';
import { closeTestDatabase, testDatabase } from '../support/database';
import { newStaffedOrganisation } from '../support/factories';
import { closeAllInboxClients, connectInbox } from '../support/socket-client';
import { bearer, signIn, startTestApp, type TestApp } from '../support/test-app';
import { drained, queueOn, startTestWorker, uniqueRedisPrefix } from '../support/test-worker';

const TOKEN = 'mastodon-token-of-demo-energie';

/** API.md §Channels and SPEC.md §3 end to end: a real connector against a fake Mastodon over HTTP, the worker, the database. */
describe('channels and ingest (Mastodon)', () => {
  const prefix = uniqueRedisPrefix('channels');
  let db: DataSource;
  let app: TestApp;
  let worker: INestApplicationContext;
  let peer: MastodonPeer;
  const queues: Queue[] = [];

  beforeAll(async () => {
    db = await testDatabase();
    app = await startTestApp({ REDIS_PREFIX: prefix });
    worker = await startTestWorker(prefix);
    for (const name of [QueueName.Polling, QueueName.Ingest, QueueName.Routing, QueueName.Sla]) {
      queues.push(queueOn(prefix, name));
    }
  });
  // A fake instance per test: one Mastodon account can be connected once.
  beforeEach(async () => {
    peer = await new MastodonPeer({ accessToken: TOKEN, pageSize: 5, maxPageSize: 5 }).start();
  });
  afterEach(async () => {
    closeAllInboxClients();
    await peer.close();
  });
  afterAll(async () => {
    await app.close();
    await worker.close();
    for (const queue of queues) {
      await queue.obliterate({ force: true });
      await queue.close();
    }
    await closeTestDatabase();
  });

  const world = async () => {
    const staffed = await newStaffedOrganisation(db, { routingStrategy: 'least_loaded' });
    return { ...staffed, adminToken: await signIn(app, staffed.admin) };
  };
  const connect = (
    token: string,
    config: Record<string, unknown> = { instanceUrl: peer.url, accessToken: TOKEN },
  ) =>
    app
      .http()
      .post('/api/channels')
      .set(bearer(token))
      .send({ provider: 'mastodon', name: 'Mastodon', config });
  /** Connects, and waits for the first poll that a new channel's schedule runs at once. */
  const connected = async (token: string): Promise<{ id: string }> => {
    const channel = (await connect(token).expect(201)).body as { id: string };
    for (const queue of queues.slice(0, 2)) await drained(queue);
    return channel;
  };
  const pollNow = (token: string, id: string) =>
    app.http().post(`/api/channels/${id}/poll`).set(bearer(token));

  it('connects after the channel accepted the credentials, stores them encrypted and never shows them', async () => {
    const w = await world();
    const response = await connect(w.adminToken).expect(201);
    expect(response.body).toMatchObject({
      provider: 'mastodon',
      name: 'Mastodon',
      handle: expect.stringMatching(/^@/),
      status: 'active',
      lastError: null,
      pollIntervalSeconds: 60,
      config: { instanceUrl: peer.url },
      ingest: 'poll',
    });
    expect(JSON.stringify(response.body)).not.toContain(TOKEN);
    const listed = await app
      .http()
      .get('/api/channels')
      .set(bearer(await signIn(app, w.teamLead)))
      .expect(200);
    expect(JSON.stringify(listed.body)).not.toContain(TOKEN);
    const [stored] = (await db.query(
      'SELECT credentials_encrypted FROM channel_accounts WHERE id = $1',
      [response.body.id],
    )) as { credentials_encrypted: string }[];
    expect(stored!.credentials_encrypted).toMatch(/^v2\./);
    expect(stored!.credentials_encrypted).not.toContain(TOKEN);
  });

  it('refuses credentials the channel refuses (422 channel.credentials_invalid) and stores nothing', async () => {
    const w = await world();
    const response = await connect(w.adminToken, {
      instanceUrl: peer.url,
      accessToken: 'wrong-token',
    });
    expect(response.status).toBe(422);
    expect(response.body.code).toBe('channel.credentials_invalid');
    expect(
      await db.getRepository(ChannelAccountEntity).countBy({ organisationId: w.organisation.id }),
    ).toBe(0);
  });

  it('refuses an account connected in another organisation exactly like refused credentials; in its own it is a conflict', async () => {
    const holder = await world();
    const other = await world();
    await connected(holder.adminToken);
    expect((await connect(holder.adminToken)).status).toBe(409);

    const refused = await connect(other.adminToken, {
      instanceUrl: peer.url,
      accessToken: 'wrong-token',
    });
    const taken = await connect(other.adminToken);
    expect(refused.status).toBe(422);
    // Same status, code, message and details, byte for byte: nothing tells where it is connected.
    expect(taken.status).toBe(refused.status);
    expect(taken.text).toBe(refused.text);
    expect(taken.body).toEqual({
      statusCode: 422,
      code: 'channel.credentials_invalid',
      message: 'The channel refused the credentials.',
    });

    // Reconnecting another channel of that organisation to the account: the same answer.
    const second = await new MastodonPeer({ accessToken: 'second-token' }).start();
    try {
      const own = (
        await connect(other.adminToken, { instanceUrl: second.url, accessToken: 'second-token' })
      ).body as { id: string };
      const moved = await app
        .http()
        .patch(`/api/channels/${own.id}`)
        .set(bearer(other.adminToken))
        .send({ config: { instanceUrl: peer.url, accessToken: TOKEN } });
      expect(moved.status).toBe(422);
      expect(moved.text).toBe(refused.text);
    } finally {
      await second.close();
    }
    expect(
      await db.getRepository(ChannelAccountEntity).countBy({
        organisationId: other.organisation.id,
        externalAccountId: (
          await db
            .getRepository(ChannelAccountEntity)
            .findOneByOrFail({ organisationId: holder.organisation.id })
        ).externalAccountId!,
      }),
    ).toBe(0);
  });

  it('describes each provider’s config fields once, as its connector checks them (GET /api/channels/providers)', async () => {
    const w = await world();
    const answer = await app
      .http()
      .get('/api/channels/providers')
      .set(bearer(w.adminToken))
      .expect(200);
    // The web app's fake API answers with the same description.
    expect(answer.body).toEqual({ items: CHANNEL_PROVIDERS_ANSWER, nextCursor: null });
    const lead = await signIn(app, w.teamLead);
    await app.http().get('/api/channels/providers').set(bearer(lead)).expect(200);
    const agent = await app
      .http()
      .get('/api/channels/providers')
      .set(bearer(await signIn(app, w.agent)));
    expect({ status: agent.status, code: agent.body.code }).toEqual({
      status: 403,
      code: 'policy.forbidden',
    });
  });

  it('refuses a config without its fields (400 naming config)', async () => {
    const w = await world();
    const response = await connect(w.adminToken, { instanceUrl: peer.url });
    expect(response.status).toBe(400);
    expect(response.body.details.fields).toEqual(['config']);
  });

  it('ingests: the first poll takes the newest page, later polls everything newer across pages, nothing twice', async () => {
    const w = await world();
    for (let i = 0; i < 7; i += 1)
      peer.mention({ acct: `old${i}@elders.example`, text: `Oud bericht ${i}` });
    const channel = await connected(w.adminToken); // its first poll runs at once
    expect(await db.getRepository(MessageEntity).countBy({ channelAccountId: channel.id })).toBe(5); // the newest page only

    for (let i = 0; i < 12; i += 1)
      peer.mention({ acct: `klant${i}@social.example`, text: `Storing in straat ${i}` });
    const burst = await pollNow(w.adminToken, channel.id).expect(200);
    expect(burst.body).toEqual({ fetched: 12, stored: 12 });
    const again = await pollNow(w.adminToken, channel.id).expect(200);
    expect(again.body).toEqual({ fetched: 0, stored: 0 });

    const messages = await db
      .getRepository(MessageEntity)
      .countBy({ channelAccountId: channel.id });
    expect(messages).toBe(17);
    const conversations = await db
      .getRepository(ConversationEntity)
      .countBy({ channelAccountId: channel.id });
    expect(conversations).toBe(17);
    const health = (await app.http().get('/api/channels').set(bearer(w.adminToken)).expect(200))
      .body.items[0];
    expect(health).toMatchObject({
      status: 'active',
      lastError: null,
      lastPolledAt: expect.any(String),
    });
  });

  it('threads: a reply joins its conversation, the same customer within 24 hours joins, a closed one reopens', async () => {
    const w = await world();
    const channel = await connected(w.adminToken);
    const opening = peer.mention({ acct: 'ana@other.example', text: 'Mijn stroom is weg' });
    const followUp = peer.mention({ acct: 'ana@other.example', text: 'Nog steeds niks' });
    const reply = peer.mention({
      acct: 'bram@social.example',
      text: 'Bij mij ook',
      inReplyToId: opening.status!.id,
    });
    await pollNow(w.adminToken, channel.id).expect(200);

    const byExternal = new Map(
      (await db.getRepository(MessageEntity).findBy({ channelAccountId: channel.id })).map((m) => [
        m.externalId,
        m,
      ]),
    );
    const conversationOf = (id: string) => byExternal.get(id)!.conversationId;
    expect(conversationOf(followUp.status!.id)).toBe(conversationOf(opening.status!.id));
    expect(conversationOf(reply.status!.id)).toBe(conversationOf(opening.status!.id));

    const conversationId = conversationOf(opening.status!.id);
    await db
      .getRepository(ConversationEntity)
      .update({ id: conversationId }, { status: 'closed', assigneeId: null });
    const lead = await connectInbox(app, await signIn(app, w.teamLead));
    const late = peer.mention({
      acct: 'ana@other.example',
      text: 'Hallo?',
      inReplyToId: followUp.status!.id,
    });
    await pollNow(w.adminToken, channel.id).expect(200);
    expect(conversationOf(opening.status!.id)).toBe(conversationId);
    const reopened = await db
      .getRepository(ConversationEntity)
      .findOneByOrFail({ id: conversationId });
    expect(reopened.status).not.toBe('closed');
    const created = (await lead.nextEvent('message.created')) as {
      conversationId: string;
      message: { externalId: string };
    };
    expect(created).toMatchObject({ conversationId, message: { externalId: late.status!.id } });
  });

  it('routes new conversations, starts their SLA clock and pushes them live', async () => {
    const w = await world();
    const channel = await connected(w.adminToken);
    const agentSocket = await connectInbox(app, await signIn(app, w.agent));
    const mention = peer.mention({
      acct: 'daan@social.example',
      text: 'Mijn factuur is te hoog',
      language: 'nl',
    });
    await pollNow(w.adminToken, channel.id).expect(200);
    const created = (await agentSocket.nextEvent('conversation.created')) as {
      id: string;
      customer: { handle: string };
      slaDueAt: string;
    };
    expect(created.customer.handle).toBe('@daan@social.example');
    expect(new Date(created.slaDueAt).getTime()).toBeGreaterThan(Date.now() + 50 * 60_000);
    for (const queue of queues) await drained(queue);
    const conversation = await db
      .getRepository(ConversationEntity)
      .findOneByOrFail({ id: created.id });
    expect(conversation).toMatchObject({
      status: 'assigned',
      assigneeId: w.agent.id,
      language: 'nl',
    });
    expect(mention.status!.id).toBeTruthy();
  });

  it('a 429 pauses the account until the channel’s reset and marks it degraded; it recovers by itself', async () => {
    const w = await world();
    const channel = await connected(w.adminToken);
    const reset = new Date(Date.now() + 1500);
    peer.throttleNext(reset, 1);
    await pollNow(w.adminToken, channel.id).expect(200);
    const degraded = (await app.http().get('/api/channels').set(bearer(w.adminToken))).body
      .items[0];
    expect(degraded).toMatchObject({
      status: 'degraded',
      lastError: expect.stringContaining('rate limited'),
    });
    expect(Math.abs(new Date(degraded.throttledUntil).getTime() - reset.getTime())).toBeLessThan(
      1000,
    );
    expect((await pollNow(w.adminToken, channel.id).expect(200)).body).toEqual({
      fetched: 0,
      stored: 0,
    });

    await new Promise((resolve) => setTimeout(resolve, 1600));
    peer.mention({ acct: 'eva@social.example', text: 'Zijn jullie er?' });
    expect(
      (await pollNow(w.adminToken, channel.id).expect(200)).body.stored,
    ).toBeGreaterThanOrEqual(1);
    const healthy = (await app.http().get('/api/channels').set(bearer(w.adminToken))).body.items[0];
    expect(healthy).toMatchObject({ status: 'active', lastError: null, throttledUntil: null });
  });

  it('pausing stops polling; deleting keeps the conversations', async () => {
    const w = await world();
    const channel = await connected(w.adminToken);
    peer.mention({ acct: 'fien@social.example', text: 'Hoi' });
    await pollNow(w.adminToken, channel.id).expect(200);
    const paused = await app
      .http()
      .patch(`/api/channels/${channel.id}`)
      .set(bearer(w.adminToken))
      .send({ status: 'paused' })
      .expect(200);
    expect(paused.body.status).toBe('paused');
    const refused = await pollNow(w.adminToken, channel.id);
    expect([refused.status, refused.body.code, refused.body.details]).toEqual([
      409,
      'conflict',
      { reason: 'channel_paused' },
    ]);
    const schedulers = await queues[0]!.getJobSchedulers();
    expect(schedulers.map((s) => s.key)).not.toContain(`poll:${channel.id}`);

    await app.http().delete(`/api/channels/${channel.id}`).set(bearer(w.adminToken)).expect(200);
    expect((await app.http().get('/api/channels').set(bearer(w.adminToken))).body.items).toEqual(
      [],
    );
    expect(
      await db.getRepository(ConversationEntity).countBy({ channelAccountId: channel.id }),
    ).toBeGreaterThan(0);
    expect((await pollNow(w.adminToken, channel.id)).status).toBe(404);
  });

  it('refuses http and private addresses when insecure URLs are not allowed', async () => {
    const strict = await startTestApp({
      REDIS_PREFIX: prefix,
      CHANNEL_ALLOW_INSECURE_URLS: 'false',
    });
    try {
      const w = await world();
      const token = await signIn(strict, w.admin);
      for (const instanceUrl of [
        peer.url,
        'https://127.0.0.1',
        'https://10.0.0.8',
        'https://localhost:8443',
      ]) {
        const response = await strict
          .http()
          .post('/api/channels')
          .set(bearer(token))
          .send({ provider: 'mastodon', name: 'M', config: { instanceUrl, accessToken: TOKEN } });
        expect({ instanceUrl, status: response.status }).toEqual({ instanceUrl, status: 400 });
      }
    } finally {
      await strict.close();
    }
  });
});
