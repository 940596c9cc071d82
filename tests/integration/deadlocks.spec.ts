// The interleavings that deadlocked (issue 13, item 1), each forced with a transaction of the
// test's own that stalls one side at the moment it matters: with the README's lock order
// none of them deadlocks any more (no retry is even needed), and no request answers 500.
import { MastodonPeer } from '@toonbank/channels/testing';
import {
  AuditLogEntity,
  ChannelAccountEntity,
  ConversationEntity,
  MessageEntity,
  ReplyEntity,
  UserEntity,
} from '@toonbank/database';
import { onTransactionRetry, type TransactionRetryReason } from '@toonbank/platform';
import { OutboundSender } from '@toonbank/replies';
import { SlaService } from '@toonbank/sla';
import { AuditAction } from '@toonbank/shared';
import { connectMastodon, pollToConversation } from '../support/mastodon-channel';
import {
  newChannelAccount,
  newConversation,
  newReply,
  newStaffedOrganisation,
  newUser,
} from '../support/factories';
import { holdTransaction } from '../support/held-transaction';
import { useTestApp } from '../support/suite';
import { bearer, signIn } from '../support/test-app';

describe('deadlocks', () => {
  const suite = useTestApp({ redis: 'deadlocks', worker: true });
  const peers: MastodonPeer[] = [];
  let retries: TransactionRetryReason[];
  let stopCounting: () => void;

  beforeEach(() => {
    retries = [];
    stopCounting = onTransactionRetry((reason) => retries.push(reason));
  });
  afterEach(() => stopCounting());
  afterAll(async () => {
    for (const peer of peers) await peer.close();
  });

  const world = async (maturityLevel: 1 | 2 | 3 = 1) =>
    newStaffedOrganisation(suite.db, { maturityLevel, routingStrategy: 'manual' });
  const conversationRow = (id: string) =>
    suite.db.getRepository(ConversationEntity).findOneByOrFail({ id });

  it('a reply approved again while the worker records it as sent: 409, sent once', async () => {
    const w = await world();
    const peer = await new MastodonPeer({ accessToken: 'deadlock-token' }).start();
    peers.push(peer);
    const admin = await signIn(suite.app, w.admin);
    const lead = await signIn(suite.app, w.teamLead);
    const channelId = await connectMastodon(suite.app, admin, peer, 'deadlock-token');
    peer.mention({ text: 'Mijn stroom is uitgevallen.' });
    const conversation = await pollToConversation(suite.app, suite.db, admin, channelId);
    const inbound = await suite.db
      .getRepository(MessageEntity)
      .findOneByOrFail({ conversationId: conversation.id, direction: 'inbound' });
    const reply = await newReply(suite.db, conversation, w.agent, {
      status: 'queued',
      inReplyToMessageId: inbound.id,
      approvedBy: w.teamLead.id,
      approvedAt: new Date(),
    });
    // The status the channel will answer, and the same external id made ready (not committed)
    // in another conversation of the channel: the worker's insert of the sent message waits
    // on it, holding what it has locked by then.
    const statusId = String(BigInt(Date.now()) << 16n);
    jest
      .spyOn(peer as unknown as { newStatusId(at: Date): string }, 'newStatusId')
      .mockReturnValue(statusId);
    const channel = await suite.db
      .getRepository(ChannelAccountEntity)
      .findOneByOrFail({ id: channelId });
    const elsewhere = await newConversation(suite.db, w.organisation, channel);
    const hold = await holdTransaction(suite.db);
    await hold.query(
      `INSERT INTO messages (organisation_id, conversation_id, channel_account_id, direction,
         external_id, text, created_at) VALUES ($1, $2, $3, 'inbound', $4, 'x', now())`,
      [w.organisation.id, elsewhere.id, channelId, statusId],
    );

    const sent = suite.worker.get(OutboundSender).send(w.organisation.id, reply.id, false);
    await hold.waitForWaiters(1);
    const approval = suite.app
      .http()
      .post(`/api/replies/${reply.id}/approve`)
      .set(bearer(lead))
      .then((r) => r);
    await hold.waitForWaiters(2);
    await hold.rollback();

    const [outcome, answer] = await Promise.all([sent, approval]);
    expect(outcome).toEqual({ kind: 'sent', externalId: statusId });
    // Judged on the reply as the worker left it (not a deadlock's generic 409).
    expect(answer.body).toMatchObject({
      statusCode: 409,
      code: 'conflict',
      message: 'The reply is sent, not waiting for approval.',
    });
    expect(retries).toEqual([]);
    const stored = await suite.db.getRepository(ReplyEntity).findOneByOrFail({ id: reply.id });
    expect(stored).toMatchObject({ status: 'sent', externalId: statusId });
    expect(peer.posted).toHaveLength(1);
    expect(
      await suite.db
        .getRepository(MessageEntity)
        .countBy({ conversationId: conversation.id, direction: 'outbound' }),
    ).toBe(1);
    expect(await conversationRow(conversation.id)).toMatchObject({ status: 'waiting' });
  });

  it('a bulk close while the assignee is deactivated: both answer 200, the conversation is closed and back in the queue', async () => {
    const w = await world();
    const secondAdmin = await newUser(suite.db, w.organisation, { role: 'admin' });
    const channel = await newChannelAccount(suite.db, w.organisation);
    const conversation = await newConversation(suite.db, w.organisation, channel, {
      status: 'assigned',
      assigneeId: w.agent.id,
      assignedAt: new Date(),
    });
    const closer = await signIn(suite.app, w.admin);
    const deactivator = await signIn(suite.app, secondAdmin);
    // The closing admin's row, held: the deactivation (which locks the active admins) waits
    // for it first, then the close (whose audit entry names that admin as its actor).
    const hold = await holdTransaction(suite.db);
    await hold.query('SELECT id FROM users WHERE id = $1 FOR UPDATE', [w.admin.id]);

    const deactivation = suite.app
      .http()
      .patch(`/api/users/${w.agent.id}`)
      .set(bearer(deactivator))
      .send({ active: false })
      .then((r) => r);
    await hold.waitForWaiters(1);
    const bulk = suite.app
      .http()
      .post('/api/conversations/bulk')
      .set(bearer(closer))
      .send({ ids: [conversation.id], action: 'close' })
      .then((r) => r);
    await hold.waitForWaiters(2);
    await hold.commit();

    const [deactivated, closed] = await Promise.all([deactivation, bulk]);
    expect(deactivated.status).toBe(200);
    expect(closed.status).toBe(200);
    expect(closed.body).toEqual({ done: 1, failed: [] });
    expect(retries).toEqual([]);
    expect(await conversationRow(conversation.id)).toMatchObject({
      status: 'closed',
      assigneeId: null,
      previousAssigneeId: w.agent.id,
    });
    const agent = await suite.db.getRepository(UserEntity).findOneByOrFail({ id: w.agent.id });
    expect(agent.active).toBe(false);
    const actions = await suite.db
      .getRepository(AuditLogEntity)
      .find({ where: { subjectId: conversation.id }, order: { at: 'ASC', id: 'ASC' } });
    expect(actions.map((a) => a.action)).toEqual([
      AuditAction.ConversationUnassigned,
      AuditAction.ConversationClosed,
    ]);
  });

  it('a maturity change while the SLA check flags a breach: 200, flagged and back in the queue', async () => {
    const w = await world(2);
    const channel = await newChannelAccount(suite.db, w.organisation);
    const conversation = await newConversation(suite.db, w.organisation, channel, {
      status: 'assigned',
      assigneeId: w.communications.id,
      assignedAt: new Date(Date.now() - 3_600_000),
      slaDueAt: new Date(Date.now() - 60_000),
    });
    const admin = await signIn(suite.app, w.admin);
    // The organisation, held: the level change queues for it first, then the SLA check's
    // audit entry (which names the organisation) after it has flagged the conversation.
    const hold = await holdTransaction(suite.db);
    await hold.query('SELECT id FROM organisations WHERE id = $1 FOR UPDATE', [w.organisation.id]);

    const lowering = suite.app
      .http()
      .put('/api/org/maturity')
      .set(bearer(admin))
      .send({ level: 1, reason: 'storm' })
      .then((r) => r);
    await hold.waitForWaiters(1);
    const check = suite.worker.get(SlaService).check(w.organisation.id, conversation.id);
    await hold.waitForWaiters(2);
    await hold.commit();

    const [lowered, flagged] = await Promise.all([lowering, check]);
    expect(lowered.status).toBe(200);
    expect(lowered.body.maturityLevel).toBe(1);
    expect(flagged).toBe(true);
    expect(retries).toEqual([]);
    expect(await conversationRow(conversation.id)).toMatchObject({
      slaBreached: true,
      status: 'unassigned',
      assigneeId: null,
    });
  });

  it('two admins changing the level at once, again and again: never a 500', async () => {
    const w = await world();
    const other = await newUser(suite.db, w.organisation, { role: 'admin' });
    const tokens = [await signIn(suite.app, w.admin), await signIn(suite.app, other)];
    const channel = await newChannelAccount(suite.db, w.organisation);
    for (let i = 0; i < 4; i += 1) {
      await newConversation(suite.db, w.organisation, channel, {
        status: 'assigned',
        assigneeId: w.communications.id,
        assignedAt: new Date(),
      });
    }
    const statuses: number[] = [];
    let lastRound: number[] = [];
    for (let round = 0; round < 6; round += 1) {
      lastRound = tokens.map((_, i) => ((round + i) % 3) + 1);
      const answers = await Promise.all(
        tokens.map((token, i) =>
          suite.app
            .http()
            .put('/api/org/maturity')
            .set(bearer(token))
            .send({ level: lastRound[i], reason: `round ${round}` }),
        ),
      );
      statuses.push(...answers.map((a) => a.status));
    }
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    const [{ level }] = (await suite.db.query(
      'SELECT maturity_level AS level FROM organisations WHERE id = $1',
      [w.organisation.id],
    )) as [{ level: number }];
    expect(lastRound).toContain(level);
    // A change of level is recorded only when it changed something.
    const [{ idle }] = (await suite.db.query(
      'SELECT count(*)::int AS idle FROM maturity_changes WHERE organisation_id = $1 AND "from" = "to"',
      [w.organisation.id],
    )) as [{ idle: number }];
    expect(idle).toBe(0);
  });
});
