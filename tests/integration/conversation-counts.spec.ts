// GET /api/conversations/counts and the socket event `counts.updated` (issue 14): the numbers
// are the inbox tabs' (what the list endpoint lists for each tab), capped at 1000, counted at
// most once per 5 s per organisation, and pushed once per window to each reader whose numbers
// changed, never to anyone else.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { InboundItem } from '@toonbank/channels';
import { ConversationCounts, COUNTS_WINDOW_MS } from '@toonbank/conversations';
import {
  ConversationEntity,
  OrganisationEntity,
  takeConversationNumbers,
  type UserEntity,
} from '@toonbank/database';
import { IngestWriter } from '@toonbank/ingest';
import { REDIS, RedisConnections } from '@toonbank/platform';
import { isLead } from '@toonbank/policy';
import {
  COUNT_CAP,
  type ConversationCountsDto,
  type ConversationDto,
  type ConversationStatus,
  type MaturityLevel,
  QueueName,
} from '@toonbank/shared';
import { newChannelAccount, newConversation, newOrganisation, newUser } from '../support/factories';
import {
  KINDS,
  LEVELS,
  memberOf,
  newMatrixOrganisation,
  readsInbox,
  type MatrixOrganisation,
} from '../support/permission-world';
import {
  connectInbox,
  EVENT_TIMEOUT_MS,
  SILENCE_MS,
  type InboxClient,
} from '../support/socket-client';
import { useTestApp } from '../support/suite';
import { bearer, signIn } from '../support/test-app';

const COUNTS = '/api/conversations/counts';
const TABS = ['mine', 'unassigned', 'waiting', 'closed'] as const;
type Tab = (typeof TABS)[number];
/** The window, then the time any event may take to arrive. */
const WINDOW_WAIT_MS = COUNTS_WINDOW_MS + EVENT_TIMEOUT_MS;

/** What the web app's inbox tabs list (apps/web/src/inbox/InboxPage.tsx `tabFilters`). */
const tabQuery = (tab: Tab, user: UserEntity): Record<string, string> =>
  ({
    mine: { status: 'assigned', assignee: 'me' },
    unassigned: { status: 'unassigned' },
    waiting: isLead(user.role) ? { status: 'waiting' } : { status: 'waiting', assignee: 'me' },
    closed: { status: 'closed' },
  })[tab];

/** A customer's post as a channel delivers it to the ingest. */
const inbound = (text: string): InboundItem => ({
  externalId: `post-${randomUUID()}`,
  authorExternalId: `customer-${randomUUID()}`,
  authorHandle: `@klant-${randomUUID().slice(0, 8)}@social.example`,
  authorName: 'Klant',
  text,
  createdAt: new Date(),
  inReplyToExternalId: null,
  threadRootExternalId: null,
  visibility: 'public',
  language: 'nl',
  attachments: [],
  raw: {},
});

describe('the inbox counts', () => {
  const suite = useTestApp({ redis: 'counts', worker: true, sockets: 'per-test' });

  const get = async (user: UserEntity, path: string, query: Record<string, string> = {}) =>
    suite.app
      .http()
      .get(path)
      .set(bearer(await signIn(suite.app, user)))
      .query(query);

  const countsOf = async (user: UserEntity): Promise<ConversationCountsDto> => {
    const response = await get(user, COUNTS);
    expect([response.status, response.body]).toEqual([200, expect.anything()]);
    return response.body as ConversationCountsDto;
  };

  /** How many conversations the list endpoint lists for this tab (every page). */
  const listed = async (user: UserEntity, tab: Tab): Promise<number> => {
    let total = 0;
    let cursor: string | null = null;
    do {
      const query: Record<string, string> = {
        ...tabQuery(tab, user),
        limit: '200',
        ...(cursor ? { cursor } : {}),
      };
      const response = await get(user, '/api/conversations', query);
      expect(response.status).toBe(200);
      const body = response.body as { items: unknown[]; nextCursor: string | null };
      total += body.items.length;
      cursor = body.nextCursor;
    } while (cursor);
    return total;
  };

  /** The list's totals per tab, capped as the counts are. */
  const listedTabs = async (user: UserEntity) => {
    const totals = {} as Record<Tab, number>;
    for (const tab of TABS) totals[tab] = Math.min(await listed(user, tab), COUNT_CAP);
    return totals;
  };

  const tabsOf = (counts: ConversationCountsDto) =>
    Object.fromEntries(TABS.map((tab) => [tab, counts[tab]])) as Record<Tab, number>;

  const setLevel = (organisationId: string, level: MaturityLevel) =>
    suite.db
      .getRepository(OrganisationEntity)
      .update({ id: organisationId }, { maturityLevel: level });

  /** `count` conversations of one status, written in one statement. */
  const bulk = async (
    org: { organisation: OrganisationEntity; channel: { id: string } },
    status: ConversationStatus,
    count: number,
    assigneeId: string | null = null,
  ) => {
    const first = await takeConversationNumbers(suite.db.manager, org.organisation.id, count);
    await suite.db.manager.insert(
      ConversationEntity,
      Array.from({ length: count }, (_, index) => ({
        organisationId: org.organisation.id,
        channelAccountId: org.channel.id,
        number: first + index,
        status,
        assigneeId,
        customerExternalId: `bulk-${randomUUID()}`,
        customerHandle: `@bulk-${index}@klant.example`,
        lastMessageAt: new Date(Date.now() - index * 1000),
        closedAt: status === 'closed' ? new Date() : null,
      })),
    );
  };

  describe('GET /api/conversations/counts', () => {
    let org: MatrixOrganisation;

    beforeAll(async () => {
      org = await newMatrixOrganisation(suite.db);
      // Every kind holds work in every open state, so that each one's Mine and Waiting differ.
      for (const [index, kind] of KINDS.entries()) {
        const user = memberOf(org, kind);
        await bulk(org, 'assigned', index + 1, user.id);
        await bulk(org, 'waiting', 6 - index, user.id);
        await bulk(org, 'closed', 2, user.id);
      }
      await bulk(org, 'unassigned', 7);
      await bulk(org, 'closed', 3);
    });

    it.each(LEVELS)(
      'at level %i, every kind of user gets the list endpoint’s totals of its tabs, or its refusal',
      async (level) => {
        await setLevel(org.organisation.id, level);
        for (const kind of KINDS) {
          const user = memberOf(org, kind);
          const counts = await get(user, COUNTS);
          if (!readsInbox({ kind, level })) {
            const list = await get(user, '/api/conversations');
            expect([kind, counts.status, counts.body.code]).toEqual([
              kind,
              list.status,
              list.body.code,
            ]);
            expect(counts.status).toBe(403);
            continue;
          }
          expect([kind, counts.status]).toEqual([kind, 200]);
          expect([kind, tabsOf(counts.body as ConversationCountsDto)]).toEqual([
            kind,
            await listedTabs(user),
          ]);
        }
      },
    );

    it('has exactly the contract’s fields', async () => {
      await setLevel(org.organisation.id, 2);
      const body = await countsOf(org.agent);
      expect(Object.keys(body).sort()).toEqual([
        'closed',
        'computedAt',
        'mine',
        'unassigned',
        'waiting',
      ]);
      expect(new Date(body.computedAt).toISOString()).toBe(body.computedAt);
      // The agent (the third kind) holds 3 assigned and 4 waiting; a lead sees every waiting one.
      expect(tabsOf(body)).toEqual({ mine: 3, unassigned: 7, waiting: 4, closed: 15 });
      const lead = await countsOf(org.teamLead);
      expect(lead.waiting).toBe(6 + 5 + 4 + 3 + 2 + 1);
    });

    it('caps each number at 1000 ("more than 999"), however long the list', async () => {
      const capped = await newMatrixOrganisation(suite.db);
      await bulk(capped, 'closed', 1005);
      await bulk(capped, 'unassigned', 999);
      await bulk(capped, 'waiting', 1000, capped.agent.id);
      await setLevel(capped.organisation.id, 2);
      const counts = await countsOf(capped.admin);
      expect(tabsOf(counts)).toEqual({ mine: 0, unassigned: 999, waiting: 1000, closed: 1000 });
      expect(tabsOf(counts)).toEqual(await listedTabs(capped.admin));
      const agent = await countsOf(capped.agent);
      expect(agent.waiting).toBe(1000);
    });

    it('reads a snapshot: requests in a row do not count again', async () => {
      const quiet = await newMatrixOrganisation(suite.db);
      await bulk(quiet, 'unassigned', 2);
      const first = await countsOf(quiet.admin);
      // Written behind the API's back (nothing announces it): the snapshot does not see it.
      await bulk(quiet, 'unassigned', 3);
      for (const user of [quiet.admin, quiet.teamLead, quiet.agent]) {
        const again = await countsOf(user);
        expect(again).toMatchObject({ unassigned: 2, computedAt: first.computedAt });
      }
    });

    it('refuses a caller without a token (401), like the list', async () => {
      const response = await suite.app.http().get(COUNTS);
      expect([response.status, response.body.code]).toEqual([401, 'auth.unauthenticated']);
    });
  });

  describe('previews without our own @handle', () => {
    it('a row stored with the handle in front is listed and shown without it', async () => {
      const org = await newMatrixOrganisation(suite.db);
      const handle = org.channel.handle as string;
      const [old, other, only] = await Promise.all(
        [`${handle} Mijn stroom is uitgevallen.`, '@buurman kijk even', handle].map((preview) =>
          newConversation(suite.db, org.organisation, org.channel, { preview }),
        ),
      );
      const response = await get(org.admin, '/api/conversations', { status: 'unassigned' });
      const previews = Object.fromEntries(
        (response.body.items as ConversationDto[]).map((c) => [c.id, c.preview]),
      );
      expect(previews).toEqual({
        [old.id]: 'Mijn stroom is uitgevallen.',
        [other.id]: '@buurman kijk even',
        [only.id]: handle,
      });
      const detail = await get(org.admin, `/api/conversations/${old.id}`);
      expect(detail.body.preview).toBe('Mijn stroom is uitgevallen.');
    });

    it('the ingest stores a moved-on conversation’s preview without it too', async () => {
      const organisation = await newOrganisation(suite.db, { routingStrategy: 'manual' });
      const channel = await newChannelAccount(suite.db, organisation, {
        handle: '@webcare@energie.example',
      });
      const ingest = suite.worker.get(IngestWriter);
      const first = inbound('@webcare@energie.example Mijn stroom is uitgevallen.');
      await ingest.write(organisation.id, channel.id, [first], null);
      const followUp = {
        ...inbound('@WebCare, @webcare@energie.example: al iets bekend?'),
        authorExternalId: first.authorExternalId,
        authorHandle: first.authorHandle,
        createdAt: new Date(first.createdAt.getTime() + 1000),
      };
      await ingest.write(organisation.id, channel.id, [followUp], null);
      const rows = await suite.db
        .getRepository(ConversationEntity)
        .findBy({ organisationId: organisation.id });
      expect(rows.map((row) => row.preview)).toEqual(['al iets bekend?']);
    });
  });

  describe('counts.updated', () => {
    /** The organisation's counts jobs not done yet. */
    const countJobsOf = async (organisationId: string) =>
      (
        await suite.queue(QueueName.Counts).getJobs(['active', 'waiting', 'delayed', 'prioritized'])
      ).filter((job) => job?.data.organisationId === organisationId).length;

    it('a burst of 20 changes gives each reader exactly one event per window, with the final numbers, and no one else any', async () => {
      const a = await newMatrixOrganisation(suite.db);
      const b = await newMatrixOrganisation(suite.db);
      for (const org of [a, b]) {
        await suite.db
          .getRepository(OrganisationEntity)
          .update({ id: org.organisation.id }, { maturityLevel: 1, routingStrategy: 'manual' });
      }
      const open = await Promise.all(
        Array.from({ length: 12 }, () =>
          newConversation(suite.db, a.organisation, a.channel, { status: 'unassigned' }),
        ),
      );
      const connect = async (user: UserEntity) =>
        connectInbox(suite.app, await signIn(suite.app, user));
      // At level 1 the agent, the team lead and the admin read the inbox; communications and
      // the employees may not, and B's people are another organisation.
      const readers = { admin: a.admin, team_lead: a.teamLead, agent: a.agent };
      const sockets = Object.fromEntries(
        await Promise.all(
          Object.entries(readers).map(async ([kind, user]) => [kind, await connect(user)]),
        ),
      ) as Record<keyof typeof readers, InboxClient>;
      const outsiders = await Promise.all(
        [a.communications, a.employeeTrained, a.employeeUntrained, b.admin, b.agent].map(connect),
      );
      const agentToken = await signIn(suite.app, a.agent);
      const ingest = suite.worker.get(IngestWriter);
      const act = (id: string, action: string) =>
        suite.app
          .http()
          .post(`/api/conversations/${id}/${action}`)
          .set(bearer(agentToken))
          .expect(200);

      // 20 changes: 8 claims, 6 of them closed again, 6 new conversations. The counts queue
      // holds its jobs meanwhile, so that however long the burst takes, no count runs inside it
      // (a slower burst adds a job per window: the ones after the first count the same numbers).
      const counts = suite.queue(QueueName.Counts);
      await counts.pause();
      try {
        for (const conversation of open.slice(0, 8)) await act(conversation.id, 'claim');
        for (const conversation of open.slice(0, 6)) await act(conversation.id, 'close');
        for (let i = 0; i < 6; i++) {
          await ingest.write(a.organisation.id, a.channel.id, [inbound(`Storing ${i}`)], null);
        }
      } finally {
        await counts.resume();
      }

      for (const socket of Object.values(sockets)) {
        await socket.nextEvent('counts.updated', WINDOW_WAIT_MS);
      }
      const firsts = Object.fromEntries(
        Object.entries(sockets).map(([kind, socket]) => [
          kind,
          socket.payloadsOf('counts.updated'),
        ]),
      ) as Record<string, ConversationCountsDto[]>;
      for (const [kind, user] of Object.entries(readers)) {
        expect([kind, firsts[kind]!.length]).toEqual([kind, 1]);
        expect([kind, tabsOf(firsts[kind]![0]!)]).toEqual([kind, await listedTabs(user)]);
      }
      expect(tabsOf(firsts.agent![0]!)).toEqual({ mine: 2, unassigned: 10, waiting: 0, closed: 6 });

      // The burst's jobs are done (a slow burst's later ones told no one): one more change,
      // whose event comes a window after the first, and is the second only.
      await pollUntil(async () => (await countJobsOf(a.organisation.id)) === 0, WINDOW_WAIT_MS);
      await act(open[6]!.id, 'close');
      for (const socket of Object.values(sockets)) {
        await waitFor(() => socket.payloadsOf('counts.updated').length >= 2, WINDOW_WAIT_MS);
      }
      await sleepFor(SILENCE_MS);
      for (const [kind, socket] of Object.entries(sockets)) {
        const [first, second] = socket.payloadsOf('counts.updated') as ConversationCountsDto[];
        expect([kind, socket.payloadsOf('counts.updated').length]).toEqual([kind, 2]);
        const apart = Date.parse(second!.computedAt) - Date.parse(first!.computedAt);
        expect([kind, apart >= COUNTS_WINDOW_MS]).toEqual([kind, true]);
        expect(second!.closed).toBe(7);
      }
      expect(
        tabsOf(sockets.agent.payloadsOf('counts.updated')[1] as ConversationCountsDto),
      ).toEqual(await listedTabs(a.agent));
      await sleepFor(SILENCE_MS);
      expect(outsiders.map((socket) => socket.payloadsOf('counts.updated'))).toEqual(
        outsiders.map(() => []),
      );
    });

    it('tells only those whose numbers changed: a hand-over between two people tells those two', async () => {
      const a = await newMatrixOrganisation(suite.db);
      await suite.db
        .getRepository(OrganisationEntity)
        .update({ id: a.organisation.id }, { maturityLevel: 3, routingStrategy: 'manual' });
      const held = await newConversation(suite.db, a.organisation, a.channel, {
        status: 'assigned',
        assigneeId: a.agent.id,
      });
      const queued = await newConversation(suite.db, a.organisation, a.channel);
      const connect = async (user: UserEntity) =>
        connectInbox(suite.app, await signIn(suite.app, user));
      const [admin, agent, comms, trained] = await Promise.all(
        [a.admin, a.agent, a.communications, a.employeeTrained].map(connect),
      );
      const leadToken = await signIn(suite.app, a.teamLead);
      const lead = (path: string, body?: object) =>
        suite.app.http().post(path).set(bearer(leadToken)).send(body).expect(200);

      // A claim empties the queue by one: everyone who reads the inbox hears.
      await lead(`/api/conversations/${queued.id}/claim`);
      for (const socket of [admin, agent, comms, trained]) {
        await socket.nextEvent('counts.updated', WINDOW_WAIT_MS);
      }
      expect(agent.payloadsOf('counts.updated')[0]).toMatchObject({ mine: 1, unassigned: 0 });
      // The agent's conversation goes to the communications officer: only their Mine changes.
      await lead(`/api/conversations/${held.id}/assign`, { userId: a.communications.id });
      await waitFor(() => agent.payloadsOf('counts.updated').length >= 2, WINDOW_WAIT_MS);
      await waitFor(() => comms.payloadsOf('counts.updated').length >= 2, WINDOW_WAIT_MS);
      await sleepFor(SILENCE_MS);
      expect(agent.payloadsOf('counts.updated')[1]).toMatchObject({ mine: 0 });
      expect(comms.payloadsOf('counts.updated')[1]).toMatchObject({ mine: 1 });
      expect(admin.payloadsOf('counts.updated')).toHaveLength(1);
      expect(trained.payloadsOf('counts.updated')).toHaveLength(1);
    });

    it('a change whose job finds the turn taken is counted when the turn ends, not lost', async () => {
      const a = await newMatrixOrganisation(suite.db);
      await suite.db
        .getRepository(OrganisationEntity)
        .update({ id: a.organisation.id }, { maturityLevel: 1, routingStrategy: 'manual' });
      const queued = await newConversation(suite.db, a.organisation, a.channel);
      const admin = await connectInbox(suite.app, await signIn(suite.app, a.admin));
      await suite.app
        .http()
        .post(`/api/conversations/${queued.id}/claim`)
        .set(bearer(await signIn(suite.app, a.agent)))
        .expect(200);
      // Another process counted just now (a reader without a snapshot): its turn outlasts the
      // change's window.
      const redis = suite.app.app.get<Redis>(REDIS);
      const turn = suite.app.app.get(RedisConnections).key('counts', a.organisation.id, 'turn');
      expect(await redis.set(turn, '1', 'PX', 2 * COUNTS_WINDOW_MS, 'NX')).toBe('OK');
      const event = (await admin.nextEvent(
        'counts.updated',
        2 * COUNTS_WINDOW_MS + EVENT_TIMEOUT_MS,
      )) as ConversationCountsDto;
      expect(event).toMatchObject({ unassigned: 0, closed: 0 });
      expect(await redis.pttl(turn)).toBeGreaterThan(0); // the job's own turn, taken after ours
      // The change's job found the turn taken and came back for the rest of it, then counted.
      // (The event goes out inside the job: its completion is recorded a moment later.)
      const outcomes = async () =>
        (await suite.queue(QueueName.Counts).getCompleted())
          .filter((job) => job.data.organisationId === a.organisation.id)
          .sort((x, y) => (x.finishedOn ?? 0) - (y.finishedOn ?? 0))
          .map((job) => (job.returnvalue as { counted: boolean }).counted);
      const deadline = Date.now() + EVENT_TIMEOUT_MS;
      while ((await outcomes()).length < 2 && Date.now() < deadline) await sleepFor(20);
      expect(await outcomes()).toEqual([false, true]);
    });

    it('a change while the job counts is announced, though the trigger’s key outlives the job’s delay', async () => {
      const a = await newMatrixOrganisation(suite.db);
      await suite.db
        .getRepository(OrganisationEntity)
        .update({ id: a.organisation.id }, { maturityLevel: 1, routingStrategy: 'manual' });
      const [first, second] = await Promise.all(
        [1, 2].map(() => newConversation(suite.db, a.organisation, a.channel)),
      );
      const admin = await connectInbox(suite.app, await signIn(suite.app, a.admin));
      const agentToken = await signIn(suite.app, a.agent);
      const claim = (id: string) =>
        suite.app.http().post(`/api/conversations/${id}/claim`).set(bearer(agentToken)).expect(200);

      // The worker's count is held once it has counted, until the second change has landed.
      const counts = suite.worker.get(ConversationCounts);
      const count = counts.count.bind(counts);
      let counted!: () => void;
      const reached = new Promise<void>((resolve) => (counted = resolve));
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      const spy = jest.spyOn(counts, 'count').mockImplementationOnce(async (organisationId) => {
        const snapshot = await count(organisationId);
        counted();
        await held;
        return snapshot;
      });
      try {
        await claim(first!.id);
        // Redis's clock behind the processes' (or a slow add): the deduplication key lives on
        // after the job is due, while the job counts.
        const queue = suite.queue(QueueName.Counts);
        const dedup = queue.toKey(`de:counts:${a.organisation.id}`);
        expect(await suite.app.app.get<Redis>(REDIS).pexpire(dedup, 60_000)).toBe(1);
        await reached;
        await claim(second!.id);
      } finally {
        release();
        spy.mockRestore();
      }
      expect(await admin.nextEvent('counts.updated', WINDOW_WAIT_MS)).toMatchObject({
        unassigned: 1,
      });
      await waitFor(() => admin.payloadsOf('counts.updated').length >= 2, WINDOW_WAIT_MS);
      expect(admin.payloadsOf('counts.updated')[1]).toMatchObject({ unassigned: 0 });
    });

    it('an older count that finishes last puts back no older numbers, and tells no one them', async () => {
      const a = await newMatrixOrganisation(suite.db);
      await suite.db
        .getRepository(OrganisationEntity)
        .update({ id: a.organisation.id }, { maturityLevel: 1, routingStrategy: 'manual' });
      await newConversation(suite.db, a.organisation, a.channel);
      const admin = await connectInbox(suite.app, await signIn(suite.app, a.admin));
      const redis = suite.app.app.get<Redis>(REDIS);
      const keys = suite.app.app.get(RedisConnections);
      // A newer count (another job that overlapped this one) kept its snapshot and told the admin.
      const later = new Date(Date.now() + 60_000).toISOString();
      const newer = { computedAt: later, unassigned: 42, waiting: 0, closed: 0, assignees: {} };
      const toldAdmin = { mine: 0, unassigned: 42, waiting: 0, closed: 0, computedAt: later };
      await redis.set(keys.key('counts', a.organisation.id), JSON.stringify(newer), 'EX', 60);
      await redis.hset(
        keys.key('counts', a.organisation.id, 'told'),
        a.admin.id,
        JSON.stringify(toldAdmin),
      );
      // This count's own numbers go to the readers told nothing yet: the team lead and the agent.
      const result = await suite.worker.get(ConversationCounts).refresh(a.organisation.id);
      expect(result).toEqual({ counted: true, told: 2 });
      expect(await countsOf(a.admin)).toEqual(toldAdmin);
      expect(
        JSON.parse(
          (await redis.hget(keys.key('counts', a.organisation.id, 'told'), a.admin.id)) ?? '',
        ),
      ).toEqual(toldAdmin);
      expect(await countsOf(a.agent)).toMatchObject({ unassigned: 42 });
      await sleepFor(SILENCE_MS);
      expect(admin.payloadsOf('counts.updated')).toEqual([]);
    });

    it('a new role is announced: the Waiting tab of a team lead', async () => {
      const a = await newMatrixOrganisation(suite.db);
      await suite.db
        .getRepository(OrganisationEntity)
        .update({ id: a.organisation.id }, { maturityLevel: 1, routingStrategy: 'manual' });
      await newConversation(suite.db, a.organisation, a.channel, {
        status: 'waiting',
        assigneeId: a.teamLead.id,
      });
      const [agent, lead] = await Promise.all(
        [a.agent, a.teamLead].map(async (user) =>
          connectInbox(suite.app, await signIn(suite.app, user)),
        ),
      );
      // Told once: the agent waits on none of their own.
      await suite.worker.get(ConversationCounts).refresh(a.organisation.id);
      expect(await agent.nextEvent('counts.updated')).toMatchObject({ waiting: 0 });
      expect(await lead.nextEvent('counts.updated')).toMatchObject({ waiting: 1 });
      await suite.app
        .http()
        .patch(`/api/users/${a.agent.id}`)
        .set(bearer(await signIn(suite.app, a.admin)))
        .send({ role: 'team_lead' })
        .expect(200);
      await waitFor(() => agent.payloadsOf('counts.updated').length >= 2, WINDOW_WAIT_MS);
      expect(agent.payloadsOf('counts.updated')[1]).toMatchObject({ waiting: 1 });
      await sleepFor(SILENCE_MS);
      expect(lead.payloadsOf('counts.updated')).toHaveLength(1);
    });

    it('a new conversation from the ingest is counted and announced; its preview has no @handle of ours', async () => {
      const organisation = await newOrganisation(suite.db, { routingStrategy: 'manual' });
      const channel = await newChannelAccount(suite.db, organisation, {
        handle: '@webcare@energie.example',
      });
      const lead = await newUser(suite.db, organisation, { role: 'team_lead' });
      const socket = await connectInbox(suite.app, await signIn(suite.app, lead));
      await suite.worker
        .get(IngestWriter)
        .write(
          organisation.id,
          channel.id,
          [inbound('@webcare@energie.example Mijn stroom is uitgevallen.')],
          null,
        );
      const created = (await socket.nextEvent('conversation.created')) as ConversationDto;
      expect(created.preview).toBe('Mijn stroom is uitgevallen.');
      const stored = await suite.db
        .getRepository(ConversationEntity)
        .findOneByOrFail({ id: created.id });
      expect(stored.preview).toBe('Mijn stroom is uitgevallen.');
      expect(await socket.nextEvent('counts.updated', WINDOW_WAIT_MS)).toMatchObject({
        unassigned: 1,
        mine: 0,
      });
    });
  });
});

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls an asynchronous condition (the queue's state) until it holds. */
async function pollUntil(done: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms`);
    await sleepFor(20);
  }
}

/** Polls a condition that an event makes true (the clients record what arrives). */
async function waitFor(done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms`);
    await sleepFor(20);
  }
}
