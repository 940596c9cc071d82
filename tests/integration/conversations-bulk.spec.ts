// POST /api/conversations/bulk (API.md §Conversations and messages): several conversations
// at once, each checked as if alone, with the audit entries and live events.
// Against the real API, PostgreSQL and Redis, with no worker (see conversations-suite.ts).
import { randomUUID } from 'node:crypto';
import { expectError, expectValidation } from '../support/expect-error';
import { conversationsSuite, LIST } from '../support/conversations-suite';

describe('conversations', () => {
  const { suite, setup, conversation, heldBy, post, listIds, stored, auditOf, actionsOf } =
    conversationsSuite();

  describe('POST /api/conversations/bulk', () => {
    const bulk = (token: string, body: object) => post(token, `${LIST}/bulk`, body);

    it('closes several; unknown and other-organisation ids fail with not_found, an already closed one with conflict', async () => {
      const world = await setup();
      const other = await setup();
      const assigned = await heldBy(world, world.agent);
      const unassigned = await conversation(world);
      const waiting = await heldBy(world, world.agent, { status: 'waiting' });
      const closed = await heldBy(world, world.agent, { status: 'closed' });
      const theirs = await conversation(other);
      const unknown = randomUUID();

      const response = await bulk(world.tokens.lead, {
        action: 'close',
        ids: [assigned.id, unknown, unassigned.id, theirs.id, closed.id, waiting.id],
      }).expect(200);
      expect(response.body).toEqual({
        done: 3,
        failed: [
          { id: unknown, code: 'not_found' },
          { id: theirs.id, code: 'not_found' },
          { id: closed.id, code: 'conflict' },
        ],
      });
      expect(await stored(assigned.id)).toMatchObject({
        status: 'closed',
        assigneeId: world.agent.id,
      });
      expect(await stored(waiting.id)).toMatchObject({
        status: 'closed',
        assigneeId: world.agent.id,
      });
      expect(await stored(unassigned.id)).toMatchObject({ status: 'closed', assigneeId: null });
      expect(await stored(theirs.id)).toMatchObject({ status: 'unassigned' });
      for (const c of [assigned, unassigned, waiting]) {
        expect(await actionsOf(c.id)).toEqual(['conversation.closed']);
      }
      expect(await auditOf(closed.id)).toEqual([]);
      expect(await auditOf(theirs.id)).toEqual([]);
    });

    it('an id whose transaction still deadlocks after the retries fails with conflict; the others commit and the answer is 200', async () => {
      const world = await setup();
      const [first, stuck, last] = [
        await conversation(world),
        await conversation(world),
        await conversation(world),
      ];
      // PostgreSQL aborts every attempt on `stuck` as a deadlock victim (SQLSTATE 40P01).
      await suite.db.query(`CREATE OR REPLACE FUNCTION test_bulk_deadlock() RETURNS trigger
        LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'forced deadlock' USING ERRCODE = '40P01'; END $$`);
      await suite.db.query(`CREATE TRIGGER test_bulk_deadlock BEFORE UPDATE ON conversations
        FOR EACH ROW WHEN (NEW.id = '${stuck.id}') EXECUTE FUNCTION test_bulk_deadlock()`);
      try {
        const response = await bulk(world.tokens.lead, {
          action: 'close',
          ids: [first.id, stuck.id, last.id],
        }).expect(200);
        expect(response.body).toEqual({ done: 2, failed: [{ id: stuck.id, code: 'conflict' }] });
      } finally {
        await suite.db.query('DROP TRIGGER test_bulk_deadlock ON conversations');
        await suite.db.query('DROP FUNCTION test_bulk_deadlock()');
      }
      expect(await stored(first.id)).toMatchObject({ status: 'closed' });
      expect(await stored(last.id)).toMatchObject({ status: 'closed' });
      expect(await stored(stuck.id)).toMatchObject({ status: 'unassigned' });
      expect(await actionsOf(stuck.id)).toEqual([]);
    });

    it('assigns several to an eligible user; to an ineligible user every id fails with assignment.not_eligible', async () => {
      const world = await setup();
      const ids = (
        await Promise.all([
          conversation(world),
          heldBy(world, world.teamLead),
          heldBy(world, world.teamLead, { status: 'waiting' }),
        ])
      ).map((c) => c.id);

      const refused = await bulk(world.tokens.lead, {
        action: 'assign',
        ids,
        userId: world.communications.id,
      }).expect(200);
      expect(refused.body).toEqual({
        done: 0,
        failed: ids.map((id) => ({ id, code: 'assignment.not_eligible' })),
      });
      for (const id of ids) expect(await auditOf(id)).toEqual([]);

      const unknown = await bulk(world.tokens.lead, {
        action: 'assign',
        ids,
        userId: randomUUID(),
      }).expect(200);
      expect(unknown.body.failed.map((f: { code: string }) => f.code)).toEqual(
        ids.map(() => 'assignment.not_eligible'),
      );

      const done = await bulk(world.tokens.lead, {
        action: 'assign',
        ids,
        userId: world.agent.id,
      }).expect(200);
      expect(done.body).toEqual({ done: 3, failed: [] });
      const rows = await Promise.all(ids.map(stored));
      expect(rows.map((r) => [r.status, r.assigneeId])).toEqual([
        ['assigned', world.agent.id],
        ['assigned', world.agent.id],
        ['waiting', world.agent.id],
      ]);
      for (const id of ids) expect(await actionsOf(id)).toEqual(['conversation.assigned']);
    });

    it('label adds the label once, never twice', async () => {
      const world = await setup();
      const fresh = await conversation(world, { labels: ['factuur'] });
      const already = await conversation(world, { labels: ['storing'] });
      const closed = await conversation(world, { status: 'closed' });
      const ids = [fresh.id, already.id, closed.id];

      for (let i = 0; i < 2; i += 1) {
        const response = await bulk(world.tokens.lead, { action: 'label', ids, label: 'storing' });
        expect(response.status).toBe(200);
        expect(response.body.failed).toEqual([]);
      }
      expect((await stored(fresh.id)).labels).toEqual(['factuur', 'storing']);
      expect((await stored(already.id)).labels).toEqual(['storing']);
      expect((await stored(closed.id)).labels).toEqual(['storing']);
      expect(await actionsOf(fresh.id)).toEqual(['conversation.labelled']);
      expect(await actionsOf(already.id)).toEqual([]);
      const listed = await listIds(world.tokens.lead, { label: 'storing' });
      expect(listed.sort()).toEqual([...ids].sort());
    });

    it('spam labels spam and closes', async () => {
      const world = await setup();
      const unassigned = await conversation(world);
      const held = await heldBy(world, world.agent, { labels: ['storing'] });
      const response = await bulk(world.tokens.lead, {
        action: 'spam',
        ids: [unassigned.id, held.id],
      }).expect(200);
      expect(response.body).toEqual({ done: 2, failed: [] });
      expect(await stored(unassigned.id)).toMatchObject({ status: 'closed', labels: ['spam'] });
      expect(await stored(held.id)).toMatchObject({
        status: 'closed',
        labels: ['storing', 'spam'],
        assigneeId: world.agent.id,
      });
      // One transaction: both entries carry the same time.
      expect((await actionsOf(unassigned.id)).sort()).toEqual([
        'conversation.closed',
        'conversation.labelled',
      ]);
    });

    it('is for team leads and admins only: anyone else gets 403 policy.forbidden', async () => {
      const world = await setup();
      const c = await conversation(world);
      for (const token of [world.tokens.agent, world.tokens.comms, world.tokens.untrained]) {
        expectError(await bulk(token, { action: 'close', ids: [c.id] }), 403, 'policy.forbidden');
      }
      expect((await bulk(world.tokens.admin, { action: 'close', ids: [c.id] })).body).toEqual({
        done: 1,
        failed: [],
      });
    });

    it('validates: userId for assign, label for label, 1 to 500 unique UUIDs, a known action, no unknown fields', async () => {
      const world = await setup();
      const c = await conversation(world);
      const lead = world.tokens.lead;
      const many = (n: number) => Array.from({ length: n }, () => randomUUID());

      const noUser = await bulk(lead, { action: 'assign', ids: [c.id] });
      expectValidation(noUser, 'userId');
      expect(noUser.body.details.fields).toEqual(['userId']);
      expectValidation(await bulk(lead, { action: 'assign', ids: [c.id], userId: 'x' }), 'userId');
      const noLabel = await bulk(lead, { action: 'label', ids: [c.id] });
      expectValidation(noLabel, 'label');
      expect(noLabel.body.details.fields).toEqual(['label']);
      expectValidation(
        await bulk(lead, { action: 'label', ids: [c.id], label: 'Not A Label' }),
        'label',
      );
      expectValidation(await bulk(lead, { action: 'close', ids: many(501) }), 'ids');
      expectValidation(await bulk(lead, { action: 'close', ids: [c.id, c.id] }), 'ids');
      expectValidation(await bulk(lead, { action: 'close', ids: [] }), 'ids');
      expectValidation(await bulk(lead, { action: 'close' }), 'ids');
      expectValidation(await bulk(lead, { action: 'close', ids: ['nope'] }), 'ids');
      expectValidation(await bulk(lead, { action: 'delete', ids: [c.id] }), 'action');
      expectError(
        await bulk(lead, { action: 'close', ids: [c.id], force: true }),
        400,
        'validation.failed',
      );
      expect(await stored(c.id)).toMatchObject({ status: 'unassigned' });
      expect(await auditOf(c.id)).toEqual([]);

      // 500 is allowed.
      const ids = many(500);
      const response = await bulk(lead, { action: 'close', ids }).expect(200);
      expect(response.body.done).toBe(0);
      expect(response.body.failed).toHaveLength(500);
    });

    it('refuses the same id twice in another letter case as a duplicate (400)', async () => {
      const world = await setup();
      const c = await conversation(world);
      const response = await bulk(world.tokens.lead, {
        action: 'close',
        ids: [c.id, c.id.toUpperCase()],
      });
      expectValidation(response, 'ids');
      expect(await auditOf(c.id)).toEqual([]);
    });
  });
});
