// The outbound queue (SPEC.md §6, API.md §Replies): a reply reaches the customer exactly
// once, in the customer's thread and visibility, through the real connectors speaking HTTP
// to the fake peers, with the real worker, PostgreSQL and Redis. Covered: the happy path
// with its events and bookkeeping; 500 then 200; the job enqueued twice and swept; a send
// that may have reached a channel without idempotency (never posted again); the same on
// Mastodon (the Idempotency-Key de-duplicates); permanent refusals; direct messages.
import { MastodonPeer, XPeer } from '@toonbank/channels/testing';
import { AuditLogEntity, ConversationEntity, MessageEntity, ReplyEntity } from '@toonbank/database';
import { OutboundQueue, OutboundSweep } from '@toonbank/replies';
import { AuditAction, QueueName, type ReplyDto } from '@toonbank/shared';
import { connectInbox, sleep } from '../support/socket-client';
import { connectChannel, replyWorld, type ReplyWorld } from '../support/reply-world';
import { useTestApp } from '../support/suite';
import { bearer } from '../support/test-app';
import { drained } from '../support/test-worker';

const CLEAN = 'Dank voor uw bericht. Wij kijken het direct voor u na. ^AB';

describe('the outbound queue', () => {
  const suite = useTestApp({ redis: 'outbound', worker: true, sockets: 'per-test' });
  const peers: { close(): Promise<void> }[] = [];
  afterAll(async () => {
    for (const peer of peers) await peer.close();
  });

  const settle = async () => {
    for (const name of [QueueName.Polling, QueueName.Ingest, QueueName.Outbound])
      await drained(suite.queue(name));
  };
  const replyRow = (id: string) => suite.db.getRepository(ReplyEntity).findOneByOrFail({ id });
  /** Until the reply leaves `queued` (retries back off for seconds). */
  const settled = async (id: string, timeoutMs = 20_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const row = await replyRow(id);
      if (row.status !== 'queued') return row;
      if (Date.now() > deadline) {
        const job = await suite.queue(QueueName.Outbound).getJob(id);
        throw new Error(`reply ${id} still queued: ${row.error ?? ''} ${job?.failedReason ?? ''}`);
      }
      await sleep(100);
    }
  };

  const world = () => replyWorld(suite.app, suite.db);
  type World = ReplyWorld;
  const connect = async (w: World, provider: string, config: Record<string, unknown>) => {
    const channel = await connectChannel(suite.app, w, provider, config);
    await settle();
    return channel;
  };
  /** Polls the channel and answers the one conversation it made. */
  const conversationAfterPoll = async (w: World, channelId: string) => {
    await suite.app.http().post(`/api/channels/${channelId}/poll`).set(bearer(w.admin)).expect(200);
    return suite.db
      .getRepository(ConversationEntity)
      .findOneByOrFail({ channelAccountId: channelId });
  };
  const write = async (w: World, conversationId: string, body: object = { text: CLEAN }) => {
    const response = await suite.app
      .http()
      .post(`/api/conversations/${conversationId}/replies`)
      .set(bearer(w.lead))
      .send(body);
    if (response.status !== 201)
      throw new Error(`reply: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body as ReplyDto;
  };

  const mastodon = async (w: World) => {
    const peer = await new MastodonPeer({ accessToken: 'outbound-token' }).start();
    peers.push(peer);
    const channel = await connect(w, 'mastodon', {
      instanceUrl: peer.url,
      accessToken: 'outbound-token',
    });
    return { peer, channel };
  };
  const x = async (w: World) => {
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
    return { peer, channel };
  };

  /** Writes a reply while the worker cannot take it, does `meanwhile` to it, then lets go. */
  const parked = async (
    w: World,
    conversationId: string,
    meanwhile: (reply: ReplyEntity) => Promise<void>,
  ) => {
    const outbound = suite.queue(QueueName.Outbound);
    await outbound.pause();
    try {
      const created = await write(w, conversationId);
      await meanwhile(await replyRow(created.id));
      return created;
    } finally {
      await outbound.resume();
    }
  };

  it('posts once in the customer’s thread, records it, answers the conversation and tells everyone', async () => {
    const w = await world();
    const { peer, channel } = await mastodon(w);
    const mention = peer.mention({ acct: 'ana@other.example', text: 'Mijn stroom is uitgevallen' });
    const conversation = await conversationAfterPoll(w, channel.id);
    const inbox = await connectInbox(suite.app, w.lead);
    const created = await write(w, conversation.id);
    const sent = await settled(created.id);

    expect(peer.posted).toHaveLength(1);
    const [post] = peer.posted;
    expect(post).toMatchObject({
      inReplyToId: mention.status!.id,
      idempotencyKey: created.id,
      visibility: 'public',
    });
    expect(post!.text).toContain('@ana@other.example');
    expect(sent).toMatchObject({
      status: 'sent',
      externalId: post!.status.id,
      attempts: 1,
      error: null,
    });
    expect(sent.sentAt).not.toBeNull();

    const outbound = await suite.db
      .getRepository(MessageEntity)
      .findOneByOrFail({ replyId: created.id });
    expect(outbound).toMatchObject({
      direction: 'outbound',
      externalId: post!.status.id,
      conversationId: conversation.id,
    });
    const answered = await suite.db
      .getRepository(ConversationEntity)
      .findOneByOrFail({ id: conversation.id });
    expect(answered.status).toBe('waiting');
    expect(answered.firstResponseAt).not.toBeNull();
    expect(
      await suite.db
        .getRepository(AuditLogEntity)
        .countBy({ subjectId: created.id, action: AuditAction.ReplySent }),
    ).toBe(1);

    await inbox.nextEvent('message.created');
    expect(inbox.payloadsOf('reply.updated')).toContainEqual(
      expect.objectContaining({ id: created.id, status: 'queued' }),
    );
    await sleep(200);
    expect(inbox.payloadsOf('reply.updated')).toContainEqual(
      expect.objectContaining({ id: created.id, status: 'sent', externalId: post!.status.id }),
    );
    expect(inbox.payloadsOf('message.created')).toContainEqual({
      conversationId: conversation.id,
      message: expect.objectContaining({ direction: 'outbound', replyId: created.id }),
    });
    expect(inbox.payloadsOf('conversation.updated')).toContainEqual(
      expect.objectContaining({ id: conversation.id, status: 'waiting' }),
    );
  });

  it('the channel answers 500, then 200: posted exactly once, after a retry', async () => {
    const w = await world();
    const { peer, channel } = await mastodon(w);
    peer.mention();
    const conversation = await conversationAfterPoll(w, channel.id);
    peer.failNext(500, 1);
    const created = await write(w, conversation.id);
    const sent = await settled(created.id);
    expect(sent.status).toBe('sent');
    expect(sent.attempts).toBe(2);
    expect(peer.posted).toHaveLength(1);
  });

  it('the same on X (no idempotency): a 503 is known not to have posted, so it is retried once', async () => {
    const w = await world();
    const { peer, channel } = await x(w);
    peer.mention({ text: '@DemoEnergie mijn factuur klopt niet' });
    const conversation = await conversationAfterPoll(w, channel.id);
    peer.failNext(503, 1, '/2/tweets');
    const created = await write(w, conversation.id);
    const sent = await settled(created.id);
    expect({ status: sent.status, error: sent.error }).toEqual({ status: 'sent', error: null });
    expect(peer.posted.filter((p) => p.kind === 'tweet')).toHaveLength(1);
  });

  it('a job enqueued twice posts once; the sweep requeues a queued reply whose job was lost', async () => {
    const w = await world();
    const { peer, channel } = await mastodon(w);
    peer.mention();
    const conversation = await conversationAfterPoll(w, channel.id);
    const producer = suite.app.app.get(OutboundQueue);
    const sweeper = suite.worker.get(OutboundSweep);
    const twice = await write(w, conversation.id);
    await Promise.all([
      producer.send(w.organisation.id, twice.id),
      producer.send(w.organisation.id, twice.id),
    ]);
    expect((await settled(twice.id)).status).toBe('sent');
    await settle();
    await producer.send(w.organisation.id, twice.id);
    await settle();
    expect(peer.posted).toHaveLength(1);

    // Redis lost the job (or was down when the reply was queued): the reply waits in the database.
    const lost = await parked(w, conversation.id, async (reply) => {
      await suite.queue(QueueName.Outbound).remove(reply.id);
    });
    await suite.db
      .getRepository(ReplyEntity)
      .update({ id: lost.id }, { updatedAt: new Date(Date.now() - 10 * 60_000) });
    await suite.db
      .getRepository(ReplyEntity)
      .update({ id: twice.id }, { updatedAt: new Date(Date.now() - 10 * 60_000) });
    expect(await sweeper.sweep(w.organisation.id)).toBe(1);
    expect((await settled(lost.id)).status).toBe('sent');
    expect(await sweeper.sweep(w.organisation.id)).toBe(0);
    expect(peer.posted).toHaveLength(2);
  });

  it('X: an attempt that may have arrived (a worker died mid-send) is never repeated blindly', async () => {
    const w = await world();
    const { peer, channel } = await x(w);
    peer.mention();
    const conversation = await conversationAfterPoll(w, channel.id);
    // As a worker killed after its request left leaves it: queued, the attempt begun.
    const created = await parked(w, conversation.id, async (reply) => {
      await suite.db
        .getRepository(ReplyEntity)
        .update({ id: reply.id }, { sendStartedAt: new Date(), attempts: 1 });
    });
    const failed = await settled(created.id);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/may have reached the channel/);
    expect(failed.attempts).toBe(1);
    expect(peer.posted).toHaveLength(0);
  });

  it('Mastodon: an attempt older than the key’s hour is not repeated either', async () => {
    const w = await world();
    const { peer, channel } = await mastodon(w);
    peer.mention();
    const conversation = await conversationAfterPoll(w, channel.id);
    const created = await parked(w, conversation.id, async (reply) => {
      await suite.db
        .getRepository(ReplyEntity)
        .update(
          { id: reply.id },
          { sendStartedAt: new Date(Date.now() - 58 * 60_000), attempts: 3 },
        );
    });
    const failed = await settled(created.id);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/may have reached the channel/);
    expect(peer.posted).toHaveLength(0);
  });

  it('Mastodon: the attempt that arrived before the crash is de-duplicated by its key', async () => {
    const w = await world();
    const { peer, channel } = await mastodon(w);
    peer.mention();
    const conversation = await conversationAfterPoll(w, channel.id);
    const created = await parked(w, conversation.id, async (reply) => {
      // The dead worker's request, which reached the instance.
      const message = await suite.db
        .getRepository(MessageEntity)
        .findOneByOrFail({ id: reply.inReplyToMessageId! });
      const response = await fetch(`${peer.url}/api/v1/statuses`, {
        method: 'POST',
        headers: {
          authorization: 'Bearer outbound-token',
          'content-type': 'application/json',
          'idempotency-key': reply.channelIdempotencyKey!,
        },
        body: JSON.stringify({ status: reply.text, in_reply_to_id: message.externalId }),
      });
      expect(response.status).toBe(200);
      await suite.db
        .getRepository(ReplyEntity)
        .update({ id: reply.id }, { sendStartedAt: new Date(), attempts: 1 });
    });
    const sent = await settled(created.id);
    expect(peer.posted).toHaveLength(1);
    expect(sent).toMatchObject({
      status: 'sent',
      externalId: peer.posted[0]!.status.id,
      attempts: 2,
    });
  });

  it('a permanent refusal fails the reply with the reason, without retrying', async () => {
    const w = await world();
    const { peer, channel } = await mastodon(w);
    peer.mention();
    const conversation = await conversationAfterPoll(w, channel.id);
    peer.failNext(422, 1);
    const created = await write(w, conversation.id);
    const failed = await settled(created.id);
    expect(failed).toMatchObject({ status: 'failed', attempts: 1 });
    expect(failed.error).toBeTruthy();
    expect(peer.posted).toHaveLength(0);
    expect(
      await suite.db
        .getRepository(AuditLogEntity)
        .countBy({ subjectId: created.id, action: AuditAction.ReplyFailed }),
    ).toBe(1);
  });

  it('a private answer goes as a direct message: Mastodon `direct`, an X DM', async () => {
    const w = await world();
    const m = await mastodon(w);
    m.peer.mention();
    const onMastodon = await conversationAfterPoll(w, m.channel.id);
    const direct = await write(w, onMastodon.id, {
      text: 'Wilt u uw klantnummer sturen naar 06-12345678? ^AB',
      private: true,
    });
    expect((await settled(direct.id)).status).toBe('sent');
    expect(m.peer.posted[0]).toMatchObject({ visibility: 'direct' });

    const t = await x(w);
    t.peer.mention();
    const onX = await conversationAfterPoll(w, t.channel.id);
    const dm = await write(w, onX.id, { text: 'Wilt u uw klantnummer sturen? ^AB', private: true });
    expect((await settled(dm.id)).status).toBe('sent');
    expect(t.peer.posted.map((p) => p.kind)).toEqual(['dm']);
  });
});
