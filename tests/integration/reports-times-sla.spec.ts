// GET /api/reports/summary (API.md §Audit, reports, privacy): first-response and resolution
// times, and the SLA met and breached per agent, checked against hand-computed fixtures with
// exact times, never counting another organisation's rows.
import type { UserEntity } from '@toonbank/database';
import { newConversation, newReply, newStaffedOrganisation, newUser } from '../support/factories';
import { reportsSuite, plus, type Staffed } from '../support/reports-suite';

describe('reports', () => {
  const { suite, summary, conversationAt, answered, assignedAt } = reportsSuite();

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
      await newReply(suite.db, first, teamLead, {
        status: 'sent',
        sentAt: plus('2026-05-31T22:00:00Z', 300),
      });
      await newReply(suite.db, first, teamLead, { status: 'pending_approval', sentAt: null });
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
      const world = await newStaffedOrganisation(suite.db);
      const other = await newStaffedOrganisation(suite.db);
      await fixture(world);
      await fixture(other);
      await suite.db.query(`UPDATE users SET name = 'Anna Agent' WHERE id = $1`, [world.agent.id]);
      await suite.db.query(`UPDATE users SET name = 'Lotte Lead' WHERE id = $1`, [
        world.teamLead.id,
      ]);

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
      const world = await newStaffedOrganisation(suite.db);
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
      const world = await newStaffedOrganisation(suite.db);
      const other = await newStaffedOrganisation(suite.db);
      let secondId = '';
      for (const w of [other, world]) {
        const second = await newUser(suite.db, w.organisation, {
          role: 'agent',
          name: 'Bram Tweede',
        });
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
            await newReply(suite.db, conversation, responder, {
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
        await suite.db.query('UPDATE users SET name = $2 WHERE id = $1', [user.id, name]);
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
      const world = await newStaffedOrganisation(suite.db);
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
      await newReply(suite.db, answeredEarly, world.agent, {
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
});
