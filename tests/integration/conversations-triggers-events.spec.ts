// Around the conversation commands: the routing jobs the API enqueues, the live events each
// change sends, and the work handed back when someone stops being eligible.
// Against the real API, PostgreSQL and Redis, with no worker (see conversations-suite.ts).
import { getQueueToken } from '@nestjs/bullmq';
import {
  JobName,
  QueueName,
  type ConversationDetailDto,
  type ConversationDto,
} from '@toonbank/shared';
import type { Queue } from 'bullmq';
import { expectError } from '../support/expect-error';
import { connectInbox, sleep, SILENCE_MS } from '../support/socket-client';
import { bearer } from '../support/test-app';
import { conversationsSuite, LIST } from '../support/conversations-suite';

describe('conversations', () => {
  const {
    suite,
    setup,
    conversation,
    heldBy,
    anotherUser,
    get,
    post,
    act,
    response200,
    stored,
    auditOf,
    actionsOf,
    updatesOf,
  } = conversationsSuite();

  describe('routing triggers', () => {
    /** The route-queue jobs waiting for this organisation (no worker runs in this suite). */
    const routeJobsOf = async (organisationId: string) => {
      const queue = suite.app.app.get<Queue>(getQueueToken(QueueName.Routing), { strict: false });
      const jobs = await queue.getJobs(['waiting', 'prioritized', 'delayed'], 0, 999, false);
      return jobs.filter(
        (job) =>
          job.name === JobName.RouteQueue &&
          (job.data as { organisationId?: string }).organisationId === organisationId,
      );
    };

    it('a conversation back in the queue (unassigned, reopened to routing) asks the worker to route', async () => {
      const world = await setup();
      const other = await setup();
      const held = await heldBy(world, world.agent);
      const { user: away } = await anotherUser(other, { available: false });
      const closed = await heldBy(other, away, { status: 'closed' });

      await act(world.tokens.agent, held.id, 'unassign').expect(200);
      await act(other.tokens.lead, closed.id, 'reopen').expect(200);

      for (const organisationId of [world.organisation.id, other.organisation.id]) {
        const jobs = await routeJobsOf(organisationId);
        expect(jobs.length).toBeGreaterThanOrEqual(1);
        await Promise.all(jobs.map((job) => job.remove()));
      }
    });

    it('a storm of triggers leaves one routing of the organisation waiting, not one each', async () => {
      const world = await setup();
      const held = await Promise.all([1, 2, 3].map(() => heldBy(world, world.agent)));
      for (const c of held) await act(world.tokens.agent, c.id, 'unassign').expect(200);

      const jobs = await routeJobsOf(world.organisation.id);
      expect(jobs).toHaveLength(1);
      // Once it is gone (taken by a worker), the next trigger adds one again.
      await jobs[0]!.remove();
      await act(world.tokens.agent, held[0]!.id, 'claim').expect(200);
      await act(world.tokens.agent, held[0]!.id, 'unassign').expect(200);
      expect(await routeJobsOf(world.organisation.id)).toHaveLength(1);
      await Promise.all((await routeJobsOf(world.organisation.id)).map((job) => job.remove()));
    });
  });

  // ---------------------------------------------------------------------------------------------
  describe('live events', () => {
    it('pushes conversation.updated with the presented conversation after claim, assign, close and reopen, to its own organisation only', async () => {
      const world = await setup();
      const other = await setup();
      const { user: agent2, token: agent2Token } = await anotherUser(world);
      const [leadClient, agentClient, otherClient] = await Promise.all([
        connectInbox(suite.app, world.tokens.lead),
        connectInbox(suite.app, world.tokens.agent),
        connectInbox(suite.app, other.tokens.admin),
      ]);
      const c = await conversation(world);

      const bodies: ConversationDto[] = [];
      bodies.push((await act(world.tokens.agent, c.id, 'claim').expect(200)).body);
      expect(await updatesOf(leadClient, 1)).toEqual(bodies);
      bodies.push(
        (await act(world.tokens.lead, c.id, 'assign', { userId: agent2.id }).expect(200)).body,
      );
      expect(await updatesOf(leadClient, 2)).toEqual(bodies);
      bodies.push((await act(agent2Token, c.id, 'close').expect(200)).body);
      expect(await updatesOf(leadClient, 3)).toEqual(bodies);
      bodies.push((await act(world.tokens.lead, c.id, 'reopen').expect(200)).body);
      expect(await updatesOf(leadClient, 4)).toEqual(bodies);

      expect(bodies.map((b) => [b.status, b.assigneeId])).toEqual([
        ['assigned', world.agent.id],
        ['assigned', agent2.id],
        ['closed', agent2.id],
        ['assigned', agent2.id],
      ]);
      expect(await updatesOf(agentClient, 4)).toEqual(bodies);

      // A change that changes nothing is not pushed.
      await act(world.tokens.lead, c.id, 'assign', { userId: agent2.id }).expect(200);
      await sleep(SILENCE_MS);
      expect(leadClient.payloadsOf('conversation.updated')).toHaveLength(4);
      expect(otherClient.received).toEqual([]);
    });

    it('pushes conversation.updated for unassign and for each conversation a bulk action changed', async () => {
      const world = await setup();
      const other = await setup();
      const [client, otherClient] = await Promise.all([
        connectInbox(suite.app, world.tokens.agent),
        connectInbox(suite.app, other.tokens.lead),
      ]);
      const held = await heldBy(world, world.agent);
      const unassigned = await response200(act(world.tokens.agent, held.id, 'unassign'));
      expect(await updatesOf(client, 1)).toEqual([unassigned]);

      const [a, b] = await Promise.all([conversation(world), conversation(world)]);
      const closedAlready = await conversation(world, { status: 'closed' });
      await post(world.tokens.lead, `${LIST}/bulk`, {
        action: 'close',
        ids: [a.id, b.id, closedAlready.id],
      }).expect(200);
      const events = await updatesOf(client, 3);
      const bulkEvents = events.slice(1);
      expect(bulkEvents.map((e) => e.id).sort()).toEqual([a.id, b.id].sort());
      expect(bulkEvents.every((e) => e.status === 'closed')).toBe(true);
      await sleep(SILENCE_MS);
      expect(client.payloadsOf('conversation.updated')).toHaveLength(3);
      expect(otherClient.received).toEqual([]);
    });
  });

  // ---------------------------------------------------------------------------------------------
  describe('lowering eligibility', () => {
    it('a role change that ends eligibility hands the conversations back and pushes conversation.updated for each', async () => {
      const world = await setup();
      const { user: agent2 } = await anotherUser(world);
      const client = await connectInbox(suite.app, world.tokens.lead);
      const assigned = await heldBy(world, world.agent);
      const waiting = await heldBy(world, world.agent, { status: 'waiting' });
      const closed = await heldBy(world, world.agent, { status: 'closed' });
      const colleagues = await heldBy(world, agent2);

      await suite.app
        .http()
        .patch(`/api/users/${world.agent.id}`)
        .set(bearer(world.tokens.admin))
        .send({ role: 'employee' })
        .expect(200);

      for (const c of [assigned, waiting]) {
        expect(await stored(c.id)).toMatchObject({
          status: 'unassigned',
          assigneeId: null,
          previousAssigneeId: world.agent.id,
        });
        expect(await actionsOf(c.id)).toEqual(['conversation.unassigned']);
      }
      expect(await stored(closed.id)).toMatchObject({
        status: 'closed',
        assigneeId: world.agent.id,
      });
      expect(await stored(colleagues.id)).toMatchObject({
        status: 'assigned',
        assigneeId: agent2.id,
      });

      const events = await updatesOf(client, 2);
      expect(events.map((e) => e.id).sort()).toEqual([assigned.id, waiting.id].sort());
      for (const event of events) {
        expect(event).toMatchObject({ status: 'unassigned', assigneeId: null });
        const detail = await get(world.tokens.lead, `${LIST}/${event.id}`).expect(200);
        const { messages: _messages, ...presented } = detail.body as ConversationDetailDto;
        expect(event).toEqual(presented);
      }
      await sleep(SILENCE_MS);
      expect(client.payloadsOf('conversation.updated')).toHaveLength(2);

      // The demoted user's very next request is judged on the new role.
      expectError(await get(world.tokens.agent, LIST), 403, 'policy.not_eligible');
      expectError(await act(world.tokens.agent, closed.id, 'reopen'), 403, 'policy.not_eligible');
    });

    it('an expired or removed training at level 3 hands the employee’s conversations back', async () => {
      const world = await setup({ maturityLevel: 3 });
      const client = await connectInbox(suite.app, world.tokens.lead);
      const held = await heldBy(world, world.employeeTrained, { status: 'waiting' });
      await suite.app
        .http()
        .patch(`/api/users/${world.employeeTrained.id}`)
        .set(bearer(world.tokens.admin))
        .send({ trainedAt: null })
        .expect(200);
      expect(await stored(held.id)).toMatchObject({ status: 'unassigned', assigneeId: null });
      const [event] = await updatesOf(client, 1);
      expect(event).toMatchObject({ id: held.id, status: 'unassigned', assigneeId: null });
    });

    it('a change that keeps the user eligible keeps their conversations, and pushes nothing', async () => {
      const world = await setup();
      const client = await connectInbox(suite.app, world.tokens.lead);
      const held = await heldBy(world, world.agent);
      await suite.app
        .http()
        .patch(`/api/users/${world.agent.id}`)
        .set(bearer(world.tokens.admin))
        .send({ role: 'team_lead', capacity: 3 })
        .expect(200);
      expect(await stored(held.id)).toMatchObject({
        status: 'assigned',
        assigneeId: world.agent.id,
      });
      expect(await auditOf(held.id)).toEqual([]);
      await sleep(SILENCE_MS);
      expect(client.payloadsOf('conversation.updated')).toEqual([]);
    });

    it('deactivating a user hands their conversations back with a live event too', async () => {
      const world = await setup();
      const client = await connectInbox(suite.app, world.tokens.lead);
      const assigned = await heldBy(world, world.agent);
      await suite.app
        .http()
        .patch(`/api/users/${world.agent.id}`)
        .set(bearer(world.tokens.admin))
        .send({ active: false })
        .expect(200);
      const [event] = await updatesOf(client, 1);
      expect(event).toMatchObject({ id: assigned.id, status: 'unassigned', assigneeId: null });
    });
  });
});
