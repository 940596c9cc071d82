// GET /api/conversations (API.md §Conversations and messages, SPEC.md §2): the collection's
// shape, its filters, sorts and keyset paging, and what each role sees in the list.
// Against the real API, PostgreSQL and Redis, with no worker (see conversations-suite.ts).
import { randomUUID } from 'node:crypto';
import type { ConversationDto } from '@toonbank/shared';
import { expectError, expectValidation } from '../support/expect-error';
import { newChannelAccount, newConversation } from '../support/factories';
import { bearer } from '../support/test-app';
import { conversationsSuite, LIST } from '../support/conversations-suite';

describe('conversations', () => {
  const { suite, setup, conversation, heldBy, get, act, idsOf, listIds, pageThrough } =
    conversationsSuite();

  describe('GET /api/conversations', () => {
    it('answers the Conversation shape of API.md exactly, in a collection', async () => {
      const world = await setup();
      const bluesky = await newChannelAccount(suite.db, world.organisation, {
        provider: 'bluesky',
      });
      const full = await newConversation(suite.db, world.organisation, bluesky, {
        status: 'assigned',
        assigneeId: world.agent.id,
        assignedAt: new Date(),
        customerHandle: '@jan.bsky.social',
        customerName: 'Jan de Vries',
        language: 'nl',
        labels: ['storing', 'factuur'],
        preview: 'Mijn stroom is uitgevallen',
        lastMessageAt: new Date('2026-03-01T10:00:00.123Z'),
        firstResponseAt: new Date('2026-03-01T10:05:00.000Z'),
        slaDueAt: new Date('2026-03-01T11:00:00.000Z'),
        slaBreached: true,
      });
      const bare = await conversation(world, {
        customerHandle: '@anoniem@social.example',
        customerName: null,
        lastMessageAt: new Date('2026-02-01T09:00:00.000Z'),
      });

      const response = await get(world.tokens.agent, LIST).expect(200);
      const slug = world.organisation.slug.toUpperCase();
      expect(response.body).toEqual({
        items: [
          {
            id: full.id,
            channelId: bluesky.id,
            provider: 'bluesky',
            reference: `${slug}-${full.number}`,
            status: 'assigned',
            assigneeId: world.agent.id,
            customer: { handle: '@jan.bsky.social', name: 'Jan de Vries' },
            language: 'nl',
            labels: ['storing', 'factuur'],
            preview: 'Mijn stroom is uitgevallen',
            lastMessageAt: '2026-03-01T10:00:00.123Z',
            firstResponseAt: '2026-03-01T10:05:00.000Z',
            slaDueAt: '2026-03-01T11:00:00.000Z',
            slaBreached: true,
          },
          {
            id: bare.id,
            channelId: world.channel.id,
            provider: 'mastodon',
            reference: `${slug}-${bare.number}`,
            status: 'unassigned',
            assigneeId: null,
            customer: { handle: '@anoniem@social.example', name: null },
            language: null,
            labels: [],
            preview: '',
            lastMessageAt: '2026-02-01T09:00:00.000Z',
            firstResponseAt: null,
            slaDueAt: null,
            slaBreached: false,
          },
        ],
        nextCursor: null,
      });
      const [first] = response.body.items as ConversationDto[];
      expect(first.reference).toMatch(/^[A-Z0-9-]+-\d+$/);
      expect(bare.number).toBe(full.number + 1);
    });

    it("lists only the caller's organisation, every conversation of it (not only the caller's own)", async () => {
      const a = await setup();
      const b = await setup();
      const mine = await heldBy(a, a.agent);
      const colleagues = await heldBy(a, a.teamLead);
      const queued = await conversation(a);
      const theirs = await Promise.all([conversation(b), heldBy(b, b.agent)]);

      const ids = await listIds(a.tokens.agent);
      expect(ids.sort()).toEqual([mine.id, colleagues.id, queued.id].sort());
      expect((await listIds(b.tokens.admin)).sort()).toEqual(theirs.map((c) => c.id).sort());
    });

    it('keeps listing and reading the conversations of a deleted channel', async () => {
      const world = await setup();
      const c = await conversation(world);
      await suite.db.query('UPDATE channel_accounts SET deleted_at = now() WHERE id = $1', [
        world.channel.id,
      ]);
      expect(await listIds(world.tokens.agent)).toEqual([c.id]);
      expect(await listIds(world.tokens.agent, { channelId: world.channel.id })).toEqual([c.id]);
      const detail = await get(world.tokens.agent, `${LIST}/${c.id}`).expect(200);
      expect(detail.body).toMatchObject({ id: c.id, channelId: world.channel.id });
      await act(world.tokens.agent, c.id, 'claim').expect(200);
    });

    it('filters on status, a comma-separated list; an unknown status is 400 naming status', async () => {
      const world = await setup();
      const unassigned = await conversation(world);
      const assigned = await heldBy(world, world.agent);
      const waiting = await heldBy(world, world.agent, { status: 'waiting' });
      const closed = await heldBy(world, world.agent, { status: 'closed' });
      const token = world.tokens.lead;

      expect(await listIds(token, { status: 'unassigned' })).toEqual([unassigned.id]);
      expect((await listIds(token, { status: 'unassigned,assigned' })).sort()).toEqual(
        [unassigned.id, assigned.id].sort(),
      );
      expect((await listIds(token, { status: 'waiting, closed' })).sort()).toEqual(
        [waiting.id, closed.id].sort(),
      );
      expect((await listIds(token)).sort()).toEqual(
        [unassigned.id, assigned.id, waiting.id, closed.id].sort(),
      );

      const repeated = await suite.app
        .http()
        .get(`${LIST}?status=waiting&status=closed`)
        .set(bearer(token))
        .expect(200);
      expect(idsOf(repeated.body).sort()).toEqual([waiting.id, closed.id].sort());

      for (const status of ['open', 'assigned,bogus', 'ASSIGNED']) {
        const response = await get(token, LIST, { status });
        expectValidation(response, 'status');
        expect(response.body.details.fields).toEqual(['status']);
      }
    });

    it('filters on assignee: me (whatever the role), none, or a user id; anything else is 400', async () => {
      const world = await setup();
      const agents = await conversation(world, {
        status: 'assigned',
        assigneeId: world.agent.id,
      });
      const agentsWaiting = await heldBy(world, world.agent, { status: 'waiting' });
      const leads = await heldBy(world, world.teamLead);
      const nobodys = await conversation(world);

      expect((await listIds(world.tokens.agent, { assignee: 'me' })).sort()).toEqual(
        [agents.id, agentsWaiting.id].sort(),
      );
      expect(await listIds(world.tokens.lead, { assignee: 'me' })).toEqual([leads.id]);
      expect(await listIds(world.tokens.admin, { assignee: 'me' })).toEqual([]);
      expect(await listIds(world.tokens.admin, { assignee: 'none' })).toEqual([nobodys.id]);
      expect((await listIds(world.tokens.admin, { assignee: world.agent.id })).sort()).toEqual(
        [agents.id, agentsWaiting.id].sort(),
      );
      expect(await listIds(world.tokens.admin, { assignee: randomUUID() })).toEqual([]);
      expect(
        await listIds(world.tokens.admin, { assignee: world.agent.id, status: 'waiting' }),
      ).toEqual([agentsWaiting.id]);

      for (const assignee of ['nobody', 'ME', '12345']) {
        const response = await get(world.tokens.admin, LIST, { assignee });
        expectValidation(response, 'assignee');
        expect(response.body.details.fields).toEqual(['assignee']);
      }
    });

    it('filters on channelId (a non-UUID is 400; another organisation’s channel finds nothing)', async () => {
      const world = await setup();
      const other = await setup();
      const x = await newChannelAccount(suite.db, world.organisation, { provider: 'x' });
      const onMastodon = await conversation(world);
      const onX = await newConversation(suite.db, world.organisation, x);
      await conversation(other);

      expect(await listIds(world.tokens.agent, { channelId: x.id })).toEqual([onX.id]);
      expect(await listIds(world.tokens.agent, { channelId: world.channel.id })).toEqual([
        onMastodon.id,
      ]);
      expect(await listIds(world.tokens.agent, { channelId: other.channel.id })).toEqual([]);
      expectValidation(await get(world.tokens.agent, LIST, { channelId: 'x' }), 'channelId');
    });

    it('filters on customer: the handle, case-insensitively', async () => {
      const world = await setup();
      const jan = await conversation(world, { customerHandle: '@Jan@Social.Example' });
      const janAgain = await conversation(world, { customerHandle: '@jan@social.example' });
      await conversation(world, { customerHandle: '@piet@social.example' });
      await conversation(world, { customerHandle: '@jansen@social.example' });

      expect(
        (await listIds(world.tokens.agent, { customer: '@JAN@social.example' })).sort(),
      ).toEqual([jan.id, janAgain.id].sort());
      expect(await listIds(world.tokens.agent, { customer: '@nobody@social.example' })).toEqual([]);
    });

    it('filters on label', async () => {
      const world = await setup();
      const storing = await conversation(world, { labels: ['storing'] });
      const both = await conversation(world, { labels: ['factuur', 'storing'] });
      const factuur = await conversation(world, { labels: ['factuur'] });
      await conversation(world);

      expect((await listIds(world.tokens.agent, { label: 'storing' })).sort()).toEqual(
        [storing.id, both.id].sort(),
      );
      expect((await listIds(world.tokens.agent, { label: 'factuur' })).sort()).toEqual(
        [factuur.id, both.id].sort(),
      );
      expect(await listIds(world.tokens.agent, { label: 'spam' })).toEqual([]);
      expectValidation(await get(world.tokens.agent, LIST, { label: 'Storing' }), 'label');
      expect(await listIds(world.tokens.agent, { label: 'storing', status: 'assigned' })).toEqual(
        [],
      );
    });

    it('searches q in the preview, the handle and the name, case-insensitively; % and _ and \\ are literal', async () => {
      const world = await setup();
      const byPreview = await conversation(world, {
        preview: 'Wij hebben een STORING in Utrecht',
      });
      const byHandle = await conversation(world, { customerHandle: '@storingsmelder@x.example' });
      const byName = await conversation(world, { customerName: 'Mevrouw Storing' });
      const percent = await conversation(world, { preview: 'Ik betaal 100% te veel' });
      const hundred = await conversation(world, { preview: 'Ik betaal 100 euro te veel' });
      const underscore = await conversation(world, { customerHandle: '@jan_de_vries' });
      const noUnderscore = await conversation(world, { customerHandle: '@janxdexvries' });
      const backslash = await conversation(world, { preview: 'map C:\\data\\x' });
      const noBackslash = await conversation(world, { preview: 'map C:data' });
      const token = world.tokens.agent;

      expect((await listIds(token, { q: 'storing' })).sort()).toEqual(
        [byPreview.id, byHandle.id, byName.id].sort(),
      );
      expect(await listIds(token, { q: '100%' })).toEqual([percent.id]);
      expect(await listIds(token, { q: '%' })).toEqual([percent.id]);
      expect(await listIds(token, { q: 'jan_de' })).toEqual([underscore.id]);
      expect(await listIds(token, { q: '_' })).toEqual([underscore.id]);
      expect(await listIds(token, { q: 'C:\\data' })).toEqual([backslash.id]);
      expect(await listIds(token, { q: 'nergens-te-vinden' })).toEqual([]);
      expect((await listIds(token, { q: '100' })).sort()).toEqual([percent.id, hundred.id].sort());
      expect(await listIds(token, { q: 'xdexv' })).toEqual([noUnderscore.id]);
      expect((await listIds(token, { q: 'c:' })).sort()).toEqual(
        [backslash.id, noBackslash.id].sort(),
      );
    });

    it('sorts by activity, newest first with the id as tie-break, and pages through ties (even within one millisecond) exactly once', async () => {
      const world = await setup();
      const other = await setup();
      // [last_message_at with microseconds, how many]
      const times: [string, number][] = [
        ['2026-03-01T10:00:00.500000Z', 5], // a tie of five
        ['2026-03-01T10:00:00.000200Z', 1], // three in the same millisecond,
        ['2026-03-01T10:00:00.000100Z', 2], // two of them tied
        ['2026-03-01T10:00:00.000000Z', 1],
        ['2026-03-01T10:00:01.000000Z', 1],
        ['2026-02-01T08:00:00.000000Z', 1],
      ];
      const rows: { id: string; at: string }[] = [];
      for (const [at, count] of times) {
        for (let i = 0; i < count; i += 1) {
          const created = await conversation(world);
          await suite.db.query('UPDATE conversations SET last_message_at = $2 WHERE id = $1', [
            created.id,
            at,
          ]);
          rows.push({ id: created.id, at });
          // Another organisation's rows at the very same times must never slip in.
          const foreign = await conversation(other);
          await suite.db.query('UPDATE conversations SET last_message_at = $2 WHERE id = $1', [
            foreign.id,
            at,
          ]);
        }
      }
      const expected = [...rows]
        .sort((a, b) => (a.at === b.at ? (a.id < b.id ? 1 : -1) : a.at < b.at ? 1 : -1))
        .map((r) => r.id);
      expect(expected).toHaveLength(11);

      expect(await listIds(world.tokens.agent)).toEqual(expected);
      expect(await listIds(world.tokens.agent, { sort: 'activity' })).toEqual(expected);
      for (const limit of [1, 2, 3, 4, 5, 11, 12]) {
        const { ids, pages } = await pageThrough(world.tokens.agent, { sort: 'activity' }, limit);
        expect({ limit, ids }).toEqual({ limit, ids: expected });
        expect({ limit, pages }).toEqual({ limit, pages: Math.ceil(expected.length / limit) });
      }
      // Paging with a filter, default sort.
      const { ids } = await pageThrough(world.tokens.agent, { status: 'unassigned' }, 2);
      expect(ids).toEqual(expected);
    });

    it('sorts by sla: breached first, then the earliest due, no due time last (id as tie-break), and pages through it exactly once', async () => {
      const world = await setup();
      // [breached, due (microseconds kept) or null, how many]
      const rows: { id: string; breached: boolean; due: string | null }[] = [];
      const specs: [boolean, string | null, number][] = [
        [false, null, 2],
        [false, '2026-03-01T10:20:00.000000Z', 1],
        [true, '2026-03-01T10:10:00.000000Z', 1],
        [false, '2026-03-01T10:01:00.000000Z', 3], // a tie of three
        [true, '2026-03-01T10:05:00.000000Z', 2],
        [true, null, 1],
        [false, '2026-03-01T10:30:00.000200Z', 1], // two in one millisecond
        [false, '2026-03-01T10:30:00.000100Z', 1],
      ];
      for (const [breached, due, count] of specs) {
        for (let i = 0; i < count; i += 1) {
          const created = await conversation(world, { slaBreached: breached });
          await suite.db.query('UPDATE conversations SET sla_due_at = $2 WHERE id = $1', [
            created.id,
            due,
          ]);
          rows.push({ id: created.id, breached, due });
        }
      }
      const key = (r: { breached: boolean; due: string | null }) =>
        `${r.breached ? 0 : 1}|${r.due ?? '~'}`;
      const expected = [...rows]
        .sort((a, b) => {
          const [ka, kb] = [key(a), key(b)];
          if (ka !== kb) return ka < kb ? -1 : 1;
          return a.id < b.id ? -1 : 1;
        })
        .map((r) => r.id);
      expect(expected).toHaveLength(12);

      const first = await get(world.tokens.agent, LIST, { sort: 'sla' }).expect(200);
      expect(idsOf(first.body)).toEqual(expected);
      const flags = (first.body.items as ConversationDto[]).map((c) => c.slaBreached);
      expect(flags).toEqual([true, true, true, true, ...Array<boolean>(8).fill(false)]);
      for (const limit of [1, 2, 3, 5, 12, 13]) {
        const { ids, pages } = await pageThrough(world.tokens.agent, { sort: 'sla' }, limit);
        expect({ limit, ids }).toEqual({ limit, ids: expected });
        expect({ limit, pages }).toEqual({ limit, pages: Math.ceil(expected.length / limit) });
      }
    });

    it('refuses a cursor of one sort used with the other, a forged cursor, and a limit over 200 or below 1', async () => {
      const world = await setup();
      await Promise.all([conversation(world), conversation(world), conversation(world)]);
      const token = world.tokens.agent;
      const activity = (await get(token, LIST, { limit: 1 }).expect(200)).body.nextCursor;
      const sla = (await get(token, LIST, { limit: 1, sort: 'sla' }).expect(200)).body.nextCursor;
      expect(typeof activity).toBe('string');
      expect(typeof sla).toBe('string');

      // Each cursor works with its own sort.
      await get(token, LIST, { limit: 1, cursor: activity }).expect(200);
      await get(token, LIST, { limit: 1, sort: 'sla', cursor: sla }).expect(200);

      expectValidation(await get(token, LIST, { sort: 'sla', cursor: activity }), 'cursor');
      expectValidation(await get(token, LIST, { sort: 'activity', cursor: sla }), 'cursor');
      expectValidation(await get(token, LIST, { cursor: sla }), 'cursor');
      expectValidation(await get(token, LIST, { cursor: `${activity}x` }), 'cursor');
      expectValidation(await get(token, LIST, { cursor: 'not-a-cursor' }), 'cursor');

      await get(token, LIST, { limit: 200 }).expect(200);
      expectValidation(await get(token, LIST, { limit: 201 }), 'limit');
      expectValidation(await get(token, LIST, { limit: 0 }), 'limit');
      expectValidation(await get(token, LIST, { limit: 'ten' }), 'limit');
      expectValidation(await get(token, LIST, { sort: 'newest' }), 'sort');
    });

    it('refuses unknown query parameters', async () => {
      const world = await setup();
      expectError(await get(world.tokens.agent, LIST, { owner: 'me' }), 400, 'validation.failed');
    });
  });
});
