// Delivery state of a reply (issue 14, API.md §Replies): the post's public URL on its channel
// (`externalUrl` on Reply and Message, built by the connector), whether a failed reply may have
// reached the channel (`failure`), and POST /api/replies/:id/retry, through the real connectors
// speaking HTTP to the fake peers, with the real worker, PostgreSQL and Redis.
import { MastodonPeer, XPeer } from '@toonbank/channels/testing';
import {
  AuditLogEntity,
  ChannelAccountEntity,
  ConversationEntity,
  MessageEntity,
  ReplyEntity,
} from '@toonbank/database';
import { outboundJobId } from '@toonbank/replies';
import {
  AuditAction,
  ERASED_TEXT,
  QueueName,
  type ConversationDetailDto,
  type ReplyDto,
} from '@toonbank/shared';
import { expectError } from '../support/expect-error';
import { newReply } from '../support/factories';
import { connectChannel, replyWorld, type ReplyWorld } from '../support/reply-world';
import { connectInbox, sleep } from '../support/socket-client';
import { useTestApp } from '../support/suite';
import { bearer } from '../support/test-app';
import { drained } from '../support/test-worker';

const CLEAN = 'Dank voor uw bericht. Wij kijken het direct voor u na. ^AB';

describe('delivery state of a reply', () => {
  const suite = useTestApp({ redis: 'delivery', worker: true });
  const peers: { close(): Promise<void> }[] = [];
  afterAll(async () => {
    for (const peer of peers) await peer.close();
  });

  const settle = async () => {
    for (const name of [QueueName.Polling, QueueName.Ingest, QueueName.Outbound])
      await drained(suite.queue(name));
  };
  const replyRow = (id: string) => suite.db.getRepository(ReplyEntity).findOneByOrFail({ id });
  /** Until the reply leaves `queued`. */
  const settled = async (id: string, timeoutMs = 20_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const row = await replyRow(id);
      if (row.status !== 'queued') return row;
      if (Date.now() > deadline) throw new Error(`reply ${id} still queued: ${row.error ?? ''}`);
      await sleep(100);
    }
  };
  const world = () => replyWorld(suite.app, suite.db);
  const connect = async (w: ReplyWorld, provider: string, config: Record<string, unknown>) => {
    const channel = await connectChannel(suite.app, w, provider, config);
    await settle();
    return channel;
  };
  const conversationAfterPoll = async (w: ReplyWorld, channelId: string) => {
    await suite.app.http().post(`/api/channels/${channelId}/poll`).set(bearer(w.admin)).expect(200);
    return suite.db
      .getRepository(ConversationEntity)
      .findOneByOrFail({ channelAccountId: channelId });
  };
  const write = async (w: ReplyWorld, conversationId: string, body: object = { text: CLEAN }) => {
    const response = await suite.app
      .http()
      .post(`/api/conversations/${conversationId}/replies`)
      .set(bearer(w.lead))
      .send(body);
    if (response.status !== 201)
      throw new Error(`reply: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body as ReplyDto;
  };
  const getReply = async (w: ReplyWorld, id: string) =>
    (await suite.app.http().get(`/api/replies/${id}`).set(bearer(w.lead)).expect(200))
      .body as ReplyDto;
  const retry = (token: string, id: string) =>
    suite.app.http().post(`/api/replies/${id}/retry`).set(bearer(token));
  const auditCount = (subjectId: string, action: AuditAction) =>
    suite.db.getRepository(AuditLogEntity).countBy({ subjectId, action });

  const mastodon = async (w: ReplyWorld) => {
    const peer = await new MastodonPeer({ accessToken: 'delivery-token' }).start();
    peers.push(peer);
    const channel = await connect(w, 'mastodon', {
      instanceUrl: peer.url,
      accessToken: 'delivery-token',
    });
    return { peer, channel };
  };
  const x = async (w: ReplyWorld) => {
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
  /** A Mastodon reply the instance refused (422): failed, nothing posted. */
  const refused = async (w: ReplyWorld) => {
    const { peer, channel } = await mastodon(w);
    peer.mention();
    const conversation = await conversationAfterPoll(w, channel.id);
    peer.failNext(422, 1);
    const created = await write(w, conversation.id);
    await settled(created.id);
    await settle();
    return { peer, channel, conversation, created };
  };

  describe('externalUrl', () => {
    it('a sent reply and its message link to the status on the account’s instance; the customer’s too', async () => {
      const w = await world();
      const { peer, channel } = await mastodon(w);
      const mention = peer.mention({ acct: 'ana@other.example' });
      const conversation = await conversationAfterPoll(w, channel.id);
      const created = await write(w, conversation.id);
      expect(created.externalUrl).toBeNull();
      expect((await settled(created.id)).status).toBe('sent');
      const statusId = peer.posted[0]!.status.id;
      const account = await suite.db
        .getRepository(ChannelAccountEntity)
        .findOneByOrFail({ id: channel.id });
      // Our own account as `@name` on our instance; the handle is `@name@host`.
      const ours = `${peer.url}/@${account.handle!.split('@')[1]}/${statusId}`;

      const reply = await getReply(w, created.id);
      expect(reply).toMatchObject({ status: 'sent', externalUrl: ours, failure: null });
      const detail = (
        await suite.app
          .http()
          .get(`/api/conversations/${conversation.id}`)
          .set(bearer(w.lead))
          .expect(200)
      ).body as ConversationDetailDto;
      expect(
        detail.messages.map((m) => ({ direction: m.direction, externalUrl: m.externalUrl })),
      ).toEqual([
        {
          direction: 'inbound',
          externalUrl: `${peer.url}/@ana@other.example/${mention.status!.id}`,
        },
        { direction: 'outbound', externalUrl: ours },
      ]);
    });

    it('a direct message has none (reply and message), nor does a note', async () => {
      const w = await world();
      const { peer, channel } = await mastodon(w);
      peer.mention({ visibility: 'direct' });
      const conversation = await conversationAfterPoll(w, channel.id);
      const created = await write(w, conversation.id, {
        text: 'Wilt u uw klantnummer sturen? ^AB',
        private: true,
      });
      expect((await settled(created.id)).status).toBe('sent');
      await suite.app
        .http()
        .post(`/api/conversations/${conversation.id}/notes`)
        .set(bearer(w.lead))
        .send({ text: 'Even nakijken' })
        .expect(201);
      expect((await getReply(w, created.id)).externalUrl).toBeNull();
      const detail = (
        await suite.app
          .http()
          .get(`/api/conversations/${conversation.id}`)
          .set(bearer(w.lead))
          .expect(200)
      ).body as ConversationDetailDto;
      expect(detail.messages.map((m) => [m.direction, m.externalUrl])).toEqual([
        ['inbound', null],
        ['outbound', null],
        ['note', null],
      ]);
    });
  });

  describe('failure', () => {
    it('a refusal before anything was posted (422) is not_sent, in the answer and the audit log', async () => {
      const w = await world();
      const { peer, created } = await refused(w);
      expect(peer.posted).toHaveLength(0);
      expect(await getReply(w, created.id)).toMatchObject({
        status: 'failed',
        failure: 'not_sent',
        externalUrl: null,
      });
      const [entry] = await suite.db
        .getRepository(AuditLogEntity)
        .findBy({ subjectId: created.id, action: AuditAction.ReplyFailed });
      expect(entry!.after).toMatchObject({ status: 'failed', failure: 'not_sent' });
    });

    it('X: an attempt that may have arrived (a worker died mid-send) is maybe_sent, and never retried', async () => {
      const w = await world();
      const { peer, channel } = await x(w);
      peer.mention();
      const conversation = await conversationAfterPoll(w, channel.id);
      const outbound = suite.queue(QueueName.Outbound);
      await outbound.pause();
      let created: ReplyDto;
      try {
        created = await write(w, conversation.id);
        // As a worker killed after its request left leaves it: queued, the attempt begun.
        await suite.db
          .getRepository(ReplyEntity)
          .update(
            { id: created.id },
            { sendStartedAt: new Date(), attempts: 1, mayHaveArrived: true },
          );
      } finally {
        await outbound.resume();
      }
      const failed = await settled(created.id);
      await settle();
      expect({ status: failed.status, failure: failed.failure }).toEqual({
        status: 'failed',
        failure: 'maybe_sent',
      });
      expectError(await retry(w.lead, created.id), 409, 'reply.not_retryable');
      expect(await replyRow(created.id)).toMatchObject({ status: 'failed', attempts: 1 });
      expect(peer.posted).toHaveLength(0);
      expect(await auditCount(created.id, AuditAction.ReplyRetried)).toBe(0);
    });
  });

  it('erasing the customer clears their messages’ URL; a queued reply fails not_sent and is never retried', async () => {
    const w = await world();
    const { peer, channel } = await mastodon(w);
    peer.mention({ acct: 'bram@other.example' });
    const conversation = await conversationAfterPoll(w, channel.id);
    const inbound = await suite.db
      .getRepository(MessageEntity)
      .findOneByOrFail({ conversationId: conversation.id });
    expect(inbound.externalUrl).toContain('/@bram@other.example/');
    const outbound = suite.queue(QueueName.Outbound);
    await outbound.pause();
    let queued: ReplyDto;
    try {
      queued = await write(w, conversation.id);
      await suite.app
        .http()
        .post('/api/customers/erase')
        .set(bearer(w.admin))
        .send({ channelId: channel.id, handle: '@bram@other.example' })
        .expect(200);
    } finally {
      await outbound.resume();
    }
    await settle();
    expect(await replyRow(queued.id)).toMatchObject({ status: 'failed', failure: 'not_sent' });
    expectError(await retry(w.lead, queued.id), 409, 'conflict');
    const messages = await suite.db
      .getRepository(MessageEntity)
      .findBy({ conversationId: conversation.id });
    expect(messages.map((m) => [m.direction, m.externalUrl])).toEqual([['inbound', null]]);
    expect(peer.posted).toHaveLength(0);
  });

  describe('POST /api/replies/:id/retry', () => {
    it('queues the same reply again as a new attempt: posted once, audited, told to everyone', async () => {
      const w = await world();
      const { peer, created } = await refused(w);
      const inbox = await connectInbox(suite.app, w.lead);
      const response = await retry(w.lead, created.id).expect(200);
      expect(response.body).toMatchObject({
        id: created.id,
        text: created.text,
        status: 'queued',
        failure: null,
        error: null,
      });
      const sent = await settled(created.id);
      expect(sent).toMatchObject({ status: 'sent', attempts: 2, retryCount: 1, failure: null });
      expect(peer.posted).toHaveLength(1);
      expect(peer.posted[0]!.idempotencyKey).toBe(created.id);
      await inbox.nextEvent('message.created');
      expect(inbox.payloadsOf('reply.updated')).toContainEqual(
        expect.objectContaining({ id: created.id, status: 'queued', failure: null }),
      );
      const [entry] = await suite.db
        .getRepository(AuditLogEntity)
        .findBy({ subjectId: created.id, action: AuditAction.ReplyRetried });
      expect(entry).toMatchObject({
        before: { status: 'failed', failure: 'not_sent' },
        after: { status: 'queued', retry: 1 },
      });
      expect(
        await suite.queue(QueueName.Outbound).getJob(outboundJobId(created.id, 1)),
      ).toBeTruthy();
    });

    it('two retries at once: exactly one queues it, the other is 409, and the channel gets one post', async () => {
      const w = await world();
      const { peer, created } = await refused(w);
      const answers = await Promise.all([retry(w.lead, created.id), retry(w.admin, created.id)]);
      expect(answers.map((a) => [a.status, a.body.code]).sort()).toEqual([
        [200, undefined],
        [409, 'conflict'],
      ]);
      expect((await settled(created.id)).status).toBe('sent');
      await settle();
      expect(peer.posted).toHaveLength(1);
      expect(await replyRow(created.id)).toMatchObject({ attempts: 2, retryCount: 1 });
      expect(await auditCount(created.id, AuditAction.ReplyRetried)).toBe(1);
    });

    it('409 conflict for a reply that is not failed (sent, pending, queued) and after the customer was erased or the conversation closed', async () => {
      const w = await world();
      const { peer, channel } = await mastodon(w);
      peer.mention();
      const conversation = await conversationAfterPoll(w, channel.id);
      const sent = await write(w, conversation.id);
      await settled(sent.id);
      const pending = await newReply(suite.db, conversation, w.agent);
      const queued = await newReply(suite.db, conversation, w.agent, { status: 'queued' });
      for (const id of [sent.id, pending.id, queued.id]) {
        expectError(await retry(w.lead, id), 409, 'conflict');
      }

      const erased = await newReply(suite.db, conversation, w.agent, {
        status: 'failed',
        failure: 'not_sent',
        text: ERASED_TEXT,
      });
      expectError(await retry(w.lead, erased.id), 409, 'conflict');
      const closedOne = await newReply(suite.db, conversation, w.agent, {
        status: 'failed',
        failure: 'not_sent',
      });
      await suite.app
        .http()
        .post(`/api/conversations/${conversation.id}/close`)
        .set(bearer(w.lead))
        .expect(200);
      expectError(await retry(w.lead, closedOne.id), 409, 'conflict');
      for (const id of [erased.id, closedOne.id]) {
        expect(await replyRow(id)).toMatchObject({ status: 'failed', failure: 'not_sent' });
      }
    });
  });

  it('documents externalUrl, failure, toneOk, the retry and its codes in the OpenAPI document', async () => {
    const json = (await suite.app.http().get('/api/docs-json').expect(200)).body;
    const { ReplyResponse, TemplateResponse } = json.components.schemas;
    expect(ReplyResponse.properties.externalUrl).toMatchObject({ type: 'string', nullable: true });
    expect(ReplyResponse.properties.failure).toMatchObject({
      enum: ['not_sent', 'maybe_sent'],
      nullable: true,
    });
    expect(Object.keys(TemplateResponse.properties.toneOk.properties).sort()).toEqual([
      'bluesky',
      'facebook',
      'instagram',
      'mastodon',
      'x',
    ]);
    const retryPath = json.paths['/api/replies/{id}/retry'].post;
    expect(retryPath.responses['200'].content['application/json'].schema.$ref).toBe(
      '#/components/schemas/ReplyResponse',
    );
    expect(retryPath.responses['409'].description).toContain('reply.not_retryable');
  });
});
