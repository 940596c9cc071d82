import type { INestApplicationContext } from '@nestjs/common';
import {
  AuditLogEntity,
  ConversationEntity,
  OrganisationEntity,
  UserEntity,
} from '@toonbank/database';
import { EventPublisher } from '@toonbank/platform';
import { RoutingService, RoutingSweep } from '@toonbank/routing';
import { JobName, QueueName, type RoutingStrategy } from '@toonbank/shared';
import type { Queue } from 'bullmq';
import { In, type DataSource, type QueryRunner } from 'typeorm';
import { closeTestDatabase, testDatabase } from '../support/database';
import { newChannelAccount, newConversation, newOrganisation, newUser } from '../support/factories';
import { bearer, signIn, startTestApp, type TestApp } from '../support/test-app';
import { drained, queueOn, startTestWorker, uniqueRedisPrefix } from '../support/test-worker';

/** SPEC.md §4 against the real database and queue: strategies, the pool, capacity, concurrency, hand-back. */
describe('routing', () => {
  const prefix = uniqueRedisPrefix('routing');
  let db: DataSource;
  let worker: INestApplicationContext;
  let routing: RoutingService;
  let queue: Queue;

  beforeAll(async () => {
    db = await testDatabase();
    worker = await startTestWorker(prefix);
    routing = worker.get(RoutingService);
    queue = queueOn(prefix, QueueName.Routing);
  });
  afterAll(async () => {
    await worker.close();
    await queue.obliterate({ force: true });
    await queue.close();
    await closeTestDatabase();
  });

  const organisation = async (
    routingStrategy: RoutingStrategy = 'least_loaded',
    maturityLevel: 1 | 2 | 3 = 1,
  ) => {
    const org = await newOrganisation(db, { routingStrategy, maturityLevel });
    return { org, channel: await newChannelAccount(db, org) };
  };
  const unassigned = (
    org: OrganisationEntity,
    channel: Awaited<ReturnType<typeof organisation>>['channel'],
    n: number,
    overrides: Partial<ConversationEntity> = {},
  ) => Promise.all(Array.from({ length: n }, () => newConversation(db, org, channel, overrides)));
  /** The assignee of each conversation, in the order of the ids given. */
  const holders = async (ids: string[]) => {
    const rows = await db.getRepository(ConversationEntity).findBy({ id: In(ids) });
    return ids.map((id) => rows.find((c) => c.id === id)?.assigneeId ?? null);
  };
  const countBy = (values: (string | null)[]) =>
    values.reduce<Record<string, number>>(
      (acc, v) => ({ ...acc, [String(v)]: (acc[String(v)] ?? 0) + 1 }),
      {},
    );

  it('least_loaded: fills the least loaded first, ties to the least recently assigned', async () => {
    const { org, channel } = await organisation('least_loaded');
    const busy = await newUser(db, org, { role: 'agent' });
    const idle = await newUser(db, org, { role: 'agent' });
    await unassigned(org, channel, 2, { status: 'assigned', assigneeId: busy.id });
    const waiting = await unassigned(org, channel, 4);
    expect(await routing.routeQueue(org.id)).toEqual({ assigned: 4, more: false });
    // idle takes 2 (0→2 ties busy's 2), then they alternate: 3 for idle, 3 for busy in total.
    expect(countBy(await holders(waiting.map((c) => c.id)))).toEqual({
      [idle.id]: 3,
      [busy.id]: 1,
    });
    const states = await db
      .getRepository(ConversationEntity)
      .findBy({ id: In(waiting.map((c) => c.id)) });
    expect(states.every((c) => c.status === 'assigned' && c.assignedAt !== null)).toBe(true);
  });

  it('round_robin: takes turns whatever the load', async () => {
    const { org, channel } = await organisation('round_robin');
    const [a, b, c] = await Promise.all([1, 2, 3].map(() => newUser(db, org, { role: 'agent' })));
    const waiting = await unassigned(org, channel, 6);
    await routing.routeQueue(org.id);
    expect(Object.values(countBy(await holders(waiting.map((w) => w.id)))).sort()).toEqual([
      2, 2, 2,
    ]);
    expect([a, b, c].every(Boolean)).toBe(true);
  });

  it('manual: routes nothing', async () => {
    const { org, channel } = await organisation('manual');
    await newUser(db, org, { role: 'agent' });
    const waiting = await unassigned(org, channel, 2);
    expect(await routing.routeQueue(org.id)).toEqual({ assigned: 0, more: false });
    expect(await holders(waiting.map((c) => c.id))).toEqual([null, null]);
  });

  it('routes only to the pool: never team leads or admins, never the ineligible, the unavailable or the inactive', async () => {
    const { org, channel } = await organisation('least_loaded', 1);
    await newUser(db, org, { role: 'admin' });
    await newUser(db, org, { role: 'team_lead' });
    await newUser(db, org, { role: 'communications' }); // not at level 1
    await newUser(db, org, { role: 'employee', trained: true }); // not at level 1
    await newUser(db, org, { role: 'agent', available: false });
    await newUser(db, org, { role: 'agent', active: false });
    const waiting = await unassigned(org, channel, 3);
    expect(await routing.routeQueue(org.id)).toEqual({ assigned: 0, more: false });

    const agent = await newUser(db, org, { role: 'agent' });
    expect(await routing.routeQueue(org.id)).toEqual({ assigned: 3, more: false });
    expect(await holders(waiting.map((c) => c.id))).toEqual([agent.id, agent.id, agent.id]);
  });

  it('at level 3 trained employees and communications officers join the pool', async () => {
    const { org, channel } = await organisation('round_robin', 3);
    const comms = await newUser(db, org, { role: 'communications' });
    const ambassador = await newUser(db, org, { role: 'employee', trained: true });
    await newUser(db, org, { role: 'employee' }); // untrained: never
    const waiting = await unassigned(org, channel, 4);
    await routing.routeQueue(org.id);
    expect(countBy(await holders(waiting.map((c) => c.id)))).toEqual({
      [comms.id]: 2,
      [ambassador.id]: 2,
    });
  });

  it('respects capacity: what nobody has room for waits in the queue', async () => {
    const { org, channel } = await organisation();
    const small = await newUser(db, org, { role: 'agent', capacity: 1 });
    const waiting = await unassigned(org, channel, 3);
    expect(await routing.routeQueue(org.id)).toEqual({ assigned: 1, more: false });
    expect(countBy(await holders(waiting.map((c) => c.id)))).toEqual({ [small.id]: 1, null: 2 });
  });

  it('speaks the customer’s language first, when a speaker has room', async () => {
    const { org, channel } = await organisation();
    const dutch = await newUser(db, org, { role: 'agent', languages: ['nl'] });
    const english = await newUser(db, org, { role: 'agent', languages: ['en'], capacity: 1 });
    const [first] = await unassigned(org, channel, 1, { language: 'en' });
    await routing.routeQueue(org.id);
    expect(await holders([first!.id])).toEqual([english.id]);
    const [second] = await unassigned(org, channel, 1, { language: 'en' }); // the speaker is full now
    await routing.routeQueue(org.id);
    expect(await holders([second!.id])).toEqual([dutch.id]);
  });

  it('takes breached and earliest-due conversations first', async () => {
    const { org, channel } = await organisation();
    await newUser(db, org, { role: 'agent', capacity: 2 });
    const soon = new Date(Date.now() + 5 * 60_000);
    const later = new Date(Date.now() + 50 * 60_000);
    const [late] = await unassigned(org, channel, 1, { slaDueAt: later });
    const [breached] = await unassigned(org, channel, 1, {
      slaDueAt: new Date(Date.now() - 60_000),
      slaBreached: true,
    });
    const [urgent] = await unassigned(org, channel, 1, { slaDueAt: soon });
    await routing.routeQueue(org.id);
    expect(await holders([breached!.id, urgent!.id, late!.id])).toEqual([
      expect.any(String),
      expect.any(String),
      null,
    ]);
  });

  it('audits each routing and records when the person was last assigned', async () => {
    const { org, channel } = await organisation();
    const agent = await newUser(db, org, { role: 'agent' });
    const [conversation] = await unassigned(org, channel, 1);
    await routing.routeQueue(org.id);
    const entries = await db.getRepository(AuditLogEntity).findBy({ subjectId: conversation!.id });
    expect(entries.map((e) => [e.action, e.actorId, e.reason])).toEqual([
      ['conversation.assigned', null, 'routed (least_loaded)'],
    ]);
    expect(
      (await db.getRepository(UserEntity).findOneByOrFail({ id: agent.id })).lastAssignedAt,
    ).not.toBeNull();
  });

  it('under concurrency: 8 routers on 300 conversations never exceed capacity nor assign twice', async () => {
    const second = await startTestWorker(prefix); // two worker processes × 4 concurrent jobs
    try {
      const { org, channel } = await organisation();
      const agents = await Promise.all(
        Array.from({ length: 10 }, () => newUser(db, org, { role: 'agent', capacity: 25 })),
      );
      const waiting = await unassigned(org, channel, 300);
      const started = Date.now();
      await queue.addBulk(
        Array.from({ length: 8 }, () => ({
          name: JobName.RouteQueue,
          data: { organisationId: org.id, reason: 'test' },
        })),
      );
      await drained(queue);
      const elapsed = Date.now() - started;

      const final = await db
        .getRepository(ConversationEntity)
        .findBy({ id: In(waiting.map((c) => c.id)) });
      const load = countBy(final.map((c) => c.assigneeId));
      expect(load.null).toBe(50); // 10 × 25 have room for 250
      for (const agent of agents) expect(load[agent.id]).toBe(25);
      const assignments = (await db.query(
        `SELECT subject_id, count(*)::int AS n FROM audit_log
          WHERE organisation_id = $1 AND action = 'conversation.assigned' GROUP BY subject_id`,
        [org.id],
      )) as { n: number }[];
      expect(assignments).toHaveLength(250);
      expect(assignments.every((row) => row.n === 1)).toBe(true);
      process.stderr.write(
        `routing concurrency: 300 conversations, 10 agents × 25, 8 routers: 250 assigned in ${elapsed} ms\n`,
      );
    } finally {
      await second.close();
    }
  });

  it('round_robin: the turns given in one batch carry on into the next', async () => {
    const { org, channel } = await organisation('round_robin');
    await Promise.all([1, 2, 3].map(() => newUser(db, org, { role: 'agent' })));
    const first = await unassigned(org, channel, 4); // one batch: a, b, c, a
    expect(await routing.routeQueue(org.id)).toEqual({ assigned: 4, more: false });
    const second = await unassigned(org, channel, 2); // b and c, not a again
    expect(await routing.routeQueue(org.id)).toEqual({ assigned: 2, more: false });
    const counts = countBy(await holders([...first, ...second].map((c) => c.id)));
    expect(Object.values(counts)).toEqual([2, 2, 2]);
  });

  it.each(['least_loaded', 'round_robin'] as const)(
    '%s in batches: 4 routers at once, people’s load changed by hand meanwhile: nobody over capacity, nothing assigned twice, all that fits assigned, each audited and pushed',
    async (strategy) => {
      const { org, channel } = await organisation(strategy);
      const agents = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          newUser(db, org, {
            role: 'agent',
            capacity: 5 + (i % 4) * 3,
            languages: i % 3 === 0 ? ['nl', 'en'] : ['nl'],
          }),
        ),
      );
      const passedOver = await Promise.all([
        newUser(db, org, { role: 'team_lead' }),
        newUser(db, org, { role: 'admin' }),
        newUser(db, org, { role: 'communications' }), // not at level 1
        newUser(db, org, { role: 'agent', available: false }),
        newUser(db, org, { role: 'agent', active: false }),
      ]);
      await unassigned(org, channel, 2, { status: 'assigned', assigneeId: agents[0]!.id });
      await unassigned(org, channel, 1, { status: 'waiting', assigneeId: agents[1]!.id });
      const room = agents.reduce((n, a) => n + a.capacity, 0) - 3;
      const queued = [
        ...(await unassigned(org, channel, 120)),
        ...(await unassigned(org, channel, 40, { language: 'en' })),
      ];
      expect(queued.length).toBeGreaterThan(room);

      // A careful team lead assigns from the queue meanwhile, as ConversationCommands does
      // (the organisation shared, the conversation, then the person locked), only to someone
      // with room under that lock: any excess is routing's.
      const byHand = async () => {
        let given = 0;
        for (let i = 0; i < 30; i += 1) {
          const agent = agents[(i * 5) % agents.length]!;
          given += await db.transaction(async (manager) => {
            await manager.query('SELECT id FROM organisations WHERE id = $1 FOR SHARE', [org.id]);
            const [conversation] = (await manager.query(
              `SELECT id FROM conversations WHERE organisation_id = $1 AND status = 'unassigned'
                ORDER BY random() LIMIT 1 FOR UPDATE SKIP LOCKED`,
              [org.id],
            )) as { id: string }[];
            if (!conversation) return 0;
            const [{ capacity }] = (await manager.query(
              'SELECT capacity FROM users WHERE id = $1 FOR UPDATE',
              [agent.id],
            )) as [{ capacity: number }];
            const [{ load }] = (await manager.query(
              `SELECT count(*)::int AS load FROM conversations
                WHERE assignee_id = $1 AND status IN ('assigned', 'waiting')`,
              [agent.id],
            )) as [{ load: number }];
            if (load >= capacity) return 0;
            await manager.query(
              `UPDATE conversations SET status = 'assigned', assignee_id = $2, assigned_at = now()
                WHERE id = $1`,
              [conversation.id, agent.id],
            );
            await manager.query(
              `INSERT INTO audit_log (organisation_id, actor_id, action, subject_type, subject_id, reason)
               VALUES ($1, $2, 'conversation.assigned', 'conversation', $3, 'by hand')`,
              [org.id, passedOver[0]!.id, conversation.id],
            );
            return 1;
          });
        }
        return given;
      };
      const router = async () => {
        let assigned = 0;
        for (;;) {
          const result = await routing.routeQueue(org.id, 40); // several jobs each
          assigned += result.assigned;
          if (!result.more) return assigned;
        }
      };
      // Every publisher of the worker (each module that imports the platform has its own).
      const pushed = jest.spyOn(EventPublisher.prototype, 'toInbox');
      let routed: number[];
      let handed: number;
      let calls: Parameters<EventPublisher['toInbox']>[];
      try {
        [handed, ...routed] = await Promise.all([byHand(), router(), router(), router(), router()]);
      } finally {
        calls = [...pushed.mock.calls];
        pushed.mockRestore();
      }

      const loads = (await db.query(
        `SELECT u.id, u.capacity, count(c.id)::int AS load FROM users u
           LEFT JOIN conversations c ON c.assignee_id = u.id AND c.status IN ('assigned', 'waiting')
          WHERE u.organisation_id = $1 GROUP BY u.id, u.capacity`,
        [org.id],
      )) as { id: string; capacity: number; load: number }[];
      const loadOf = new Map(loads.map((row) => [row.id, row]));
      for (const agent of agents) {
        const { load, capacity } = loadOf.get(agent.id)!;
        expect(load).toBe(capacity); // never over; and everyone filled: the queue was longer
      }
      for (const person of passedOver) expect(loadOf.get(person.id)!.load).toBe(0);

      const audit = (await db.query(
        `SELECT subject_id, reason FROM audit_log
          WHERE organisation_id = $1 AND action = 'conversation.assigned'`,
        [org.id],
      )) as { subject_id: string; reason: string }[];
      expect(new Set(audit.map((a) => a.subject_id)).size).toBe(audit.length); // never twice
      const routedIds = audit
        .filter((a) => a.reason === `routed (${strategy})`)
        .map((a) => a.subject_id);
      expect(routedIds).toHaveLength(routed.reduce((a, b) => a + b, 0));
      expect(routedIds.length + handed).toBe(room);
      expect(await holders(routedIds)).not.toContain(null);
      const updated = new Set(
        calls
          .filter(
            ([organisationId, event]) =>
              organisationId === org.id && event === 'conversation.updated',
          )
          .map(([, , payload]) => (payload as { id: string }).id),
      );
      expect(routedIds.filter((id) => !updated.has(id))).toEqual([]);
      const left = await db.getRepository(ConversationEntity).countBy({
        organisationId: org.id,
        status: 'unassigned',
      });
      expect(left).toBe(queued.length - room);
    },
  );

  it('passes over the person another router is assigning to, instead of queueing for them', async () => {
    const { org, channel } = await organisation('least_loaded');
    const first = await newUser(db, org, { role: 'agent' }); // least recently assigned: first choice
    const second = await newUser(db, org, {
      role: 'agent',
      lastAssignedAt: new Date(Date.now() - 60_000),
    });
    const [waiting] = await unassigned(org, channel, 1);
    const other = db.createQueryRunner(); // a router in the middle of assigning to `first`
    await other.connect();
    try {
      await other.startTransaction();
      await other.query('SELECT id FROM users WHERE id = $1 FOR UPDATE', [first.id]);
      expect(await routing.routeQueue(org.id)).toEqual({ assigned: 1, more: false });
      expect(await holders([waiting.id])).toEqual([second.id]);
    } finally {
      await other.rollbackTransaction();
      await other.release();
    }
  });

  it('two routers whose chosen people filled up meanwhile never deadlock on each other’s', async () => {
    // A router that found its chosen person full used to keep that person locked while it
    // locked the next one; two routers doing so to each other's person deadlocked. Here a
    // third transaction (x) holds both people while each router waits for its own choice.
    const { org, channel } = await organisation('least_loaded');
    const [p1, p2] = [
      await newUser(db, org, { role: 'agent', capacity: 2 }),
      await newUser(db, org, { role: 'agent', capacity: 2 }),
    ];
    await unassigned(org, channel, 2);
    const held = await unassigned(org, channel, 1, { status: 'assigned', assigneeId: p2.id });
    const spare = await unassigned(org, channel, 4, { status: 'closed' });
    const give = (id: string, userId: string, runner?: QueryRunner) =>
      (runner ?? db).query(
        `UPDATE conversations SET status = 'assigned', assignee_id = $2 WHERE id = $1`,
        [id, userId],
      );
    const x = db.createQueryRunner();
    await x.connect();
    try {
      await x.startTransaction();
      // NO KEY UPDATE: the routers' FOR UPDATE waits, a foreign key check does not.
      await x.query('SELECT id FROM users WHERE id IN ($1, $2) FOR NO KEY UPDATE', [p1.id, p2.id]);
      const [{ pid }] = (await x.query('SELECT pg_backend_pid() AS pid')) as [{ pid: number }];
      const waitingOnX = async (n: number) => {
        for (let tries = 0; tries < 250; tries++) {
          const [{ count }] = (await db.query(
            'SELECT count(*)::int AS count FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))',
            [pid],
          )) as [{ count: number }];
          if (count >= n) return;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        throw new Error(`${n} routers never waited for x`);
      };
      const first = routing.routeQueue(org.id); // p1 (load 0) before p2 (load 1)
      await waitingOnX(1);
      await give(spare[0].id, p1.id); // p1: 1
      await db.query(`UPDATE conversations SET status = 'closed' WHERE id = $1`, [held[0].id]); // p2: 0
      const second = routing.routeQueue(org.id); // p2 (load 0) before p1 (load 1)
      await waitingOnX(2);
      await give(spare[1].id, p1.id, x); // both full once x commits
      await give(spare[2].id, p2.id, x);
      await give(spare[3].id, p2.id, x);
      await x.commitTransaction();
      expect(await Promise.all([first, second])).toEqual([
        { assigned: 0, more: false },
        { assigned: 0, more: false },
      ]);
    } finally {
      if (x.isTransactionActive) await x.rollbackTransaction();
      await x.release();
    }
  });

  describe('hand-back', () => {
    const minutes = (n: number) => n * 60_000;

    it('returns a conversation left untouched past the half-way point plus the hand-back time, and routes it again', async () => {
      const { org, channel } = await organisation();
      const [slow, other] = await Promise.all([
        newUser(db, org, { role: 'agent' }),
        newUser(db, org, { role: 'agent' }),
      ]);
      const now = Date.now();
      const created = new Date(now - minutes(60));
      // SLA 60 minutes from creation: half-way at -30, hand-back 15 later at -15 < now.
      const stale = await newConversation(db, org, channel, {
        status: 'assigned',
        assigneeId: slow.id,
        assignedAt: created,
        lastActivityAt: created,
        slaDueAt: new Date(created.getTime() + minutes(60)),
        createdAt: created,
      });
      // Assigned 5 minutes ago: its clock starts at the assignment, so not yet.
      const fresh = await newConversation(db, org, channel, {
        status: 'assigned',
        assigneeId: slow.id,
        assignedAt: new Date(now - minutes(5)),
        lastActivityAt: new Date(now - minutes(5)),
        slaDueAt: new Date(created.getTime() + minutes(60)),
        createdAt: created,
      });
      // Acted on since the assignment: stays.
      const busy = await newConversation(db, org, channel, {
        status: 'assigned',
        assigneeId: slow.id,
        assignedAt: created,
        lastActivityAt: new Date(now - minutes(1)),
        slaDueAt: new Date(created.getTime() + minutes(60)),
        createdAt: created,
      });

      // The sweep takes the oldest first, across every organisation of the shared test
      // database: sweep until this one's turn has come.
      const handedBack = () =>
        db
          .getRepository(AuditLogEntity)
          .findBy({ subjectId: stale.id, action: 'conversation.unassigned' });
      for (let sweeps = 0; (await handedBack()).length === 0 && sweeps < 50; sweeps += 1) {
        await worker.get(RoutingSweep).sweep(new Date(now));
      }
      const audit = await handedBack();
      expect(audit.map((a) => a.reason)).toEqual(['untouched past the hand-back time']);
      await drained(queue);
      const after = await db
        .getRepository(ConversationEntity)
        .findBy({ id: In([stale.id, fresh.id, busy.id]) });
      const byId = Object.fromEntries(after.map((c) => [c.id, c]));
      expect(byId[stale.id]).toMatchObject({ status: 'assigned', previousAssigneeId: slow.id });
      expect([slow.id, other.id]).toContain(byId[stale.id]!.assigneeId);
      expect(byId[fresh.id]!.assigneeId).toBe(slow.id);
      expect(byId[busy.id]!.assigneeId).toBe(slow.id);
    });
  });

  it('an employee whose yearly training lapsed hands back their work at the next sweep', async () => {
    const { org, channel } = await organisation('manual', 3);
    const lapsed = await newUser(db, org, {
      role: 'employee',
      trainedAt: new Date(Date.now() - 366 * 24 * 3600 * 1000),
    });
    const fresh = await newUser(db, org, { role: 'employee', trained: true });
    const [held] = await unassigned(org, channel, 1, { status: 'waiting', assigneeId: lapsed.id });
    const [kept] = await unassigned(org, channel, 1, { status: 'assigned', assigneeId: fresh.id });
    const result = await worker.get(RoutingSweep).sweep();
    expect(result.lapsed).toBeGreaterThanOrEqual(1);
    expect(await holders([held!.id, kept!.id])).toEqual([null, fresh.id]);
    const audit = await db
      .getRepository(AuditLogEntity)
      .findBy({ subjectId: held!.id, action: 'conversation.unassigned' });
    expect(audit.map((a) => a.reason)).toEqual(['training lapsed']);
  });

  describe('triggered by the API', () => {
    let api: TestApp;
    beforeAll(async () => {
      api = await startTestApp({ REDIS_PREFIX: prefix });
    });
    afterAll(() => api.close());

    it('an agent becoming available gets the waiting queue', async () => {
      const { org, channel } = await organisation();
      const agent = await newUser(db, org, { role: 'agent', available: false });
      const waiting = await unassigned(org, channel, 2);
      await api
        .http()
        .put('/api/me/availability')
        .set(bearer(await signIn(api, agent)))
        .send({ available: true })
        .expect(200);
      await drained(queue);
      expect(await holders(waiting.map((c) => c.id))).toEqual([agent.id, agent.id]);
    });

    it('an agent going unavailable hands back what waits for their first move, and it is routed to a colleague', async () => {
      const { org, channel } = await organisation();
      const leaving = await newUser(db, org, { role: 'agent' });
      const colleague = await newUser(db, org, { role: 'agent' });
      const open = await newConversation(db, org, channel, {
        status: 'assigned',
        assigneeId: leaving.id,
      });
      const waitingOnCustomer = await newConversation(db, org, channel, {
        status: 'waiting',
        assigneeId: leaving.id,
      });
      await api
        .http()
        .put('/api/me/availability')
        .set(bearer(await signIn(api, leaving)))
        .send({ available: false })
        .expect(200);
      await drained(queue);
      expect(await holders([open.id])).toEqual([colleague.id]);
      expect(await holders([waitingOnCustomer.id])).toEqual([leaving.id]);
    });

    it('closing frees capacity: the queue moves to the person who had no room', async () => {
      const { org, channel } = await organisation();
      const agent = await newUser(db, org, { role: 'agent', capacity: 1 });
      const held = await newConversation(db, org, channel, {
        status: 'assigned',
        assigneeId: agent.id,
      });
      const [waiting] = await unassigned(org, channel, 1);
      await api
        .http()
        .post(`/api/conversations/${held.id}/close`)
        .set(bearer(await signIn(api, agent)))
        .expect(200);
      await drained(queue);
      expect(await holders([waiting!.id])).toEqual([agent.id]);
    });

    it('unassigning sends the conversation back through routing', async () => {
      const { org, channel } = await organisation();
      const lead = await newUser(db, org, { role: 'team_lead' });
      const agent = await newUser(db, org, { role: 'agent' });
      const conversation = await newConversation(db, org, channel, {
        status: 'assigned',
        assigneeId: lead.id,
      });
      await api
        .http()
        .post(`/api/conversations/${conversation.id}/unassign`)
        .set(bearer(await signIn(api, lead)))
        .expect(200);
      await drained(queue);
      expect(await holders([conversation.id])).toEqual([agent.id]);
    });
  });
});
