// GET /api/reports/summary and /api/reports/export.csv (API.md §Audit, reports, privacy): every
// figure checked against hand-computed fixtures with exact times, in the organisation's zone
// across daylight-saving changes, never counting another organisation's rows.
import {
  dataSourceOptions,
  runMigrationsLocked,
  type ChannelAccountEntity,
  type OrganisationEntity,
  type UserEntity,
} from '@toonbank/database';
import type { ReportSummaryDto } from '@toonbank/shared';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import {
  AGENTS_SQL,
  RESPONSE_TIMES_SQL,
  SLA_SQL,
  VOLUME_SQL,
} from '../../libs/reports/src/report-queries';
import { closeTestDatabase, createScratchDatabase, testDatabase } from '../support/database';
import { expectError } from '../support/expect-error';
import {
  newChannelAccount,
  newConversation,
  newInboundMessage,
  newReply,
  newStaffedOrganisation,
  newUser,
} from '../support/factories';
import { bearer, signIn, startTestApp, type TestApp } from '../support/test-app';

type Staffed = Awaited<ReturnType<typeof newStaffedOrganisation>>;

const HOURS = Array.from({ length: 24 }, (_, hour) => hour);
/** 24 hour rows with the given counts, 0 elsewhere. */
const perHour = (counts: Record<number, number>) =>
  HOURS.map((hour) => ({ hour, count: counts[hour] ?? 0 }));
const plus = (iso: string, seconds: number) => new Date(Date.parse(iso) + seconds * 1000);

describe('reports', () => {
  let app: TestApp;
  let db: DataSource;

  beforeAll(async () => {
    db = await testDatabase();
    app = await startTestApp();
  });
  afterAll(async () => {
    await app.close();
    await closeTestDatabase();
  });

  const summary = async (world: Staffed, query: string): Promise<ReportSummaryDto> => {
    const token = await signIn(app, world.teamLead);
    const response = await app.http().get(`/api/reports/summary${query}`).set(bearer(token));
    expect({
      status: response.status,
      body: response.status === 200 ? 'ok' : response.body,
    }).toEqual({ status: 200, body: 'ok' });
    return response.body as ReportSummaryDto;
  };

  /** One channel per organisation for the conversations made by conversationAt. */
  const channels: Record<string, Promise<ChannelAccountEntity>> = {};

  /** A conversation with exact times (created_at is the stored time: set after the insert). */
  const conversationAt = async (
    world: Staffed,
    times: { created: string; firstResponse?: string; closed?: string; due?: string },
    overrides: Parameters<typeof newConversation>[3] = {},
  ) => {
    const channel = await (channels[world.organisation.id] ??= newChannelAccount(
      db,
      world.organisation,
    ));
    const conversation = await newConversation(db, world.organisation, channel, {
      status: 'closed',
      firstResponseAt: times.firstResponse ? new Date(times.firstResponse) : null,
      closedAt: times.closed ? new Date(times.closed) : null,
      slaDueAt: times.due ? new Date(times.due) : null,
      ...overrides,
    });
    await db.query('UPDATE conversations SET created_at = $2 WHERE id = $1', [
      conversation.id,
      times.created,
    ]);
    return conversation;
  };

  /** A conversation answered `seconds` after it was created, by `author`'s sent reply. */
  const answered = async (world: Staffed, created: string, seconds: number, author: UserEntity) => {
    const conversation = await conversationAt(
      world,
      { created, firstResponse: plus(created, seconds).toISOString() },
      { status: 'waiting', assigneeId: author.id },
    );
    await newReply(db, conversation, author, { status: 'sent', sentAt: plus(created, seconds) });
    return conversation;
  };

  const assignedAt = (world: Staffed, conversationId: string, userId: string, at: string) =>
    db.query(
      `INSERT INTO audit_log (organisation_id, at, action, subject_type, subject_id, after)
       VALUES ($1, $2, 'conversation.assigned', 'conversation', $3, $4)`,
      [world.organisation.id, at, conversationId, { assigneeId: userId, status: 'assigned' }],
    );

  describe('first-response and resolution times', () => {
    /**
     * 1–7 June 2026 in Amsterdam (+02:00): [2026-05-31T22:00Z, 2026-06-07T22:00Z).
     * First responses of conversations created in it: 60, 120, 180, 240, 600 s →
     * median 180, p90 = 240 + 0.6 × (600 − 240) = 456. Agent: 60, 120, 600 → median 120;
     * lead: 180, 240 → median 210. Resolutions closed in it: 3600, 7200, 172800 s →
     * median 7200, p90 = 7200 + 0.8 × (172800 − 7200) = 139680.
     */
    const fixture = async (world: Staffed) => {
      const { agent, teamLead } = world;
      const first = await answered(world, '2026-05-31T22:00:00Z', 60, agent); // on the start
      // A later reply by the lead and an earlier unsent one do not make the lead the responder.
      await newReply(db, first, teamLead, {
        status: 'sent',
        sentAt: plus('2026-05-31T22:00:00Z', 300),
      });
      await newReply(db, first, teamLead, { status: 'pending_approval', sentAt: null });
      await answered(world, '2026-06-03T12:00:00Z', 120, agent);
      await answered(world, '2026-06-04T12:00:00Z', 180, teamLead);
      await answered(world, '2026-06-05T12:00:00Z', 240, teamLead);
      await answered(world, '2026-06-07T21:59:59Z', 600, agent); // answered after the window
      await answered(world, '2026-05-31T21:59:59Z', 10, agent); // created before
      await answered(world, '2026-06-07T22:00:00Z', 1, agent); // created on the (exclusive) end
      await conversationAt(world, { created: '2026-06-02T12:00:00Z' }, { status: 'unassigned' });

      await conversationAt(world, {
        created: '2026-06-01T08:00:00Z',
        closed: '2026-06-01T09:00:00Z',
      });
      await conversationAt(world, {
        created: '2026-06-01T08:00:00Z',
        closed: '2026-06-01T10:00:00Z',
      });
      await conversationAt(world, {
        created: '2026-05-30T08:00:00Z',
        closed: '2026-06-01T08:00:00Z',
      });
      await conversationAt(world, {
        created: '2026-06-01T08:00:00Z',
        closed: '2026-06-07T22:00:00Z',
      });
      await conversationAt(world, {
        created: '2026-05-31T08:00:00Z',
        closed: '2026-05-31T21:59:59Z',
      });
    };

    it('gives exact medians and p90s, per agent too, and never counts another organisation', async () => {
      const world = await newStaffedOrganisation(db);
      const other = await newStaffedOrganisation(db);
      await fixture(world);
      await fixture(other);
      await db.query(`UPDATE users SET name = 'Anna Agent' WHERE id = $1`, [world.agent.id]);
      await db.query(`UPDATE users SET name = 'Lotte Lead' WHERE id = $1`, [world.teamLead.id]);

      const report = await summary(world, '?from=2026-06-01&to=2026-06-07');
      expect(report.from).toBe('2026-05-31T22:00:00.000Z');
      expect(report.to).toBe('2026-06-07T22:00:00.000Z');
      expect(report.timeZone).toBe('Europe/Amsterdam');
      expect(report.firstResponse).toEqual({ count: 5, medianSeconds: 180, p90Seconds: 456 });
      expect(report.resolution).toEqual({ count: 3, medianSeconds: 7200, p90Seconds: 139680 });
      expect(report.agents).toEqual([
        {
          userId: world.agent.id,
          name: 'Anna Agent',
          assigned: 0,
          firstResponses: 3,
          medianFirstResponseSeconds: 120,
          slaMet: 0,
          slaBreached: 0,
          openNow: 5, // what they hold now, whatever the window
        },
        {
          userId: world.teamLead.id,
          name: 'Lotte Lead',
          assigned: 0,
          firstResponses: 2,
          medianFirstResponseSeconds: 210,
          slaMet: 0,
          slaBreached: 0,
          openNow: 2,
        },
      ]);
      expect(report.sla).toEqual({ met: 0, breached: 0 });
    });

    it('answers null medians when there is nothing to measure', async () => {
      const world = await newStaffedOrganisation(db);
      const report = await summary(world, '?from=2026-06-01&to=2026-06-07');
      expect(report.firstResponse).toEqual({ count: 0, medianSeconds: null, p90Seconds: null });
      expect(report.resolution).toEqual({ count: 0, medianSeconds: null, p90Seconds: null });
      expect(report.agents).toEqual([]);
      expect(report.volume.total).toBe(0);
      expect(report.volume.perDay.map((d) => d.date)).toEqual([
        '2026-06-01',
        '2026-06-02',
        '2026-06-03',
        '2026-06-04',
        '2026-06-05',
        '2026-06-06',
        '2026-06-07',
      ]);
    });
  });

  describe('SLA met and breached, per agent', () => {
    /**
     * Due times in 1–7 June 2026 (Amsterdam), each conversation created an hour before its due
     * time. Met: answered by the due time (c1, and c11 exactly on it). Breached: answered late
     * (c2, by the lead), flagged then answered (c3), flagged unanswered (c4, agent 2),
     * unanswered and not yet flagged by the sweep (c5, agent 2), closed unanswered after the
     * due time (c7), flagged and unassigned (c8: in the totals, nobody's). Neither: closed
     * unanswered before the due time (c6). Outside: due before (c9) or on the end (c10).
     */
    it('judges each conversation due in the window and gives it to the responder or the assignee', async () => {
      const world = await newStaffedOrganisation(db);
      const other = await newStaffedOrganisation(db);
      let secondId = '';
      for (const w of [other, world]) {
        const second = await newUser(db, w.organisation, { role: 'agent', name: 'Bram Tweede' });
        const { agent, teamLead } = w;
        const due = '2026-06-02T10:00:00Z';
        const created = '2026-06-02T09:00:00Z';
        const c = async (
          times: { firstResponse?: string; closed?: string; due?: string; created?: string },
          overrides: Parameters<typeof newConversation>[3],
          responder?: UserEntity,
        ) => {
          const conversation = await conversationAt(
            w,
            { created: times.created ?? created, due: times.due ?? due, ...times },
            overrides,
          );
          if (responder) {
            await newReply(db, conversation, responder, {
              status: 'sent',
              sentAt: new Date(times.firstResponse!),
            });
          }
          return conversation;
        };
        // c1: answered in time by the agent → met
        const c1 = await c(
          { firstResponse: '2026-06-02T09:30:00Z' },
          { status: 'waiting', assigneeId: agent.id },
          agent,
        );
        // c2: answered late by the lead → breached, the lead’s
        await c(
          { firstResponse: '2026-06-02T10:30:00Z' },
          { status: 'waiting', assigneeId: agent.id },
          teamLead,
        );
        // c3: flagged by the timer, then answered → breached
        await c(
          { firstResponse: '2026-06-02T10:05:00Z' },
          { status: 'waiting', assigneeId: agent.id, slaBreached: true },
          agent,
        );
        // c4: flagged, unanswered, held by agent 2 → breached, theirs
        const c4 = await c({}, { status: 'assigned', assigneeId: second.id, slaBreached: true });
        // c5: unanswered past the due time, not yet flagged → breached
        await c({}, { status: 'assigned', assigneeId: second.id });
        // c6: closed unanswered before the due time → neither
        await c({ closed: '2026-06-02T09:30:00Z' }, { status: 'closed', assigneeId: agent.id });
        // c7: closed unanswered after the due time → breached
        await c({ closed: '2026-06-02T11:00:00Z' }, { status: 'closed', assigneeId: agent.id });
        // c8: flagged and unassigned → breached, nobody’s
        await c({}, { status: 'unassigned', assigneeId: null, slaBreached: true });
        // c9: due before the window
        await c(
          {
            created: '2026-05-31T20:00:00Z',
            due: '2026-05-31T21:00:00Z',
            firstResponse: '2026-05-31T20:30:00Z',
          },
          { status: 'waiting', assigneeId: teamLead.id },
          teamLead,
        );
        // c10: due on the window’s exclusive end
        await c(
          { created: '2026-06-07T21:00:00Z', due: '2026-06-07T22:00:00Z' },
          { status: 'unassigned', assigneeId: null },
        );
        // c11: answered exactly on the due time → met
        await c(
          { firstResponse: due, closed: '2026-06-03T09:00:00Z' },
          { status: 'closed', assigneeId: agent.id },
          agent,
        );
        // Assignments: c1 twice to the agent (one conversation), c4 to agent 2, one to the
        // communications officer, and one before the window.
        await assignedAt(w, c1.id, agent.id, '2026-06-02T09:01:00Z');
        await assignedAt(w, c1.id, agent.id, '2026-06-02T09:02:00Z');
        await assignedAt(w, c4.id, second.id, '2026-06-02T09:01:00Z');
        await assignedAt(w, c4.id, w.communications.id, '2026-06-03T09:00:00Z');
        await assignedAt(w, c1.id, second.id, '2026-05-31T21:59:59Z');
        if (w === world) secondId = second.id;
      }
      for (const [user, name] of [
        [world.agent, 'Anna Agent'],
        [world.teamLead, 'Lotte Lead'],
        [world.communications, 'Carla Comms'],
      ] as const) {
        await db.query('UPDATE users SET name = $2 WHERE id = $1', [user.id, name]);
      }

      const report = await summary(world, '?from=2026-06-01&to=2026-06-07');
      expect(report.sla).toEqual({ met: 2, breached: 6 });
      // Created in the window with a first response: c1 1800, c2 5400, c3 3900, c11 3600 s.
      expect(report.firstResponse).toEqual({ count: 4, medianSeconds: 3750, p90Seconds: 4950 });
      // Closed in the window: c6 1800, c7 7200, c11 86400 s.
      expect(report.resolution).toEqual({ count: 3, medianSeconds: 7200, p90Seconds: 70560 });
      expect(report.agents).toEqual([
        {
          userId: world.agent.id,
          name: 'Anna Agent',
          assigned: 1,
          firstResponses: 3,
          medianFirstResponseSeconds: 3600,
          slaMet: 2,
          slaBreached: 2,
          openNow: 3,
        },
        {
          userId: secondId,
          name: 'Bram Tweede',
          assigned: 1,
          firstResponses: 0,
          medianFirstResponseSeconds: null,
          slaMet: 0,
          slaBreached: 2,
          openNow: 2,
        },
        {
          userId: world.communications.id,
          name: 'Carla Comms',
          assigned: 1,
          firstResponses: 0,
          medianFirstResponseSeconds: null,
          slaMet: 0,
          slaBreached: 0,
          openNow: 0,
        },
        {
          userId: world.teamLead.id,
          name: 'Lotte Lead',
          assigned: 0,
          firstResponses: 1,
          medianFirstResponseSeconds: 5400,
          slaMet: 0,
          slaBreached: 1,
          openNow: 1, // c9, answered before the window and still waiting
        },
      ]);
    });

    it('leaves an SLA that has not fallen due out of both counts', async () => {
      const world = await newStaffedOrganisation(db);
      const now = Date.now();
      const iso = (offsetHours: number) => new Date(now + offsetHours * 3600_000).toISOString();
      // Due in an hour, unanswered: still running. Due in an hour, answered: met already.
      await conversationAt(
        world,
        { created: iso(-1), due: iso(1) },
        { status: 'assigned', assigneeId: world.agent.id },
      );
      const answeredEarly = await conversationAt(
        world,
        { created: iso(-1), due: iso(1), firstResponse: iso(-0.5) },
        { status: 'waiting', assigneeId: world.agent.id },
      );
      await newReply(db, answeredEarly, world.agent, {
        status: 'sent',
        sentAt: new Date(iso(-0.5)),
      });
      const report = await summary(world, `?from=${iso(-24)}&to=${iso(24)}`);
      expect(report.sla).toEqual({ met: 1, breached: 0 });
      expect(report.agents.map((a) => [a.userId, a.slaMet, a.slaBreached, a.openNow])).toEqual([
        [world.agent.id, 1, 0, 2],
      ]);
    });
  });

  describe('volume: inbound messages per channel, hour and day in the organisation’s zone', () => {
    /** Inbound messages at these instants on one conversation of `channel`. */
    const inbound = async (
      world: Staffed,
      channel: Parameters<typeof newConversation>[2],
      instants: string[],
    ) => {
      const conversation = await newConversation(db, world.organisation, channel);
      for (const at of instants) {
        await newInboundMessage(db, conversation, { createdAt: new Date(at) });
      }
      return conversation;
    };

    /**
     * Sunday 29 March 2026 in Amsterdam: 02:00 CET jumps to 03:00 CEST, a 23-hour day,
     * [2026-03-28T23:00Z, 2026-03-29T22:00Z). Hour 2 does not exist that day.
     */
    const springFixture = async (world: Staffed) => {
      const mastodon = await newChannelAccount(db, world.organisation, { name: 'Mastodon' });
      const x = await newChannelAccount(db, world.organisation, { provider: 'x', name: 'X' });
      const removed = await newChannelAccount(db, world.organisation, {
        name: 'Removed, with mail',
        deletedAt: new Date('2026-04-01T00:00:00Z'),
      });
      await newChannelAccount(db, world.organisation, {
        name: 'Removed, silent',
        deletedAt: new Date(),
      });
      const quiet = await newChannelAccount(db, world.organisation, {
        provider: 'bluesky',
        name: 'Quiet',
      });
      const onMastodon = await inbound(world, mastodon, [
        '2026-03-28T22:59:59Z', // 23:59:59 on the 28th
        '2026-03-28T23:00:00Z', // 00:00 → hour 0
        '2026-03-29T00:30:00Z', // 01:30 CET → hour 1
        '2026-03-29T01:30:00Z', // 03:30 CEST → hour 3
        '2026-03-29T21:59:59Z', // 23:59:59 CEST → hour 23
        '2026-03-29T22:00:00Z', // 00:00 on the 30th
      ]);
      await inbound(world, x, [
        '2026-03-29T00:59:59Z', // 01:59:59 CET → hour 1
        '2026-03-29T01:00:00Z', // 03:00 CEST → hour 3
      ]);
      await inbound(world, removed, ['2026-03-29T12:00:00Z']); // 14:00 → hour 14
      // Neither a reply sent nor an internal note is volume.
      await newInboundMessage(db, onMastodon, {
        direction: 'outbound',
        createdAt: new Date('2026-03-29T10:00:00Z'),
      });
      await newInboundMessage(db, onMastodon, {
        direction: 'note',
        externalId: null,
        createdAt: new Date('2026-03-29T10:00:00Z'),
      });
      return { mastodon, x, removed, quiet };
    };

    it('counts the 23-hour spring day of Amsterdam exactly, never another organisation’s', async () => {
      const world = await newStaffedOrganisation(db);
      const other = await newStaffedOrganisation(db);
      await springFixture(other);
      const { mastodon, x, removed, quiet } = await springFixture(world);

      const report = await summary(world, '?from=2026-03-29&to=2026-03-29');
      expect([report.from, report.to]).toEqual([
        '2026-03-28T23:00:00.000Z',
        '2026-03-29T22:00:00.000Z',
      ]);
      expect(report.volume).toEqual({
        total: 7,
        perChannel: [
          { channelId: mastodon.id, name: 'Mastodon', provider: 'mastodon', count: 4 },
          { channelId: x.id, name: 'X', provider: 'x', count: 2 },
          { channelId: removed.id, name: 'Removed, with mail', provider: 'mastodon', count: 1 },
          { channelId: quiet.id, name: 'Quiet', provider: 'bluesky', count: 0 },
        ],
        perHour: perHour({ 0: 1, 1: 2, 3: 2, 14: 1, 23: 1 }),
        perDay: [{ date: '2026-03-29', count: 7 }],
      });

      const days = await summary(world, '?from=2026-03-28&to=2026-03-30');
      expect(days.volume.total).toBe(9);
      expect(days.volume.perDay).toEqual([
        { date: '2026-03-28', count: 1 },
        { date: '2026-03-29', count: 7 },
        { date: '2026-03-30', count: 1 },
      ]);
    });

    it('counts hour 2 twice on the 25-hour autumn day of Amsterdam', async () => {
      const world = await newStaffedOrganisation(db);
      const channel = await newChannelAccount(db, world.organisation);
      await inbound(world, channel, [
        '2026-10-24T21:59:59Z', // 23:59:59 CEST on the 24th
        '2026-10-24T22:00:00Z', // 00:00 CEST → hour 0
        '2026-10-25T00:30:00Z', // 02:30 CEST → hour 2
        '2026-10-25T01:30:00Z', // 02:30 CET → hour 2 again
        '2026-10-25T22:30:00Z', // 23:30 CET → hour 23
        '2026-10-25T23:00:00Z', // 00:00 on the 26th
      ]);
      const report = await summary(world, '?from=2026-10-25&to=2026-10-25');
      expect([report.from, report.to]).toEqual([
        '2026-10-24T22:00:00.000Z',
        '2026-10-25T23:00:00.000Z',
      ]);
      expect(report.volume.total).toBe(4);
      expect(report.volume.perHour).toEqual(perHour({ 0: 1, 2: 2, 23: 1 }));
      expect(report.volume.perDay).toEqual([{ date: '2026-10-25', count: 4 }]);
    });

    it('counts in New York’s zone for an organisation there, and the same instants differently in Amsterdam', async () => {
      // Sunday 8 March 2026 in New York: 02:00 EST jumps to 03:00 EDT,
      // [2026-03-08T05:00Z, 2026-03-09T04:00Z).
      const instants = [
        '2026-03-08T04:59:59Z', // 23:59:59 EST on the 7th
        '2026-03-08T05:00:00Z', // 00:00 EST → hour 0        (Amsterdam 06:00)
        '2026-03-08T06:59:59Z', // 01:59:59 EST → hour 1     (Amsterdam 07:59:59)
        '2026-03-08T07:00:00Z', // 03:00 EDT → hour 3        (Amsterdam 08:00)
        '2026-03-09T03:59:59Z', // 23:59:59 EDT → hour 23    (Amsterdam 04:59:59 on the 9th)
        '2026-03-09T04:00:00Z', // 00:00 EDT on the 9th
      ];
      const newYork = await newStaffedOrganisation(db, { timeZone: 'America/New_York' });
      await inbound(newYork, await newChannelAccount(db, newYork.organisation), instants);
      const report = await summary(newYork, '?from=2026-03-08&to=2026-03-08');
      expect(report).toMatchObject({
        from: '2026-03-08T05:00:00.000Z',
        to: '2026-03-09T04:00:00.000Z',
        timeZone: 'America/New_York',
      });
      expect(report.volume.total).toBe(4);
      expect(report.volume.perHour).toEqual(perHour({ 0: 1, 1: 1, 3: 1, 23: 1 }));
      expect(report.volume.perDay).toEqual([{ date: '2026-03-08', count: 4 }]);

      const amsterdam = await newStaffedOrganisation(db);
      await inbound(amsterdam, await newChannelAccount(db, amsterdam.organisation), instants);
      const same = await summary(
        amsterdam,
        '?from=2026-03-08T00:00:00-05:00&to=2026-03-09T00:00:00-04:00',
      );
      expect(same.volume.total).toBe(4);
      expect(same.volume.perHour).toEqual(perHour({ 4: 1, 6: 1, 7: 1, 8: 1 }));
      expect(same.volume.perDay).toEqual([
        { date: '2026-03-08', count: 3 },
        { date: '2026-03-09', count: 1 },
      ]);
    });
  });

  it('lists the maturity changes of the window oldest first, the organisation’s own only', async () => {
    const world = await newStaffedOrganisation(db);
    const other = await newStaffedOrganisation(db);
    const change = (w: Staffed, from: number, to: number, reason: string, at: string) =>
      db.query(
        `INSERT INTO maturity_changes (organisation_id, "from", "to", reason, by_user_id, at)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [w.organisation.id, from, to, reason, w.admin.id, at],
      );
    await change(world, 1, 2, 'before', '2026-05-31T21:59:59Z');
    await change(world, 2, 3, 'Ambassadors trained', '2026-06-05T08:00:00Z');
    await change(world, 1, 2, 'Growing', '2026-06-01T08:00:00Z');
    await change(world, 3, 1, 'after', '2026-06-07T22:00:00Z');
    await change(other, 1, 3, 'theirs', '2026-06-03T08:00:00Z');
    const report = await summary(world, '?from=2026-06-01&to=2026-06-07');
    expect(report.maturityHistory).toEqual([
      {
        from: 1,
        to: 2,
        reason: 'Growing',
        byUserId: world.admin.id,
        at: '2026-06-01T08:00:00.000Z',
      },
      {
        from: 2,
        to: 3,
        reason: 'Ambassadors trained',
        byUserId: world.admin.id,
        at: '2026-06-05T08:00:00.000Z',
      },
    ]);
  });

  it('defaults to the last seven days in the organisation’s zone, today included', async () => {
    const world = await newStaffedOrganisation(db, { timeZone: 'America/New_York' });
    const tomorrow = DateTime.now().setZone('America/New_York').plus({ days: 1 }).startOf('day');
    const report = await summary(world, '');
    expect([report.from, report.to]).toEqual([
      tomorrow.minus({ days: 7 }).toUTC().toISO(),
      tomorrow.toUTC().toISO(),
    ]);
    expect(report.volume.perDay).toHaveLength(7);
    expect(report.volume.perDay[6]!.date).toBe(tomorrow.minus({ days: 1 }).toISODate());
  });

  describe('refuses a bad window with 400 validation.failed naming the fields', () => {
    it.each([
      ['from after to', '?from=2026-06-08&to=2026-06-07', ['from', 'to']],
      ['a span of 367 days', '?from=2026-01-01&to=2027-01-02', ['from', 'to']],
      ['a date that is not one', '?from=2026-02-30', ['from']],
      ['words', '?from=yesterday&to=today', ['from', 'to']],
      ['a date-time without an offset', '?to=2026-06-07T12:00:00', ['to']],
      ['an empty value', '?from=', ['from']],
      ['a repeated parameter', '?from=2026-06-01&from=2026-06-02', ['from']],
      ['an unknown parameter', '?since=2026-06-01', ['since']],
    ])('%s', async (_label, query, fields) => {
      const world = await newStaffedOrganisation(db);
      const token = await signIn(app, world.admin);
      for (const path of ['/api/reports/summary', '/api/reports/export.csv']) {
        const response = await app.http().get(`${path}${query}`).set(bearer(token));
        expectError(response, 400, 'validation.failed');
        expect({ path, fields: [...response.body.details.fields].sort() }).toEqual({
          path,
          fields,
        });
      }
    });

    it('accepts exactly 366 days', async () => {
      const world = await newStaffedOrganisation(db);
      const report = await summary(world, '?from=2028-01-01&to=2028-12-31');
      expect(report.volume.perDay).toHaveLength(366);
    });
  });

  it('refuses agents, communications officers and employees (403 policy.forbidden)', async () => {
    const world = await newStaffedOrganisation(db, { maturityLevel: 3 });
    for (const user of [world.agent, world.communications, world.employeeTrained]) {
      const token = await signIn(app, user);
      for (const path of ['/api/reports/summary', '/api/reports/export.csv?from=bad']) {
        expectError(await app.http().get(path).set(bearer(token)), 403, 'policy.forbidden');
      }
    }
  });

  it('exports the same tables as CSV: sections, RFC 4180 quoting, formulas neutralised', async () => {
    const world = await newStaffedOrganisation(db);
    const other = await newStaffedOrganisation(db);
    await db.query('UPDATE users SET name = $2 WHERE id = $1', [
      world.agent.id,
      '=HYPERLINK("http://evil.example","klik")',
    ]);
    for (const w of [world, other]) {
      const conversation = await conversationAt(
        w,
        {
          created: '2026-03-29T00:30:00Z',
          firstResponse: '2026-03-29T01:30:00Z',
          closed: '2026-03-29T03:00:00Z',
        },
        { status: 'closed', assigneeId: w.agent.id },
      );
      await db.query('UPDATE channel_accounts SET name = $2 WHERE id = $1', [
        conversation.channelAccountId,
        'Storing, "Noord"',
      ]);
      await newReply(db, conversation, w.agent, {
        status: 'sent',
        sentAt: new Date('2026-03-29T01:30:00Z'),
      });
      await newInboundMessage(db, conversation, { createdAt: new Date('2026-03-29T00:30:00Z') });
      await newInboundMessage(db, conversation, { createdAt: new Date('2026-03-29T01:15:00Z') });
      await db.query(
        `INSERT INTO maturity_changes (organisation_id, "from", "to", reason, by_user_id, at)
         VALUES ($1, 1, 2, $2, $3, '2026-03-29T09:00:00Z')`,
        [w.organisation.id, 'Klaar voor groei,\nmet "ambassadeurs"', w.admin.id],
      );
    }
    const channelId = (
      await db.query('SELECT id FROM channel_accounts WHERE organisation_id = $1 AND name = $2', [
        world.organisation.id,
        'Storing, "Noord"',
      ])
    )[0].id as string;
    const token = await signIn(app, world.teamLead);
    const response = await app
      .http()
      .get('/api/reports/export.csv?from=2026-03-29&to=2026-03-29')
      .set(bearer(token));
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe(
      'attachment; filename="toonbank-report-2026-03-29-2026-03-29.csv"',
    );
    const hours = HOURS.map((hour) => `${hour},${hour === 1 ? 1 : hour === 3 ? 1 : 0}\r\n`).join(
      '',
    );
    expect(response.text).toBe(
      'Report\r\n' +
        'from,to,timeZone\r\n' +
        '2026-03-29T00:00:00+01:00,2026-03-30T00:00:00+02:00,Europe/Amsterdam\r\n' +
        '\r\n' +
        'Response times\r\n' +
        'measure,count,medianSeconds,p90Seconds\r\n' +
        'firstResponse,1,3600,3600\r\n' +
        'resolution,1,9000,9000\r\n' +
        '\r\n' +
        'SLA\r\n' +
        'met,breached\r\n' +
        '0,0\r\n' +
        '\r\n' +
        'Volume\r\n' +
        'total\r\n' +
        '2\r\n' +
        '\r\n' +
        'Volume per channel\r\n' +
        'channelId,name,provider,count\r\n' +
        `${channelId},"Storing, ""Noord""",mastodon,2\r\n` +
        '\r\n' +
        'Volume per hour\r\n' +
        'hour,count\r\n' +
        hours +
        '\r\n' +
        'Volume per day\r\n' +
        'date,count\r\n' +
        '2026-03-29,2\r\n' +
        '\r\n' +
        'Agents\r\n' +
        'userId,name,assigned,firstResponses,medianFirstResponseSeconds,slaMet,slaBreached,openNow\r\n' +
        `${world.agent.id},"'=HYPERLINK(""http://evil.example"",""klik"")",0,1,3600,0,0,0\r\n` +
        '\r\n' +
        'Maturity history\r\n' +
        'at,from,to,reason,byUserId\r\n' +
        `2026-03-29T11:00:00+02:00,1,2,"Klaar voor groei,\nmet ""ambassadeurs""",${world.admin.id}\r\n`,
    );
  });

  it('documents both endpoints and the summary’s shape in the OpenAPI document', async () => {
    const { body } = await app.http().get('/api/docs-json').expect(200);
    const summaryOk = body.paths['/api/reports/summary'].get.responses['200'];
    expect(summaryOk.content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/ReportSummaryResponse',
    });
    expect(Object.keys(body.components.schemas.ReportSummaryResponse.properties).sort()).toEqual([
      'agents',
      'firstResponse',
      'from',
      'maturityHistory',
      'resolution',
      'sla',
      'timeZone',
      'to',
      'volume',
    ]);
    const csvOk = body.paths['/api/reports/export.csv'].get.responses['200'];
    expect(Object.keys(csvOk.content)).toEqual(['text/csv']);
    for (const path of ['/api/reports/summary', '/api/reports/export.csv']) {
      expect(body.paths[path].get.parameters.map((p: { name: string }) => p.name).sort()).toEqual([
        'from',
        'to',
      ]);
    }
  });

  describe('the queries use the indexes on (organisation_id, time) for a 100,000-row organisation', () => {
    let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
    let big: DataSource;
    let organisation: OrganisationEntity;

    /**
     * `count` conversations over a year (created 2025-11-01 onwards, evenly spread), each
     * with an inbound message, a sent reply and an assignment.
     */
    const seed = async (count: number) => {
      const world = await newStaffedOrganisation(big);
      const channel = await newChannelAccount(big, world.organisation);
      await big.query(
        `INSERT INTO conversations (organisation_id, number, channel_account_id, status, assignee_id,
           customer_external_id, customer_handle, last_message_at, created_at, first_response_at,
           closed_at, sla_due_at)
         SELECT $1, g, $2, 'closed', $3, 'c' || g, '@c' || g, t, t,
                t + interval '5 minutes', t + interval '2 hours', t + interval '1 hour'
           FROM generate_series(1, $4::int) g,
                LATERAL (SELECT timestamptz '2025-11-01' + g * (interval '365 days' / $4::int) AS t) x`,
        [world.organisation.id, channel.id, world.agent.id, count],
      );
      // Fresh statistics first: the foreign-key checks below are planned with them.
      await big.query('ANALYZE conversations');
      for (const insert of [
        `INSERT INTO messages (organisation_id, conversation_id, channel_account_id, direction,
           external_id, text, created_at)
         SELECT organisation_id, id, channel_account_id, 'inbound', 'm' || number, 'storing', created_at
           FROM conversations WHERE organisation_id = $1`,
        `INSERT INTO replies (organisation_id, conversation_id, author_id, text, status, sent_at)
         SELECT organisation_id, id, assignee_id, 'Dank u. ^AB', 'sent', first_response_at
           FROM conversations WHERE organisation_id = $1`,
        `INSERT INTO audit_log (organisation_id, at, action, subject_type, subject_id, after)
         SELECT organisation_id, created_at, 'conversation.assigned', 'conversation', id,
                jsonb_build_object('assigneeId', assignee_id)
           FROM conversations WHERE organisation_id = $1`,
      ]) {
        await big.query(insert, [world.organisation.id]);
      }
      return world.organisation;
    };

    // A database of its own: 120,000 rows a table are not left in the shared test database.
    beforeAll(async () => {
      scratch = await createScratchDatabase('toonbank_reports_explain');
      big = new DataSource(dataSourceOptions({ url: scratch.url, poolSize: 2 }));
      await big.initialize();
      await runMigrationsLocked(big);
      organisation = await seed(100_000);
      await seed(20_000); // a neighbour in the same tables
      await big.query('ANALYZE conversations, messages, replies, audit_log');
    }, 300_000);
    afterAll(async () => {
      await big.destroy();
      await scratch.drop();
    });

    const BIG = ['conversations', 'messages', 'replies', 'audit_log'];
    /** Every node of a plan, flattened. */
    const nodesOf = (plan: Record<string, unknown>): Record<string, unknown>[] => [
      plan,
      ...((plan.Plans as Record<string, unknown>[] | undefined) ?? []).flatMap(nodesOf),
    ];

    const TIME_ZONE = ['Europe/Amsterdam'];
    const NOW = [new Date()];
    it.each([
      [
        'response times',
        RESPONSE_TIMES_SQL,
        [],
        [
          'ix_conversations_organisation_id_created_at',
          'ix_conversations_organisation_id_closed_at',
        ],
      ],
      ['volume', VOLUME_SQL, TIME_ZONE, ['ix_messages_organisation_id_direction_created_at']],
      ['SLA', SLA_SQL, NOW, ['ix_conversations_organisation_id_sla_due_at']],
      [
        'agents',
        AGENTS_SQL,
        NOW,
        [
          'ix_conversations_organisation_id_created_at',
          'ix_conversations_organisation_id_sla_due_at',
          /^ix_audit_log_organisation_id_(action_)?at/,
          'ix_replies_conversation_id_created_at',
        ],
      ],
    ] as const)('%s', async (_label, sql, extra, indexes) => {
      // A week of a year: about 1,900 of the 100,000 conversations.
      const values = [organisation.id, '2026-06-01T00:00:00Z', '2026-06-08T00:00:00Z', ...extra];
      const [{ 'QUERY PLAN': plan }] = (await big.query(
        `EXPLAIN (FORMAT JSON) ${sql}`,
        values,
      )) as [{ 'QUERY PLAN': [{ Plan: Record<string, unknown> }] }];
      const nodes = nodesOf(plan[0].Plan);
      const seqScans = nodes
        .filter((n) => n['Node Type'] === 'Seq Scan' && BIG.includes(n['Relation Name'] as string))
        .map((n) => n['Relation Name']);
      expect(seqScans).toEqual([]);
      const used = [...new Set(nodes.map((n) => n['Index Name']).filter(Boolean))].sort();
      expect(used).toEqual(
        expect.arrayContaining(
          indexes.map((index) =>
            typeof index === 'string' ? index : expect.stringMatching(index),
          ),
        ),
      );
    });
  });
});
