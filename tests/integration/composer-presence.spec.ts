// Composer presence over socket.io (API.md §Socket.io, SPEC.md §6 collision detection): who
// writes a reply where, told to the rest of the organisation's inbox and never to the writer's
// own sockets, across two API processes sharing the Redis adapter. The second process runs
// with a one-second heartbeat timeout (COMPOSER_IDLE_SECONDS), so the timeout is real.
import type { ConversationEntity } from '@toonbank/database';
import type { ComposerPresenceDto } from '@toonbank/shared';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { closeTestDatabase, testDatabase } from '../support/database';
import { newChannelAccount, newConversation, newStaffedOrganisation } from '../support/factories';
import {
  closeAllInboxClients,
  connectInbox,
  sleep,
  SILENCE_MS,
  type InboxClient,
} from '../support/socket-client';
import { signIn, startTestApp, type TestApp } from '../support/test-app';
import { uniqueRedisPrefix } from '../support/test-worker';

const ACTIVE = 'composer.active';
const INACTIVE = 'composer.inactive';
const IDLE_SECONDS = 1;

describe('composer presence', () => {
  let db: DataSource;
  /** The contract's 10-second timeout. */
  let app: TestApp;
  /** Another API process on the same Redis, with a one-second timeout. */
  let quick: TestApp;

  beforeAll(async () => {
    db = await testDatabase();
    const prefix = uniqueRedisPrefix('composer');
    app = await startTestApp({ REDIS_PREFIX: prefix });
    quick = await startTestApp({
      REDIS_PREFIX: prefix,
      COMPOSER_IDLE_SECONDS: String(IDLE_SECONDS),
    });
  });
  afterEach(() => closeAllInboxClients());
  afterAll(async () => {
    closeAllInboxClients();
    await quick.close();
    await app.close();
    await closeTestDatabase();
  });

  const setup = async () => {
    const staffed = await newStaffedOrganisation(db);
    const channel = await newChannelAccount(db, staffed.organisation);
    const conversation = await newConversation(db, staffed.organisation, channel, {
      status: 'assigned',
      assigneeId: staffed.agent.id,
    });
    return { ...staffed, conversation };
  };
  const socketOf = async (on: TestApp, user: { id: string; organisationId: string }) =>
    connectInbox(on, await signIn(on, user));
  const composerEvents = (client: InboxClient) =>
    client.received.filter((r) => r.event === ACTIVE || r.event === INACTIVE);
  const start = (client: InboxClient, conversation: ConversationEntity) =>
    client.socket.emit('composer.start', { conversationId: conversation.id });
  const stop = (client: InboxClient, conversation: ConversationEntity) =>
    client.socket.emit('composer.stop', { conversationId: conversation.id });
  /** The n-th (1-based) payload of `event` on this client, waiting for it. */
  const nth = async (client: InboxClient, event: string, n: number) => {
    const deadline = Date.now() + 3000;
    while (client.payloadsOf(event).length < n) {
      if (Date.now() > deadline) {
        throw new Error(`expected ${n} × ${event}, received ${JSON.stringify(client.received)}`);
      }
      await sleep(20);
    }
    return client.payloadsOf(event)[n - 1] as ComposerPresenceDto;
  };

  /** The agent on the quick process has started writing; the team lead, on the other, reads. */
  const agentWritingWhileLeadReads = async () => {
    const world = await setup();
    const [writer, lead] = await Promise.all([
      socketOf(quick, world.agent),
      socketOf(app, world.teamLead),
    ]);
    start(writer, world.conversation);
    return { world, writer, lead };
  };

  it("tells the organisation's other readers, on either process, and never the writer's own tabs", async () => {
    const world = await setup();
    const other = await setup();
    const [tab1, tab2, lead, adminOnQuick, untrained, otherAdmin] = await Promise.all([
      socketOf(app, world.agent),
      socketOf(quick, world.agent),
      socketOf(app, world.teamLead),
      socketOf(quick, world.admin),
      socketOf(app, world.employeeUntrained),
      socketOf(app, other.admin),
    ]);
    const presence = {
      conversationId: world.conversation.id,
      userId: world.agent.id,
      name: world.agent.name,
    };

    start(tab1, world.conversation);
    expect(await lead.nextEvent(ACTIVE)).toEqual(presence);
    expect(await adminOnQuick.nextEvent(ACTIVE)).toEqual(presence);
    // Heartbeats announce nothing new.
    start(tab1, world.conversation);
    start(tab1, world.conversation);
    await sleep(SILENCE_MS);
    expect(lead.payloadsOf(ACTIVE)).toHaveLength(1);

    stop(tab1, world.conversation);
    expect(await lead.nextEvent(INACTIVE)).toEqual(presence);
    expect(await adminOnQuick.nextEvent(INACTIVE)).toEqual(presence);
    await sleep(SILENCE_MS);
    expect(composerEvents(lead)).toHaveLength(2);
    expect(tab1.received).toEqual([]);
    expect(tab2.received).toEqual([]);
    // Someone who may not read the inbox hears nothing, and neither does another organisation.
    expect(untrained.received).toEqual([]);
    expect(otherAdmin.received).toEqual([]);
  });

  it('says inactive when the writing socket disconnects', async () => {
    const { world, writer, lead } = await agentWritingWhileLeadReads();
    expect(await lead.nextEvent(ACTIVE)).toMatchObject({ userId: world.agent.id });
    writer.close();
    expect(await lead.nextEvent(INACTIVE)).toEqual({
      conversationId: world.conversation.id,
      userId: world.agent.id,
      name: world.agent.name,
    });
  });

  it('stays active while the heartbeats come, says inactive when they stop, and active again on the next', async () => {
    const { world, writer, lead } = await agentWritingWhileLeadReads();
    await lead.nextEvent(ACTIVE);
    // Heartbeats well within the timeout, for longer than the timeout.
    for (let beat = 0; beat < 6; beat += 1) {
      await sleep((IDLE_SECONDS * 1000) / 4);
      start(writer, world.conversation);
    }
    expect(composerEvents(lead).map((r) => r.event)).toEqual([ACTIVE]);

    const lastBeat = Date.now();
    expect(await lead.nextEvent(INACTIVE)).toMatchObject({ userId: world.agent.id });
    expect(Date.now() - lastBeat).toBeGreaterThanOrEqual(IDLE_SECONDS * 1000 - 100);

    start(writer, world.conversation);
    expect(await nth(lead, ACTIVE, 2)).toMatchObject({ userId: world.agent.id });
    stop(writer, world.conversation);
    expect(await nth(lead, INACTIVE, 2)).toMatchObject({ userId: world.agent.id });
    await sleep(SILENCE_MS);
    expect(writer.received).toEqual([]);
  });

  it("ignores another organisation's conversation, unknown ids and malformed payloads", async () => {
    const world = await setup();
    const other = await setup();
    const [intruder, writer, lead] = await Promise.all([
      socketOf(app, other.admin),
      socketOf(app, world.agent),
      socketOf(app, world.teamLead),
    ]);
    // The intruder names a conversation of the lead's organisation.
    start(intruder, world.conversation);
    const raw = writer.socket as unknown as { emit(event: string, payload?: unknown): void };
    for (const payload of [
      undefined,
      null,
      'nonsense',
      {},
      { conversationId: 42 },
      { conversationId: 'not-a-uuid' },
      { conversationId: randomUUID() },
      { conversationId: other.conversation.id },
    ]) {
      raw.emit('composer.start', payload);
    }
    await sleep(SILENCE_MS * 2);
    expect(composerEvents(lead)).toEqual([]);
    expect(intruder.received).toEqual([]);
    // The writer's socket is still good for a real conversation.
    expect(writer.connected).toBe(true);
    start(writer, world.conversation);
    expect(await lead.nextEvent(ACTIVE)).toMatchObject({ conversationId: world.conversation.id });
  });
});
