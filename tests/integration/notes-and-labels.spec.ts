// Internal notes and labels (API.md §Conversations and messages): a note is stored and shown
// with the conversation, changes nothing on it, never goes to a channel and notifies the
// colleagues it mentions; labels are set as a whole, normalised, audited and pushed live.
// Against the real API, PostgreSQL and Redis (a Redis prefix of its own, so the outbound
// queue seen here is this suite's alone).
import {
  AuditLogEntity,
  ConversationEntity,
  MessageEntity,
  ReplyEntity,
  type ChannelAccountEntity,
} from '@toonbank/database';
import {
  excerpt,
  QueueName,
  type AuditAction,
  type ConversationDetailDto,
  type ConversationDto,
  type MessageDto,
} from '@toonbank/shared';
import { expectError, expectValidation } from '../support/expect-error';
import {
  newChannelAccount,
  newConversation,
  newInboundMessage,
  newStaffedOrganisation,
  newUser,
} from '../support/factories';
import { connectInbox, sleep, SILENCE_MS } from '../support/socket-client';
import { useTestApp } from '../support/suite';
import { bearer, signIn } from '../support/test-app';

type Staffed = Awaited<ReturnType<typeof newStaffedOrganisation>>;
interface World extends Staffed {
  channel: ChannelAccountEntity;
}

const CONVERSATIONS = '/api/conversations';
const notesOf = (id: string) => `${CONVERSATIONS}/${id}/notes`;
const labelsOf = (id: string) => `${CONVERSATIONS}/${id}/labels`;

describe('notes and labels', () => {
  const suite = useTestApp({ redis: 'notes', sockets: 'per-test' });

  const setup = async (maturityLevel: 1 | 2 | 3 = 1): Promise<World> => {
    const staffed = await newStaffedOrganisation(suite.db, { maturityLevel });
    return { ...staffed, channel: await newChannelAccount(suite.db, staffed.organisation) };
  };
  /** A conversation held by the world's agent, with the customer's first message in it. */
  const heldConversation = async (world: World, overrides: Partial<ConversationEntity> = {}) => {
    const conversation = await newConversation(suite.db, world.organisation, world.channel, {
      status: 'assigned',
      assigneeId: world.agent.id,
      assignedAt: new Date(),
      preview: 'Mijn stroom is uitgevallen.',
      lastMessageAt: new Date('2026-03-01T10:00:00.000Z'),
      slaDueAt: new Date('2026-03-01T11:00:00.000Z'),
      ...overrides,
    });
    const inbound = await newInboundMessage(suite.db, conversation, {
      createdAt: new Date('2026-03-01T10:00:00.000Z'),
    });
    return { conversation, inbound };
  };

  type Caller = { id: string; organisationId: string };
  const send = async (method: 'post' | 'put', user: Caller, path: string, body: unknown) => {
    const request = method === 'post' ? suite.app.http().post(path) : suite.app.http().put(path);
    return request.set(bearer(await signIn(suite.app, user))).send(body as object);
  };
  const post = (user: Caller, path: string, body: unknown) => send('post', user, path, body);
  const put = (user: Caller, path: string, body: unknown) => send('put', user, path, body);

  const storedConversation = (id: string) =>
    suite.db.getRepository(ConversationEntity).findOneByOrFail({ id });
  const notesStored = (conversationId: string) =>
    suite.db.getRepository(MessageEntity).findBy({ conversationId, direction: 'note' });
  const auditOf = (subjectId: string, action: AuditAction) =>
    suite.db
      .getRepository(AuditLogEntity)
      .find({ where: { subjectId, action }, order: { at: 'ASC' } });

  // ---------------------------------------------------------------------------------------------
  describe('POST /api/conversations/:id/notes', () => {
    it('stores a note, answers it as a Message and shows it in the detail, oldest first', async () => {
      const world = await setup();
      const { conversation, inbound } = await heldConversation(world);
      const before = await storedConversation(conversation.id);

      // Not the assignee: anyone who may read the conversation writes notes.
      const response = await post(world.communications, notesOf(conversation.id), {
        text: '  Klant belde ook al; zie het vorige gesprek.  ',
      });
      expect(response.status).toBe(403); // communications may not read at level 1
      await suite.db.query('UPDATE organisations SET maturity_level = 2 WHERE id = $1', [
        world.organisation.id,
      ]);
      const created = await post(world.communications, notesOf(conversation.id), {
        text: '  Klant belde ook al; zie het vorige gesprek.  ',
      });
      expect(created.status).toBe(201);
      const note = created.body as MessageDto;
      expect(note).toEqual({
        id: expect.any(String),
        direction: 'note',
        externalId: null,
        externalUrl: null,
        authorHandle: null,
        authorUserId: world.communications.id,
        text: 'Klant belde ook al; zie het vorige gesprek.',
        attachments: [],
        createdAt: expect.any(String),
        replyId: null,
      });

      const row = await suite.db.getRepository(MessageEntity).findOneByOrFail({ id: note.id });
      expect(row).toMatchObject({
        organisationId: world.organisation.id,
        conversationId: conversation.id,
        channelAccountId: world.channel.id,
        direction: 'note',
        externalId: null,
        raw: null,
      });

      const detail = await suite.app
        .http()
        .get(`${CONVERSATIONS}/${conversation.id}`)
        .set(bearer(await signIn(suite.app, world.agent)))
        .expect(200);
      const messages = (detail.body as ConversationDetailDto).messages;
      expect(messages.map((m) => [m.id, m.direction])).toEqual([
        [inbound.id, 'inbound'],
        [note.id, 'note'],
      ]);
      expect(messages[1]).toEqual(note);

      // The conversation itself is untouched: status, preview, order, SLA, first response.
      const after = await storedConversation(conversation.id);
      expect(after).toEqual(before);
      expect(detail.body).toMatchObject({
        preview: 'Mijn stroom is uitgevallen.',
        lastMessageAt: '2026-03-01T10:00:00.000Z',
        firstResponseAt: null,
        status: 'assigned',
      });

      const [audit, ...more] = await auditOf(conversation.id, 'conversation.note_added');
      expect(more).toEqual([]);
      expect(audit).toMatchObject({
        actorId: world.communications.id,
        subjectType: 'conversation',
        after: { messageId: note.id, mentionedUserIds: [] },
      });
      expect(JSON.stringify(audit)).not.toContain('vorige gesprek');
    });

    it('is never sent: no reply, no suite.queue(QueueName.Outbound) job; a later reply still answers the customer', async () => {
      const world = await setup(2);
      const { conversation, inbound } = await heldConversation(world);
      await post(world.teamLead, notesOf(conversation.id), { text: 'Let op: VIP-klant.' }).then(
        (response) => expect(response.status).toBe(201),
      );
      expect(
        await suite.db.getRepository(ReplyEntity).findBy({ conversationId: conversation.id }),
      ).toEqual([]);
      expect(await suite.queue(QueueName.Outbound).getJobCounts()).toEqual(
        expect.objectContaining({ waiting: 0, delayed: 0, active: 0, prioritized: 0 }),
      );

      const reply = await post(world.agent, `${CONVERSATIONS}/${conversation.id}/replies`, {
        text: 'Dank voor uw bericht. Wij kijken het direct voor u na. ^AB',
      });
      expect(reply.status).toBe(201);
      const stored = await suite.db
        .getRepository(ReplyEntity)
        .findOneByOrFail({ id: reply.body.id });
      expect(stored.inReplyToMessageId).toBe(inbound.id);
    });

    it('pushes message.created to the inbox, and no conversation.updated', async () => {
      const world = await setup();
      const { conversation } = await heldConversation(world);
      const other = await setup();
      const [lead, untrained, otherAdmin] = await Promise.all([
        connectInbox(suite.app, await signIn(suite.app, world.teamLead)),
        connectInbox(suite.app, await signIn(suite.app, world.employeeUntrained)),
        connectInbox(suite.app, await signIn(suite.app, other.admin)),
      ]);
      const created = await post(world.agent, notesOf(conversation.id), { text: 'Overleg nodig.' });
      expect(created.status).toBe(201);

      expect(await lead.nextEvent('message.created')).toEqual({
        conversationId: conversation.id,
        message: created.body,
      });
      await sleep(SILENCE_MS);
      expect(lead.payloadsOf('conversation.updated')).toEqual([]);
      expect(untrained.received).toEqual([]);
      expect(otherAdmin.received).toEqual([]);
    });

    it('notifies the active colleagues it mentions by @initials or @email, never the author or anyone else', async () => {
      const world = await setup();
      const other = await setup();
      const { conversation } = await heldConversation(world);
      // Initials no factory user has (theirs start with the role's letter and end in hex).
      const author = await newUser(suite.db, world.organisation, { role: 'agent', initials: 'XY' });
      const byInitials = await newUser(suite.db, world.organisation, {
        role: 'team_lead',
        initials: 'XZ',
      });
      const alsoXz = await newUser(suite.db, world.organisation, { role: 'agent', initials: 'XZ' });
      const byEmail = await newUser(suite.db, world.organisation, { role: 'agent' });
      const inactive = await newUser(suite.db, world.organisation, {
        initials: 'XQ',
        active: false,
      });
      const otherOrganisation = await newUser(suite.db, other.organisation, { initials: 'XZ' });
      const bystander = world.admin;

      const sockets = await Promise.all(
        [author, byInitials, alsoXz, byEmail, otherOrganisation, bystander].map(async (user) =>
          connectInbox(suite.app, await signIn(suite.app, user)),
        ),
      );
      const [
        authorSocket,
        byInitialsSocket,
        alsoXzSocket,
        byEmailSocket,
        otherSocket,
        bystanderSocket,
      ] = sockets;
      const text = `@xz en @${byEmail.email.toUpperCase()}, kunnen jullie kijken? (@XY, @XQ)`;
      const created = await post(author, notesOf(conversation.id), { text });
      expect(created.status).toBe(201);

      const mention = {
        type: 'mention',
        conversationId: conversation.id,
        text: expect.stringContaining(author.name),
        actorName: author.name,
        quote: excerpt(text),
      };
      expect(await byInitialsSocket!.nextEvent('notification')).toEqual(mention);
      expect(await alsoXzSocket!.nextEvent('notification')).toEqual(mention);
      expect(await byEmailSocket!.nextEvent('notification')).toEqual(mention);
      await sleep(SILENCE_MS);
      expect(byInitialsSocket!.payloadsOf('notification')).toHaveLength(1);
      expect(authorSocket!.payloadsOf('notification')).toEqual([]);
      expect(otherSocket!.received).toEqual([]);
      expect(bystanderSocket!.payloadsOf('notification')).toEqual([]);
      expect(bystanderSocket!.payloadsOf('message.created')).toHaveLength(1);

      const [audit] = await auditOf(conversation.id, 'conversation.note_added');
      expect((audit!.after as { mentionedUserIds: string[] }).mentionedUserIds.sort()).toEqual(
        [byInitials.id, alsoXz.id, byEmail.id].sort(),
      );
      expect(inactive.active).toBe(false);
    });

    it.each([
      [1, ['communications', 'employeeTrained', 'employeeUntrained'], []],
      [2, ['employeeTrained', 'employeeUntrained'], ['communications']],
      [3, ['employeeUntrained'], ['communications', 'employeeTrained']],
    ] as const)(
      'at level %i notifies only the mentioned who may read the inbox (the note is quoted): not %j, but %j',
      async (level, unread, read) => {
        const world = await setup(level);
        const { conversation } = await heldConversation(world);
        const everyone = [...unread, ...read].map((kind) => world[kind]);
        const sockets = await Promise.all(
          everyone.map(async (user) => connectInbox(suite.app, await signIn(suite.app, user))),
        );
        const text = `Wie weet dit? ${everyone.map((user) => `@${user.email}`).join(' ')}`;
        expect((await post(world.teamLead, notesOf(conversation.id), { text })).status).toBe(201);

        for (const [index] of read.entries()) {
          const socket = sockets[unread.length + index]!;
          expect(await socket.nextEvent('notification')).toMatchObject({ type: 'mention' });
        }
        await sleep(SILENCE_MS);
        for (const socket of sockets.slice(0, unread.length)) {
          expect(socket.payloadsOf('notification')).toEqual([]);
        }
        const [audit] = await auditOf(conversation.id, 'conversation.note_added');
        expect((audit!.after as { mentionedUserIds: string[] }).mentionedUserIds.sort()).toEqual(
          read.map((kind) => world[kind].id).sort(),
        );
      },
    );

    it('refuses a missing, blank, non-string, too long or NUL-holding text with 400, writing nothing', async () => {
      const world = await setup();
      const other = await setup();
      const { conversation } = await heldConversation(world);
      const { conversation: theirs } = await heldConversation(other);
      const bodies: [unknown, string][] = [
        [{}, 'text'],
        [{ text: null }, 'text'],
        [{ text: '' }, 'text'],
        [{ text: ' \n\t ' }, 'text'],
        [{ text: 42 }, 'text'],
        [{ text: ['a'] }, 'text'],
        [{ text: 'x'.repeat(10_001) }, 'text'],
        [{ text: 'a\u0000b' }, 'text'],
        [{ text: 'Prima', direction: 'inbound' }, 'direction'],
      ];
      for (const [body, field] of bodies) {
        expectValidation(await post(world.agent, notesOf(conversation.id), body), field);
      }
      // 400 before 404: another organisation's conversation with a bad body.
      expectValidation(await post(world.agent, notesOf(theirs.id), { text: '' }), 'text');
      expect(await notesStored(conversation.id)).toEqual([]);
      expect(await auditOf(conversation.id, 'conversation.note_added')).toEqual([]);
      // The longest allowed text is fine.
      expect(
        (await post(world.agent, notesOf(conversation.id), { text: 'x'.repeat(10_000) })).status,
      ).toBe(201);
    });

    it("answers 404 for another organisation's conversation, an unknown or a malformed id", async () => {
      const world = await setup();
      const other = await setup();
      const { conversation: theirs } = await heldConversation(other);
      for (const id of [theirs.id, '00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
        expectError(await post(world.admin, notesOf(id), { text: 'Hallo' }), 404, 'not_found');
      }
      expect(await notesStored(theirs.id)).toEqual([]);
    });
  });

  // ---------------------------------------------------------------------------------------------
  describe('PUT /api/conversations/:id/labels', () => {
    it('sets the labels trimmed, lower case and once each, audits them and pushes conversation.updated', async () => {
      const world = await setup();
      const { conversation } = await heldConversation(world, { labels: ['spam'] });
      const lead = await connectInbox(suite.app, await signIn(suite.app, world.teamLead));

      const response = await put(world.agent, labelsOf(conversation.id), {
        labels: [' Storing ', 'FACTUUR', 'storing', 'spoed-1', 'Factuur'],
      });
      expect(response.status).toBe(200);
      const body = response.body as ConversationDto;
      expect(body).toMatchObject({
        id: conversation.id,
        labels: ['storing', 'factuur', 'spoed-1'],
        status: 'assigned',
      });
      expect((await storedConversation(conversation.id)).labels).toEqual([
        'storing',
        'factuur',
        'spoed-1',
      ]);
      expect(await lead.nextEvent('conversation.updated')).toEqual(body);
      const [audit] = await auditOf(conversation.id, 'conversation.labelled');
      expect(audit).toMatchObject({
        actorId: world.agent.id,
        before: { labels: ['spam'] },
        after: { labels: ['storing', 'factuur', 'spoed-1'] },
      });

      // The list filter finds it by a label set here.
      const listed = await suite.app
        .http()
        .get(CONVERSATIONS)
        .query({ label: 'spoed-1' })
        .set(bearer(await signIn(suite.app, world.agent)))
        .expect(200);
      expect((listed.body.items as ConversationDto[]).map((c) => c.id)).toEqual([conversation.id]);

      // The same set again changes nothing: no audit entry, no event.
      expect(
        (
          await put(world.agent, labelsOf(conversation.id), {
            labels: ['storing', 'FACTUUR', 'spoed-1'],
          })
        ).status,
      ).toBe(200);
      await sleep(SILENCE_MS);
      expect(lead.payloadsOf('conversation.updated')).toHaveLength(1);
      expect(await auditOf(conversation.id, 'conversation.labelled')).toHaveLength(1);

      // An empty list clears them; a closed conversation may still be labelled.
      await suite.db
        .getRepository(ConversationEntity)
        .update({ id: conversation.id }, { status: 'closed' });
      const cleared = await put(world.agent, labelsOf(conversation.id), { labels: [] });
      expect(cleared.status).toBe(200);
      expect(cleared.body.labels).toEqual([]);
    });

    it('refuses anything but a list of at most 20 short words with 400, changing nothing', async () => {
      const world = await setup();
      const other = await setup();
      const { conversation } = await heldConversation(world, { labels: ['factuur'] });
      const { conversation: theirs } = await heldConversation(other);
      const distinct = (n: number) => Array.from({ length: n }, (_, i) => `label-${i}`);
      const bodies: unknown[] = [
        {},
        { labels: null },
        { labels: 'storing' },
        { labels: [''] },
        { labels: ['   '] },
        { labels: ['te laat'] },
        { labels: ['x'.repeat(41)] },
        { labels: ['-storing'] },
        { labels: ['storing!'] },
        { labels: [5] },
        { labels: [['storing']] },
        { labels: [null] },
        { labels: distinct(21) },
        { labels: ['storing'], label: 'storing' },
      ];
      for (const body of bodies) {
        const response = await put(world.agent, labelsOf(conversation.id), body);
        expectError(response, 400, 'validation.failed');
      }
      expectValidation(await put(world.agent, labelsOf(theirs.id), { labels: ['a b'] }), 'labels');
      expect((await storedConversation(conversation.id)).labels).toEqual(['factuur']);
      expect(await auditOf(conversation.id, 'conversation.labelled')).toEqual([]);

      // Twenty after deduplication, and forty characters, are fine.
      const twenty = [...distinct(20), ...distinct(20).map((label) => label.toUpperCase())];
      const ok = await put(world.agent, labelsOf(conversation.id), { labels: twenty });
      expect(ok.status).toBe(200);
      expect(ok.body.labels).toEqual(distinct(20));
      expect(
        (await put(world.agent, labelsOf(conversation.id), { labels: ['x'.repeat(40)] })).body
          .labels,
      ).toEqual(['x'.repeat(40)]);
    });

    it('is for the assignee, team leads and admins (403 policy.forbidden for another agent); 404 across organisations', async () => {
      const world = await setup();
      const other = await setup();
      const { conversation } = await heldConversation(world);
      const { conversation: theirs } = await heldConversation(other);
      const colleague = await newUser(suite.db, world.organisation, { role: 'agent' });

      expectError(
        await put(colleague, labelsOf(conversation.id), { labels: ['storing'] }),
        403,
        'policy.forbidden',
      );
      expect(
        (await put(world.teamLead, labelsOf(conversation.id), { labels: ['storing'] })).status,
      ).toBe(200);
      expect(
        (await put(world.admin, labelsOf(conversation.id), { labels: ['factuur'] })).status,
      ).toBe(200);
      expectError(
        await put(world.admin, labelsOf(theirs.id), { labels: ['storing'] }),
        404,
        'not_found',
      );
      expect((await storedConversation(theirs.id)).labels).toEqual([]);
    });
  });
});
