// POST /api/conversations/:id/unassign, /close and /reopen (SPEC.md §4): who may, from
// which states, each with its audit entry.
// Against the real API, PostgreSQL and Redis, with no worker (see conversations-suite.ts).
import { randomUUID } from 'node:crypto';
import { UserEntity } from '@toonbank/database';
import { expectError } from '../support/expect-error';
import { conversationsSuite } from '../support/conversations-suite';

describe('conversations', () => {
  const { suite, setup, conversation, heldBy, anotherUser, act, stored, auditOf, actionsOf } =
    conversationsSuite();

  describe('unassign, close and reopen', () => {
    it('the assignee unassigns: unassigned, assignee null, audited', async () => {
      const world = await setup();
      const c = await heldBy(world, world.agent);
      const response = await act(world.tokens.agent, c.id, 'unassign').expect(200);
      expect(response.body).toMatchObject({ id: c.id, status: 'unassigned', assigneeId: null });
      expect(await stored(c.id)).toMatchObject({
        status: 'unassigned',
        assigneeId: null,
        previousAssigneeId: world.agent.id,
      });
      const [entry] = await auditOf(c.id);
      expect(entry).toMatchObject({
        actorId: world.agent.id,
        action: 'conversation.unassigned',
        before: { assigneeId: world.agent.id, status: 'assigned' },
        after: { assigneeId: null, status: 'unassigned' },
      });
    });

    it('a team lead unassigns anyone’s conversation, waiting ones too', async () => {
      const world = await setup();
      const assigned = await heldBy(world, world.agent);
      const waiting = await heldBy(world, world.agent, { status: 'waiting' });
      for (const c of [assigned, waiting]) {
        const response = await act(world.tokens.lead, c.id, 'unassign').expect(200);
        expect(response.body).toMatchObject({ status: 'unassigned', assigneeId: null });
        expect(await actionsOf(c.id)).toEqual(['conversation.unassigned']);
      }
    });

    it('unassigning an unassigned conversation is 409', async () => {
      const world = await setup();
      const c = await conversation(world);
      expectError(await act(world.tokens.lead, c.id, 'unassign'), 409, 'conflict');
      expectError(await act(world.tokens.admin, c.id, 'unassign'), 409, 'conflict');
      expect(await auditOf(c.id)).toEqual([]);
    });

    it('another agent gets 403 policy.forbidden on unassign, close and reopen; nothing changes', async () => {
      const world = await setup();
      const { token: otherAgent } = await anotherUser(world);
      const open = await heldBy(world, world.agent);
      const closed = await heldBy(world, world.agent, { status: 'closed' });
      const queued = await conversation(world);
      const attempts: [string, string][] = [
        [open.id, 'unassign'],
        [open.id, 'close'],
        [closed.id, 'reopen'],
        [queued.id, 'close'],
        [queued.id, 'unassign'],
      ];
      for (const [id, action] of attempts) {
        const response = await act(otherAgent, id, action);
        expect({ action, status: response.status, code: response.body.code }).toEqual({
          action,
          status: 403,
          code: 'policy.forbidden',
        });
      }
      expect(await stored(open.id)).toMatchObject({
        status: 'assigned',
        assigneeId: world.agent.id,
      });
      expect(await stored(closed.id)).toMatchObject({
        status: 'closed',
        assigneeId: world.agent.id,
      });
      expect(await stored(queued.id)).toMatchObject({ status: 'unassigned', assigneeId: null });
      for (const c of [open, closed, queued]) expect(await auditOf(c.id)).toEqual([]);
    });

    it("answers 404 (not 403) for another organisation's conversation, whoever asks", async () => {
      const world = await setup();
      const other = await setup();
      const open = await heldBy(other, other.agent);
      const closed = await heldBy(other, other.agent, { status: 'closed' });
      for (const token of [world.tokens.agent, world.tokens.lead, world.tokens.admin]) {
        for (const [id, action] of [
          [open.id, 'unassign'],
          [open.id, 'close'],
          [closed.id, 'reopen'],
          [randomUUID(), 'close'],
          ['not-a-uuid', 'reopen'],
        ]) {
          const response = await act(token, id, action);
          expect({ action, status: response.status, code: response.body.code }).toEqual({
            action,
            status: 404,
            code: 'not_found',
          });
        }
      }
      expect(await stored(open.id)).toMatchObject({
        status: 'assigned',
        assigneeId: other.agent.id,
      });
      expect(await stored(closed.id)).toMatchObject({ status: 'closed' });
    });

    it('ineligible users get 403 policy.not_eligible on unassign, close and reopen', async () => {
      const world = await setup();
      const c = await heldBy(world, world.agent);
      for (const token of [world.tokens.comms, world.tokens.untrained]) {
        for (const action of ['unassign', 'close', 'reopen']) {
          expectError(await act(token, c.id, action), 403, 'policy.not_eligible');
        }
      }
    });

    it('close keeps the assignee; closing twice is 409; a team lead closes an unassigned one', async () => {
      const world = await setup();
      const c = await heldBy(world, world.agent);
      const response = await act(world.tokens.agent, c.id, 'close').expect(200);
      expect(response.body).toMatchObject({
        id: c.id,
        status: 'closed',
        assigneeId: world.agent.id,
      });
      expect(await stored(c.id)).toMatchObject({ status: 'closed', assigneeId: world.agent.id });
      expectError(await act(world.tokens.agent, c.id, 'close'), 409, 'conflict');
      expectError(await act(world.tokens.lead, c.id, 'close'), 409, 'conflict');
      const [entry] = await auditOf(c.id);
      expect(entry).toMatchObject({
        actorId: world.agent.id,
        action: 'conversation.closed',
        before: { status: 'assigned' },
        after: { status: 'closed', assigneeId: world.agent.id },
      });
      expect(await actionsOf(c.id)).toEqual(['conversation.closed']);

      const queued = await conversation(world);
      const waiting = await heldBy(world, world.agent, { status: 'waiting' });
      expect((await act(world.tokens.lead, queued.id, 'close').expect(200)).body).toMatchObject({
        status: 'closed',
        assigneeId: null,
      });
      expect((await act(world.tokens.agent, waiting.id, 'close').expect(200)).body).toMatchObject({
        status: 'closed',
        assigneeId: world.agent.id,
      });
    });

    it('reopen goes back to an eligible, available assignee, whoever reopens', async () => {
      const world = await setup();
      const byLead = await heldBy(world, world.agent, { status: 'closed' });
      const bySelf = await heldBy(world, world.agent, { status: 'closed' });
      for (const [c, token, actor] of [
        [byLead, world.tokens.lead, world.teamLead.id],
        [bySelf, world.tokens.agent, world.agent.id],
      ] as const) {
        const response = await act(token, c.id, 'reopen').expect(200);
        expect(response.body).toMatchObject({
          id: c.id,
          status: 'assigned',
          assigneeId: world.agent.id,
        });
        expect(await stored(c.id)).toMatchObject({
          status: 'assigned',
          assigneeId: world.agent.id,
        });
        const entries = await auditOf(c.id);
        expect(entries).toHaveLength(1);
        expect(entries[0]).toMatchObject({
          actorId: actor,
          action: 'conversation.reopened',
          before: { status: 'closed' },
          after: { status: 'assigned', assigneeId: world.agent.id },
        });
      }
    });

    it('reopen goes to the queue (unassigned, assignee null) when the assignee is now unavailable, ineligible or deactivated', async () => {
      const world = await setup();
      const { user: away } = await anotherUser(world, { available: false });
      const { user: demoted } = await anotherUser(world);
      const { user: gone } = await anotherUser(world);
      const closed = await Promise.all(
        [away, demoted, gone].map((user) => heldBy(world, user, { status: 'closed' })),
      );
      const users = suite.db.getRepository(UserEntity);
      await users.update({ id: demoted.id }, { role: 'communications' }); // not at level 1
      await users.update({ id: gone.id }, { active: false });
      const queuedClosed = await conversation(world, { status: 'closed' });

      for (const c of [...closed, queuedClosed]) {
        const response = await act(world.tokens.lead, c.id, 'reopen').expect(200);
        expect(response.body).toMatchObject({ id: c.id, status: 'unassigned', assigneeId: null });
        expect(await stored(c.id)).toMatchObject({ status: 'unassigned', assigneeId: null });
        const [entry] = await auditOf(c.id);
        expect(entry).toMatchObject({
          action: 'conversation.reopened',
          after: { status: 'unassigned', assigneeId: null },
        });
      }
    });

    it('reopening a conversation that is not closed is 409', async () => {
      const world = await setup();
      const cases = await Promise.all([
        heldBy(world, world.agent),
        heldBy(world, world.agent, { status: 'waiting' }),
        conversation(world),
      ]);
      for (const c of cases) {
        expectError(await act(world.tokens.lead, c.id, 'reopen'), 409, 'conflict');
        expect(await auditOf(c.id)).toEqual([]);
      }
      expectError(await act(world.tokens.agent, cases[0].id, 'reopen'), 409, 'conflict');
    });

    it('audits every change of a conversation’s life, in order', async () => {
      const world = await setup();
      const { user: agent2 } = await anotherUser(world);
      const c = await conversation(world);
      await act(world.tokens.agent, c.id, 'claim').expect(200);
      await act(world.tokens.lead, c.id, 'assign', { userId: agent2.id }).expect(200);
      await act(world.tokens.lead, c.id, 'close').expect(200);
      await act(world.tokens.lead, c.id, 'reopen').expect(200);
      await act(world.tokens.lead, c.id, 'unassign').expect(200);
      expect(await actionsOf(c.id)).toEqual([
        'conversation.assigned',
        'conversation.assigned',
        'conversation.closed',
        'conversation.reopened',
        'conversation.unassigned',
      ]);
      expect((await auditOf(c.id)).map((e) => e.actorId)).toEqual([
        world.agent.id,
        world.teamLead.id,
        world.teamLead.id,
        world.teamLead.id,
        world.teamLead.id,
      ]);
    });
  });
});
