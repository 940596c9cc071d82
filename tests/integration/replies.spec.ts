// Replies (API.md §Replies, SPEC.md §2, §5, §6): each step of the judgement with its exact
// status and code, in the contract's order; approval at each maturity level, the four-eyes
// rule, the trust ladder and withdrawal; the outbound job handed over with the reply id as
// its id. Against the real API, PostgreSQL and Redis; no worker runs here (see outbound.spec).
import { getQueueToken } from '@nestjs/bullmq';
import {
  AuditLogEntity,
  ConversationEntity,
  OrganisationEntity,
  ReplyEntity,
  UserEntity,
  type ChannelAccountEntity,
  type ConversationEntity as Conversation,
  type UserEntity as User,
} from '@toonbank/database';
import { QueueName, type MaturityLevel, type ReplyDto } from '@toonbank/shared';
import type { Queue } from 'bullmq';
import {
  newAnsweredConversation,
  newChannelAccount,
  newConversation,
  newReply,
  newStaffedOrganisation,
  newTemplate,
} from '../support/factories';
import { connectInbox } from '../support/socket-client';
import { useTestApp } from '../support/suite';
import { bearer, signIn } from '../support/test-app';

const CLEAN = 'Dank voor uw bericht. Wij kijken het direct voor u na. ^AB';

describe('replies', () => {
  const suite = useTestApp({ sockets: 'per-test' });
  let outbound: Queue;

  beforeAll(() => {
    outbound = suite.app.app.get<Queue>(getQueueToken(QueueName.Outbound));
  });

  const world = async (level: MaturityLevel = 1, overrides: Partial<OrganisationEntity> = {}) => {
    const staffed = await newStaffedOrganisation(suite.db, { maturityLevel: level, ...overrides });
    const channel = await newChannelAccount(suite.db, staffed.organisation);
    const token = (user: User) => signIn(suite.app, user);
    return {
      ...staffed,
      channel,
      tokens: {
        admin: await token(staffed.admin),
        lead: await token(staffed.teamLead),
        agent: await token(staffed.agent),
        comms: await token(staffed.communications),
        trained: await token(staffed.employeeTrained),
      },
    };
  };
  type World = Awaited<ReturnType<typeof world>>;
  const heldBy = (
    w: World,
    user: User,
    channel: ChannelAccountEntity = w.channel,
    overrides: Partial<Conversation> = {},
  ) =>
    newAnsweredConversation(suite.db, w.organisation, channel, {
      status: 'assigned',
      assigneeId: user.id,
      ...overrides,
    });
  const reply = (token: string, conversationId: string, body: object) =>
    suite.app
      .http()
      .post(`/api/conversations/${conversationId}/replies`)
      .set(bearer(token))
      .send(body);
  const expectError = async (call: ReturnType<typeof reply>, status: number, code: string) => {
    const response = await call;
    expect({ status: response.status, code: response.body.code }).toEqual({ status, code });
    return response;
  };
  const repliesOf = (conversationId: string) =>
    suite.db.getRepository(ReplyEntity).findBy({ conversationId });

  describe('the judgement, step by step', () => {
    it('400: text and templateId together, neither, or variables without a template', async () => {
      const w = await world(2);
      const conversation = await heldBy(w, w.agent);
      const template = await newTemplate(suite.db, w.organisation);
      await expectError(
        reply(w.tokens.agent, conversation.id, { text: CLEAN, templateId: template.id }),
        400,
        'validation.failed',
      );
      await expectError(reply(w.tokens.agent, conversation.id, {}), 400, 'validation.failed');
      await expectError(
        reply(w.tokens.agent, conversation.id, { text: CLEAN, variables: { a: 'b' } }),
        400,
        'validation.failed',
      );
      await expectError(
        reply(w.tokens.agent, conversation.id, { text: '   ' }),
        400,
        'validation.failed',
      );
      await expectError(
        reply(w.tokens.agent, conversation.id, { text: CLEAN, cc: 'x' }),
        400,
        'validation.failed',
      );
      expect(await repliesOf(conversation.id)).toEqual([]);
    });

    it('403 policy.forbidden: an override reason from anyone but a team lead or admin', async () => {
      const w = await world(2);
      const conversation = await heldBy(w, w.agent);
      await expectError(
        reply(w.tokens.agent, conversation.id, {
          text: CLEAN,
          overrideReason: 'ik weet het beter',
        }),
        403,
        'policy.forbidden',
      );
    });

    it('404: a conversation or template that does not exist for the caller', async () => {
      const w = await world(2);
      const other = await world(2);
      const foreign = await heldBy(other, other.agent);
      await expectError(reply(w.tokens.lead, foreign.id, { text: CLEAN }), 404, 'not_found');
      await expectError(reply(w.tokens.lead, 'not-a-uuid', { text: CLEAN }), 404, 'not_found');
      const conversation = await heldBy(w, w.agent);
      const foreignTemplate = await newTemplate(suite.db, other.organisation);
      await expectError(
        reply(w.tokens.agent, conversation.id, { templateId: foreignTemplate.id }),
        404,
        'not_found',
      );
      const deleted = await newTemplate(suite.db, w.organisation, { deletedAt: new Date() });
      await expectError(
        reply(w.tokens.agent, conversation.id, { templateId: deleted.id }),
        404,
        'not_found',
      );
    });

    it('403 policy.forbidden: an agent who does not hold the conversation; team leads and admins may', async () => {
      const w = await world(2);
      const colleague = await heldBy(w, w.communications);
      await expectError(
        reply(w.tokens.agent, colleague.id, { text: CLEAN }),
        403,
        'policy.forbidden',
      );
      const unassigned = await newAnsweredConversation(suite.db, w.organisation, w.channel);
      await expectError(
        reply(w.tokens.agent, unassigned.id, { text: CLEAN }),
        403,
        'policy.forbidden',
      );
      const byLead = await reply(w.tokens.lead, colleague.id, { text: CLEAN });
      expect(byLead.status).toBe(201);
    });

    it('403 policy.not_eligible: communications at the pioneer level, untrained employees at every level', async () => {
      const w = await world(1);
      const conversation = await heldBy(w, w.communications);
      await expectError(
        reply(w.tokens.comms, conversation.id, { text: CLEAN }),
        403,
        'policy.not_eligible',
      );
      const untrained = await signIn(suite.app, w.employeeUntrained);
      await suite.db
        .getRepository(OrganisationEntity)
        .update({ id: w.organisation.id }, { maturityLevel: 3 });
      await expectError(
        reply(untrained, conversation.id, { text: CLEAN }),
        403,
        'policy.not_eligible',
      );
    });

    it('403 policy.template_required: free text from an agent at the pioneer level; a template passes', async () => {
      const w = await world(1);
      const conversation = await heldBy(w, w.agent);
      await expectError(
        reply(w.tokens.agent, conversation.id, { text: CLEAN }),
        403,
        'policy.template_required',
      );
      const template = await newTemplate(suite.db, w.organisation, {
        body: 'Beste {{customer.name}}, dank voor uw bericht over {{conversation.reference}}. ^{{agent.initials}}',
      });
      const response = await reply(w.tokens.agent, conversation.id, { templateId: template.id });
      expect(response.status).toBe(201);
      const reference = `${w.organisation.slug.toUpperCase()}-${conversation.number}`;
      expect(response.body).toMatchObject({
        status: 'queued',
        templateId: template.id,
        text: `Beste Klant, dank voor uw bericht over ${reference}. ^${w.agent.initials}`,
      });
    });

    it('400 on the variables: only the template’s input slots, each filled, and at the pioneer level short and on one line', async () => {
      const w = await world(1);
      const conversation = await heldBy(w, w.agent);
      const template = await newTemplate(suite.db, w.organisation, {
        body: 'Uw order {{input.order}} wordt morgen bezorgd. ^{{agent.initials}}',
      });
      const send = (variables: object) =>
        reply(w.tokens.agent, conversation.id, { templateId: template.id, variables });
      await expectError(send({}), 400, 'validation.failed');
      await expectError(send({ order: '123', extra: 'x' }), 400, 'validation.failed');
      await expectError(send({ 'customer.name': 'Piet' }), 400, 'validation.failed');
      await expectError(send({ order: 'x'.repeat(41) }), 400, 'validation.failed');
      await expectError(send({ order: '123\n456' }), 400, 'validation.failed');
      await expectError(send({ order: 42 }), 400, 'validation.failed');
      const inherited = await newTemplate(suite.db, w.organisation, {
        body: 'Uw order {{input.toString}} komt eraan. ^{{agent.initials}}',
      });
      await expectError(
        reply(w.tokens.agent, conversation.id, { templateId: inherited.id, variables: {} }),
        400,
        'validation.failed',
      );
      const ok = await send({ order: 'x'.repeat(40) });
      expect(ok.status).toBe(201);
      expect(ok.body.text).toContain(`order ${'x'.repeat(40)} wordt`);
      await suite.db
        .getRepository(OrganisationEntity)
        .update({ id: w.organisation.id }, { maturityLevel: 2 });
      expect(
        (await send({ order: 'ordernummer 1234567890 van 12 november 2026, twee pakketten' }))
          .status,
      ).toBe(201);
    });

    it('400: a private reply where the channel has no direct messages', async () => {
      const w = await world(2);
      const bluesky = await newChannelAccount(suite.db, w.organisation, { provider: 'bluesky' });
      const conversation = await heldBy(w, w.agent, bluesky);
      await expectError(
        reply(w.tokens.agent, conversation.id, { text: CLEAN, private: true }),
        400,
        'validation.failed',
      );
      const mastodon = await heldBy(w, w.agent);
      const direct = await reply(w.tokens.agent, mastodon.id, {
        text: 'Wilt u uw klantnummer sturen via 06-12345678? ^AB',
        private: true,
      });
      expect(direct.status).toBe(201);
      expect(direct.body.private).toBe(true);
    });

    it('409: a closed conversation', async () => {
      const w = await world(2);
      const conversation = await heldBy(w, w.agent, w.channel, { status: 'closed' });
      await expectError(reply(w.tokens.agent, conversation.id, { text: CLEAN }), 409, 'conflict');
    });

    it('422 tone.violations with the findings; warnings ride along on the reply', async () => {
      const w = await world(2);
      const conversation = await heldBy(w, w.agent);
      const refused = await expectError(
        reply(w.tokens.agent, conversation.id, { text: 'Kunt u je klantnummer sturen? ^AB' }),
        422,
        'tone.violations',
      );
      expect(refused.body.details.findings).toEqual([
        expect.objectContaining({ ruleId: 'address.mixed', severity: 'error' }),
      ]);
      const warned = await reply(w.tokens.agent, conversation.id, {
        text: 'Dank voor uw bericht, wij kijken het na.',
      });
      expect(warned.status).toBe(201);
      expect(warned.body.toneFindings).toEqual([
        expect.objectContaining({ ruleId: 'signoff.missing', severity: 'warning' }),
      ]);
      expect(await repliesOf(conversation.id)).toHaveLength(1);
    });

    it('a team lead overrides tone errors with a reason: sent on, the reason audited', async () => {
      const w = await world(2);
      const conversation = await heldBy(w, w.agent);
      const text = 'Kunt u je klantnummer sturen? ^AB';
      const response = await reply(w.tokens.lead, conversation.id, {
        text,
        overrideReason: 'Klant schreef zelf zo, bewust',
      });
      expect(response.status).toBe(201);
      expect(response.body.status).toBe('queued');
      expect(response.body.toneFindings.map((f: { ruleId: string }) => f.ruleId)).toContain(
        'address.mixed',
      );
      const [audit] = await suite.db
        .getRepository(AuditLogEntity)
        .findBy({ subjectId: response.body.id, action: 'reply.tone_overridden' });
      expect(audit).toMatchObject({
        actorId: w.teamLead.id,
        reason: 'Klant schreef zelf zo, bewust',
      });
    });
  });

  describe('approval', () => {
    it.each([
      [1, 'agent', 'template', 'queued'],
      [2, 'agent', 'text', 'queued'],
      [2, 'comms', 'text', 'pending_approval'],
      [3, 'comms', 'text', 'queued'],
      [3, 'trained', 'text', 'pending_approval'],
      [1, 'lead', 'text', 'queued'],
      [1, 'admin', 'text', 'queued'],
    ] as const)('at level %i a reply by %s (%s) is %s', async (level, who, kind, status) => {
      const w = await world(level);
      const author = {
        agent: w.agent,
        comms: w.communications,
        trained: w.employeeTrained,
        lead: w.teamLead,
        admin: w.admin,
      }[who];
      const token = {
        agent: w.tokens.agent,
        comms: w.tokens.comms,
        trained: w.tokens.trained,
        lead: w.tokens.lead,
        admin: w.tokens.admin,
      }[who];
      const conversation = await heldBy(w, author);
      const body =
        kind === 'template'
          ? { templateId: (await newTemplate(suite.db, w.organisation)).id }
          : { text: CLEAN };
      const response = await reply(token, conversation.id, body);
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({
        status,
        authorId: author.id,
        conversationId: conversation.id,
      });
      const job = await outbound.getJob(response.body.id);
      expect(job ? job.data : null).toEqual(
        status === 'queued'
          ? { organisationId: w.organisation.id, replyId: response.body.id }
          : null,
      );
    });

    it('a pending reply tells the team leads; approval queues it and climbs the trust ladder', async () => {
      const w = await world(2);
      const lead = await connectInbox(suite.app, w.tokens.lead);
      const conversation = await heldBy(w, w.communications);
      const created = (await reply(w.tokens.comms, conversation.id, { text: CLEAN }).expect(201))
        .body as ReplyDto;
      expect(await lead.nextEvent('notification')).toEqual({
        type: 'approval_needed',
        conversationId: conversation.id,
        replyId: created.id,
        text: expect.stringContaining('Dank voor uw bericht'),
        actorName: w.communications.name,
        quote: expect.stringContaining('Dank voor uw bericht'),
      });
      const queue = await suite.app
        .http()
        .get('/api/replies?status=pending_approval')
        .set(bearer(w.tokens.lead))
        .expect(200);
      expect(queue.body.items.map((r: ReplyDto) => r.id)).toEqual([created.id]);
      const approved = await suite.app
        .http()
        .post(`/api/replies/${created.id}/approve`)
        .set(bearer(w.tokens.lead))
        .expect(200);
      expect(approved.body).toMatchObject({ status: 'queued', approvedBy: w.teamLead.id });
      expect((await outbound.getJob(created.id))?.data).toEqual({
        organisationId: w.organisation.id,
        replyId: created.id,
      });
      expect(
        (await suite.db.getRepository(UserEntity).findOneByOrFail({ id: w.communications.id }))
          .approvalsEarned,
      ).toBe(1);
      const again = await suite.app
        .http()
        .post(`/api/replies/${created.id}/approve`)
        .set(bearer(w.tokens.admin));
      expect([again.status, again.body.code]).toEqual([409, 'conflict']);
    });

    it('never one’s own reply (403), and not on a closed conversation (409)', async () => {
      const w = await world(2);
      const conversation = await heldBy(w, w.teamLead);
      const own = await newReply(suite.db, conversation, w.teamLead);
      await expectError(
        suite.app.http().post(`/api/replies/${own.id}/approve`).set(bearer(w.tokens.lead)),
        403,
        'policy.forbidden',
      );
      await expectError(
        suite.app
          .http()
          .post(`/api/replies/${own.id}/reject`)
          .set(bearer(w.tokens.lead))
          .send({ comment: 'nee' }),
        403,
        'policy.forbidden',
      );
      await suite.db
        .getRepository(ConversationEntity)
        .update({ id: conversation.id }, { status: 'closed' });
      await expectError(
        suite.app.http().post(`/api/replies/${own.id}/approve`).set(bearer(w.tokens.admin)),
        409,
        'conflict',
      );
    });

    it('a rejection needs a comment, resets the ladder and tells the author', async () => {
      const w = await world(2);
      await suite.db
        .getRepository(UserEntity)
        .update({ id: w.communications.id }, { approvalsEarned: 7 });
      const author = await connectInbox(suite.app, w.tokens.comms);
      const conversation = await heldBy(w, w.communications);
      const pending = await newReply(suite.db, conversation, w.communications);
      await expectError(
        suite.app
          .http()
          .post(`/api/replies/${pending.id}/reject`)
          .set(bearer(w.tokens.lead))
          .send({}),
        400,
        'validation.failed',
      );
      const rejected = await suite.app
        .http()
        .post(`/api/replies/${pending.id}/reject`)
        .set(bearer(w.tokens.lead))
        .send({ comment: 'Noem het klantnummer niet publiek.' })
        .expect(200);
      expect(rejected.body).toMatchObject({
        status: 'rejected',
        rejectionComment: 'Noem het klantnummer niet publiek.',
      });
      expect(await author.nextEvent('notification')).toMatchObject({
        type: 'reply_rejected',
        replyId: pending.id,
        actorName: w.teamLead.name,
        quote: 'Noem het klantnummer niet publiek.',
      });
      expect(await author.nextEvent('user.updated')).toMatchObject({
        id: w.communications.id,
        approvalsEarned: 0,
      });
      expect(
        (await suite.db.getRepository(UserEntity).findOneByOrFail({ id: w.communications.id }))
          .approvalsEarned,
      ).toBe(0);
      expect(await outbound.getJob(pending.id)).toBeUndefined();
    });

    it('the trust ladder lifts approval after N approvals in a row', async () => {
      const w = await world(2, { approvalsToLift: 2 });
      const conversation = await heldBy(w, w.communications);
      for (let i = 0; i < 2; i += 1) {
        const pending = (await reply(w.tokens.comms, conversation.id, { text: CLEAN }).expect(201))
          .body as ReplyDto;
        expect(pending.status).toBe('pending_approval');
        await suite.app
          .http()
          .post(`/api/replies/${pending.id}/approve`)
          .set(bearer(w.tokens.lead))
          .expect(200);
      }
      const lifted = await reply(w.tokens.comms, conversation.id, { text: CLEAN }).expect(201);
      expect(lifted.body.status).toBe('queued');
    });

    it('lowering the maturity level withdraws pending replies of those who lose the right, live', async () => {
      const w = await world(2);
      const lead = await connectInbox(suite.app, w.tokens.lead);
      const conversation = await heldBy(w, w.communications);
      const pending = (await reply(w.tokens.comms, conversation.id, { text: CLEAN }).expect(201))
        .body as ReplyDto;
      await suite.app
        .http()
        .put('/api/org/maturity')
        .set(bearer(w.tokens.admin))
        .send({ level: 1, reason: 'terug naar pionier' })
        .expect(200);
      expect(
        (await suite.db.getRepository(ReplyEntity).findOneByOrFail({ id: pending.id })).status,
      ).toBe('withdrawn');
      await expect(lead.nextEvent('reply.updated')).resolves.toBeDefined();
      expect(lead.payloadsOf('reply.updated')).toContainEqual(
        expect.objectContaining({ id: pending.id, status: 'withdrawn' }),
      );
      await expectError(
        suite.app.http().post(`/api/replies/${pending.id}/approve`).set(bearer(w.tokens.lead)),
        409,
        'conflict',
      );
    });
  });

  describe('reading', () => {
    it('a conversation’s replies oldest first, one reply by id, the queue newest first with paging', async () => {
      const w = await world(2);
      const conversation = await heldBy(w, w.communications);
      const ids: string[] = [];
      for (let i = 0; i < 3; i += 1) {
        ids.push(
          (
            (await reply(w.tokens.comms, conversation.id, { text: CLEAN }).expect(201))
              .body as ReplyDto
          ).id,
        );
      }
      const list = await suite.app
        .http()
        .get(`/api/conversations/${conversation.id}/replies`)
        .set(bearer(w.tokens.agent))
        .expect(200);
      expect(list.body.items.map((r: ReplyDto) => r.id)).toEqual(ids);
      const one = await suite.app
        .http()
        .get(`/api/replies/${ids[1]}`)
        .set(bearer(w.tokens.agent))
        .expect(200);
      expect(one.body).toEqual(list.body.items[1]);
      const page1 = await suite.app
        .http()
        .get('/api/replies?status=pending_approval&limit=2')
        .set(bearer(w.tokens.lead))
        .expect(200);
      expect(page1.body.items.map((r: ReplyDto) => r.id)).toEqual([ids[2], ids[1]]);
      const page2 = await suite.app
        .http()
        .get(
          `/api/replies?status=pending_approval&limit=2&cursor=${encodeURIComponent(page1.body.nextCursor)}`,
        )
        .set(bearer(w.tokens.lead))
        .expect(200);
      expect(page2.body).toEqual({
        items: [expect.objectContaining({ id: ids[0] })],
        nextCursor: null,
      });
      expect(
        (await suite.app.http().get('/api/replies?status=sent').set(bearer(w.tokens.lead))).body
          .items,
      ).toEqual([]);
      expect(
        (await suite.app.http().get('/api/replies?status=bogus').set(bearer(w.tokens.lead))).status,
      ).toBe(400);
      const other = await world(2);
      expect(
        (await suite.app.http().get(`/api/replies/${ids[0]}`).set(bearer(other.tokens.lead)))
          .status,
      ).toBe(404);
      expect(
        (
          await suite.app
            .http()
            .get(`/api/conversations/${conversation.id}/replies`)
            .set(bearer(other.tokens.lead))
        ).status,
      ).toBe(404);
      const unrelated = await newConversation(suite.db, w.organisation, w.channel);
      expect(
        (
          await suite.app
            .http()
            .get(`/api/conversations/${unrelated.id}/replies`)
            .set(bearer(w.tokens.lead))
        ).body,
      ).toEqual({
        items: [],
        nextCursor: null,
      });
    });
  });
});
