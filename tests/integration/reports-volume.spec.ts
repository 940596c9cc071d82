// GET /api/reports/summary (API.md §Audit, reports, privacy): inbound volume per channel, hour
// and day in the organisation's zone across daylight-saving changes, the maturity changes of
// the window, and the default window.
import { DateTime } from 'luxon';
import {
  newChannelAccount,
  newConversation,
  newInboundMessage,
  newStaffedOrganisation,
} from '../support/factories';
import { reportsSuite, perHour, type Staffed } from '../support/reports-suite';

describe('reports', () => {
  const { suite, summary } = reportsSuite();

  describe('volume: inbound messages per channel, hour and day in the organisation’s zone', () => {
    /** Inbound messages at these instants on one conversation of `channel`. */
    const inbound = async (
      world: Staffed,
      channel: Parameters<typeof newConversation>[2],
      instants: string[],
    ) => {
      const conversation = await newConversation(suite.db, world.organisation, channel);
      for (const at of instants) {
        await newInboundMessage(suite.db, conversation, { createdAt: new Date(at) });
      }
      return conversation;
    };

    /**
     * Sunday 29 March 2026 in Amsterdam: 02:00 CET jumps to 03:00 CEST, a 23-hour day,
     * [2026-03-28T23:00Z, 2026-03-29T22:00Z). Hour 2 does not exist that day.
     */
    const springFixture = async (world: Staffed) => {
      const mastodon = await newChannelAccount(suite.db, world.organisation, { name: 'Mastodon' });
      const x = await newChannelAccount(suite.db, world.organisation, { provider: 'x', name: 'X' });
      const removed = await newChannelAccount(suite.db, world.organisation, {
        name: 'Removed, with mail',
        deletedAt: new Date('2026-04-01T00:00:00Z'),
      });
      await newChannelAccount(suite.db, world.organisation, {
        name: 'Removed, silent',
        deletedAt: new Date(),
      });
      const quiet = await newChannelAccount(suite.db, world.organisation, {
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
      await newInboundMessage(suite.db, onMastodon, {
        direction: 'outbound',
        createdAt: new Date('2026-03-29T10:00:00Z'),
      });
      await newInboundMessage(suite.db, onMastodon, {
        direction: 'note',
        externalId: null,
        createdAt: new Date('2026-03-29T10:00:00Z'),
      });
      return { mastodon, x, removed, quiet };
    };

    it('counts the 23-hour spring day of Amsterdam exactly, never another organisation’s', async () => {
      const world = await newStaffedOrganisation(suite.db);
      const other = await newStaffedOrganisation(suite.db);
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
      const world = await newStaffedOrganisation(suite.db);
      const channel = await newChannelAccount(suite.db, world.organisation);
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
      const newYork = await newStaffedOrganisation(suite.db, { timeZone: 'America/New_York' });
      await inbound(newYork, await newChannelAccount(suite.db, newYork.organisation), instants);
      const report = await summary(newYork, '?from=2026-03-08&to=2026-03-08');
      expect(report).toMatchObject({
        from: '2026-03-08T05:00:00.000Z',
        to: '2026-03-09T04:00:00.000Z',
        timeZone: 'America/New_York',
      });
      expect(report.volume.total).toBe(4);
      expect(report.volume.perHour).toEqual(perHour({ 0: 1, 1: 1, 3: 1, 23: 1 }));
      expect(report.volume.perDay).toEqual([{ date: '2026-03-08', count: 4 }]);

      const amsterdam = await newStaffedOrganisation(suite.db);
      await inbound(amsterdam, await newChannelAccount(suite.db, amsterdam.organisation), instants);
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
    const world = await newStaffedOrganisation(suite.db);
    const other = await newStaffedOrganisation(suite.db);
    const change = (w: Staffed, from: number, to: number, reason: string, at: string) =>
      suite.db.query(
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
    const world = await newStaffedOrganisation(suite.db, { timeZone: 'America/New_York' });
    const tomorrow = DateTime.now().setZone('America/New_York').plus({ days: 1 }).startOf('day');
    const report = await summary(world, '');
    expect([report.from, report.to]).toEqual([
      tomorrow.minus({ days: 7 }).toUTC().toISO(),
      tomorrow.toUTC().toISO(),
    ]);
    expect(report.volume.perDay).toHaveLength(7);
    expect(report.volume.perDay[6]!.date).toBe(tomorrow.minus({ days: 1 }).toISODate());
  });
});
