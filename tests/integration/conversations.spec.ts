// The inbox's conversations (API.md §Conversations and messages, SPEC.md §2 and §4): reading
// with filters, sorts and keyset paging; who may read; claim, assign, unassign, close, reopen
// and bulk, each with its audit entry and live event; and the work handed back when someone
// stops being eligible. Against the real API, PostgreSQL and Redis; no worker runs, so the
// routing jobs the API enqueues are never executed and every state stays as the API left it.
import { randomUUID } from 'node:crypto';
import { getQueueToken } from '@nestjs/bullmq';
import {
  AuditLogEntity,
  ConversationEntity,
  MessageEntity,
  OrganisationEntity,
  UserEntity,
  type ChannelAccountEntity,
} from '@toonbank/database';
import {
  JobName,
  QueueName,
  type ConversationDetailDto,
  type ConversationDto,
  type MaturityLevel,
} from '@toonbank/shared';
import type { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import { closeTestDatabase, testDatabase } from '../support/database';
import { expectError, expectValidation } from '../support/expect-error';
import {
  newChannelAccount,
  newConversation,
  newReply,
  newStaffedOrganisation,
  newUser,
  type NewUserOptions,
} from '../support/factories';
import {
  closeAllInboxClients,
  connectInbox,
  EVENT_TIMEOUT_MS,
  sleep,
  SILENCE_MS,
  type InboxClient,
} from '../support/socket-client';
import { bearer, signIn, startTestApp, type TestApp } from '../support/test-app';

type Staffed = Awaited<ReturnType<typeof newStaffedOrganisation>>;
interface World extends Staffed {
  channel: ChannelAccountEntity;
  tokens: {
    admin: string;
    lead: string;
    agent: string;
    comms: string;
    trained: string;
    untrained: string;
  };
}

const LIST = '/api/conversations';

describe('conversations', () => {
  let app: TestApp;
  let db: DataSource;

  beforeAll(async () => {
    db = await testDatabase();
    app = await startTestApp();
  });
  afterEach(() => closeAllInboxClients());
  afterAll(async () => {
    closeAllInboxClients();
    await app.close();
    await closeTestDatabase();
  });

  /** A new organisation with one user of each role, signed in, and a Mastodon channel. */
  const setup = async (overrides: Partial<OrganisationEntity> = {}): Promise<World> => {
    const staffed = await newStaffedOrganisation(db, overrides);
    const channel = await newChannelAccount(db, staffed.organisation);
    const [admin, lead, agent, comms, trained, untrained] = await Promise.all(
      [
        staffed.admin,
        staffed.teamLead,
        staffed.agent,
        staffed.communications,
        staffed.employeeTrained,
        staffed.employeeUntrained,
      ].map((user) => signIn(app, user)),
    );
    return { ...staffed, channel, tokens: { admin, lead, agent, comms, trained, untrained } };
  };

  const conversation = (world: World, overrides: Partial<ConversationEntity> = {}) =>
    newConversation(db, world.organisation, world.channel, overrides);
  const heldBy = (world: World, user: UserEntity, overrides: Partial<ConversationEntity> = {}) =>
    conversation(world, {
      status: 'assigned',
      assigneeId: user.id,
      assignedAt: new Date(),
      ...overrides,
    });
  const anotherUser = async (world: World, options: NewUserOptions = {}) => {
    const user = await newUser(db, world.organisation, options);
    return { user, token: await signIn(app, user) };
  };

  const get = (token: string, path: string, query: Record<string, string | number> = {}) =>
    app.http().get(path).set(bearer(token)).query(query);
  const post = (token: string, path: string, body?: object) => {
    const request = app.http().post(path).set(bearer(token));
    return body === undefined ? request : request.send(body);
  };
  const act = (token: string, id: string, action: string, body?: object) =>
    post(token, `${LIST}/${id}/${action}`, body);

  const response200 = async (request: ReturnType<typeof post>) =>
    (await request.expect(200)).body as ConversationDto;

  const idsOf = (body: { items: ConversationDto[] }) => body.items.map((item) => item.id);
  const listIds = async (token: string, query: Record<string, string | number> = {}) =>
    idsOf((await get(token, LIST, query).expect(200)).body);

  const stored = (id: string) => db.getRepository(ConversationEntity).findOneByOrFail({ id });
  const storedUser = (id: string) => db.getRepository(UserEntity).findOneByOrFail({ id });
  const auditOf = (subjectId: string) =>
    db
      .getRepository(AuditLogEntity)
      .find({ where: { subjectId }, order: { at: 'ASC', id: 'ASC' } });
  const actionsOf = async (subjectId: string) => (await auditOf(subjectId)).map((e) => e.action);
  const setLevel = (world: World, level: MaturityLevel) =>
    db
      .getRepository(OrganisationEntity)
      .update({ id: world.organisation.id }, { maturityLevel: level });

  /** Every page of a listing, checking that each page but the last is full. */
  const pageThrough = async (
    token: string,
    query: Record<string, string | number>,
    limit: number,
  ): Promise<{ ids: string[]; pages: number }> => {
    const ids: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const response = await get(token, LIST, {
        ...query,
        limit,
        ...(cursor ? { cursor } : {}),
      }).expect(200);
      const body = response.body as { items: ConversationDto[]; nextCursor: string | null };
      pages += 1;
      ids.push(...idsOf(body));
      cursor = body.nextCursor;
      if (cursor) expect(body.items).toHaveLength(limit);
      if (pages > 50) throw new Error('paging does not end');
    } while (cursor);
    return { ids, pages };
  };

  /** Waits until the client has received at least `count` conversation.updated events. */
  const updatesOf = async (client: InboxClient, count: number): Promise<ConversationDto[]> => {
    const deadline = Date.now() + EVENT_TIMEOUT_MS;
    while (client.payloadsOf('conversation.updated').length < count) {
      if (Date.now() > deadline) {
        throw new Error(
          `expected ${count} conversation.updated, received ${JSON.stringify(client.received)}`,
        );
      }
      await sleep(20);
    }
    return client.payloadsOf('conversation.updated') as ConversationDto[];
  };

  // ---------------------------------------------------------------------------------------------
  describe('GET /api/conversations', () => {
    it('answers the Conversation shape of API.md exactly, in a collection', async () => {
      const world = await setup();
      const bluesky = await newChannelAccount(db, world.organisation, { provider: 'bluesky' });
      const full = await newConversation(db, world.organisation, bluesky, {
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
      await db.query('UPDATE channel_accounts SET deleted_at = now() WHERE id = $1', [
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

      const repeated = await app
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
      const x = await newChannelAccount(db, world.organisation, { provider: 'x' });
      const onMastodon = await conversation(world);
      const onX = await newConversation(db, world.organisation, x);
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
          await db.query('UPDATE conversations SET last_message_at = $2 WHERE id = $1', [
            created.id,
            at,
          ]);
          rows.push({ id: created.id, at });
          // Another organisation's rows at the very same times must never slip in.
          const foreign = await conversation(other);
          await db.query('UPDATE conversations SET last_message_at = $2 WHERE id = $1', [
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
          await db.query('UPDATE conversations SET sla_due_at = $2 WHERE id = $1', [
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

  // ---------------------------------------------------------------------------------------------
  describe('GET /api/conversations/:id', () => {
    it('answers the conversation with its messages oldest first, in the Message shape', async () => {
      const world = await setup();
      const c = await heldBy(world, world.agent, {
        customerHandle: '@klant@social.example',
        customerName: 'Klant',
        preview: 'Hallo, mijn factuur klopt niet',
        lastMessageAt: new Date('2026-03-01T10:10:00.000Z'),
      });
      const other = await conversation(world);
      const reply = await newReply(db, c, world.agent, { status: 'sent' });
      const messages = db.getRepository(MessageEntity);
      const base = {
        organisationId: world.organisation.id,
        conversationId: c.id,
        channelAccountId: world.channel.id,
      };
      // Stored out of order on purpose.
      const outbound = await messages.save(
        messages.create({
          ...base,
          direction: 'outbound',
          externalId: 'status-200',
          authorHandle: world.channel.handle,
          authorUserId: world.agent.id,
          text: 'Dank voor uw bericht. ^AB',
          replyId: reply.id,
          createdAt: new Date('2026-03-01T10:10:00.000Z'),
        }),
      );
      const inbound = await messages.save(
        messages.create({
          ...base,
          direction: 'inbound',
          externalId: 'status-100',
          authorExternalId: 'acct-1',
          authorHandle: '@klant@social.example',
          authorName: 'Klant',
          text: 'Hallo, mijn factuur klopt niet',
          attachments: [{ type: 'image', url: 'https://social.example/media/1.png' }],
          raw: { id: 'status-100', secret: 'kept inside' },
          createdAt: new Date('2026-03-01T10:00:00.000Z'),
        }),
      );
      const sameTime = new Date('2026-03-01T10:05:00.000Z');
      const notes = await Promise.all(
        ['Even nakijken @AB', 'Klopt, is al gemeld'].map((text) =>
          messages.save(
            messages.create({
              ...base,
              direction: 'note',
              externalId: null,
              authorUserId: world.teamLead.id,
              text,
              createdAt: sameTime,
            }),
          ),
        ),
      );
      notes.sort((a, b) => (a.id < b.id ? -1 : 1));
      await messages.save(
        messages.create({
          ...base,
          conversationId: other.id,
          direction: 'inbound',
          externalId: 'status-999',
          text: 'another conversation',
          createdAt: new Date('2026-03-01T09:00:00.000Z'),
        }),
      );

      const response = await get(world.tokens.agent, `${LIST}/${c.id}`).expect(200);
      const listed = (await get(world.tokens.agent, LIST, { status: 'assigned' }).expect(200)).body
        .items[0] as ConversationDto;
      const body = response.body as ConversationDetailDto;
      const { messages: got, ...conversationPart } = body;
      expect(conversationPart).toEqual(listed);
      expect(conversationPart).toMatchObject({ id: c.id, status: 'assigned' });
      expect(got).toEqual([
        {
          id: inbound.id,
          direction: 'inbound',
          externalId: 'status-100',
          authorHandle: '@klant@social.example',
          authorUserId: null,
          text: 'Hallo, mijn factuur klopt niet',
          attachments: [{ type: 'image', url: 'https://social.example/media/1.png' }],
          createdAt: '2026-03-01T10:00:00.000Z',
          replyId: null,
        },
        ...notes.map((note) => ({
          id: note.id,
          direction: 'note',
          externalId: null,
          authorHandle: null,
          authorUserId: world.teamLead.id,
          text: note.text,
          attachments: [],
          createdAt: '2026-03-01T10:05:00.000Z',
          replyId: null,
        })),
        {
          id: outbound.id,
          direction: 'outbound',
          externalId: 'status-200',
          authorHandle: world.channel.handle,
          authorUserId: world.agent.id,
          text: 'Dank voor uw bericht. ^AB',
          attachments: [],
          createdAt: '2026-03-01T10:10:00.000Z',
          replyId: reply.id,
        },
      ]);
      expect(JSON.stringify(body)).not.toContain('kept inside');

      // Each conversation has only its own messages; one without any has an empty list.
      const otherDetail = await get(world.tokens.agent, `${LIST}/${other.id}`).expect(200);
      expect(otherDetail.body.messages.map((m: { text: string }) => m.text)).toEqual([
        'another conversation',
      ]);
      const fresh = await conversation(world);
      expect(
        (await get(world.tokens.agent, `${LIST}/${fresh.id}`).expect(200)).body.messages,
      ).toEqual([]);
    });

    it("answers 404 for another organisation's conversation, an unknown id and a non-UUID id", async () => {
      const world = await setup();
      const other = await setup();
      const theirs = await conversation(other);
      for (const id of [theirs.id, theirs.id.toUpperCase(), randomUUID(), 'not-a-uuid', '123']) {
        expectError(await get(world.tokens.admin, `${LIST}/${id}`), 404, 'not_found');
      }
      // The same id in upper case is still the same conversation for its own organisation.
      const mine = await conversation(world);
      const upper = await get(world.tokens.admin, `${LIST}/${mine.id.toUpperCase()}`).expect(200);
      expect(upper.body.id).toBe(mine.id);
    });
  });

  // ---------------------------------------------------------------------------------------------
  describe('who may read', () => {
    const reads = async (token: string, id: string) => ({
      list: (await get(token, LIST)).status,
      detail: (await get(token, `${LIST}/${id}`)).status,
    });
    const refusal = async (token: string, id: string) => {
      const [list, detail] = await Promise.all([get(token, LIST), get(token, `${LIST}/${id}`)]);
      return [list, detail].map((r) => `${r.status} ${r.body.code}`);
    };

    it('level 1: agents, team leads and admins read; communications, trained and untrained employees get 403 policy.not_eligible', async () => {
      const world = await setup();
      const c = await conversation(world);
      for (const token of [world.tokens.agent, world.tokens.lead, world.tokens.admin]) {
        expect(await reads(token, c.id)).toEqual({ list: 200, detail: 200 });
      }
      for (const token of [world.tokens.comms, world.tokens.trained, world.tokens.untrained]) {
        expect(await refusal(token, c.id)).toEqual([
          '403 policy.not_eligible',
          '403 policy.not_eligible',
        ]);
      }
    });

    it('level 2: the communications officer reads; employees still do not', async () => {
      const world = await setup({ maturityLevel: 2 });
      const c = await conversation(world);
      for (const token of [
        world.tokens.comms,
        world.tokens.agent,
        world.tokens.lead,
        world.tokens.admin,
      ]) {
        expect(await reads(token, c.id)).toEqual({ list: 200, detail: 200 });
      }
      for (const token of [world.tokens.trained, world.tokens.untrained]) {
        expect(await refusal(token, c.id)).toEqual([
          '403 policy.not_eligible',
          '403 policy.not_eligible',
        ]);
      }
    });

    it('level 3: the trained employee reads; the untrained employee never', async () => {
      const world = await setup({ maturityLevel: 3 });
      const c = await conversation(world);
      expect(await reads(world.tokens.trained, c.id)).toEqual({ list: 200, detail: 200 });
      expect(await reads(world.tokens.comms, c.id)).toEqual({ list: 200, detail: 200 });
      expect(await refusal(world.tokens.untrained, c.id)).toEqual([
        '403 policy.not_eligible',
        '403 policy.not_eligible',
      ]);
    });

    it('reads the maturity level afresh on every request', async () => {
      const world = await setup();
      const c = await conversation(world);
      expect((await get(world.tokens.comms, LIST)).status).toBe(403);
      await setLevel(world, 2);
      expect(await reads(world.tokens.comms, c.id)).toEqual({ list: 200, detail: 200 });
      await setLevel(world, 1);
      expect((await get(world.tokens.comms, LIST)).status).toBe(403);
      // Team leads and admins read whatever the level.
      expect(await reads(world.tokens.lead, c.id)).toEqual({ list: 200, detail: 200 });
    });

    it('answers 401 without a token and for a deactivated user', async () => {
      const world = await setup();
      expectError(await app.http().get(LIST), 401, 'auth.unauthenticated');
      await db.getRepository(UserEntity).update({ id: world.agent.id }, { active: false });
      expectError(await get(world.tokens.agent, LIST), 401, 'auth.unauthenticated');
    });
  });

  // ---------------------------------------------------------------------------------------------
  describe('POST /api/conversations/:id/claim', () => {
    it('gives an unassigned conversation to the eligible caller, audited as claimed, and stamps last_assigned_at', async () => {
      const world = await setup();
      const c = await conversation(world);
      const before = Date.now();
      const response = await act(world.tokens.agent, c.id, 'claim').expect(200);
      expect(response.body).toMatchObject({
        id: c.id,
        status: 'assigned',
        assigneeId: world.agent.id,
      });
      const listed = (await get(world.tokens.agent, LIST).expect(200)).body.items[0];
      expect(response.body).toEqual(listed);
      expect(await stored(c.id)).toMatchObject({ status: 'assigned', assigneeId: world.agent.id });

      const entries = await auditOf(c.id);
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({
        organisationId: world.organisation.id,
        actorId: world.agent.id,
        action: 'conversation.assigned',
        subjectType: 'conversation',
        reason: 'claimed',
        before: { assigneeId: null, status: 'unassigned' },
        after: { assigneeId: world.agent.id, status: 'assigned' },
      });
      const agent = await storedUser(world.agent.id);
      expect(agent.lastAssignedAt).not.toBeNull();
      expect(agent.lastAssignedAt!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    });

    it('team leads and admins may claim too', async () => {
      const world = await setup();
      const [one, two] = await Promise.all([conversation(world), conversation(world)]);
      expect((await act(world.tokens.lead, one.id, 'claim').expect(200)).body.assigneeId).toBe(
        world.teamLead.id,
      );
      expect((await act(world.tokens.admin, two.id, 'claim').expect(200)).body.assigneeId).toBe(
        world.admin.id,
      );
    });

    it('refuses an assigned, waiting or closed conversation with 409 conflict and changes nothing', async () => {
      const world = await setup();
      const { user: agent2, token } = await anotherUser(world);
      const cases = await Promise.all([
        heldBy(world, world.agent),
        heldBy(world, world.agent, { status: 'waiting' }),
        heldBy(world, world.agent, { status: 'closed' }),
        conversation(world, { status: 'closed' }),
      ]);
      for (const c of cases) {
        expectError(await act(token, c.id, 'claim'), 409, 'conflict');
        expect(await stored(c.id)).toMatchObject({ status: c.status, assigneeId: c.assigneeId });
        expect(await auditOf(c.id)).toEqual([]);
      }
      // Also the one who holds it cannot claim it again.
      expectError(await act(world.tokens.agent, cases[0].id, 'claim'), 409, 'conflict');
      expect((await storedUser(agent2.id)).lastAssignedAt).toBeNull();
    });

    it('lets exactly one of two agents claiming at the same time win', async () => {
      const world = await setup();
      const { user: agent2, token: token2 } = await anotherUser(world);
      for (let round = 0; round < 3; round += 1) {
        const c = await conversation(world);
        const [first, second] = await Promise.all([
          act(world.tokens.agent, c.id, 'claim'),
          act(token2, c.id, 'claim'),
        ]);
        expect([first.status, second.status].sort()).toEqual([200, 409]);
        const winner = first.status === 200 ? world.agent.id : agent2.id;
        const loser = first.status === 200 ? second : first;
        expect(loser.body.code).toBe('conflict');
        expect(await stored(c.id)).toMatchObject({ status: 'assigned', assigneeId: winner });
        expect(await actionsOf(c.id)).toEqual(['conversation.assigned']);
      }
    });

    it('refuses an ineligible user with 403 policy.not_eligible, even for an unassigned conversation', async () => {
      const world = await setup();
      const unassigned = await conversation(world);
      const assigned = await heldBy(world, world.agent);
      for (const token of [world.tokens.comms, world.tokens.trained, world.tokens.untrained]) {
        for (const c of [unassigned, assigned]) {
          expectError(await act(token, c.id, 'claim'), 403, 'policy.not_eligible');
        }
      }
      expect(await stored(unassigned.id)).toMatchObject({ status: 'unassigned', assigneeId: null });
      expect(await auditOf(unassigned.id)).toEqual([]);

      // At level 2 the communications officer may.
      await setLevel(world, 2);
      const response = await act(world.tokens.comms, unassigned.id, 'claim').expect(200);
      expect(response.body.assigneeId).toBe(world.communications.id);
    });

    it('ignores capacity: an agent with capacity 0, or already at capacity, may claim', async () => {
      const world = await setup();
      const { user: none, token: noneToken } = await anotherUser(world, { capacity: 0 });
      const { user: full, token: fullToken } = await anotherUser(world, { capacity: 1 });
      await heldBy(world, full);
      const [a, b] = await Promise.all([conversation(world), conversation(world)]);
      expect((await act(noneToken, a.id, 'claim').expect(200)).body.assigneeId).toBe(none.id);
      expect((await act(fullToken, b.id, 'claim').expect(200)).body.assigneeId).toBe(full.id);
    });

    it("answers 404 for another organisation's conversation, an unknown id and a non-UUID id", async () => {
      const world = await setup();
      const other = await setup();
      const theirs = await conversation(other);
      for (const id of [theirs.id, randomUUID(), 'nope']) {
        expectError(await act(world.tokens.agent, id, 'claim'), 404, 'not_found');
      }
      expect(await stored(theirs.id)).toMatchObject({ status: 'unassigned', assigneeId: null });
    });
  });

  // ---------------------------------------------------------------------------------------------
  describe('POST /api/conversations/:id/assign', () => {
    it('a team lead assigns to an eligible agent: 200 assigned, audited, last_assigned_at stamped', async () => {
      const world = await setup();
      const c = await conversation(world);
      const response = await act(world.tokens.lead, c.id, 'assign', {
        userId: world.agent.id,
      }).expect(200);
      expect(response.body).toMatchObject({
        id: c.id,
        status: 'assigned',
        assigneeId: world.agent.id,
      });
      expect(await stored(c.id)).toMatchObject({ status: 'assigned', assigneeId: world.agent.id });
      const entries = await auditOf(c.id);
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({
        actorId: world.teamLead.id,
        action: 'conversation.assigned',
        before: { assigneeId: null, status: 'unassigned' },
        after: { assigneeId: world.agent.id, status: 'assigned' },
      });
      expect((await storedUser(world.agent.id)).lastAssignedAt).not.toBeNull();
    });

    it('an admin reassigns from one agent to another; the audit keeps before and after', async () => {
      const world = await setup();
      const { user: agent2 } = await anotherUser(world);
      const c = await heldBy(world, world.agent);
      const response = await act(world.tokens.admin, c.id, 'assign', {
        userId: agent2.id,
      }).expect(200);
      expect(response.body).toMatchObject({ status: 'assigned', assigneeId: agent2.id });
      const [entry] = await auditOf(c.id);
      expect(entry).toMatchObject({
        actorId: world.admin.id,
        action: 'conversation.assigned',
        before: { assigneeId: world.agent.id, status: 'assigned' },
        after: { assigneeId: agent2.id, status: 'assigned' },
      });
    });

    it('assigns to an unavailable but eligible agent, to a team lead, and at level 2 to a communications officer', async () => {
      const world = await setup();
      const { user: away } = await anotherUser(world, { available: false });
      const [a, b, c] = await Promise.all([
        conversation(world),
        conversation(world),
        conversation(world),
      ]);
      expect(
        (await act(world.tokens.lead, a.id, 'assign', { userId: away.id }).expect(200)).body,
      ).toMatchObject({ status: 'assigned', assigneeId: away.id });
      expect(
        (await act(world.tokens.lead, b.id, 'assign', { userId: world.teamLead.id }).expect(200))
          .body.assigneeId,
      ).toBe(world.teamLead.id);
      await setLevel(world, 2);
      expect(
        (
          await act(world.tokens.lead, c.id, 'assign', {
            userId: world.communications.id,
          }).expect(200)
        ).body.assigneeId,
      ).toBe(world.communications.id);
    });

    it('refuses an ineligible, inactive, unknown or other-organisation target with 422 assignment.not_eligible', async () => {
      const world = await setup();
      const other = await setup();
      const { user: inactive } = await anotherUser(world, { active: false });
      const c = await conversation(world);
      const held = await heldBy(world, world.agent);
      const targets = {
        'communications at level 1': world.communications.id,
        'trained employee at level 1': world.employeeTrained.id,
        'untrained employee': world.employeeUntrained.id,
        inactive: inactive.id,
        unknown: randomUUID(),
        'another organisation’s agent': other.agent.id,
      };
      for (const [what, userId] of Object.entries(targets)) {
        for (const target of [c, held]) {
          const response = await act(world.tokens.lead, target.id, 'assign', { userId });
          expect({ what, status: response.status, code: response.body.code }).toEqual({
            what,
            status: 422,
            code: 'assignment.not_eligible',
          });
        }
      }
      expect(await stored(c.id)).toMatchObject({ status: 'unassigned', assigneeId: null });
      expect(await stored(held.id)).toMatchObject({
        status: 'assigned',
        assigneeId: world.agent.id,
      });
      expect(await auditOf(c.id)).toEqual([]);
      expect(await auditOf(held.id)).toEqual([]);
    });

    it('assigning to the current assignee answers 200 and changes nothing (no audit entry)', async () => {
      const world = await setup();
      const c = await conversation(world);
      const first = await act(world.tokens.lead, c.id, 'assign', {
        userId: world.agent.id,
      }).expect(200);
      const again = await act(world.tokens.lead, c.id, 'assign', {
        userId: world.agent.id,
      }).expect(200);
      expect(again.body).toEqual(first.body);
      expect(await actionsOf(c.id)).toEqual(['conversation.assigned']);
    });

    it('refuses a closed conversation with 409, also when the target is ineligible (409 before 422)', async () => {
      const world = await setup();
      const closed = await heldBy(world, world.agent, { status: 'closed' });
      expectError(
        await act(world.tokens.lead, closed.id, 'assign', { userId: world.agent.id }),
        409,
        'conflict',
      );
      expectError(
        await act(world.tokens.lead, closed.id, 'assign', { userId: world.communications.id }),
        409,
        'conflict',
      );
      expectError(
        await act(world.tokens.lead, closed.id, 'assign', { userId: randomUUID() }),
        409,
        'conflict',
      );
      expect(await stored(closed.id)).toMatchObject({
        status: 'closed',
        assigneeId: world.agent.id,
      });
      expect(await auditOf(closed.id)).toEqual([]);
    });

    it('refuses anyone but team leads and admins with 403 policy.forbidden (before 400 and 404)', async () => {
      const world = await setup();
      const c = await conversation(world);
      for (const token of [world.tokens.agent, world.tokens.comms, world.tokens.untrained]) {
        expectError(
          await act(token, c.id, 'assign', { userId: world.agent.id }),
          403,
          'policy.forbidden',
        );
        expectError(await act(token, randomUUID(), 'assign', {}), 403, 'policy.forbidden');
      }
      expect(await stored(c.id)).toMatchObject({ status: 'unassigned', assigneeId: null });
    });

    it('validates the body (400 naming userId) before looking the conversation up (404), and 404 before 422', async () => {
      const world = await setup();
      const other = await setup();
      const c = await conversation(world);
      const theirs = await conversation(other);
      const lead = world.tokens.lead;
      expectValidation(await act(lead, c.id, 'assign', {}), 'userId');
      expectValidation(await act(lead, c.id, 'assign', { userId: 'someone' }), 'userId');
      expectValidation(await act(lead, randomUUID(), 'assign', {}), 'userId');
      expectValidation(await act(lead, 'not-a-uuid', 'assign', { userId: 42 }), 'userId');
      expectError(
        await act(lead, c.id, 'assign', { userId: world.agent.id, force: true }),
        400,
        'validation.failed',
      );
      for (const id of [theirs.id, randomUUID(), 'not-a-uuid']) {
        expectError(await act(lead, id, 'assign', { userId: world.agent.id }), 404, 'not_found');
        expectError(
          await act(lead, id, 'assign', { userId: world.communications.id }),
          404,
          'not_found',
        );
      }
      expect(await stored(theirs.id)).toMatchObject({ status: 'unassigned', assigneeId: null });
    });

    it('reassigning a waiting conversation keeps it waiting', async () => {
      const world = await setup();
      const { user: agent2 } = await anotherUser(world);
      const c = await heldBy(world, world.agent, { status: 'waiting' });
      const response = await act(world.tokens.lead, c.id, 'assign', {
        userId: agent2.id,
      }).expect(200);
      expect(response.body).toMatchObject({ status: 'waiting', assigneeId: agent2.id });
      expect(await stored(c.id)).toMatchObject({ status: 'waiting', assigneeId: agent2.id });
      const [entry] = await auditOf(c.id);
      expect(entry.after).toEqual({ assigneeId: agent2.id, status: 'waiting' });
    });
  });

  // ---------------------------------------------------------------------------------------------
  describe('unassign, close and reopen', () => {
    it('the assignee unassigns: unassigned, assignee null, audited', async () => {
      const world = await setup();
      const c = await heldBy(world, world.agent);
      const response = await act(world.tokens.agent, c.id, 'unassign').expect(200);
      expect(response.body).toMatchObject({ id: c.id, status: 'unassigned', assigneeId: null });
      expect(await stored(c.id)).toMatchObject({
        status: 'unassigned',
        assigneeId: null,
        previousAssigneeId: world.agent.id,
      });
      const [entry] = await auditOf(c.id);
      expect(entry).toMatchObject({
        actorId: world.agent.id,
        action: 'conversation.unassigned',
        before: { assigneeId: world.agent.id, status: 'assigned' },
        after: { assigneeId: null, status: 'unassigned' },
      });
    });

    it('a team lead unassigns anyone’s conversation, waiting ones too', async () => {
      const world = await setup();
      const assigned = await heldBy(world, world.agent);
      const waiting = await heldBy(world, world.agent, { status: 'waiting' });
      for (const c of [assigned, waiting]) {
        const response = await act(world.tokens.lead, c.id, 'unassign').expect(200);
        expect(response.body).toMatchObject({ status: 'unassigned', assigneeId: null });
        expect(await actionsOf(c.id)).toEqual(['conversation.unassigned']);
      }
    });

    it('unassigning an unassigned conversation is 409', async () => {
      const world = await setup();
      const c = await conversation(world);
      expectError(await act(world.tokens.lead, c.id, 'unassign'), 409, 'conflict');
      expectError(await act(world.tokens.admin, c.id, 'unassign'), 409, 'conflict');
      expect(await auditOf(c.id)).toEqual([]);
    });

    it('another agent gets 403 policy.forbidden on unassign, close and reopen; nothing changes', async () => {
      const world = await setup();
      const { token: otherAgent } = await anotherUser(world);
      const open = await heldBy(world, world.agent);
      const closed = await heldBy(world, world.agent, { status: 'closed' });
      const queued = await conversation(world);
      const attempts: [string, string][] = [
        [open.id, 'unassign'],
        [open.id, 'close'],
        [closed.id, 'reopen'],
        [queued.id, 'close'],
        [queued.id, 'unassign'],
      ];
      for (const [id, action] of attempts) {
        const response = await act(otherAgent, id, action);
        expect({ action, status: response.status, code: response.body.code }).toEqual({
          action,
          status: 403,
          code: 'policy.forbidden',
        });
      }
      expect(await stored(open.id)).toMatchObject({
        status: 'assigned',
        assigneeId: world.agent.id,
      });
      expect(await stored(closed.id)).toMatchObject({
        status: 'closed',
        assigneeId: world.agent.id,
      });
      expect(await stored(queued.id)).toMatchObject({ status: 'unassigned', assigneeId: null });
      for (const c of [open, closed, queued]) expect(await auditOf(c.id)).toEqual([]);
    });

    it("answers 404 (not 403) for another organisation's conversation, whoever asks", async () => {
      const world = await setup();
      const other = await setup();
      const open = await heldBy(other, other.agent);
      const closed = await heldBy(other, other.agent, { status: 'closed' });
      for (const token of [world.tokens.agent, world.tokens.lead, world.tokens.admin]) {
        for (const [id, action] of [
          [open.id, 'unassign'],
          [open.id, 'close'],
          [closed.id, 'reopen'],
          [randomUUID(), 'close'],
          ['not-a-uuid', 'reopen'],
        ]) {
          const response = await act(token, id, action);
          expect({ action, status: response.status, code: response.body.code }).toEqual({
            action,
            status: 404,
            code: 'not_found',
          });
        }
      }
      expect(await stored(open.id)).toMatchObject({
        status: 'assigned',
        assigneeId: other.agent.id,
      });
      expect(await stored(closed.id)).toMatchObject({ status: 'closed' });
    });

    it('ineligible users get 403 policy.not_eligible on unassign, close and reopen', async () => {
      const world = await setup();
      const c = await heldBy(world, world.agent);
      for (const token of [world.tokens.comms, world.tokens.untrained]) {
        for (const action of ['unassign', 'close', 'reopen']) {
          expectError(await act(token, c.id, action), 403, 'policy.not_eligible');
        }
      }
    });

    it('close keeps the assignee; closing twice is 409; a team lead closes an unassigned one', async () => {
      const world = await setup();
      const c = await heldBy(world, world.agent);
      const response = await act(world.tokens.agent, c.id, 'close').expect(200);
      expect(response.body).toMatchObject({
        id: c.id,
        status: 'closed',
        assigneeId: world.agent.id,
      });
      expect(await stored(c.id)).toMatchObject({ status: 'closed', assigneeId: world.agent.id });
      expectError(await act(world.tokens.agent, c.id, 'close'), 409, 'conflict');
      expectError(await act(world.tokens.lead, c.id, 'close'), 409, 'conflict');
      const [entry] = await auditOf(c.id);
      expect(entry).toMatchObject({
        actorId: world.agent.id,
        action: 'conversation.closed',
        before: { status: 'assigned' },
        after: { status: 'closed', assigneeId: world.agent.id },
      });
      expect(await actionsOf(c.id)).toEqual(['conversation.closed']);

      const queued = await conversation(world);
      const waiting = await heldBy(world, world.agent, { status: 'waiting' });
      expect((await act(world.tokens.lead, queued.id, 'close').expect(200)).body).toMatchObject({
        status: 'closed',
        assigneeId: null,
      });
      expect((await act(world.tokens.agent, waiting.id, 'close').expect(200)).body).toMatchObject({
        status: 'closed',
        assigneeId: world.agent.id,
      });
    });

    it('reopen goes back to an eligible, available assignee, whoever reopens', async () => {
      const world = await setup();
      const byLead = await heldBy(world, world.agent, { status: 'closed' });
      const bySelf = await heldBy(world, world.agent, { status: 'closed' });
      for (const [c, token, actor] of [
        [byLead, world.tokens.lead, world.teamLead.id],
        [bySelf, world.tokens.agent, world.agent.id],
      ] as const) {
        const response = await act(token, c.id, 'reopen').expect(200);
        expect(response.body).toMatchObject({
          id: c.id,
          status: 'assigned',
          assigneeId: world.agent.id,
        });
        expect(await stored(c.id)).toMatchObject({
          status: 'assigned',
          assigneeId: world.agent.id,
        });
        const entries = await auditOf(c.id);
        expect(entries).toHaveLength(1);
        expect(entries[0]).toMatchObject({
          actorId: actor,
          action: 'conversation.reopened',
          before: { status: 'closed' },
          after: { status: 'assigned', assigneeId: world.agent.id },
        });
      }
    });

    it('reopen goes to the queue (unassigned, assignee null) when the assignee is now unavailable, ineligible or deactivated', async () => {
      const world = await setup();
      const { user: away } = await anotherUser(world, { available: false });
      const { user: demoted } = await anotherUser(world);
      const { user: gone } = await anotherUser(world);
      const closed = await Promise.all(
        [away, demoted, gone].map((user) => heldBy(world, user, { status: 'closed' })),
      );
      const users = db.getRepository(UserEntity);
      await users.update({ id: demoted.id }, { role: 'communications' }); // not at level 1
      await users.update({ id: gone.id }, { active: false });
      const queuedClosed = await conversation(world, { status: 'closed' });

      for (const c of [...closed, queuedClosed]) {
        const response = await act(world.tokens.lead, c.id, 'reopen').expect(200);
        expect(response.body).toMatchObject({ id: c.id, status: 'unassigned', assigneeId: null });
        expect(await stored(c.id)).toMatchObject({ status: 'unassigned', assigneeId: null });
        const [entry] = await auditOf(c.id);
        expect(entry).toMatchObject({
          action: 'conversation.reopened',
          after: { status: 'unassigned', assigneeId: null },
        });
      }
    });

    it('reopening a conversation that is not closed is 409', async () => {
      const world = await setup();
      const cases = await Promise.all([
        heldBy(world, world.agent),
        heldBy(world, world.agent, { status: 'waiting' }),
        conversation(world),
      ]);
      for (const c of cases) {
        expectError(await act(world.tokens.lead, c.id, 'reopen'), 409, 'conflict');
        expect(await auditOf(c.id)).toEqual([]);
      }
      expectError(await act(world.tokens.agent, cases[0].id, 'reopen'), 409, 'conflict');
    });

    it('audits every change of a conversation’s life, in order', async () => {
      const world = await setup();
      const { user: agent2 } = await anotherUser(world);
      const c = await conversation(world);
      await act(world.tokens.agent, c.id, 'claim').expect(200);
      await act(world.tokens.lead, c.id, 'assign', { userId: agent2.id }).expect(200);
      await act(world.tokens.lead, c.id, 'close').expect(200);
      await act(world.tokens.lead, c.id, 'reopen').expect(200);
      await act(world.tokens.lead, c.id, 'unassign').expect(200);
      expect(await actionsOf(c.id)).toEqual([
        'conversation.assigned',
        'conversation.assigned',
        'conversation.closed',
        'conversation.reopened',
        'conversation.unassigned',
      ]);
      expect((await auditOf(c.id)).map((e) => e.actorId)).toEqual([
        world.agent.id,
        world.teamLead.id,
        world.teamLead.id,
        world.teamLead.id,
        world.teamLead.id,
      ]);
    });
  });

  // ---------------------------------------------------------------------------------------------
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

  // ---------------------------------------------------------------------------------------------
  describe('routing triggers', () => {
    /** The route-queue jobs waiting for this organisation (no worker runs in this suite). */
    const routeJobsOf = async (organisationId: string) => {
      const queue = app.app.get<Queue>(getQueueToken(QueueName.Routing), { strict: false });
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
        connectInbox(app, world.tokens.lead),
        connectInbox(app, world.tokens.agent),
        connectInbox(app, other.tokens.admin),
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
        connectInbox(app, world.tokens.agent),
        connectInbox(app, other.tokens.lead),
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
      const client = await connectInbox(app, world.tokens.lead);
      const assigned = await heldBy(world, world.agent);
      const waiting = await heldBy(world, world.agent, { status: 'waiting' });
      const closed = await heldBy(world, world.agent, { status: 'closed' });
      const colleagues = await heldBy(world, agent2);

      await app
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
      const client = await connectInbox(app, world.tokens.lead);
      const held = await heldBy(world, world.employeeTrained, { status: 'waiting' });
      await app
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
      const client = await connectInbox(app, world.tokens.lead);
      const held = await heldBy(world, world.agent);
      await app
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
      const client = await connectInbox(app, world.tokens.lead);
      const assigned = await heldBy(world, world.agent);
      await app
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
