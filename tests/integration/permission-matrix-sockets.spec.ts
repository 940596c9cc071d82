// The permission matrix, part three: the live inbox's rooms (API.md §Socket.io: "a client only
// ever receives events of its own organisation"; SPEC.md §2: only those who may read the inbox
// hear its events). Real flows cause every kind of event — the ingest (in the worker's module),
// the API's commands, composer presence — and each socket of every kind is asked what it heard.
import { randomUUID } from 'node:crypto';
import type { InboundItem } from '@toonbank/channels';
import { ConversationEntity, OrganisationEntity, type UserEntity } from '@toonbank/database';
import { COUNTS_WINDOW_MS } from '@toonbank/conversations';
import { IngestWriter } from '@toonbank/ingest';
import type { ConversationDto, MaturityLevel, ReplyDto } from '@toonbank/shared';
import { newConversation, newReply, newUser } from '../support/factories';
import {
  KINDS,
  LEVELS,
  memberOf,
  newWorld,
  readsInbox,
  type Kind,
  type MatrixOrganisation,
  type World,
} from '../support/permission-world';
import {
  connectInbox,
  EVENT_TIMEOUT_MS,
  sleep,
  SILENCE_MS,
  type InboxClient,
} from '../support/socket-client';
import { useTestApp } from '../support/suite';
import { bearer, signIn } from '../support/test-app';

/** What reaches the inbox room: the conversations, their messages and replies, who writes. */
const INBOX_EVENTS = [
  'composer.active',
  'conversation.created',
  'conversation.updated',
  'message.created',
  'reply.updated',
];

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

/**
 * The inbox's tab counts: to each reader's own room, once the organisation's 5 s window has
 * passed (issue 14). A test that waits for them waits the window, then as for any event.
 */
const COUNTS_EVENT = 'counts.updated';
const COUNTS_WAIT_MS = COUNTS_WINDOW_MS + EVENT_TIMEOUT_MS;

const eventsOf = (client: InboxClient) => [...new Set(client.received.map((r) => r.event))].sort();

describe('the permission matrix: live events and socket rooms', () => {
  // The api and the worker's module share a Redis prefix of their own: the worker's events
  // reach this api's sockets, and no other suite's worker takes these jobs.
  const suite = useTestApp({ redis: 'matrix-sockets', worker: true, sockets: 'per-test' });
  let ingest: IngestWriter;
  let world: World;

  beforeAll(async () => {
    const db = suite.db;
    ingest = suite.worker.get(IngestWriter);
    world = await newWorld(db);
    // Nobody is routed automatically: every assignment here is the test's own.
    for (const org of [world.own, world.other]) {
      await db
        .getRepository(OrganisationEntity)
        .update({ id: org.organisation.id }, { routingStrategy: 'manual' });
    }
  });

  const setLevel = (org: MatrixOrganisation, level: MaturityLevel) =>
    world.db
      .getRepository(OrganisationEntity)
      .update({ id: org.organisation.id }, { maturityLevel: level });

  const connect = async (user: UserEntity) =>
    connectInbox(suite.app, await signIn(suite.app, user));

  /** A socket for each kind of A's users, by kind. */
  const socketsOfEveryKind = async (org: MatrixOrganisation) =>
    Object.fromEntries(
      await Promise.all(KINDS.map(async (kind) => [kind, await connect(memberOf(org, kind))])),
    ) as Record<Kind, InboxClient>;

  const heard = (sockets: Record<string, InboxClient>) =>
    Object.fromEntries(Object.entries(sockets).map(([who, socket]) => [who, socket.received]));

  /** An HTTP call as this user, expecting this status. */
  const as = async (user: UserEntity) => {
    const token = await signIn(suite.app, user);
    return {
      post: (url: string, body: object, status: number) =>
        suite.app.http().post(url).set(bearer(token)).send(body).expect(status),
      put: (url: string, body: object, status: number) =>
        suite.app.http().put(url).set(bearer(token)).send(body).expect(status),
      patch: (url: string, body: object, status: number) =>
        suite.app.http().patch(url).set(bearer(token)).send(body).expect(status),
    };
  };

  it('a socket of A, whatever its role, hears nothing of what happens in B', async () => {
    const { own: a, other: b } = world;
    await Promise.all([setLevel(a, 3), setLevel(b, 3)]);
    // The same initials in both organisations: a mention in B is for B's colleague only.
    const [twinInA, twinInB] = await Promise.all(
      [a, b].map((org) =>
        newUser(world.db, org.organisation, { role: 'agent', name: 'Zeger Quist', initials: 'ZQ' }),
      ),
    );
    const sockets: Record<string, InboxClient> = {
      ...(await socketsOfEveryKind(a)),
      'agent with the initials ZQ': await connect(twinInA!),
    };
    const [bAdmin, bAgent, bTrained, bTwin] = await Promise.all(
      [b.admin, b.agent, b.employeeTrained, twinInB!].map(connect),
    );
    const [bLead, bTrainedHttp, bAdminHttp, bAgentHttp] = await Promise.all(
      [b.teamLead, b.employeeTrained, b.admin, b.agent].map(as),
    );

    // In B: a customer writes (conversation.created, message.created) ...
    await ingest.write(b.organisation.id, b.channel.id, [inbound('Mijn stroom is weg.')], null);
    const conversation = (await bAdmin.nextEvent('conversation.created')) as ConversationDto;
    // ... a team lead assigns it (conversation.updated) and writes a note with a mention
    // (message.created, notification) ...
    const url = `/api/conversations/${conversation.id}`;
    await bLead.post(`${url}/assign`, { userId: b.employeeTrained.id }, 200);
    await bLead.post(`${url}/notes`, { text: '@ZQ kun jij meekijken?' }, 201);
    // ... an ambassador writes (composer.active) and replies, waiting for approval
    // (reply.updated, notification approval_needed), and is turned down (reply_rejected) ...
    bTrained.socket.emit('composer.start', { conversationId: conversation.id });
    const reply = (
      await bTrainedHttp.post(`${url}/replies`, { text: 'Dank voor uw bericht. ^AB' }, 201)
    ).body as ReplyDto;
    expect(reply.status).toBe('pending_approval');
    await bLead.post(`/api/replies/${reply.id}/reject`, { comment: 'Eerst bellen.' }, 200);
    // ... the admin renames the organisation (org.updated), an agent steps away (user.updated).
    await bAdminHttp.patch('/api/org', { name: `B ${randomUUID().slice(0, 8)}` }, 200);
    await bAgentHttp.put('/api/me/availability', { available: false }, 200);

    // B heard all of it: the events were real.
    for (const event of [...INBOX_EVENTS, 'notification', 'org.updated']) {
      await bAdmin.nextEvent(event);
    }
    // B's counts went out too, a window later, to B's readers only.
    await bAdmin.nextEvent(COUNTS_EVENT, COUNTS_WAIT_MS);
    await bAgent.nextEvent(COUNTS_EVENT);
    expect(await bTwin.nextEvent('notification')).toMatchObject({ type: 'mention' });
    expect(await bTrained.nextEvent('notification')).toMatchObject({ type: 'reply_rejected' });
    await bAgent.nextEvent('user.updated');
    await sleep(SILENCE_MS);
    expect(heard(sockets)).toEqual(
      Object.fromEntries(Object.keys(sockets).map((who) => [who, []])),
    );
  });

  it("composer.start on B's conversation from A's sockets tells B's watchers nothing and answers nothing", async () => {
    const { own: a, other: b } = world;
    await Promise.all([setLevel(a, 3), setLevel(b, 3)]);
    const conversation = await newConversation(world.db, b.organisation, b.channel, {
      status: 'assigned',
      assigneeId: b.agent.id,
    });
    const sockets = await socketsOfEveryKind(a);
    const [bAdmin, bAgent, bLead] = await Promise.all([b.admin, b.agent, b.teamLead].map(connect));

    for (const socket of Object.values(sockets)) {
      socket.socket.emit('composer.start', { conversationId: conversation.id });
      socket.socket.emit('composer.start', { conversationId: conversation.id.toUpperCase() });
    }
    await sleep(SILENCE_MS);
    // B's own team lead starts writing: the watchers hear that, and only that.
    bLead.socket.emit('composer.start', { conversationId: conversation.id });
    const active = await bAdmin.nextEvent('composer.active');
    expect(active).toMatchObject({ conversationId: conversation.id, userId: b.teamLead.id });
    expect(await bAgent.nextEvent('composer.active')).toEqual(active);
    for (const socket of Object.values(sockets)) {
      socket.socket.emit('composer.stop', { conversationId: conversation.id });
    }
    await sleep(SILENCE_MS);
    expect({ admin: bAdmin.received, agent: bAgent.received }).toEqual({
      admin: [{ event: 'composer.active', payload: active }],
      agent: [{ event: 'composer.active', payload: active }],
    });
    expect(heard(sockets)).toEqual(Object.fromEntries(KINDS.map((kind) => [kind, []])));
    expect(Object.values(sockets).every((socket) => socket.connected)).toBe(true);
  });

  it.each(LEVELS)(
    "at level %i only those who may read the inbox hear its events; everyone hears the organisation's",
    async (level) => {
      const a = world.own;
      await setLevel(a, level);
      // Someone else acts, so that each kind's socket only listens.
      const [actor, author] = await Promise.all([
        newUser(world.db, a.organisation, { role: 'admin' }),
        newUser(world.db, a.organisation, { role: 'agent' }),
      ]);
      const sockets = await socketsOfEveryKind(a);
      const writing = await connect(actor);
      const http = await as(actor);

      await ingest.write(
        a.organisation.id,
        a.channel.id,
        [inbound('Mijn factuur klopt niet.')],
        null,
      );
      const conversation = (await sockets.admin.nextEvent(
        'conversation.created',
      )) as ConversationDto;
      const url = `/api/conversations/${conversation.id}`;
      await http.put(`${url}/labels`, { labels: ['factuur'] }, 200);
      await http.post(`${url}/notes`, { text: 'Even nakijken.' }, 201);
      const stored = await world.db
        .getRepository(ConversationEntity)
        .findOneByOrFail({ id: conversation.id });
      const pending = await newReply(world.db, stored, author);
      await http.post(`/api/replies/${pending.id}/reject`, { comment: 'Eerst bellen.' }, 200);
      writing.socket.emit('composer.start', { conversationId: conversation.id });
      await http.patch('/api/org', { name: `A ${randomUUID().slice(0, 8)}` }, 200);

      for (const event of [...INBOX_EVENTS, 'org.updated']) await sockets.admin.nextEvent(event);
      // The counts reach every reader's own room (each one's numbers changed: one more
      // unassigned), and nobody who may not read the inbox.
      await sockets.admin.nextEvent(COUNTS_EVENT, COUNTS_WAIT_MS);
      await sleep(SILENCE_MS);
      expect(Object.fromEntries(KINDS.map((kind) => [kind, eventsOf(sockets[kind])]))).toEqual(
        Object.fromEntries(
          KINDS.map((kind) => [
            kind,
            readsInbox({ kind, level })
              ? [...INBOX_EVENTS, COUNTS_EVENT, 'org.updated'].sort()
              : ['org.updated'],
          ]),
        ),
      );
    },
  );
});
