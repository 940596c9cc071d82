import {
  AuditLogEntity,
  ConversationEntity,
  ReplyEntity,
  SessionEntity,
  UserEntity,
} from '@toonbank/database';
import {
  newChannelAccount,
  newConversation,
  newReply,
  newStaffedOrganisation,
  newUser,
  TEST_PASSWORD,
} from '../support/factories';
import { useTestApp } from '../support/suite';
import { bearer, login, signIn } from '../support/test-app';

describe('users and organisation endpoints', () => {
  const suite = useTestApp();

  const auditOf = (subjectId: string, action: string) =>
    suite.db
      .getRepository(AuditLogEntity)
      .find({ where: { subjectId, action: action as never }, order: { at: 'ASC' } });

  describe('POST /api/users', () => {
    it('a taken e-mail address is 409 conflict with details.reason email_taken, as the server knows it', async () => {
      const world = await newStaffedOrganisation(suite.db);
      const token = await signIn(suite.app, world.admin);
      const body = (email: string) => ({
        email,
        name: 'Noor van den Berg',
        role: 'agent',
        password: TEST_PASSWORD,
        languages: ['nl'],
      });
      const again = await suite.app
        .http()
        .post('/api/users')
        .set(bearer(token))
        .send(body(world.agent.email));
      expect([again.status, again.body.code, again.body.details]).toEqual([
        409,
        'conflict',
        { reason: 'email_taken' },
      ]);
    });

    it('creates a user (201 User, lower-case e-mail, default initials, capacity and availability) and audits it', async () => {
      const world = await newStaffedOrganisation(suite.db);
      const token = await signIn(suite.app, world.admin);
      const email = `Nieuw.Lid-${Date.now()}@Example.test`;
      const response = await suite.app
        .http()
        .post('/api/users')
        .set(bearer(token))
        .send({
          email,
          name: 'Noor van den Berg',
          role: 'communications',
          password: TEST_PASSWORD,
          languages: ['nl'],
        })
        .expect(201);
      expect(response.body).toEqual({
        id: expect.any(String),
        email: email.toLowerCase(),
        name: 'Noor van den Berg',
        initials: 'NB',
        role: 'communications',
        active: true,
        trainedAt: null,
        capacity: 10,
        languages: ['nl'],
        available: true,
        eligible: false, // communications may not respond at level 1
        approvalsEarned: 0,
        approvalLifted: false,
      });
      const [entry] = await auditOf(response.body.id, 'user.created');
      expect(entry).toMatchObject({
        actorId: world.admin.id,
        after: { email: email.toLowerCase(), role: 'communications' },
      });
      expect(JSON.stringify(entry)).not.toContain('password');
      await login(suite.app, email, TEST_PASSWORD);
    });

    it('refuses a training date that is not a date, initials that are not letters and unknown languages', async () => {
      const world = await newStaffedOrganisation(suite.db);
      const response = await suite.app
        .http()
        .post('/api/users')
        .set(bearer(await signIn(suite.app, world.admin)))
        .send({
          email: `x-${Date.now()}@x.test`,
          name: 'X',
          role: 'employee',
          password: TEST_PASSWORD,
          trainedAt: 'last week',
          initials: '12',
          languages: ['dutch'],
        })
        .expect(400);
      expect(response.body.details.fields.sort()).toEqual(['initials', 'languages', 'trainedAt']);
    });
  });

  describe('PATCH /api/users/:id', () => {
    it('changes only what is sent and audits the before and after of the changed fields', async () => {
      const world = await newStaffedOrganisation(suite.db);
      const trainedAt = new Date(Date.now() - 10 * 24 * 3600 * 1000).toISOString();
      const response = await suite.app
        .http()
        .patch(`/api/users/${world.employeeUntrained.id}`)
        .set(bearer(await signIn(suite.app, world.admin)))
        .send({ trainedAt, capacity: 4 })
        .expect(200);
      expect(response.body).toMatchObject({
        id: world.employeeUntrained.id,
        trainedAt,
        capacity: 4,
        role: 'employee',
      });
      const [entry] = await auditOf(world.employeeUntrained.id, 'user.updated');
      expect(entry).toMatchObject({
        actorId: world.admin.id,
        before: { trainedAt: null, capacity: 10 },
        after: { trainedAt, capacity: 4 },
      });
    });

    it('changes nothing and audits nothing when nothing differs', async () => {
      const world = await newStaffedOrganisation(suite.db);
      await suite.app
        .http()
        .patch(`/api/users/${world.agent.id}`)
        .set(bearer(await signIn(suite.app, world.admin)))
        .send({ capacity: 10, name: world.agent.name })
        .expect(200);
      expect(await auditOf(world.agent.id, 'user.updated')).toEqual([]);
    });

    it('refuses null for a field that cannot be empty, but null clears the training date', async () => {
      const world = await newStaffedOrganisation(suite.db);
      const token = await signIn(suite.app, world.admin);
      const refused = await suite.app
        .http()
        .patch(`/api/users/${world.agent.id}`)
        .set(bearer(token))
        .send({ name: null });
      expect(refused.status).toBe(400);
      expect(refused.body.details.fields).toEqual(['name']);
      const cleared = await suite.app
        .http()
        .patch(`/api/users/${world.employeeTrained.id}`)
        .set(bearer(token))
        .send({ trainedAt: null })
        .expect(200);
      expect(cleared.body.trainedAt).toBeNull();
    });

    it('deactivating ends the user’s sessions and hands their conversations and pending replies back', async () => {
      const world = await newStaffedOrganisation(suite.db);
      const channel = await newChannelAccount(suite.db, world.organisation);
      const open = await newConversation(suite.db, world.organisation, channel, {
        status: 'assigned',
        assigneeId: world.agent.id,
        assignedAt: new Date(),
      });
      const waiting = await newConversation(suite.db, world.organisation, channel, {
        status: 'waiting',
        assigneeId: world.agent.id,
      });
      const closed = await newConversation(suite.db, world.organisation, channel, {
        status: 'closed',
        assigneeId: world.agent.id,
      });
      const pending = await newReply(suite.db, open, world.agent, { status: 'pending_approval' });
      const sent = await newReply(suite.db, waiting, world.agent, { status: 'sent' });
      const agentSession = await login(suite.app, world.agent.email);

      await suite.app
        .http()
        .patch(`/api/users/${world.agent.id}`)
        .set(bearer(await signIn(suite.app, world.admin)))
        .send({ active: false })
        .expect(200);

      await suite.app.http().get('/api/me').set(bearer(agentSession.accessToken)).expect(401);
      await suite.app
        .http()
        .post('/api/auth/refresh')
        .send({ refreshToken: agentSession.refreshToken })
        .expect(401);
      const sessions = await suite.db
        .getRepository(SessionEntity)
        .findBy({ userId: world.agent.id });
      expect(sessions.every((s) => s.revokedAt !== null)).toBe(true);

      const conversations = await suite.db
        .getRepository(ConversationEntity)
        .findBy({ organisationId: world.organisation.id });
      const byId = Object.fromEntries(conversations.map((c) => [c.id, c]));
      expect(byId[open.id]).toMatchObject({
        status: 'unassigned',
        assigneeId: null,
        previousAssigneeId: world.agent.id,
      });
      expect(byId[waiting.id]).toMatchObject({ status: 'unassigned', assigneeId: null });
      expect(byId[closed.id]).toMatchObject({ status: 'closed', assigneeId: world.agent.id });
      const replies = await suite.db
        .getRepository(ReplyEntity)
        .findBy({ authorId: world.agent.id });
      expect(Object.fromEntries(replies.map((r) => [r.id, r.status]))).toEqual({
        [pending.id]: 'withdrawn',
        [sent.id]: 'sent',
      });
      expect((await auditOf(open.id, 'conversation.unassigned')).map((e) => e.reason)).toEqual([
        'user deactivated',
      ]);
      expect(await auditOf(pending.id, 'reply.withdrawn')).toHaveLength(1);
    });

    it('a role change that ends eligibility hands the conversations back too', async () => {
      const world = await newStaffedOrganisation(suite.db);
      const channel = await newChannelAccount(suite.db, world.organisation);
      const conversation = await newConversation(suite.db, world.organisation, channel, {
        status: 'assigned',
        assigneeId: world.agent.id,
      });
      await suite.app
        .http()
        .patch(`/api/users/${world.agent.id}`)
        .set(bearer(await signIn(suite.app, world.admin)))
        .send({ role: 'employee' })
        .expect(200);
      const stored = await suite.db
        .getRepository(ConversationEntity)
        .findOneByOrFail({ id: conversation.id });
      expect(stored).toMatchObject({ status: 'unassigned', assigneeId: null });
      expect(
        (await auditOf(conversation.id, 'conversation.unassigned')).map((e) => e.reason),
      ).toEqual(['user no longer eligible']);
    });

    it('keeps at least one active admin', async () => {
      const world = await newStaffedOrganisation(suite.db);
      const token = await signIn(suite.app, world.admin);
      const demote = await suite.app
        .http()
        .patch(`/api/users/${world.admin.id}`)
        .set(bearer(token))
        .send({ role: 'agent' });
      expect(demote.status).toBe(409);
      expect(demote.body).toMatchObject({ code: 'conflict', details: { reason: 'last_admin' } });
      const deactivate = await suite.app
        .http()
        .patch(`/api/users/${world.admin.id}`)
        .set(bearer(token))
        .send({ active: false });
      expect(deactivate.status).toBe(409);
      expect(deactivate.body).toMatchObject({
        code: 'conflict',
        details: { reason: 'last_admin' },
      });
      const stored = await suite.db
        .getRepository(UserEntity)
        .findOneByOrFail({ id: world.admin.id });
      expect(stored).toMatchObject({ role: 'admin', active: true });

      const second = await newUser(suite.db, world.organisation, { role: 'admin' });
      await suite.app
        .http()
        .patch(`/api/users/${second.id}`)
        .set(bearer(token))
        .send({ active: false })
        .expect(200);
    });
  });

  describe('GET /api/users/eligible', () => {
    it.each([
      [1, ['admin', 'agent', 'team_lead']],
      [2, ['admin', 'agent', 'communications', 'team_lead']],
      [3, ['admin', 'agent', 'communications', 'employee', 'team_lead']],
    ] as const)('at level %i lists who may respond: %j', async (level, roles) => {
      const world = await newStaffedOrganisation(suite.db, { maturityLevel: level });
      await newUser(suite.db, world.organisation, { role: 'agent', active: false });
      const response = await suite.app
        .http()
        .get('/api/users/eligible')
        .set(bearer(await signIn(suite.app, world.teamLead)))
        .expect(200);
      expect(response.body.nextCursor).toBeNull();
      expect(response.body.items.map((u: { role: string }) => u.role).sort()).toEqual(roles);
      expect(
        response.body.items.every(
          (u: { eligible: boolean; active: boolean }) => u.eligible && u.active,
        ),
      ).toBe(true);
    });

    it('gives each their open conversations (assigned and waiting), the load capacity counts', async () => {
      const world = await newStaffedOrganisation(suite.db, { routingStrategy: 'manual' });
      const channel = await newChannelAccount(suite.db, world.organisation);
      const holding = (status: 'assigned' | 'waiting' | 'closed') =>
        newConversation(suite.db, world.organisation, channel, {
          status,
          assigneeId: world.agent.id,
        });
      await holding('assigned');
      await holding('waiting');
      await holding('closed');
      const other = await newStaffedOrganisation(suite.db, { routingStrategy: 'manual' });
      await newConversation(
        suite.db,
        other.organisation,
        await newChannelAccount(suite.db, other.organisation),
        {
          status: 'assigned',
          assigneeId: other.agent.id,
        },
      );

      const response = await suite.app
        .http()
        .get('/api/users/eligible')
        .set(bearer(await signIn(suite.app, world.teamLead)))
        .expect(200);
      const load = Object.fromEntries(
        response.body.items.map((u: { id: string; openConversations: number }) => [
          u.id,
          u.openConversations,
        ]),
      );
      expect(load[world.agent.id]).toBe(2);
      expect(load[world.teamLead.id]).toBe(0);
    });
  });

  describe('GET and PATCH /api/org', () => {
    it('answers the organisation of API.md', async () => {
      const world = await newStaffedOrganisation(suite.db);
      const response = await suite.app
        .http()
        .get('/api/org')
        .set(bearer(await signIn(suite.app, world.agent)))
        .expect(200);
      expect(response.body).toEqual({
        id: world.organisation.id,
        name: world.organisation.name,
        slug: world.organisation.slug,
        maturityLevel: 1,
        maturityName: 'pioneer',
        routingStrategy: 'least_loaded',
        slaFirstResponseMinutes: 60,
        businessHours: null,
        timeZone: 'Europe/Amsterdam',
        handBackMinutes: 15,
        rawRetentionDays: 90,
      });
    });

    it('updates the settings and audits the change', async () => {
      const world = await newStaffedOrganisation(suite.db);
      const businessHours = {
        mon: [
          ['08:00', '12:00'],
          ['13:00', '20:00'],
        ],
        sat: [['10:00', '16:00']],
      };
      const response = await suite.app
        .http()
        .patch('/api/org')
        .set(bearer(await signIn(suite.app, world.admin)))
        .send({
          routingStrategy: 'round_robin',
          slaFirstResponseMinutes: 30,
          businessHours,
          timeZone: 'Europe/London',
        })
        .expect(200);
      expect(response.body).toMatchObject({
        routingStrategy: 'round_robin',
        slaFirstResponseMinutes: 30,
        businessHours,
        timeZone: 'Europe/London',
        maturityLevel: 1,
      });
      const [entry] = await auditOf(world.organisation.id, 'org.updated');
      expect(entry).toMatchObject({
        actorId: world.admin.id,
        before: {
          routingStrategy: 'least_loaded',
          slaFirstResponseMinutes: 60,
          businessHours: null,
        },
        after: { routingStrategy: 'round_robin', slaFirstResponseMinutes: 30, businessHours },
      });
    });

    it.each([
      ['an unknown routing strategy', { routingStrategy: 'random' }, 'routingStrategy'],
      ['a time zone that does not exist', { timeZone: 'Europe/Atlantis' }, 'timeZone'],
      [
        'business hours that end before they start',
        { businessHours: { mon: [['18:00', '09:00']] } },
        'businessHours',
      ],
      [
        'business hours on a day that is not a weekday',
        { businessHours: { holiday: [['09:00', '17:00']] } },
        'businessHours',
      ],
      [
        'overlapping business hours',
        {
          businessHours: {
            tue: [
              ['09:00', '13:00'],
              ['12:00', '17:00'],
            ],
          },
        },
        'businessHours',
      ],
      ['an SLA of zero minutes', { slaFirstResponseMinutes: 0 }, 'slaFirstResponseMinutes'],
      ['a retention that is not a whole number', { rawRetentionDays: 1.5 }, 'rawRetentionDays'],
      ['the maturity level (it has its own endpoint)', { maturityLevel: 3 }, 'maturityLevel'],
    ])('refuses %s (400, the field named)', async (_label, body, field) => {
      const world = await newStaffedOrganisation(suite.db);
      const response = await suite.app
        .http()
        .patch('/api/org')
        .set(bearer(await signIn(suite.app, world.admin)))
        .send(body);
      expect(response.status).toBe(400);
      expect(response.body.details.fields).toEqual([field]);
    });
  });
});
