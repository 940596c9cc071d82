import { ConversationEntity, OrganisationEntity, UserEntity } from '@toonbank/database';
import { RoutingService } from '@toonbank/routing';
import type { QueryRunner } from 'typeorm';
import {
  newChannelAccount,
  newConversation,
  newStaffedOrganisation,
  newUser,
  TEST_PASSWORD,
} from '../support/factories';
import { useTestApp } from '../support/suite';
import { bearer, signIn } from '../support/test-app';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The server judges on what is true when it writes, not when the request arrived: each case
 * holds a row lock from outside to widen the window between the guard and the write, and
 * changes the rules inside it.
 */
describe('races', () => {
  const suite = useTestApp({ redis: 'races', worker: true, env: { TRUST_PROXY_HOPS: '1' } });

  const world = async (maturityLevel: 1 | 2 | 3 = 1) => {
    const staffed = await newStaffedOrganisation(suite.db, {
      maturityLevel,
      routingStrategy: 'manual',
    });
    return { ...staffed, channel: await newChannelAccount(suite.db, staffed.organisation) };
  };

  /** Holds `FOR UPDATE` on one row from outside until `release`. */
  async function holdRow(table: 'conversations' | 'users', id: string) {
    const runner: QueryRunner = suite.db.createQueryRunner();
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
    const conversation = await newConversation(suite.db, w.organisation, w.channel);
    const agentToken = await signIn(suite.app, w.agent);
    const hold = await holdRow('conversations', conversation.id);
    const claim = suite.app
      .http()
      .post(`/api/conversations/${conversation.id}/claim`)
      .set(bearer(agentToken))
      .then((r) => r);
    await sleep(150); // the claim has passed the guard and waits for the row
    await suite.app
      .http()
      .patch(`/api/users/${w.agent.id}`)
      .set(bearer(await signIn(suite.app, w.admin)))
      .send({ active: false })
      .expect(200);
    await hold.release();
    const response = await claim;
    expect(response.status).toBe(403);
    expect(response.body.code).toBe('policy.not_eligible');
    const stored = await suite.db
      .getRepository(ConversationEntity)
      .findOneByOrFail({ id: conversation.id });
    expect(stored).toMatchObject({ status: 'unassigned', assigneeId: null });
  });

  it('a claim and a lowering of the level never leave the conversation with someone who may not respond', async () => {
    const w = await world(2);
    const conversation = await newConversation(suite.db, w.organisation, w.channel);
    const commsToken = await signIn(suite.app, w.communications);
    const hold = await holdRow('conversations', conversation.id);
    const claim = suite.app
      .http()
      .post(`/api/conversations/${conversation.id}/claim`)
      .set(bearer(commsToken))
      .then((r) => r);
    await sleep(150);
    const lowering = suite.app
      .http()
      .put('/api/org/maturity')
      .set(bearer(await signIn(suite.app, w.admin)))
      .send({ level: 1, reason: 'outage' })
      .then((r) => r);
    await sleep(150);
    await hold.release();
    const [claimed, lowered] = await Promise.all([claim, lowering]);
    expect(lowered.status).toBe(200);
    expect([200, 403]).toContain(claimed.status);
    const stored = await suite.db
      .getRepository(ConversationEntity)
      .findOneByOrFail({ id: conversation.id });
    expect(stored.assigneeId).not.toBe(w.communications.id);
    expect(stored.status).toBe('unassigned');
  });

  it('an assignment to someone whose role changes meanwhile is refused (422)', async () => {
    const w = await world();
    const conversation = await newConversation(suite.db, w.organisation, w.channel);
    const hold = await holdRow('conversations', conversation.id);
    const assign = suite.app
      .http()
      .post(`/api/conversations/${conversation.id}/assign`)
      .set(bearer(await signIn(suite.app, w.teamLead)))
      .send({ userId: w.agent.id })
      .then((r) => r);
    await sleep(150);
    await suite.db.getRepository(UserEntity).update({ id: w.agent.id }, { role: 'employee' });
    await hold.release();
    const response = await assign;
    expect(response.status).toBe(422);
    expect(response.body.code).toBe('assignment.not_eligible');
  });

  it('a reopen while its last holder is being deactivated goes back to the queue, not to them', async () => {
    const w = await world();
    const conversation = await newConversation(suite.db, w.organisation, w.channel, {
      status: 'closed',
      assigneeId: w.agent.id,
      assignedAt: new Date(),
      closedAt: new Date(),
    });
    // The deactivation holds the person's row, not yet committed, when the reopen arrives.
    const hold = await holdRow('users', w.agent.id);
    await hold.runner.query('UPDATE users SET active = false WHERE id = $1', [w.agent.id]);
    const reopen = suite.app
      .http()
      .post(`/api/conversations/${conversation.id}/reopen`)
      .set(bearer(await signIn(suite.app, w.teamLead)))
      .then((r) => r);
    await sleep(150);
    await hold.release();
    const response = await reopen;
    expect(response.status).toBe(200);
    const stored = await suite.db
      .getRepository(ConversationEntity)
      .findOneByOrFail({ id: conversation.id });
    expect(stored).toMatchObject({ status: 'unassigned', assigneeId: null });
  });

  it('routing re-judges the chosen person under their lock: a role change meanwhile means no assignment', async () => {
    const org = await newStaffedOrganisation(suite.db, { routingStrategy: 'least_loaded' });
    await suite.db.query(
      'UPDATE users SET available = false WHERE organisation_id = $1 AND id <> $2',
      [org.organisation.id, org.agent.id],
    );
    const channel = await newChannelAccount(suite.db, org.organisation);
    const conversation = await newConversation(suite.db, org.organisation, channel);
    const hold = await holdRow('users', org.agent.id);
    const routing = suite.worker.get(RoutingService).routeQueue(org.organisation.id);
    await sleep(150); // routing chose the agent and waits for their row
    await hold.runner.query(`UPDATE users SET role = 'employee', trained_at = NULL WHERE id = $1`, [
      org.agent.id,
    ]);
    await hold.release();
    expect(await routing).toEqual({ assigned: 0, more: false });
    const stored = await suite.db
      .getRepository(ConversationEntity)
      .findOneByOrFail({ id: conversation.id });
    expect(stored.assigneeId).toBeNull();
  });

  it('a burst of parallel guesses gets at most 5 tries at an account', async () => {
    const w = await world();
    const attempts = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        suite.app
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
      const organisation = await suite.db
        .getRepository(OrganisationEntity)
        .save({ name: 'Two admins', slug: `two-admins-${Date.now()}-${trial}` });
      const [a, b] = await Promise.all([
        newUser(suite.db, organisation, { role: 'admin' }),
        newUser(suite.db, organisation, { role: 'admin' }),
      ]);
      const [tokenA, tokenB] = await Promise.all([signIn(suite.app, a), signIn(suite.app, b)]);
      const answers = await Promise.all([
        suite.app.http().patch(`/api/users/${b.id}`).set(bearer(tokenA)).send({ role: 'agent' }),
        suite.app.http().patch(`/api/users/${a.id}`).set(bearer(tokenB)).send({ role: 'agent' }),
      ]);
      const statuses = answers.map((r) => r.status).sort();
      // The loser may also be refused because the winner demoted them first (403 on their next request).
      expect([
        [200, 409],
        [200, 403],
      ]).toContainEqual(statuses);
      const admins = await suite.db
        .getRepository(UserEntity)
        .countBy({ organisationId: organisation.id, role: 'admin', active: true });
      expect(admins).toBe(1);
    }
  });
});
