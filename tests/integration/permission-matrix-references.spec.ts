// The permission matrix, part two: ids of another organisation in BODIES and QUERIES (the
// path's ids are part one, permission-matrix.spec.ts). Every route that takes an id, or a
// cursor, outside its path is called by every kind of caller of organisation A, at levels 1–3,
// with ids of organisation B, and each cell asserts (a) the status and code of API.md — 404 for
// a record that "does not exist for you", 422 assignment.not_eligible for a user to assign, an
// empty list for a filter — and (b) that nothing changed in either organisation (a digest of
// every row they hold) beyond what the call may write, that the answer holds no id or word of
// B, and, at the end, that no live event reached B's sockets.
import { randomUUID } from 'node:crypto';
import {
  OrganisationEntity,
  type ConversationEntity,
  type TemplateEntity,
  type UserEntity,
} from '@toonbank/database';
import { AuditAction, type MaturityLevel } from '@toonbank/shared';
import type { Response } from 'supertest';
import { closeTestDatabase, testDatabase } from '../support/database';
import {
  newChannelAccount,
  newConversation,
  newInboundMessage,
  newReply,
  newTemplate,
  newUser,
} from '../support/factories';
import {
  changedTables,
  digests,
  distinctiveStrings,
  idsOfOrganisationIn,
  stringsIn,
  uuidsIn,
} from '../support/organisation-snapshot';
import {
  conversationFor,
  ifEligible,
  KINDS,
  LEAD,
  LEVELS,
  memberOf,
  newWorld,
  only,
  whileEligible,
  type Cell,
  type Expected,
  type Kind,
  type World,
} from '../support/permission-world';
import {
  closeAllInboxClients,
  connectInbox,
  sleep,
  SILENCE_MS,
  type InboxClient,
} from '../support/socket-client';
import { bearer, signIn, startTestApp, type TestApp } from '../support/test-app';

/** What organisation B holds that A's callers name. */
interface Other {
  /** Held by B's agent, labelled, with a customer's message: B's audit log names it. */
  conversation: ConversationEntity;
  template: TemplateEntity;
  /** Initials nobody in A has. */
  mentioned: UserEntity;
  label: string;
  /** Cursors B's admin was given on B's lists, by the list's route. */
  cursors: Record<string, string>;
}

interface Context {
  world: World;
  cell: Cell;
  other: Other;
}

interface Sent {
  method: 'get' | 'post' | 'put';
  url: string;
  body?: object;
}

interface Reference {
  route: string;
  /** What of B the request names. */
  names: string;
  request: (context: Context) => Promise<Sent> | Sent;
  expect: (cell: Cell) => Expected;
  /** The whole answer when it succeeds. */
  answer?: (context: Context, sent: Sent) => unknown;
  /** Tables of A that a success writes (a note and its audit entry); anything else is a change. */
  writes?: string[];
  /** What else must hold after a success. */
  then?: (context: Context, response: Response) => Promise<void>;
  /** The same request as B's own admin finds something: proves the filter is a real one. */
  control?: (other: Other, world: World) => string;
}

const post = (url: string, body: object): Sent => ({ method: 'post', url, body });
const get = (url: string): Sent => ({ method: 'get', url });
const EMPTY_PAGE = { items: [], nextCursor: null };

/** An unassigned conversation of A, for assigning. */
const ownQueued = ({ world }: Context) =>
  newConversation(world.db, world.own.organisation, world.own.channel, { status: 'unassigned' });

/** A conversation of A held by the caller when they may hold one, with a message to answer. */
async function ownHeld(context: Context) {
  const conversation = await conversationFor(context.world, context.cell);
  await newInboundMessage(context.world.db, conversation);
  return conversation;
}

const bulkOfOther =
  (action: 'close' | 'label' | 'spam' | 'assign'): Reference['request'] =>
  ({ world, other }) =>
    post('/api/conversations/bulk', {
      ids: [other.conversation.id],
      action,
      ...(action === 'assign' ? { userId: world.own.agent.id } : {}),
      ...(action === 'label' ? { label: 'storing' } : {}),
    });

const REFERENCES: Reference[] = [
  {
    route: 'POST /api/tone/check',
    names: 'conversationId',
    request: ({ other }) =>
      post('/api/tone/check', {
        text: 'Dank voor uw bericht. ^AB',
        conversationId: other.conversation.id,
      }),
    expect: whileEligible([404, 'not_found']),
  },
  ...(['close', 'label', 'spam', 'assign'] as const).map((action): Reference => ({
    route: 'POST /api/conversations/bulk',
    names: `ids (action ${action})`,
    request: bulkOfOther(action),
    expect: only(LEAD, 200),
    answer: ({ other }) => ({
      done: 0,
      failed: [{ id: other.conversation.id, code: 'not_found' }],
    }),
  })),
  {
    route: 'POST /api/conversations/bulk',
    names: 'userId (action assign, on a conversation of A)',
    request: async (context) =>
      post('/api/conversations/bulk', {
        ids: [(await ownQueued(context)).id],
        action: 'assign',
        userId: context.other.conversation.assigneeId,
      }),
    expect: only(LEAD, 200),
    answer: (_context, sent) => ({
      done: 0,
      failed: [{ id: (sent.body as { ids: string[] }).ids[0], code: 'assignment.not_eligible' }],
    }),
  },
  {
    route: 'POST /api/conversations/:id/assign',
    names: 'userId (on a conversation of A)',
    request: async (context) =>
      post(`/api/conversations/${(await ownQueued(context)).id}/assign`, {
        userId: context.other.conversation.assigneeId,
      }),
    expect: (cell) =>
      LEAD.includes(cell.kind) ? [422, 'assignment.not_eligible'] : [403, 'policy.forbidden'],
  },
  {
    route: 'POST /api/conversations/:id/replies',
    names: 'templateId (on a conversation of A the caller holds)',
    request: async (context) =>
      post(`/api/conversations/${(await ownHeld(context)).id}/replies`, {
        templateId: context.other.template.id,
      }),
    expect: ifEligible([404, 'not_found']),
  },
  {
    route: 'POST /api/conversations/:id/replies',
    names: 'inReplyToMessageId (its customer message, on a conversation of A the caller holds)',
    request: async (context) => {
      const { world, other } = context;
      const [message] = (await world.db.query(
        `SELECT id FROM messages WHERE organisation_id = $1 AND conversation_id = $2 AND direction = 'inbound' LIMIT 1`,
        [other.conversation.organisationId, other.conversation.id],
      )) as { id: string }[];
      // From a template of A: the template policy (403) comes before the message (422).
      const template = await newTemplate(world.db, world.own.organisation, {
        body: 'Bedankt, wij zoeken het voor u uit. ^{{agent.initials}}',
      });
      return post(`/api/conversations/${(await ownHeld(context)).id}/replies`, {
        templateId: template.id,
        inReplyToMessageId: message!.id,
      });
    },
    expect: ifEligible([422, 'reply.in_reply_to_invalid']),
  },
  {
    route: 'POST /api/conversations/:id/replies',
    names: 'conversationId in the body (not a field of a reply)',
    request: async (context) =>
      post(`/api/conversations/${(await ownHeld(context)).id}/replies`, {
        text: 'Dank voor uw bericht. ^AB',
        conversationId: context.other.conversation.id,
      }),
    expect: ifEligible([400, 'validation.failed']),
  },
  {
    route: 'POST /api/conversations/:id/notes',
    names: '@initials and @email of its user',
    request: async (context) => {
      const { world, other } = context;
      const conversation = await newConversation(
        world.db,
        world.own.organisation,
        world.own.channel,
      );
      return post(`/api/conversations/${conversation.id}/notes`, {
        text: `@${other.mentioned.initials} en @${other.mentioned.email}, kijken jullie mee?`,
      });
    },
    expect: whileEligible([201]),
    writes: ['audit_log', 'messages'],
    // The note is A's, but it names nobody: B's user is no colleague of A's.
    then: async ({ world }, response) => {
      const [entry] = (await world.db.query(
        `SELECT after FROM audit_log
          WHERE organisation_id = $1 AND action = $2 AND after ->> 'messageId' = $3`,
        [world.own.organisation.id, AuditAction.ConversationNoteAdded, response.body.id],
      )) as { after: { mentionedUserIds: string[] } }[];
      expect(entry?.after.mentionedUserIds).toEqual([]);
    },
  },
  {
    route: 'POST /api/customers/erase',
    names: "a customer's handle (on a channel of A)",
    request: ({ world, other }) =>
      post('/api/customers/erase', {
        channelId: world.own.channel.id,
        handle: other.conversation.customerHandle,
      }),
    expect: only(['admin'], 200),
    answer: () => ({ messages: 0, conversations: 0 }),
    // The erasure is audited even when it matched nobody.
    writes: ['audit_log'],
  },
  {
    route: 'POST /api/customers/erase',
    names: "channelId and a customer's handle",
    request: ({ world, other }) =>
      post('/api/customers/erase', {
        channelId: world.other.channel.id,
        handle: other.conversation.customerHandle,
      }),
    expect: (cell) => (cell.kind === 'admin' ? [404, 'not_found'] : [403, 'policy.forbidden']),
  },
  {
    // API.md: e-mail addresses are unique across all organisations (409), and nothing more.
    route: 'POST /api/users',
    names: "a user's e-mail address",
    request: ({ world }) =>
      post('/api/users', {
        email: world.other.agent.email,
        name: 'Nieuwe Collega',
        role: 'agent',
        password: 'correct-horse-battery',
      }),
    expect: (cell) => (cell.kind === 'admin' ? [409, 'conflict'] : [403, 'policy.forbidden']),
  },
  {
    // Template names are unique within an organisation only.
    route: 'POST /api/templates',
    names: "a template's name",
    request: ({ other }) =>
      post('/api/templates', {
        name: other.template.name,
        body: 'Dank voor uw bericht. ^{{agent.initials}}',
      }),
    expect: only(LEAD, 201),
    writes: ['audit_log', 'templates'],
    // Each success takes the name: the next cell's caller finds it taken in A, not in B.
    then: async ({ world }, response) => {
      await world.db.query('DELETE FROM templates WHERE id = $1', [response.body.id]);
    },
  },
  {
    route: 'GET /api/audit',
    names: 'subjectId',
    request: ({ other }) => get(`/api/audit?subjectId=${other.conversation.id}`),
    expect: only(['admin'], 200),
    answer: () => EMPTY_PAGE,
    control: (other) => `/api/audit?subjectId=${other.conversation.id}`,
  },
  {
    route: 'GET /api/audit',
    names: 'actorId',
    request: ({ world }) => get(`/api/audit?actorId=${world.other.admin.id}`),
    expect: only(['admin'], 200),
    answer: () => EMPTY_PAGE,
    control: (_other, world) => `/api/audit?actorId=${world.other.admin.id}`,
  },
  ...(
    [
      ['assignee', (other: Other) => other.conversation.assigneeId!],
      ['channelId', (other: Other) => other.conversation.channelAccountId],
      ['customer', (other: Other) => other.conversation.customerHandle],
      ['label', (other: Other) => other.label],
      ['q', (other: Other) => other.conversation.customerName!],
    ] as const
  ).map(([filter, value]): Reference => ({
    route: 'GET /api/conversations',
    names: `${filter}=`,
    request: ({ other }) => get(`/api/conversations?${filter}=${encodeURIComponent(value(other))}`),
    expect: whileEligible([200]),
    answer: () => EMPTY_PAGE,
    control: (other) => `/api/conversations?${filter}=${encodeURIComponent(value(other))}`,
  })),
  // A cursor is where B's page ended: on A's list it may only ever show A's records.
  ...(
    [
      ['GET /api/conversations', whileEligible([200])],
      ['GET /api/conversations/:id/replies', whileEligible([200])],
      ['GET /api/replies', only(LEAD, 200)],
      ['GET /api/audit', only(['admin'], 200)],
      ['GET /api/users', () => [200]],
      ['GET /api/templates', () => [200]],
      ['GET /api/channels', only(LEAD, 200)],
      ['GET /api/org/maturity/history', () => [200]],
    ] as [string, Reference['expect']][]
  ).map(([route, expected]): Reference => ({
    route,
    names: 'cursor',
    request: async (context) => {
      const path = route.slice('GET '.length);
      const url = path.includes(':id')
        ? path.replace(':id', (await conversationFor(context.world, context.cell)).id)
        : path;
      return get(`${url}?cursor=${encodeURIComponent(context.other.cursors[route]!)}`);
    },
    expect: expected,
  })),
];

describe('the permission matrix: ids of another organisation in bodies and queries', () => {
  let app: TestApp;
  let world: World;
  let other: Other;
  /** Words that name B and nothing of A. */
  let otherStrings: string[];
  /** B's admin, agent and mentioned user, listening from before the first cell. */
  let otherSockets: Record<string, InboxClient>;

  beforeAll(async () => {
    const db = await testDatabase();
    app = await startTestApp();
    world = await newWorld(db);
    const b = world.other;
    const secret = randomUUID().slice(0, 8);
    const conversation = await newConversation(db, b.organisation, b.channel, {
      status: 'assigned',
      assigneeId: b.agent.id,
      customerHandle: `@bea-${secret}@social.example`,
      customerName: `Bea Geheim ${secret}`,
      preview: `Alleen voor organisatie B ${secret}`,
    });
    await newInboundMessage(db, conversation, { text: `Alleen voor organisatie B ${secret}` });
    const second = await newConversation(db, b.organisation, b.channel);
    await Promise.all([conversation, conversation, second].map((on) => newReply(db, on, b.agent)));
    const mentioned = await newUser(db, b.organisation, {
      role: 'agent',
      name: `Quirine Bakker-Zwart ${secret}`,
      initials: 'QBZ',
    });
    const template = await newTemplate(db, b.organisation, { name: `B-sjabloon ${secret}` });
    await Promise.all([newTemplate(db, b.organisation), newChannelAccount(db, b.organisation)]);

    // B's admin works through the API: its audit log names the conversation and the admin.
    const label = `b-only-${secret}`;
    const adminOfB = await signIn(app, b.admin);
    const asB = (sent: Sent) => {
      const call = app.http()[sent.method](sent.url).set(bearer(adminOfB));
      return sent.body ? call.send(sent.body) : call;
    };
    await asB({
      method: 'put',
      url: `/api/conversations/${conversation.id}/labels`,
      body: { labels: [label] },
    }).expect(200);
    await asB(post(`/api/conversations/${second.id}/assign`, { userId: b.agent.id })).expect(200);
    for (const level of [2, 3]) {
      const body = { level, reason: 'De organisatie groeit.' };
      await asB({ method: 'put', url: '/api/org/maturity', body }).expect(200);
    }
    const cursorOf = async (url: string) => {
      const response = await asB(get(url)).expect(200);
      expect(response.body.nextCursor).toEqual(expect.any(String));
      return response.body.nextCursor as string;
    };
    other = {
      conversation: { ...conversation, labels: [label] },
      template,
      mentioned,
      label,
      cursors: {
        'GET /api/conversations': await cursorOf('/api/conversations?limit=1'),
        'GET /api/conversations/:id/replies': await cursorOf(
          `/api/conversations/${conversation.id}/replies?limit=1`,
        ),
        'GET /api/replies': await cursorOf('/api/replies?limit=1'),
        'GET /api/audit': await cursorOf('/api/audit?limit=1'),
        'GET /api/users': await cursorOf('/api/users?limit=1'),
        'GET /api/templates': await cursorOf('/api/templates?limit=1'),
        'GET /api/channels': await cursorOf('/api/channels?limit=1'),
        'GET /api/org/maturity/history': await cursorOf('/api/org/maturity/history?limit=1'),
      },
    };
    otherStrings = await distinctiveStrings(db, b.organisation.id, world.own.organisation.id);
    expect(otherStrings).toEqual(expect.arrayContaining([`Bea Geheim ${secret}`, label]));

    const [admin, agent, mentionedSocket] = await Promise.all(
      [b.admin, b.agent, mentioned].map(async (user) => connectInbox(app, await signIn(app, user))),
    );
    otherSockets = { admin: admin!, agent: agent!, mentioned: mentionedSocket! };
    // B's own events of the set-up are not what this suite is about.
    await sleep(SILENCE_MS);
    for (const socket of Object.values(otherSockets)) socket.received.length = 0;
  });
  afterAll(async () => {
    closeAllInboxClients();
    await app.close();
    await closeTestDatabase();
  });

  it("finds B's records with the same filters as B's own admin (the filters are real ones)", async () => {
    const token = await signIn(app, world.other.admin);
    const found: Record<string, number> = {};
    for (const reference of REFERENCES.filter((r) => r.control)) {
      const url = reference.control!(other, world);
      const response = await app.http().get(url).set(bearer(token)).expect(200);
      found[url] = (response.body.items as unknown[]).length;
    }
    expect(Object.entries(found).filter(([, count]) => count === 0)).toEqual([]);
  });

  const cells = REFERENCES.flatMap((reference) =>
    LEVELS.flatMap((level) =>
      KINDS.map((kind) => [reference.route, reference.names, level, kind, reference] as const),
    ),
  );

  it.each(cells)(
    '%s with ids of the other organisation in %s, at level %i as %s',
    async (route, names, level, kind: Kind, reference) => {
      await world.db
        .getRepository(OrganisationEntity)
        .update({ id: world.own.organisation.id }, { maturityLevel: level as MaturityLevel });
      const cell: Cell = {
        kind,
        level: level as MaturityLevel,
        scope: 'own',
        caller: memberOf(world.own, kind),
      };
      const context: Context = { world, cell, other };
      const token = await signIn(app, cell.caller);
      const sent = await reference.request(context);
      const organisations = {
        own: world.own.organisation.id,
        other: world.other.organisation.id,
      };
      const before = await digests(world.db, organisations);
      const call = app.http()[sent.method](sent.url).set(bearer(token));
      const response = await (sent.body ? call.send(sent.body) : call);
      const after = await digests(world.db, organisations);

      const [status, code] = reference.expect(cell);
      const succeeded = status < 400;
      const withBody = succeeded && reference.answer !== undefined;
      // What the caller sent may come back (a note quotes its text): that is no leak.
      const sentText = `${sent.url} ${JSON.stringify(sent.body ?? {})}`;
      // One comparison, so that a failure shows the answer, the changes and the leaks together.
      expect({
        route,
        names,
        status: response.status,
        code: response.body.code,
        ...(withBody ? { body: response.body } : {}),
        changed: {
          own: changedTables(before.own, after.own),
          other: changedTables(before.other, after.other),
        },
        leaked: {
          ids: await idsOfOrganisationIn(
            world.db,
            organisations.other,
            response.text,
            uuidsIn(sentText),
          ),
          strings: stringsIn(
            response.text,
            otherStrings.filter((s) => !sentText.includes(s)),
          ),
        },
      }).toEqual({
        route,
        names,
        status,
        code,
        ...(withBody ? { body: reference.answer!(context, sent) } : {}),
        changed: { own: succeeded ? (reference.writes ?? []) : [], other: [] },
        leaked: { ids: [], strings: [] },
      });
      if (succeeded) await reference.then?.(context, response);
    },
  );

  it("let no live event reach B's sockets during any of the above", async () => {
    await sleep(SILENCE_MS);
    expect(
      Object.fromEntries(
        Object.entries(otherSockets).map(([who, socket]) => [who, socket.received]),
      ),
    ).toEqual({ admin: [], agent: [], mentioned: [] });
    expect(Object.values(otherSockets).every((socket) => socket.connected)).toBe(true);
  });
});
