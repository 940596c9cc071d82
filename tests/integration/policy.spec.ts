import {
  AuditLogEntity,
  ConversationEntity,
  MaturityChangeEntity,
  OrganisationEntity,
  ReplyEntity,
} from '@toonbank/database';
import { DEFAULT_POLICY_MATRIX, type PolicyMatrix } from '@toonbank/policy';
import { QueueName } from '@toonbank/shared';
import { In } from 'typeorm';
import {
  newChannelAccount,
  newConversation,
  newReply,
  newStaffedOrganisation,
} from '../support/factories';
import { connectInbox } from '../support/socket-client';
import { useTestApp } from '../support/suite';
import { bearer, signIn } from '../support/test-app';
import { drained } from '../support/test-worker';

const clone = (matrix: PolicyMatrix): PolicyMatrix =>
  JSON.parse(JSON.stringify(matrix)) as PolicyMatrix;

/** SPEC.md §2 on the server: the policy in force, the maturity level and their effects. */
describe('policy and maturity', () => {
  const suite = useTestApp({ redis: 'policy', worker: true, sockets: 'per-test' });

  const world = async (maturityLevel: 1 | 2 | 3 = 1) => {
    const staffed = await newStaffedOrganisation(suite.db, {
      maturityLevel,
      routingStrategy: 'manual',
    });
    const channel = await newChannelAccount(suite.db, staffed.organisation);
    const adminToken = await signIn(suite.app, staffed.admin);
    return { ...staffed, channel, adminToken };
  };
  const changeLevel = (token: string, body: object) =>
    suite.app.http().put('/api/org/maturity').set(bearer(token)).send(body);

  describe('GET /api/org/policy', () => {
    it('answers the default matrix, the current level’s rows and the trust ladder', async () => {
      const w = await world(2);
      const response = await suite.app
        .http()
        .get('/api/org/policy')
        .set(bearer(await signIn(suite.app, w.agent)))
        .expect(200);
      expect(response.body).toEqual({
        level: 2,
        rules: DEFAULT_POLICY_MATRIX['2'],
        matrix: DEFAULT_POLICY_MATRIX,
        trustLadder: { approvalsToLift: 20 },
      });
      expect(response.body.rules).toContainEqual({
        role: 'communications',
        respond: true,
        approval: true,
        template: false,
      });
      expect(response.body.rules).toContainEqual({
        role: 'employee',
        trained: false,
        respond: false,
        approval: false,
        template: false,
      });
    });
  });

  describe('PUT /api/org/maturity', () => {
    it.each([
      ['a missing reason', { level: 2 }],
      ['a blank reason', { level: 2, reason: '   ' }],
      ['a level that does not exist', { level: 4, reason: 'why not' }],
      ['a level as a string', { level: '2', reason: 'why not' }],
      ['an expected level that does not exist', { level: 2, reason: 'why not', expectedLevel: 0 }],
    ])('refuses %s with 400', async (_label, body) => {
      const w = await world();
      const response = await changeLevel(w.adminToken, body);
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('validation.failed');
      expect(
        await suite.db.getRepository(OrganisationEntity).findOneByOrFail({ id: w.organisation.id }),
      ).toMatchObject({
        maturityLevel: 1,
      });
    });

    it('setting the current level is 200 and changes nothing', async () => {
      const w = await world(2);
      const response = await changeLevel(w.adminToken, { level: 2, reason: 'no change' }).expect(
        200,
      );
      expect(response.body.maturityLevel).toBe(2);
      expect(
        await suite.db
          .getRepository(MaturityChangeEntity)
          .countBy({ organisationId: w.organisation.id }),
      ).toBe(0);
    });

    it('refuses with 409 and the level now when it changed after the admin looked (expectedLevel)', async () => {
      const w = await world(1);
      // Another admin raised the level while this one had the dialog open at level 1.
      await changeLevel(w.adminToken, {
        level: 2,
        reason: 'comms trained',
        expectedLevel: 1,
      }).expect(200);
      const refused = await changeLevel(w.adminToken, {
        level: 3,
        reason: 'ambassadors ready',
        expectedLevel: 1,
      });
      expect(refused.status).toBe(409);
      expect(refused.body).toMatchObject({ code: 'conflict', details: { maturityLevel: 2 } });
      const history = await suite.db
        .getRepository(MaturityChangeEntity)
        .findBy({ organisationId: w.organisation.id });
      expect(history.map((h) => [h.from, h.to])).toEqual([[1, 2]]);
      expect(
        await suite.db.getRepository(OrganisationEntity).findOneByOrFail({ id: w.organisation.id }),
      ).toMatchObject({ maturityLevel: 2 });
      // Even the level it is already at: the admin decided from another one.
      await changeLevel(w.adminToken, { level: 2, reason: 'same', expectedLevel: 3 }).expect(409);
      // From the level it is at, the change goes through.
      await changeLevel(w.adminToken, { level: 3, reason: 'ready', expectedLevel: 2 }).expect(200);
    });

    it('raises the level: history, audit, org.updated, and the newly eligible join routing at once', async () => {
      const w = await world(1);
      await suite.db
        .getRepository(OrganisationEntity)
        .update({ id: w.organisation.id }, { routingStrategy: 'least_loaded' });
      // Nobody of the pool may respond at level 1 but the agent: make them unavailable.
      await suite.db.query('UPDATE users SET available = false WHERE id = $1', [w.agent.id]);
      const waiting = await newConversation(suite.db, w.organisation, w.channel);
      const socket = await connectInbox(suite.app, await signIn(suite.app, w.communications));

      const response = await changeLevel(w.adminToken, {
        level: 2,
        reason: 'Team trained in October',
      }).expect(200);
      expect(response.body).toMatchObject({ maturityLevel: 2, maturityName: 'growing' });

      const history = await suite.db
        .getRepository(MaturityChangeEntity)
        .findBy({ organisationId: w.organisation.id });
      expect(history.map((h) => [h.from, h.to, h.reason, h.byUserId])).toEqual([
        [1, 2, 'Team trained in October', w.admin.id],
      ]);
      const audit = await suite.db
        .getRepository(AuditLogEntity)
        .findBy({ organisationId: w.organisation.id, action: 'org.maturity_changed' });
      expect(audit.map((a) => [a.before, a.after, a.reason])).toEqual([
        [{ maturityLevel: 1 }, { maturityLevel: 2 }, 'Team trained in October'],
      ]);
      expect(await socket.nextEvent('org.updated')).toMatchObject({ maturityLevel: 2 });
      expect(await socket.nextEvent('user.updated')).toMatchObject({
        id: w.communications.id,
        eligible: true,
      });

      await drained(suite.queue(QueueName.Routing));
      const routed = await suite.db
        .getRepository(ConversationEntity)
        .findOneByOrFail({ id: waiting.id });
      expect(routed.assigneeId).toBe(w.communications.id);
    });

    it('lowering the level hands back the work of those who lose the right to respond, before answering', async () => {
      const w = await world(3);
      const [commsOpen, commsWaiting, ambassadorOpen, agentOpen, closed] = await Promise.all([
        newConversation(suite.db, w.organisation, w.channel, {
          status: 'assigned',
          assigneeId: w.communications.id,
        }),
        newConversation(suite.db, w.organisation, w.channel, {
          status: 'waiting',
          assigneeId: w.communications.id,
        }),
        newConversation(suite.db, w.organisation, w.channel, {
          status: 'assigned',
          assigneeId: w.employeeTrained.id,
        }),
        newConversation(suite.db, w.organisation, w.channel, {
          status: 'assigned',
          assigneeId: w.agent.id,
        }),
        newConversation(suite.db, w.organisation, w.channel, {
          status: 'closed',
          assigneeId: w.communications.id,
        }),
      ]);
      const pending = await newReply(suite.db, commsOpen!, w.communications, {
        status: 'pending_approval',
      });
      const approved = await newReply(suite.db, commsWaiting!, w.communications, {
        status: 'queued',
      });
      const ambassadorPending = await newReply(suite.db, ambassadorOpen!, w.employeeTrained, {
        status: 'pending_approval',
      });
      const lead = await connectInbox(suite.app, await signIn(suite.app, w.teamLead));

      await changeLevel(w.adminToken, {
        level: 1,
        reason: 'Back to the contact centre during the outage',
      }).expect(200);

      const conversations = await suite.db.getRepository(ConversationEntity).findBy({
        id: In([commsOpen!.id, commsWaiting!.id, ambassadorOpen!.id, agentOpen!.id, closed!.id]),
      });
      const state = Object.fromEntries(conversations.map((c) => [c.id, [c.status, c.assigneeId]]));
      expect(state).toEqual({
        [commsOpen!.id]: ['unassigned', null],
        [commsWaiting!.id]: ['unassigned', null],
        [ambassadorOpen!.id]: ['unassigned', null],
        [agentOpen!.id]: ['assigned', w.agent.id],
        [closed!.id]: ['closed', w.communications.id],
      });
      const replies = await suite.db
        .getRepository(ReplyEntity)
        .findBy({ id: In([pending.id, approved.id, ambassadorPending.id]) });
      expect(Object.fromEntries(replies.map((r) => [r.id, r.status]))).toEqual({
        [pending.id]: 'withdrawn',
        [approved.id]: 'queued', // approved replies are sent
        [ambassadorPending.id]: 'withdrawn',
      });
      const reasons = await suite.db
        .getRepository(AuditLogEntity)
        .findBy({ subjectId: commsOpen!.id, action: 'conversation.unassigned' });
      expect(reasons.map((r) => r.reason)).toEqual(['maturity level lowered to 1 (pioneer)']);

      await lead.nextEvent('conversation.updated');
      for (
        let waited = 0;
        lead.payloadsOf('conversation.updated').length < 3 && waited < 3000;
        waited += 50
      ) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const updates = new Set(
        lead.payloadsOf('conversation.updated').map((c) => (c as { id: string }).id),
      );
      expect([...updates].sort()).toEqual(
        [commsOpen!.id, commsWaiting!.id, ambassadorOpen!.id].sort(),
      );
    });
  });

  it('conversation events reach only those who may read the inbox, and follow the level', async () => {
    const w = await world(1);
    const conversation = await newConversation(suite.db, w.organisation, w.channel);
    const [comms, untrained, lead] = await Promise.all(
      [w.communications, w.employeeUntrained, w.teamLead].map(async (u) =>
        connectInbox(suite.app, await signIn(suite.app, u)),
      ),
    );
    const unassign = () =>
      suite.app
        .http()
        .post(`/api/conversations/${conversation.id}/unassign`)
        .set(bearer(w.adminToken));
    await suite.db
      .getRepository(ConversationEntity)
      .update({ id: conversation.id }, { status: 'assigned', assigneeId: w.agent.id });
    await unassign().expect(200);
    await lead!.nextEvent('conversation.updated');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(comms!.payloadsOf('conversation.updated')).toEqual([]);
    expect(untrained!.payloadsOf('conversation.updated')).toEqual([]);

    await changeLevel(w.adminToken, { level: 2, reason: 'comms trained' }).expect(200);
    await comms!.nextEvent('user.updated');
    await new Promise((resolve) => setTimeout(resolve, 100)); // the room change travels through Redis
    await suite.db
      .getRepository(ConversationEntity)
      .update({ id: conversation.id }, { status: 'assigned', assigneeId: w.agent.id });
    await unassign().expect(200);
    expect(await comms!.nextEvent('conversation.updated')).toMatchObject({ id: conversation.id });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(untrained!.payloadsOf('conversation.updated')).toEqual([]);
  });

  describe('GET /api/org/maturity/preview', () => {
    it('tells who gains and loses and how much work goes back, without changing anything', async () => {
      const w = await world(3);
      await newConversation(suite.db, w.organisation, w.channel, {
        status: 'assigned',
        assigneeId: w.communications.id,
      });
      await newConversation(suite.db, w.organisation, w.channel, {
        status: 'waiting',
        assigneeId: w.employeeTrained.id,
      });
      const conversation = await newConversation(suite.db, w.organisation, w.channel, {
        status: 'assigned',
        assigneeId: w.employeeTrained.id,
      });
      await newReply(suite.db, conversation, w.employeeTrained, { status: 'pending_approval' });

      const down = await suite.app
        .http()
        .get('/api/org/maturity/preview?level=1')
        .set(bearer(w.adminToken))
        .expect(200);
      expect(down.body.gaining).toEqual([]);
      expect(down.body.losing.map((u: { id: string }) => u.id).sort()).toEqual(
        [w.communications.id, w.employeeTrained.id].sort(),
      );
      expect(down.body.losing.every((u: { eligible: boolean }) => u.eligible === false)).toBe(true);
      expect(down.body).toMatchObject({ conversationsReturned: 3, repliesWithdrawn: 1 });
      expect(
        (
          await suite.db
            .getRepository(OrganisationEntity)
            .findOneByOrFail({ id: w.organisation.id })
        ).maturityLevel,
      ).toBe(3);

      const w1 = await world(1);
      const up = await suite.app
        .http()
        .get('/api/org/maturity/preview?level=3')
        .set(bearer(w1.adminToken))
        .expect(200);
      expect(up.body.gaining.map((u: { id: string }) => u.id).sort()).toEqual(
        [w1.communications.id, w1.employeeTrained.id].sort(),
      );
      expect(up.body).toMatchObject({ losing: [], conversationsReturned: 0, repliesWithdrawn: 0 });
    });

    it('refuses a missing or unknown level', async () => {
      const w = await world();
      for (const query of ['', '?level=0', '?level=x']) {
        const response = await suite.app
          .http()
          .get(`/api/org/maturity/preview${query}`)
          .set(bearer(w.adminToken));
        expect(response.status).toBe(400);
      }
    });
  });

  describe('GET /api/org/maturity/history', () => {
    it('lists the changes newest first, with keyset paging', async () => {
      const w = await world(1);
      for (const [level, reason] of [
        [2, 'first'],
        [3, 'second'],
        [1, 'third'],
      ] as const) {
        await changeLevel(w.adminToken, { level, reason }).expect(200);
      }
      const agentToken = await signIn(suite.app, w.agent);
      const first = await suite.app
        .http()
        .get('/api/org/maturity/history?limit=2')
        .set(bearer(agentToken))
        .expect(200);
      expect(first.body.items.map((h: { reason: string }) => h.reason)).toEqual([
        'third',
        'second',
      ]);
      expect(first.body.items[0]).toEqual({
        from: 3,
        to: 1,
        reason: 'third',
        byUserId: w.admin.id,
        at: expect.any(String),
      });
      const second = await suite.app
        .http()
        .get(
          `/api/org/maturity/history?limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`,
        )
        .set(bearer(agentToken))
        .expect(200);
      expect(second.body).toEqual({
        items: [expect.objectContaining({ reason: 'first' })],
        nextCursor: null,
      });
    });
  });

  describe('PUT /api/org/policy', () => {
    const put = (token: string, body: object) =>
      suite.app.http().put('/api/org/policy').set(bearer(token)).send(body);

    it('refuses a matrix that lets untrained employees respond (400, nothing changed)', async () => {
      const w = await world();
      const matrix = clone(DEFAULT_POLICY_MATRIX);
      matrix['3'].find((r) => r.role === 'employee' && r.trained === false)!.respond = true;
      const response = await put(w.adminToken, { matrix, trustLadder: { approvalsToLift: 20 } });
      expect(response.status).toBe(400);
      expect(response.body.details).toEqual({
        fields: ['matrix'],
        errors: { matrix: ['level 3: untrained employees may never respond'] },
      });
      expect(
        (
          await suite.db
            .getRepository(OrganisationEntity)
            .findOneByOrFail({ id: w.organisation.id })
        ).policyMatrix,
      ).toBeNull();
    });

    it('refuses a trust ladder left out (null switches it off; absent is a mistake)', async () => {
      const w = await world();
      const response = await put(w.adminToken, { matrix: DEFAULT_POLICY_MATRIX, trustLadder: {} });
      expect(response.status).toBe(400);
      expect(response.body.details.fields).toEqual(['trustLadder.approvalsToLift']);
    });

    it.each([
      ['a level missing', (m: PolicyMatrix) => ({ '1': m['1'], '2': m['2'] })],
      [
        'a row missing',
        (m: PolicyMatrix) => ({ ...m, '2': m['2'].filter((r) => r.role !== 'agent') }),
      ],
      [
        'a row with an unknown role',
        (m: PolicyMatrix) => ({
          ...m,
          '1': [...m['1'], { role: 'intern', respond: true, approval: false, template: false }],
        }),
      ],
      [
        'a rule that is not a boolean',
        (m: PolicyMatrix) => ({ ...m, '1': m['1'].map((r) => ({ ...r, respond: 'yes' })) }),
      ],
      [
        'an unknown field in a rule',
        (m: PolicyMatrix) => ({ ...m, '1': m['1'].map((r) => ({ ...r, reply: true })) }),
      ],
    ])('refuses %s (400)', async (_label, mutate) => {
      const w = await world();
      const response = await put(w.adminToken, {
        matrix: mutate(clone(DEFAULT_POLICY_MATRIX)),
        trustLadder: { approvalsToLift: 20 },
      });
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('validation.failed');
    });

    it('a stricter matrix takes effect at once and is audited; agents who may no longer respond hand back their work', async () => {
      const w = await world(1);
      const conversation = await newConversation(suite.db, w.organisation, w.channel, {
        status: 'assigned',
        assigneeId: w.agent.id,
      });
      const matrix = clone(DEFAULT_POLICY_MATRIX);
      matrix['1'].find((r) => r.role === 'agent')!.respond = false; // only leads answer at level 1
      matrix['2'].find((r) => r.role === 'agent')!.approval = true;
      const response = await put(w.adminToken, {
        matrix,
        trustLadder: { approvalsToLift: null },
      }).expect(200);
      expect(response.body).toEqual({
        level: 1,
        rules: matrix['1'],
        matrix,
        trustLadder: { approvalsToLift: null },
      });
      const again = await suite.app
        .http()
        .get('/api/org/policy')
        .set(bearer(await signIn(suite.app, w.teamLead)))
        .expect(200);
      expect(again.body.matrix).toEqual(matrix);
      expect(
        (await suite.db.getRepository(ConversationEntity).findOneByOrFail({ id: conversation.id }))
          .status,
      ).toBe('unassigned');
      const me = await suite.app
        .http()
        .get('/api/me')
        .set(bearer(await signIn(suite.app, w.agent)))
        .expect(200);
      expect(me.body).toMatchObject({ eligible: false, approvalLifted: false });
      await suite.app
        .http()
        .get('/api/conversations')
        .set(bearer(await signIn(suite.app, w.agent)))
        .expect(403);
      const audit = await suite.db
        .getRepository(AuditLogEntity)
        .findBy({ organisationId: w.organisation.id, action: 'org.policy_changed' });
      expect(audit).toHaveLength(1);
      expect(audit[0]!.after).toMatchObject({ trustLadder: { approvalsToLift: null } });
    });
  });
});
