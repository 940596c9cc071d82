// Whom a reply answers in a thread with several authors (issue 13, item 11): a private reply
// always reaches the conversation's customer, never another participant; a public reply
// answers another participant only when it names the message (`inReplyToMessageId`, an
// inbound message of that conversation, else 422). With the real worker and outbound queue,
// the connectors speaking HTTP to the fake peers, which record the recipient.
import { MastodonPeer, XPeer } from '@toonbank/channels/testing';
import { ConversationEntity, MessageEntity, ReplyEntity } from '@toonbank/database';
import { QueueName, type ReplyDto } from '@toonbank/shared';
import { sleep } from '../support/socket-client';
import { connectChannel, replyWorld, type ReplyWorld } from '../support/reply-world';
import { useTestApp } from '../support/suite';
import { bearer } from '../support/test-app';
import { drained } from '../support/test-worker';

const CLEAN = 'Dank voor uw bericht. Wij kijken het direct voor u na. ^AB';

describe('whom a reply answers', () => {
  const suite = useTestApp({ redis: 'reply-target', worker: true });
  const peers: { close(): Promise<void> }[] = [];
  afterAll(async () => {
    for (const peer of peers) await peer.close();
  });

  const settle = async () => {
    for (const name of [QueueName.Polling, QueueName.Ingest, QueueName.Outbound])
      await drained(suite.queue(name));
  };
  const world = () => replyWorld(suite.app, suite.db);
  type World = ReplyWorld;
  const connect = async (w: World, provider: string, config: Record<string, unknown>) => {
    const channel = await connectChannel(suite.app, w, provider, config);
    await settle();
    return channel;
  };
  const write = (w: World, conversationId: string, body: object) =>
    suite.app
      .http()
      .post(`/api/conversations/${conversationId}/replies`)
      .set(bearer(w.lead))
      .send({ text: CLEAN, ...body });
  const written = async (w: World, conversationId: string, body: object) => {
    const response = await write(w, conversationId, body);
    if (response.status !== 201)
      throw new Error(`reply: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body as ReplyDto;
  };
  const settled = async (id: string) => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const row = await suite.db.getRepository(ReplyEntity).findOneByOrFail({ id });
      if (row.status !== 'queued') return row;
      if (Date.now() > deadline) throw new Error(`reply ${id} still queued: ${row.error ?? ''}`);
      await sleep(100);
    }
  };
  /** Polls and answers the conversation with its inbound messages by external id. */
  const polled = async (w: World, channelId: string) => {
    await suite.app.http().post(`/api/channels/${channelId}/poll`).set(bearer(w.admin)).expect(200);
    const conversations = await suite.db
      .getRepository(ConversationEntity)
      .findBy({ channelAccountId: channelId });
    expect(conversations).toHaveLength(1);
    const messages = await suite.db
      .getRepository(MessageEntity)
      .findBy({ channelAccountId: channelId, direction: 'inbound' });
    const byExternalId = new Map(messages.map((m) => [m.externalId!, m]));
    return { conversation: conversations[0]!, byExternalId };
  };

  /** On X: Ana mentions the account, then Bram answers Ana's post in the same thread. */
  const xThread = async (w: World) => {
    const peer = await new XPeer({
      userId: String(1e18 + Math.floor(Math.random() * 1e9)),
    }).start();
    peers.push(peer);
    const channel = await connect(w, 'x', {
      apiBaseUrl: peer.url,
      userId: peer.userId,
      clientId: peer.clientId,
      accessToken: peer.accessToken,
      refreshToken: peer.refreshToken,
    });
    const ana = peer.mention({
      author: { id: '2100000001', username: 'ana', name: 'Ana' },
      text: '@DemoEnergie mijn factuur klopt niet',
      createdAt: new Date(Date.now() - 60_000),
    });
    const bram = peer.mention({
      author: { id: '2100000002', username: 'bram', name: 'Bram' },
      text: '@DemoEnergie @ana bij mij ook',
      inReplyTo: ana.id,
      createdAt: new Date(Date.now() - 30_000),
    });
    const { conversation, byExternalId } = await polled(w, channel.id);
    expect(conversation.customerExternalId).toBe('2100000001');
    return {
      peer,
      channel,
      conversation,
      ana: { tweet: ana, message: byExternalId.get(ana.id)! },
      bram: { tweet: bram, message: byExternalId.get(bram.id)! },
    };
  };

  it('a private reply goes to the conversation’s customer, not to the author of the latest message (X)', async () => {
    const w = await world();
    const { peer, conversation, ana } = await xThread(w);
    const reply = await written(w, conversation.id, { private: true });
    expect(reply.inReplyToMessageId).toBe(ana.message.id);
    expect((await settled(reply.id)).status).toBe('sent');
    expect(peer.posted.map((p) => [p.kind, p.participantId])).toEqual([['dm', '2100000001']]);
  });

  it('a queued private reply that names another participant’s message (written before this rule) still reaches only the customer', async () => {
    const w = await world();
    const { peer, conversation, ana, bram } = await xThread(w);
    const outbound = suite.queue(QueueName.Outbound);
    await outbound.pause();
    let reply: ReplyDto;
    try {
      reply = await written(w, conversation.id, { private: true });
      await suite.db
        .getRepository(ReplyEntity)
        .update({ id: reply.id }, { inReplyToMessageId: bram.message.id });
    } finally {
      await outbound.resume();
    }
    const sent = await settled(reply.id);
    expect(sent).toMatchObject({ status: 'sent', inReplyToMessageId: ana.message.id });
    expect(peer.posted.map((p) => [p.kind, p.participantId])).toEqual([['dm', '2100000001']]);
  });

  it('a private reply goes to the customer on Mastodon too: the direct status mentions only them', async () => {
    const w = await world();
    const peer = await new MastodonPeer({ accessToken: 'target-token' }).start();
    peers.push(peer);
    const channel = await connect(w, 'mastodon', {
      instanceUrl: peer.url,
      accessToken: 'target-token',
    });
    const ana = peer.mention({
      acct: 'ana@other.example',
      text: 'Mijn meter is stuk',
      createdAt: new Date(Date.now() - 60_000),
    });
    peer.mention({
      acct: 'bram@elders.example',
      text: 'Die van mij ook',
      inReplyToId: ana.status!.id,
      createdAt: new Date(Date.now() - 30_000),
    });
    const { conversation } = await polled(w, channel.id);
    const reply = await written(w, conversation.id, {
      text: 'Wilt u uw klantnummer sturen? ^AB',
      private: true,
    });
    expect((await settled(reply.id)).status).toBe('sent');
    expect(peer.posted).toHaveLength(1);
    const [direct] = peer.posted;
    expect(direct).toMatchObject({ visibility: 'direct', inReplyToId: ana.status!.id });
    expect(direct!.text).toMatch(/^@ana@other\.example /);
    expect(direct!.text).not.toContain('bram');
  });

  it('a public reply answers the customer unless it names another participant’s message', async () => {
    const w = await world();
    const { peer, conversation, ana, bram } = await xThread(w);

    const toCustomer = await written(w, conversation.id, {});
    expect((await settled(toCustomer.id)).status).toBe('sent');
    const toBram = await written(w, conversation.id, {
      text: 'Bram, stuur ons gerust een bericht. ^AB',
      inReplyToMessageId: bram.message.id,
    });
    expect(toBram.inReplyToMessageId).toBe(bram.message.id);
    expect((await settled(toBram.id)).status).toBe('sent');

    expect(peer.posted.map((p) => [p.kind, p.inReplyToTweetId])).toEqual([
      ['tweet', ana.tweet.id],
      ['tweet', bram.tweet.id],
    ]);
    const outbound = await suite.db
      .getRepository(MessageEntity)
      .findOneByOrFail({ replyId: toBram.id });
    expect(outbound.inReplyToExternalId).toBe(bram.tweet.id);
    const read = await suite.app
      .http()
      .get(`/api/replies/${toBram.id}`)
      .set(bearer(w.lead))
      .expect(200);
    expect(read.body).toMatchObject({ inReplyToMessageId: bram.message.id, status: 'sent' });
  });

  it('refuses a message that is not an inbound message of the conversation (422), and another participant’s for a private reply, writing nothing', async () => {
    const w = await world();
    const { conversation, bram } = await xThread(w);
    const other = await world();
    const elsewhere = await xThread(other);
    const sameOrganisation = await xThread(w);
    const note = await suite.app
      .http()
      .post(`/api/conversations/${conversation.id}/notes`)
      .set(bearer(w.lead))
      .send({ text: 'Even nakijken' })
      .expect(201);

    const refusals = [
      { inReplyToMessageId: elsewhere.ana.message.id },
      { inReplyToMessageId: sameOrganisation.ana.message.id },
      { inReplyToMessageId: '6f1c7d2e-1111-4aaa-8bbb-123456789abc' },
      { inReplyToMessageId: (note.body as { id: string }).id },
      { inReplyToMessageId: bram.message.id, private: true },
    ];
    for (const body of refusals) {
      const response = await write(w, conversation.id, body);
      expect([body, response.status, response.body]).toEqual([
        body,
        422,
        {
          statusCode: 422,
          code: 'reply.in_reply_to_invalid',
          message: expect.any(String),
          details: { fields: ['inReplyToMessageId'] },
        },
      ]);
    }
    const malformed = await write(w, conversation.id, { inReplyToMessageId: 'not-a-uuid' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.details.fields).toEqual(['inReplyToMessageId']);
    expect(
      await suite.db.getRepository(ReplyEntity).countBy({ conversationId: conversation.id }),
    ).toBe(0);
  });

  it('documents inReplyToMessageId in the OpenAPI document', async () => {
    const json = await suite.app.http().get('/api/docs-json').expect(200);
    expect(json.body.components.schemas.CreateReplyDto.properties.inReplyToMessageId).toMatchObject(
      { type: 'string', format: 'uuid' },
    );
  });
});
