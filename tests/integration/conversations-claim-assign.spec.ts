// POST /api/conversations/:id/claim and /assign (SPEC.md §4): who may take or hand out a
// conversation, each with its audit entry.
// Against the real API, PostgreSQL and Redis, with no worker (see conversations-suite.ts).
import { randomUUID } from 'node:crypto';
import { expectError, expectValidation } from '../support/expect-error';
import { conversationsSuite, LIST } from '../support/conversations-suite';

describe('conversations', () => {
  const {
    setup,
    conversation,
    heldBy,
    anotherUser,
    get,
    act,
    stored,
    storedUser,
    auditOf,
    actionsOf,
    setLevel,
  } = conversationsSuite();

  describe('POST /api/conversations/:id/claim', () => {
    it('gives an unassigned conversation to the eligible caller, audited as claimed, and stamps last_assigned_at', async () => {
      const world = await setup();
      const c = await conversation(world);
      const before = Date.now();
      const response = await act(world.tokens.agent, c.id, 'claim').expect(200);
      expect(response.body).toMatchObject({
        id: c.id,
        status: 'assigned',
        assigneeId: world.agent.id,
      });
      const listed = (await get(world.tokens.agent, LIST).expect(200)).body.items[0];
      expect(response.body).toEqual(listed);
      expect(await stored(c.id)).toMatchObject({ status: 'assigned', assigneeId: world.agent.id });

      const entries = await auditOf(c.id);
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({
        organisationId: world.organisation.id,
        actorId: world.agent.id,
        action: 'conversation.assigned',
        subjectType: 'conversation',
        reason: 'claimed',
        before: { assigneeId: null, status: 'unassigned' },
        after: { assigneeId: world.agent.id, status: 'assigned' },
      });
      const agent = await storedUser(world.agent.id);
      expect(agent.lastAssignedAt).not.toBeNull();
      expect(agent.lastAssignedAt!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    });

    it('team leads and admins may claim too', async () => {
      const world = await setup();
      const [one, two] = await Promise.all([conversation(world), conversation(world)]);
      expect((await act(world.tokens.lead, one.id, 'claim').expect(200)).body.assigneeId).toBe(
        world.teamLead.id,
      );
      expect((await act(world.tokens.admin, two.id, 'claim').expect(200)).body.assigneeId).toBe(
        world.admin.id,
      );
    });

    it('refuses an assigned, waiting or closed conversation with 409 conflict and changes nothing', async () => {
      const world = await setup();
      const { user: agent2, token } = await anotherUser(world);
      const cases = await Promise.all([
        heldBy(world, world.agent),
        heldBy(world, world.agent, { status: 'waiting' }),
        heldBy(world, world.agent, { status: 'closed' }),
        conversation(world, { status: 'closed' }),
      ]);
      for (const c of cases) {
        expectError(await act(token, c.id, 'claim'), 409, 'conflict');
        expect(await stored(c.id)).toMatchObject({ status: c.status, assigneeId: c.assigneeId });
        expect(await auditOf(c.id)).toEqual([]);
      }
      // Also the one who holds it cannot claim it again.
      expectError(await act(world.tokens.agent, cases[0].id, 'claim'), 409, 'conflict');
      expect((await storedUser(agent2.id)).lastAssignedAt).toBeNull();
    });

    it('lets exactly one of two agents claiming at the same time win', async () => {
      const world = await setup();
      const { user: agent2, token: token2 } = await anotherUser(world);
      for (let round = 0; round < 3; round += 1) {
        const c = await conversation(world);
        const [first, second] = await Promise.all([
          act(world.tokens.agent, c.id, 'claim'),
          act(token2, c.id, 'claim'),
        ]);
        expect([first.status, second.status].sort()).toEqual([200, 409]);
        const winner = first.status === 200 ? world.agent.id : agent2.id;
        const loser = first.status === 200 ? second : first;
        expect(loser.body.code).toBe('conflict');
        expect(await stored(c.id)).toMatchObject({ status: 'assigned', assigneeId: winner });
        expect(await actionsOf(c.id)).toEqual(['conversation.assigned']);
      }
    });

    it('refuses an ineligible user with 403 policy.not_eligible, even for an unassigned conversation', async () => {
      const world = await setup();
      const unassigned = await conversation(world);
      const assigned = await heldBy(world, world.agent);
      for (const token of [world.tokens.comms, world.tokens.trained, world.tokens.untrained]) {
        for (const c of [unassigned, assigned]) {
          expectError(await act(token, c.id, 'claim'), 403, 'policy.not_eligible');
        }
      }
      expect(await stored(unassigned.id)).toMatchObject({ status: 'unassigned', assigneeId: null });
      expect(await auditOf(unassigned.id)).toEqual([]);

      // At level 2 the communications officer may.
      await setLevel(world, 2);
      const response = await act(world.tokens.comms, unassigned.id, 'claim').expect(200);
      expect(response.body.assigneeId).toBe(world.communications.id);
    });

    it('ignores capacity: an agent with capacity 0, or already at capacity, may claim', async () => {
      const world = await setup();
      const { user: none, token: noneToken } = await anotherUser(world, { capacity: 0 });
      const { user: full, token: fullToken } = await anotherUser(world, { capacity: 1 });
      await heldBy(world, full);
      const [a, b] = await Promise.all([conversation(world), conversation(world)]);
      expect((await act(noneToken, a.id, 'claim').expect(200)).body.assigneeId).toBe(none.id);
      expect((await act(fullToken, b.id, 'claim').expect(200)).body.assigneeId).toBe(full.id);
    });

    it("answers 404 for another organisation's conversation, an unknown id and a non-UUID id", async () => {
      const world = await setup();
      const other = await setup();
      const theirs = await conversation(other);
      for (const id of [theirs.id, randomUUID(), 'nope']) {
        expectError(await act(world.tokens.agent, id, 'claim'), 404, 'not_found');
      }
      expect(await stored(theirs.id)).toMatchObject({ status: 'unassigned', assigneeId: null });
    });
  });

  // ---------------------------------------------------------------------------------------------
  describe('POST /api/conversations/:id/assign', () => {
    it('a team lead assigns to an eligible agent: 200 assigned, audited, last_assigned_at stamped', async () => {
      const world = await setup();
      const c = await conversation(world);
      const response = await act(world.tokens.lead, c.id, 'assign', {
        userId: world.agent.id,
      }).expect(200);
      expect(response.body).toMatchObject({
        id: c.id,
        status: 'assigned',
        assigneeId: world.agent.id,
      });
      expect(await stored(c.id)).toMatchObject({ status: 'assigned', assigneeId: world.agent.id });
      const entries = await auditOf(c.id);
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({
        actorId: world.teamLead.id,
        action: 'conversation.assigned',
        before: { assigneeId: null, status: 'unassigned' },
        after: { assigneeId: world.agent.id, status: 'assigned' },
      });
      expect((await storedUser(world.agent.id)).lastAssignedAt).not.toBeNull();
    });

    it('an admin reassigns from one agent to another; the audit keeps before and after', async () => {
      const world = await setup();
      const { user: agent2 } = await anotherUser(world);
      const c = await heldBy(world, world.agent);
      const response = await act(world.tokens.admin, c.id, 'assign', {
        userId: agent2.id,
      }).expect(200);
      expect(response.body).toMatchObject({ status: 'assigned', assigneeId: agent2.id });
      const [entry] = await auditOf(c.id);
      expect(entry).toMatchObject({
        actorId: world.admin.id,
        action: 'conversation.assigned',
        before: { assigneeId: world.agent.id, status: 'assigned' },
        after: { assigneeId: agent2.id, status: 'assigned' },
      });
    });

    it('assigns to an unavailable but eligible agent, to a team lead, and at level 2 to a communications officer', async () => {
      const world = await setup();
      const { user: away } = await anotherUser(world, { available: false });
      const [a, b, c] = await Promise.all([
        conversation(world),
        conversation(world),
        conversation(world),
      ]);
      expect(
        (await act(world.tokens.lead, a.id, 'assign', { userId: away.id }).expect(200)).body,
      ).toMatchObject({ status: 'assigned', assigneeId: away.id });
      expect(
        (await act(world.tokens.lead, b.id, 'assign', { userId: world.teamLead.id }).expect(200))
          .body.assigneeId,
      ).toBe(world.teamLead.id);
      await setLevel(world, 2);
      expect(
        (
          await act(world.tokens.lead, c.id, 'assign', {
            userId: world.communications.id,
          }).expect(200)
        ).body.assigneeId,
      ).toBe(world.communications.id);
    });

    it('refuses an ineligible, inactive, unknown or other-organisation target with 422 assignment.not_eligible', async () => {
      const world = await setup();
      const other = await setup();
      const { user: inactive } = await anotherUser(world, { active: false });
      const c = await conversation(world);
      const held = await heldBy(world, world.agent);
      const targets = {
        'communications at level 1': world.communications.id,
        'trained employee at level 1': world.employeeTrained.id,
        'untrained employee': world.employeeUntrained.id,
        inactive: inactive.id,
        unknown: randomUUID(),
        'another organisation’s agent': other.agent.id,
      };
      for (const [what, userId] of Object.entries(targets)) {
        for (const target of [c, held]) {
          const response = await act(world.tokens.lead, target.id, 'assign', { userId });
          expect({ what, status: response.status, code: response.body.code }).toEqual({
            what,
            status: 422,
            code: 'assignment.not_eligible',
          });
        }
      }
      expect(await stored(c.id)).toMatchObject({ status: 'unassigned', assigneeId: null });
      expect(await stored(held.id)).toMatchObject({
        status: 'assigned',
        assigneeId: world.agent.id,
      });
      expect(await auditOf(c.id)).toEqual([]);
      expect(await auditOf(held.id)).toEqual([]);
    });

    it('assigning to the current assignee answers 200 and changes nothing (no audit entry)', async () => {
      const world = await setup();
      const c = await conversation(world);
      const first = await act(world.tokens.lead, c.id, 'assign', {
        userId: world.agent.id,
      }).expect(200);
      const again = await act(world.tokens.lead, c.id, 'assign', {
        userId: world.agent.id,
      }).expect(200);
      expect(again.body).toEqual(first.body);
      expect(await actionsOf(c.id)).toEqual(['conversation.assigned']);
    });

    it('refuses a closed conversation with 409, also when the target is ineligible (409 before 422)', async () => {
      const world = await setup();
      const closed = await heldBy(world, world.agent, { status: 'closed' });
      expectError(
        await act(world.tokens.lead, closed.id, 'assign', { userId: world.agent.id }),
        409,
        'conflict',
      );
      expectError(
        await act(world.tokens.lead, closed.id, 'assign', { userId: world.communications.id }),
        409,
        'conflict',
      );
      expectError(
        await act(world.tokens.lead, closed.id, 'assign', { userId: randomUUID() }),
        409,
        'conflict',
      );
      expect(await stored(closed.id)).toMatchObject({
        status: 'closed',
        assigneeId: world.agent.id,
      });
      expect(await auditOf(closed.id)).toEqual([]);
    });

    it('refuses anyone but team leads and admins with 403 policy.forbidden (before 400 and 404)', async () => {
      const world = await setup();
      const c = await conversation(world);
      for (const token of [world.tokens.agent, world.tokens.comms, world.tokens.untrained]) {
        expectError(
          await act(token, c.id, 'assign', { userId: world.agent.id }),
          403,
          'policy.forbidden',
        );
        expectError(await act(token, randomUUID(), 'assign', {}), 403, 'policy.forbidden');
      }
      expect(await stored(c.id)).toMatchObject({ status: 'unassigned', assigneeId: null });
    });

    it('validates the body (400 naming userId) before looking the conversation up (404), and 404 before 422', async () => {
      const world = await setup();
      const other = await setup();
      const c = await conversation(world);
      const theirs = await conversation(other);
      const lead = world.tokens.lead;
      expectValidation(await act(lead, c.id, 'assign', {}), 'userId');
      expectValidation(await act(lead, c.id, 'assign', { userId: 'someone' }), 'userId');
      expectValidation(await act(lead, randomUUID(), 'assign', {}), 'userId');
      expectValidation(await act(lead, 'not-a-uuid', 'assign', { userId: 42 }), 'userId');
      expectError(
        await act(lead, c.id, 'assign', { userId: world.agent.id, force: true }),
        400,
        'validation.failed',
      );
      for (const id of [theirs.id, randomUUID(), 'not-a-uuid']) {
        expectError(await act(lead, id, 'assign', { userId: world.agent.id }), 404, 'not_found');
        expectError(
          await act(lead, id, 'assign', { userId: world.communications.id }),
          404,
          'not_found',
        );
      }
      expect(await stored(theirs.id)).toMatchObject({ status: 'unassigned', assigneeId: null });
    });

    it('reassigning a waiting conversation keeps it waiting', async () => {
      const world = await setup();
      const { user: agent2 } = await anotherUser(world);
      const c = await heldBy(world, world.agent, { status: 'waiting' });
      const response = await act(world.tokens.lead, c.id, 'assign', {
        userId: agent2.id,
      }).expect(200);
      expect(response.body).toMatchObject({ status: 'waiting', assigneeId: agent2.id });
      expect(await stored(c.id)).toMatchObject({ status: 'waiting', assigneeId: agent2.id });
      const [entry] = await auditOf(c.id);
      expect(entry.after).toEqual({ assigneeId: agent2.id, status: 'waiting' });
    });
  });
});
