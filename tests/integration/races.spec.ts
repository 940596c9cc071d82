import type { INestApplicationContext } from '@nestjs/common';
import { ConversationEntity, OrganisationEntity, UserEntity } from '@toonbank/database';
import { RoutingService } from '@toonbank/routing';
import type { DataSource, QueryRunner } from 'typeorm';
import { closeTestDatabase, testDatabase } from '../support/database';
import {
  newChannelAccount,
  newConversation,
  newStaffedOrganisation,
  newUser,
  TEST_PASSWORD,
} from '../support/factories';
import { bearer, signIn, startTestApp, type TestApp } from '../support/test-app';
import { startTestWorker, uniqueRedisPrefix } from '../support/test-worker';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The server judges on what is true when it writes, not when the request arrived: each case
 * holds a row lock from outside to widen the window between the guard and the write, and
 * changes the rules inside it.
 */
describe('races', () => {
  const prefix = uniqueRedisPrefix('races');
  let db: DataSource;
  let app: TestApp;
  let worker: INestApplicationContext;

  beforeAll(async () => {
    db = await testDatabase();
    app = await startTestApp({ REDIS_PREFIX: prefix, TRUST_PROXY_HOPS: '1' });
    worker = await startTestWorker(prefix);
  });
  afterAll(async () => {
    await app.close();
    await worker.close();
    await closeTestDatabase();
  });

  const world = async (maturityLevel: 1 | 2 | 3 = 1) => {
    const staffed = await newStaffedOrganisation(db, { maturityLevel, routingStrategy: 'manual' });
    return { ...staffed, channel: await newChannelAccount(db, staffed.organisation) };
  };

  /** Holds `FOR UPDATE` on one row from outside until `release`. */
  async function holdRow(table: 'conversations' | 'users', id: string) {
    const runner: QueryRunner = db.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    await runner.query(`SELECT id FROM ${table} WHERE id = $1 FOR UPDATE`, [id]);
    return {
      runner,
      release: async () => {
        await runner.commitTransaction();
        await runner.release();
      },
    };
  }

  it('a claim in flight when the claimer is deactivated is refused (403 policy.not_eligible)', async () => {
    const w = await world();
    const conversation = await newConversation(db, w.organisation, w.channel);
    const agentToken = await signIn(app, w.agent);
    const hold = await holdRow('conversations', conversation.id);
    const claim = app
      .http()
      .post(`/api/conversations/${conversation.id}/claim`)
      .set(bearer(agentToken))
      .then((r) => r);
    await sleep(150); // the claim has passed the guard and waits for the row
    await app
      .http()
      .patch(`/api/users/${w.agent.id}`)
      .set(bearer(await signIn(app, w.admin)))
      .send({ active: false })
      .expect(200);
    await hold.release();
    const response = await claim;
    expect(response.status).toBe(403);
    expect(response.body.code).toBe('policy.not_eligible');
    const stored = await db
      .getRepository(ConversationEntity)
      .findOneByOrFail({ id: conversation.id });
    expect(stored).toMatchObject({ status: 'unassigned', assigneeId: null });
  });

  it('a claim and a lowering of the level never leave the conversation with someone who may not respond', async () => {
    const w = await world(2);
    const conversation = await newConversation(db, w.organisation, w.channel);
    const commsToken = await signIn(app, w.communications);
    const hold = await holdRow('conversations', conversation.id);
    const claim = app
      .http()
      .post(`/api/conversations/${conversation.id}/claim`)
      .set(bearer(commsToken))
      .then((r) => r);
    await sleep(150);
    const lowering = app
      .http()
      .put('/api/org/maturity')
      .set(bearer(await signIn(app, w.admin)))
      .send({ level: 1, reason: 'outage' })
      .then((r) => r);
    await sleep(150);
    await hold.release();
    const [claimed, lowered] = await Promise.all([claim, lowering]);
    expect(lowered.status).toBe(200);
    expect([200, 403]).toContain(claimed.status);
    const stored = await db
      .getRepository(ConversationEntity)
      .findOneByOrFail({ id: conversation.id });
    expect(stored.assigneeId).not.toBe(w.communications.id);
    expect(stored.status).toBe('unassigned');
  });

  it('an assignment to someone whose role changes meanwhile is refused (422)', async () => {
    const w = await world();
    const conversation = await newConversation(db, w.organisation, w.channel);
    const hold = await holdRow('conversations', conversation.id);
    const assign = app
      .http()
      .post(`/api/conversations/${conversation.id}/assign`)
      .set(bearer(await signIn(app, w.teamLead)))
      .send({ userId: w.agent.id })
      .then((r) => r);
    await sleep(150);
    await db.getRepository(UserEntity).update({ id: w.agent.id }, { role: 'employee' });
    await hold.release();
    const response = await assign;
    expect(response.status).toBe(422);
    expect(response.body.code).toBe('assignment.not_eligible');
  });

  it('a reopen while its last holder is being deactivated goes back to the queue, not to them', async () => {
    const w = await world();
    const conversation = await newConversation(db, w.organisation, w.channel, {
      status: 'closed',
      assigneeId: w.agent.id,
      assignedAt: new Date(),
      closedAt: new Date(),
    });
    // The deactivation holds the person's row, not yet committed, when the reopen arrives.
    const hold = await holdRow('users', w.agent.id);
    await hold.runner.query('UPDATE users SET active = false WHERE id = $1', [w.agent.id]);
    const reopen = app
      .http()
      .post(`/api/conversations/${conversation.id}/reopen`)
      .set(bearer(await signIn(app, w.teamLead)))
      .then((r) => r);
    await sleep(150);
    await hold.release();
    const response = await reopen;
    expect(response.status).toBe(200);
    const stored = await db
      .getRepository(ConversationEntity)
      .findOneByOrFail({ id: conversation.id });
    expect(stored).toMatchObject({ status: 'unassigned', assigneeId: null });
  });

  it('routing re-judges the chosen person under their lock: a role change meanwhile means no assignment', async () => {
    const org = await newStaffedOrganisation(db, { routingStrategy: 'least_loaded' });
    await db.query('UPDATE users SET available = false WHERE organisation_id = $1 AND id <> $2', [
      org.organisation.id,
      org.agent.id,
    ]);
    const channel = await newChannelAccount(db, org.organisation);
    const conversation = await newConversation(db, org.organisation, channel);
    const hold = await holdRow('users', org.agent.id);
    const routing = worker.get(RoutingService).routeQueue(org.organisation.id);
    await sleep(150); // routing chose the agent and waits for their row
    await hold.runner.query(`UPDATE users SET role = 'employee', trained_at = NULL WHERE id = $1`, [
      org.agent.id,
    ]);
    await hold.release();
    expect(await routing).toEqual({ assigned: 0, more: false });
    const stored = await db
      .getRepository(ConversationEntity)
      .findOneByOrFail({ id: conversation.id });
    expect(stored.assigneeId).toBeNull();
  });

  it('a burst of parallel guesses gets at most 5 tries at an account', async () => {
    const w = await world();
    const attempts = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        app
          .http()
          .post('/api/auth/login')
          .set('X-Forwarded-For', '10.99.0.1')
          .send({ email: w.agent.email, password: i === 15 ? TEST_PASSWORD : `guess-${i}` }),
      ),
    );
    const statuses = attempts.map((r) => r.status);
    const judged = statuses.filter((s) => s !== 429);
    expect(judged.length).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(15);
  });

  it('two admins demoting each other at once: one wins, the other gets 409, never a 500', async () => {
    for (let trial = 0; trial < 8; trial += 1) {
      const organisation = await db
        .getRepository(OrganisationEntity)
        .save({ name: 'Two admins', slug: `two-admins-${Date.now()}-${trial}` });
      const [a, b] = await Promise.all([
        newUser(db, organisation, { role: 'admin' }),
        newUser(db, organisation, { role: 'admin' }),
      ]);
      const [tokenA, tokenB] = await Promise.all([signIn(app, a), signIn(app, b)]);
      const answers = await Promise.all([
        app.http().patch(`/api/users/${b.id}`).set(bearer(tokenA)).send({ role: 'agent' }),
        app.http().patch(`/api/users/${a.id}`).set(bearer(tokenB)).send({ role: 'agent' }),
      ]);
      const statuses = answers.map((r) => r.status).sort();
      // The loser may also be refused because the winner demoted them first (403 on their next request).
      expect([
        [200, 409],
        [200, 403],
      ]).toContainEqual(statuses);
      const admins = await db
        .getRepository(UserEntity)
        .countBy({ organisationId: organisation.id, role: 'admin', active: true });
      expect(admins).toBe(1);
    }
  });
});
