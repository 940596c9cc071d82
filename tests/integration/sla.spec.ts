import type { INestApplicationContext } from '@nestjs/common';
import { AuditLogEntity, ConversationEntity, type OrganisationEntity } from '@toonbank/database';
import { JobName, QueueName } from '@toonbank/shared';
import { SlaService, slaTimerJobId } from '@toonbank/sla';
import { Redis } from 'ioredis';
import { SlaProcessor } from '../../apps/worker/src/jobs/sla.processor';
import { newChannelAccount, newConversation, newStaffedOrganisation } from '../support/factories';
import { connectInbox } from '../support/socket-client';
import { useTestApp } from '../support/suite';
import { signIn } from '../support/test-app';
import { queueOn, startTestWorker } from '../support/test-worker';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The first-response SLA (SPEC.md §4) with the real worker, Redis timers and sockets. */
describe('SLA', () => {
  // The suite's own worker (not useTestApp's): one test restarts it. Closed before the app.
  let worker: INestApplicationContext;
  afterAll(() => worker?.close());
  const suite = useTestApp({ redis: 'sla', sockets: 'per-test' });
  beforeAll(async () => {
    worker = await startTestWorker(suite.prefix);
  });

  const sla = () => worker.get(SlaService);
  const world = async () => {
    const staffed = await newStaffedOrganisation(suite.db, { routingStrategy: 'manual' });
    return { ...staffed, channel: await newChannelAccount(suite.db, staffed.organisation) };
  };
  const dueIn = (ms: number) => new Date(Date.now() + ms);
  const reload = (id: string) => suite.db.getRepository(ConversationEntity).findOneByOrFail({ id });
  const until = async (done: () => Promise<boolean>, timeoutMs = 10_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!(await done())) {
      if (Date.now() > deadline) throw new Error('timed out');
      await sleep(50);
    }
  };

  it('flags the breach at the due time, pushes it live and escalates to the team leads, admins and assignee', async () => {
    const w = await world();
    const conversation = await newConversation(suite.db, w.organisation, w.channel, {
      status: 'assigned',
      assigneeId: w.agent.id,
      slaDueAt: dueIn(1000),
    });
    const [lead, admin, agent, comms] = await Promise.all(
      [w.teamLead, w.admin, w.agent, w.communications].map(async (u) =>
        connectInbox(suite.app, await signIn(suite.app, u)),
      ),
    );
    await sla().schedule(conversation);
    await until(async () => (await reload(conversation.id)).slaBreached);

    const updated = (await lead!.nextEvent('conversation.updated')) as {
      id: string;
      slaBreached: boolean;
    };
    expect(updated).toMatchObject({ id: conversation.id, slaBreached: true });
    for (const client of [lead!, admin!, agent!]) {
      expect(await client.nextEvent('notification')).toEqual({
        type: 'sla_breach',
        conversationId: conversation.id,
        text: expect.stringContaining(
          `${w.organisation.slug.toUpperCase()}-${conversation.number}`,
        ),
        reference: `${w.organisation.slug.toUpperCase()}-${conversation.number}`,
      });
    }
    await sleep(200);
    expect(comms!.payloadsOf('notification')).toEqual([]);
    const audit = await suite.db
      .getRepository(AuditLogEntity)
      .findBy({ subjectId: conversation.id, action: 'conversation.sla_breached' });
    expect(audit).toHaveLength(1);
  });

  it('does not flag a conversation that was answered, or closed, in time', async () => {
    const w = await world();
    const answered = await newConversation(suite.db, w.organisation, w.channel, {
      slaDueAt: dueIn(500),
    });
    const closed = await newConversation(suite.db, w.organisation, w.channel, {
      slaDueAt: dueIn(500),
    });
    await sla().schedule(answered);
    await sla().schedule(closed);
    await suite.db
      .getRepository(ConversationEntity)
      .update({ id: answered.id }, { firstResponseAt: new Date() });
    await suite.db
      .getRepository(ConversationEntity)
      .update({ id: closed.id }, { status: 'closed' });
    await until(async () => {
      const jobs = await Promise.all(
        [answered, closed].map((c) =>
          suite.queue(QueueName.Sla).getJob(`sla-${c.id}-${c.slaDueAt!.getTime()}`),
        ),
      );
      return (await Promise.all(jobs.map((j) => j?.isCompleted() ?? true))).every(Boolean);
    });
    expect((await reload(answered.id)).slaBreached).toBe(false);
    expect((await reload(closed.id)).slaBreached).toBe(false);
  });

  it('keeps one timer when scheduled twice, and the timer survives a worker restart', async () => {
    const w = await world();
    const conversation = await newConversation(suite.db, w.organisation, w.channel, {
      slaDueAt: dueIn(2500),
    });
    await sla().schedule(conversation);
    await sla().schedule(conversation);
    const delayed = (await suite.queue(QueueName.Sla).getDelayed()).filter(
      (job) => job.data.conversationId === conversation.id,
    );
    expect(delayed).toHaveLength(1);
    expect(delayed[0]!.name).toBe(JobName.SlaCheck);

    await worker.close(); // the timer lives in Redis, not in the worker
    worker = await startTestWorker(suite.prefix);
    await until(async () => (await reload(conversation.id)).slaBreached);
    const audit = await suite.db
      .getRepository(AuditLogEntity)
      .findBy({ subjectId: conversation.id, action: 'conversation.sla_breached' });
    expect(audit).toHaveLength(1);
  });

  it('the sweep sets lost timers again from PostgreSQL only when Redis lost its data (its sentinel is gone), not every minute', async () => {
    const w = await world();
    const conversation = await newConversation(suite.db, w.organisation, w.channel, {
      slaDueAt: dueIn(10 * 60_000),
    });
    const queue = queueOn(suite.prefix, QueueName.Sla);
    const redis = new Redis(process.env.REDIS_URL as string);
    try {
      const sentinel = queue.toKey('timers-intact');
      const sweep = () => worker.get(SlaProcessor).handlers[JobName.SlaSweep]();
      const timer = () => queue.getJobState(slaTimerJobId(conversation));

      await redis.del(sentinel);
      await sweep();
      expect(await timer()).toBe('delayed');
      expect(await redis.ttl(sentinel)).toBeGreaterThan(3500);

      // Redis kept its data (the sentinel is there): a timer removed by hand stays removed.
      await queue.remove(slaTimerJobId(conversation));
      await sweep();
      expect(await timer()).toBe('unknown');

      // The sentinel gone (Redis back empty): the next sweep scans and sets it again.
      await redis.del(sentinel);
      await sweep();
      expect(await timer()).toBe('delayed');
    } finally {
      await queue.close();
      redis.disconnect();
    }
  });

  it('the sweep flags what a lost timer missed, once', async () => {
    const w = await world();
    const overdue = await newConversation(suite.db, w.organisation, w.channel, {
      slaDueAt: new Date(Date.now() - 60_000),
    });
    const notYet = await newConversation(suite.db, w.organisation, w.channel, {
      slaDueAt: dueIn(60 * 60_000),
    });
    // Scoped to this organisation: the shared test database holds other suites' overdue rows.
    expect(await sla().sweep(new Date(), w.organisation.id)).toBe(1);
    expect((await reload(overdue.id)).slaBreached).toBe(true);
    expect((await reload(notYet.id)).slaBreached).toBe(false);
    expect(await sla().sweep(new Date(), w.organisation.id)).toBe(0);
    const audit = await suite.db
      .getRepository(AuditLogEntity)
      .findBy({ subjectId: overdue.id, action: 'conversation.sla_breached' });
    expect(audit).toHaveLength(1);
  });

  it('counts the due time in the organisation’s business hours', async () => {
    const w = await world();
    const organisation: OrganisationEntity = {
      ...w.organisation,
      slaFirstResponseMinutes: 60,
      businessHours: { mon: [['09:00', '17:00']] },
      timeZone: 'Europe/Amsterdam',
    };
    // Monday 16:30 in Amsterdam: 30 minutes today, 30 next Monday from 09:00.
    expect(sla().dueAt(organisation, new Date('2026-11-23T15:30:00Z')).toISOString()).toBe(
      '2026-11-30T08:30:00.000Z',
    );
  });
});
