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
  OrganisationEntity,
  ReplyEntity,
  type UserEntity,
} from '@toonbank/database';
import { outboundJobId } from '@toonbank/replies';
import { DEFAULT_TONE_PROFILE } from '@toonbank/templates';
import {
  AuditAction,
  ERASED_TEXT,
  QueueName,
  type ConversationDetailDto,
  type ReplyDto,
} from '@toonbank/shared';
import { randomUUID } from 'node:crypto';
import { expectError } from '../support/expect-error';
import { newReply } from '../support/factories';
import { holdTransaction } from '../support/held-transaction';
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
      // A team lead's, who may act on any conversation: only its being closed stands in the way.
      const closedOne = await newReply(suite.db, conversation, w.teamLead, {
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

  describe('the retry judges the stored reply again, as a new reply by its author now', () => {
    /** A failed (not_sent) reply by `author` on a conversation of a Mastodon peer they hold. */
    const failedBy = async (
      w: ReplyWorld,
      author: UserEntity,
      overrides: Partial<ReplyEntity> = {},
    ) => {
      const { peer, channel } = await mastodon(w);
      peer.mention();
      const conversation = await conversationAfterPoll(w, channel.id);
      await suite.db
        .getRepository(ConversationEntity)
        .update(
          { id: conversation.id },
          { status: 'assigned', assigneeId: author.id, assignedAt: new Date() },
        );
      const inbound = await suite.db
        .getRepository(MessageEntity)
        .findOneByOrFail({ conversationId: conversation.id });
      const id = randomUUID();
      const reply = await newReply(suite.db, conversation, author, {
        id,
        status: 'failed',
        failure: 'not_sent',
        error: 'refused',
        text: CLEAN,
        channelIdempotencyKey: id,
        inReplyToMessageId: inbound.id,
        ...overrides,
      });
      return { peer, conversation, reply };
    };
    const setLevel = (w: ReplyWorld, level: 1 | 2 | 3) =>
      suite.db
        .getRepository(OrganisationEntity)
        .update({ id: w.organisation.id }, { maturityLevel: level });
    const putProfile = (token: string, changes: object) =>
      suite.app
        .http()
        .put('/api/tone/profile')
        .set(bearer(token))
        .send({ ...structuredClone(DEFAULT_TONE_PROFILE), ...changes })
        .expect(200);
    const lower = (token: string) =>
      suite.app
        .http()
        .put('/api/org/maturity')
        .set(bearer(token))
        .send({ level: 1, reason: 'storm' })
        .then((r) => r);
    /** Refused: left failed as it was, no new attempt, nothing audited, nothing queued. */
    const untouched = async (id: string) => {
      expect(await replyRow(id)).toMatchObject({
        status: 'failed',
        failure: 'not_sent',
        retryCount: 0,
      });
      expect(await auditCount(id, AuditAction.ReplyRetried)).toBe(0);
      expect(await suite.queue(QueueName.Outbound).getJob(outboundJobId(id, 1))).toBeFalsy();
    };

    it('403 policy.not_eligible when the author may no longer respond (the level went down), even once approved', async () => {
      const w = await world();
      const { reply, peer } = await failedBy(w, w.communications, {
        approvedBy: w.teamLead.id,
        approvedAt: new Date(),
      });
      await setLevel(w, 1);
      expectError(await retry(w.lead, reply.id), 403, 'policy.not_eligible');
      await untouched(reply.id);
      expect(peer.posted).toHaveLength(0);
    });

    it('403 policy.template_required for free text where the author now needs a template', async () => {
      const w = await world();
      const { reply } = await failedBy(w, w.agent);
      await setLevel(w, 1);
      expectError(await retry(w.lead, reply.id), 403, 'policy.template_required');
      await untouched(reply.id);
    });

    it('403 policy.forbidden when the author no longer holds the conversation', async () => {
      const w = await world();
      const { reply, conversation } = await failedBy(w, w.agent);
      await suite.db
        .getRepository(ConversationEntity)
        .update({ id: conversation.id }, { assigneeId: w.communications.id });
      expectError(await retry(w.lead, reply.id), 403, 'policy.forbidden');
      await untouched(reply.id);
    });

    it('422 tone.violations when the current profile forbids its text; an override holds only for the rules it overrode', async () => {
      const w = await world();
      const { reply, conversation } = await failedBy(w, w.teamLead);
      await putProfile(w.admin, {
        forbiddenPhrases: [{ phrase: 'direct', suggestion: 'meteen' }],
      });
      const refusal = await retry(w.lead, reply.id);
      expectError(refusal, 422, 'tone.violations');
      expect(refusal.body.details.findings).toContainEqual(
        expect.objectContaining({ ruleId: 'phrase.forbidden', severity: 'error' }),
      );
      await untouched(reply.id);

      const error = { ruleId: 'phrase.forbidden', severity: 'error' as const, message: 'x' };
      const overridden = await newReply(suite.db, conversation, w.teamLead, {
        status: 'failed',
        failure: 'not_sent',
        text: CLEAN,
        inReplyToMessageId: reply.inReplyToMessageId,
        overrideReason: 'the customer asked for it',
        toneFindings: [{ ...error, start: 0, end: 1 }],
      });
      const again = await retry(w.lead, overridden.id).expect(200);
      expect(again.body).toMatchObject({ status: 'queued' });
      expect(again.body.toneFindings).toContainEqual(
        expect.objectContaining({ ruleId: 'phrase.forbidden' }),
      );
    });

    it('pending_approval where the author’s replies now wait for a team lead; the approval sends it with the retry’s own job', async () => {
      const w = await world();
      // Written while the trust ladder had lifted the approval; a rejection since restored it.
      const { reply, peer } = await failedBy(w, w.communications);
      const answer = await retry(w.lead, reply.id).expect(200);
      expect(answer.body).toMatchObject({ status: 'pending_approval', failure: null });
      expect(await suite.queue(QueueName.Outbound).getJob(outboundJobId(reply.id, 1))).toBeFalsy();
      const [entry] = await suite.db
        .getRepository(AuditLogEntity)
        .findBy({ subjectId: reply.id, action: AuditAction.ReplyRetried });
      expect(entry!.after).toMatchObject({ status: 'pending_approval', retry: 1 });

      await suite.app
        .http()
        .post(`/api/replies/${reply.id}/approve`)
        .set(bearer(w.admin))
        .expect(200);
      expect(await suite.queue(QueueName.Outbound).getJob(outboundJobId(reply.id, 1))).toBeTruthy();
      expect((await settled(reply.id)).status).toBe('sent');
      expect(peer.posted).toHaveLength(1);
    });

    it('an approval given before it failed holds: queued at once', async () => {
      const w = await world();
      const { reply } = await failedBy(w, w.communications, {
        approvedBy: w.teamLead.id,
        approvedAt: new Date(),
      });
      expect((await retry(w.lead, reply.id).expect(200)).body).toMatchObject({ status: 'queued' });
    });

    it('a maturity change under way is waited for: the retry judges at the new level', async () => {
      const w = await world();
      const { reply } = await failedBy(w, w.agent);
      const hold = await holdTransaction(suite.db);
      await hold.query('SELECT id FROM organisations WHERE id = $1 FOR UPDATE', [
        w.organisation.id,
      ]);
      const lowering = lower(w.admin);
      await hold.waitForWaiters(1);
      const retrying = retry(w.lead, reply.id).then((r) => r);
      // The retry queues behind the level change on the organisation's row.
      await hold.waitForWaiters(2);
      await hold.commit();
      const [lowered, retried] = await Promise.all([lowering, retrying]);
      expect(lowered.status).toBe(200);
      expectError(retried, 403, 'policy.template_required');
      await untouched(reply.id);
    });

    it('a retry under way holds the maturity change back until it is judged and queued', async () => {
      const w = await world();
      const { reply } = await failedBy(w, w.agent);
      const hold = await holdTransaction(suite.db);
      await hold.query('SELECT id FROM replies WHERE id = $1 FOR NO KEY UPDATE', [reply.id]);
      const retrying = retry(w.lead, reply.id).then((r) => r);
      await hold.waitForWaiters(1);
      const lowering = lower(w.admin);
      // The level change waits for the retry's shared lock on the organisation.
      await hold.waitForWaiters(2);
      await hold.commit();
      const [retried, lowered] = await Promise.all([retrying, lowering]);
      expect(retried.status).toBe(200);
      expect(retried.body).toMatchObject({ status: 'queued' });
      expect(lowered.status).toBe(200);
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
