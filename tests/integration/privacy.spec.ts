// Privacy (API.md §Audit, reports, privacy) against the real PostgreSQL and Redis: the right to
// erasure (POST /api/customers/erase) changes exactly one customer's rows, keeps the reports'
// counts, is audited without a word of the customer's, and leaves ingest working; the daily
// retention of raw payloads honours each organisation's days, in batches, without waiting on locks.
import type { InboundItem } from '@toonbank/channels';
import {
  AuditLogEntity,
  ChannelAccountEntity,
  ConversationEntity,
  MessageEntity,
  ReplyEntity,
  type OrganisationEntity,
} from '@toonbank/database';
import { IngestWriter, RawRetention } from '@toonbank/ingest';
import {
  AuditAction,
  ERASED_CUSTOMER_PATTERN,
  ERASED_TEXT,
  QueueName,
  type ConversationDetailDto,
  type ReportSummaryDto,
} from '@toonbank/shared';
import { In } from 'typeorm';
import { expectError, expectValidation } from '../support/expect-error';
import {
  newChannelAccount,
  newConversation,
  newInboundMessage,
  newOrganisation,
  newReply,
  newStaffedOrganisation,
} from '../support/factories';
import { useTestApp } from '../support/suite';
import { bearer, signIn } from '../support/test-app';
import { drained } from '../support/test-worker';

const HOUR = 3600_000;
/** A channel id that no organisation has. */
const NO_CHANNEL = '00000000-0000-4000-8000-000000000000';
const NOTHING = { messages: 0, conversations: 0 };
const DAY = 24 * HOUR;
const NOW = Date.now();
let seq = 0;

/** An inbound item as a Mastodon connector hands it over. */
const item = (
  author: { id: string; handle: string; name?: string | null },
  at: number,
  overrides: Partial<InboundItem> = {},
): InboundItem => {
  seq += 1;
  return {
    externalId: `status-${seq}-${Math.random().toString(36).slice(2)}`,
    authorExternalId: author.id,
    authorHandle: author.handle,
    authorName: author.name ?? null,
    text: `Bericht ${seq} van ${author.name ?? author.handle}: mijn adres is Kerkstraat ${seq}.`,
    createdAt: new Date(at),
    inReplyToExternalId: null,
    threadRootExternalId: null,
    visibility: 'public',
    language: 'nl',
    attachments: [{ type: 'image', url: `https://social.example/media/${seq}.jpg` }],
    raw: { id: String(seq), account: { acct: author.handle.slice(1), display_name: author.name } },
    ...overrides,
  };
};

describe('privacy', () => {
  const suite = useTestApp({ redis: 'privacy', worker: true });
  let writer: IngestWriter;

  beforeAll(() => {
    writer = suite.worker.get(IngestWriter);
  });

  /** Stores items as the ingest does, and waits for what it set off (SLA checks, routing). */
  const ingest = async (
    organisation: OrganisationEntity,
    channelId: string,
    items: InboundItem[],
  ) => {
    const result = await writer.write(organisation.id, channelId, items, null);
    for (const name of [QueueName.Routing, QueueName.Sla]) await drained(suite.queue(name));
    return result;
  };
  const conversationOf = async (channelId: string, externalId: string) =>
    (
      await suite.db
        .getRepository(MessageEntity)
        .findOneByOrFail({ channelAccountId: channelId, externalId })
    ).conversationId;
  const erase = (token: string, body: object) =>
    suite.app.http().post('/api/customers/erase').set(bearer(token)).send(body);
  /** 200 with these counts. */
  const expectErased = async (
    token: string,
    body: object,
    counts: { messages: number; conversations: number },
  ) => {
    const response = await erase(token, body);
    expect({ body, status: response.status, answer: response.body }).toEqual({
      body,
      status: 200,
      answer: counts,
    });
  };

  describe('POST /api/customers/erase', () => {
    const klant = { id: '109876543210', handle: '@Klant@social.example', name: 'Karin Klant' };
    const renamed = { ...klant, handle: '@karin@social.example' };
    const ander = { id: '20202', handle: '@ander@social.example', name: 'Anton Ander' };

    let own: Awaited<ReturnType<typeof newStaffedOrganisation>>;
    let adminToken: string;
    let channel: ChannelAccountEntity;
    let otherChannel: ChannelAccountEntity;
    let stranger: OrganisationEntity;
    let strangerChannel: ChannelAccountEntity;
    /** The customer's items: k1, k2 (conversation 1), k3 (conversation 2, under a new handle), k4 (in Anton's). */
    const k: InboundItem[] = [];
    let a1: InboundItem;
    let c1: string;
    let c2: string;
    let c3: string;
    let c4: string;
    let cStranger: string;
    let reportBefore: ReportSummaryDto;
    let untouchedBefore: { conversations: ConversationEntity[]; messages: MessageEntity[] };
    let erasedBefore: ConversationEntity[];
    let replies: { sent: ReplyEntity; pending: ReplyEntity; queued: ReplyEntity };
    let pseudonym: string;

    const reportWindow = `from=${new Date(NOW - 5 * DAY).toISOString()}&to=${new Date(NOW + HOUR).toISOString()}`;
    const report = async () =>
      (
        await suite.app
          .http()
          .get(`/api/reports/summary?${reportWindow}`)
          .set(bearer(adminToken))
          .expect(200)
      ).body as ReportSummaryDto;
    /** Everything of the organisations and channels that the erasure must leave alone. */
    const untouched = async () => ({
      conversations: await suite.db.getRepository(ConversationEntity).find({
        where: [
          { id: In([c3, c4, cStranger]) },
          { channelAccountId: In([otherChannel.id, strangerChannel.id]) },
        ],
        order: { id: 'ASC' },
      }),
      messages: await suite.db.getRepository(MessageEntity).find({
        where: [
          { conversationId: In([c3, c4, cStranger]), authorExternalId: In([ander.id, klant.id]) },
          { channelAccountId: In([otherChannel.id, strangerChannel.id]) },
        ],
        order: { id: 'ASC' },
      }),
    });

    beforeAll(async () => {
      own = await newStaffedOrganisation(suite.db, { routingStrategy: 'manual' });
      adminToken = await signIn(suite.app, own.admin);
      channel = await newChannelAccount(suite.db, own.organisation);
      otherChannel = await newChannelAccount(suite.db, own.organisation);
      stranger = await newOrganisation(suite.db, { routingStrategy: 'manual' });
      strangerChannel = await newChannelAccount(suite.db, stranger);

      k.push(item(klant, NOW - 50 * HOUR));
      k.push(item(klant, NOW - 49 * HOUR, { inReplyToExternalId: k[0]!.externalId }));
      k.push(item(renamed, NOW - 20 * HOUR)); // 29 hours later: a conversation of its own
      a1 = item(ander, NOW - 30 * HOUR);
      k.push(item(klant, NOW - 29 * HOUR, { inReplyToExternalId: a1.externalId }));
      await ingest(own.organisation, channel.id, [k[0]!, k[1]!, a1, k[3]!]);
      await ingest(own.organisation, channel.id, [k[2]!]);
      // The same handle on another channel of the organisation, and in another organisation.
      await ingest(own.organisation, otherChannel.id, [item(klant, NOW - 40 * HOUR)]);
      const elsewhere = item(klant, NOW - 40 * HOUR);
      await ingest(stranger, strangerChannel.id, [elsewhere]);

      c1 = await conversationOf(channel.id, k[0]!.externalId);
      c2 = await conversationOf(channel.id, k[2]!.externalId);
      c3 = await conversationOf(channel.id, a1.externalId);
      c4 = (
        await suite.db
          .getRepository(ConversationEntity)
          .findOneByOrFail({ channelAccountId: otherChannel.id })
      ).id;
      cStranger = await conversationOf(strangerChannel.id, elsewhere.externalId);
      expect(new Set([c1, c2, c3]).size).toBe(3);
      expect(await conversationOf(channel.id, k[1]!.externalId)).toBe(c1);
      expect(await conversationOf(channel.id, k[3]!.externalId)).toBe(c3);

      // Conversation 1 was answered (a sent reply, its outbound message, the first response),
      // has a note, a reply waiting for approval and one queued to be sent.
      const conversations = suite.db.getRepository(ConversationEntity);
      await conversations.update(c1, {
        status: 'waiting',
        assigneeId: own.agent.id,
        assignedAt: new Date(NOW - 49.5 * HOUR),
        firstResponseAt: new Date(NOW - 48 * HOUR),
        labels: ['storing'],
      });
      const conversation1 = await conversations.findOneByOrFail({ id: c1 });
      const sent = await newReply(suite.db, conversation1, own.agent, {
        text: 'Beste Karin Klant, uw storing op de Kerkstraat is verholpen. ^AB',
        status: 'sent',
        sentAt: new Date(NOW - 48 * HOUR),
        externalId: 'our-status-1',
        variables: { order: 'Kerkstraat 1' },
        toneFindings: [{ ruleId: 'x', severity: 'info', message: 'Karin', start: 6, end: 11 }],
      });
      await suite.db.getRepository(MessageEntity).insert({
        organisationId: own.organisation.id,
        conversationId: c1,
        channelAccountId: channel.id,
        direction: 'outbound',
        externalId: 'our-status-1',
        authorUserId: own.agent.id,
        text: sent.text,
        raw: { content: sent.text },
        replyId: sent.id,
        createdAt: new Date(NOW - 48 * HOUR),
      });
      await newInboundMessage(suite.db, conversation1, {
        direction: 'note',
        externalId: null,
        authorExternalId: null,
        authorHandle: null,
        authorName: null,
        authorUserId: own.teamLead.id,
        text: 'Karin belde ook, klantnummer 12345.',
        createdAt: new Date(NOW - 47 * HOUR),
      });
      const pending = await newReply(suite.db, conversation1, own.agent, {
        text: 'Beste Karin, nog één vraag. ^AB',
        status: 'pending_approval',
      });
      const queued = await newReply(suite.db, conversation1, own.agent, {
        text: 'Beste Karin, tot ziens. ^AB',
        status: 'queued',
      });
      replies = { sent, pending, queued };

      reportBefore = await report();
      untouchedBefore = await untouched();
      erasedBefore = await conversations.find({
        where: { id: In([c1, c2]) },
        order: { id: 'ASC' },
      });
    });

    it('erases the customer: 200 with the counts of their messages and conversations', async () => {
      // No @, another letter case: the handle is found as the inbox shows it.
      await expectErased(
        adminToken,
        { channelId: channel.id, handle: '  klant@SOCIAL.example ' },
        { messages: 4, conversations: 2 },
      );
    });

    it('puts the customer under one pseudonym, blanks texts and names, keeps ids, times and states', async () => {
      const after = await suite.db
        .getRepository(ConversationEntity)
        .find({ where: { id: In([c1, c2]) }, order: { id: 'ASC' } });
      pseudonym = after[0]!.customerHandle;
      expect(pseudonym).toMatch(ERASED_CUSTOMER_PATTERN);
      expect(after).toEqual(
        erasedBefore.map((before) => ({
          ...before,
          customerExternalId: pseudonym,
          customerHandle: pseudonym,
          customerName: null,
          preview: ERASED_TEXT,
          erasedAt: expect.any(Date),
          updatedAt: expect.any(Date),
        })),
      );

      const messages = await suite.db.getRepository(MessageEntity).find({
        where: { channelAccountId: channel.id, externalId: In(k.map((i) => i.externalId)) },
      });
      expect(messages).toHaveLength(4);
      for (const message of messages) {
        const original = k.find((i) => i.externalId === message.externalId)!;
        expect(message).toMatchObject({
          direction: 'inbound',
          text: ERASED_TEXT,
          raw: null,
          attachments: [],
          authorName: null,
          authorHandle: pseudonym,
          authorExternalId: pseudonym,
          createdAt: original.createdAt,
          inReplyToExternalId: original.inReplyToExternalId,
          language: 'nl',
        });
      }
    });

    it('blanks our replies, outbound messages and notes in those conversations; unsent replies stop', async () => {
      const ours = await suite.db
        .getRepository(MessageEntity)
        .findBy({ conversationId: c1, direction: In(['outbound', 'note']) });
      expect(ours.map((m) => [m.direction, m.text, m.raw]).sort()).toEqual([
        ['note', ERASED_TEXT, null],
        ['outbound', ERASED_TEXT, null],
      ]);
      const rows = await suite.db.getRepository(ReplyEntity).findBy({ conversationId: c1 });
      const byId = new Map(rows.map((r) => [r.id, r]));
      for (const reply of rows) {
        expect(reply).toMatchObject({ text: ERASED_TEXT, variables: null, toneFindings: [] });
      }
      expect(byId.get(replies.sent.id)).toMatchObject({
        status: 'sent',
        externalId: 'our-status-1',
      });
      expect(byId.get(replies.pending.id)?.status).toBe('withdrawn');
      expect(byId.get(replies.queued.id)).toMatchObject({
        status: 'failed',
        error: 'the customer was erased before it was sent',
      });
    });

    it('leaves another customer, the same handle on another channel and another organisation alone', async () => {
      const after = await untouched();
      const conversation3 = after.conversations.find((c) => c.id === c3)!;
      // Anton's conversation showed the customer's message as its preview: only that goes.
      expect(conversation3).toMatchObject({ customerHandle: ander.handle, preview: ERASED_TEXT });
      expect(after).toEqual({
        conversations: untouchedBefore.conversations.map((c) =>
          c.id === c3 ? { ...c, preview: ERASED_TEXT, updatedAt: expect.any(Date) } : c,
        ),
        // The customer's own message in Anton's conversation is erased (not listed here: its
        // author is the pseudonym now); Anton's message keeps its words and raw payload.
        messages: untouchedBefore.messages.filter((m) => m.externalId !== k[3]!.externalId),
      });
      const anton = after.messages.find((m) => m.externalId === a1.externalId)!;
      expect(anton).toMatchObject({ text: a1.text, raw: a1.raw, authorHandle: ander.handle });
    });

    it('keeps every figure of the reports', async () => {
      expect(await report()).toEqual(reportBefore);
      expect(reportBefore.volume.total).toBe(6); // five on the channel, one on the other
      expect(reportBefore.firstResponse.count).toBeGreaterThanOrEqual(1);
    });

    it('audits counts and the pseudonym, never a word, name or handle of the customer', async () => {
      const entries = await suite.db.getRepository(AuditLogEntity).findBy({
        organisationId: own.organisation.id,
      });
      const erased = entries.filter((e) => e.action === AuditAction.CustomerErased);
      expect(erased).toEqual([
        expect.objectContaining({
          actorId: own.admin.id,
          subjectType: 'customer',
          subjectId: null,
          before: null,
          after: {
            channelId: channel.id,
            pseudonym,
            messages: 4,
            conversations: 2,
            outboundMessages: 1,
            notes: 1,
            replies: 3,
            previewsCleared: 1,
            quarantined: 0,
          },
        }),
      ]);
      const statusChanges = entries
        .filter((e) => e.subjectId === replies.pending.id || e.subjectId === replies.queued.id)
        .map((e) => [e.action, e.after?.status])
        .sort();
      expect(statusChanges).toEqual([
        [AuditAction.ReplyFailed, 'failed'],
        [AuditAction.ReplyWithdrawn, 'withdrawn'],
      ]);
      const everything = JSON.stringify(entries).toLowerCase();
      for (const word of ['klant', 'karin', 'kerkstraat', klant.id])
        expect(everything).not.toContain(word);
    });

    it('shows the erased conversation through the API as the pseudonym with erased texts', async () => {
      const response = await suite.app
        .http()
        .get(`/api/conversations/${c1}`)
        .set(bearer(adminToken))
        .expect(200);
      const detail = response.body as ConversationDetailDto;
      expect(detail.customer).toEqual({ handle: pseudonym, name: null });
      expect(detail.preview).toBe(ERASED_TEXT);
      expect(new Set(detail.messages.map((m) => m.text))).toEqual(new Set([ERASED_TEXT]));
      expect(JSON.stringify(detail).toLowerCase()).not.toMatch(/karin|kerkstraat|klant/);
    });

    it('refuses a new reply on an erased conversation (409): it would go to a pseudonym', async () => {
      const response = await suite.app
        .http()
        .post(`/api/conversations/${c1}/replies`)
        .set(bearer(adminToken))
        .send({ text: 'Dank voor uw bericht. ^AB' });
      expectError(response, 409, 'conflict');
    });

    it('is idempotent: again, or naming the pseudonym, is 200 with zeros and changes nothing', async () => {
      const before = await suite.db
        .getRepository(ConversationEntity)
        .find({ where: { channelAccountId: channel.id }, order: { id: 'ASC' } });
      for (const handle of [klant.handle, renamed.handle, pseudonym, '@nobody@social.example'])
        await expectErased(adminToken, { channelId: channel.id, handle }, NOTHING);
      expect(
        await suite.db
          .getRepository(ConversationEntity)
          .find({ where: { channelAccountId: channel.id }, order: { id: 'ASC' } }),
      ).toEqual(before);
      expect(await report()).toEqual(reportBefore);
    });

    it('lets the customer write again: new messages start a new conversation, never the erased one', async () => {
      // Sent again by the channel: an erased post is not stored a second time.
      expect(await ingest(own.organisation, channel.id, [k[0]!])).toMatchObject({ stored: 0 });

      // Within 24 hours of conversation 2, from the same account: a new conversation all the same.
      const fresh = item(klant, NOW - 19 * HOUR);
      expect(await ingest(own.organisation, channel.id, [fresh])).toMatchObject({
        stored: 1,
        conversationsCreated: 1,
      });
      const newConversation = await conversationOf(channel.id, fresh.externalId);
      expect([c1, c2]).not.toContain(newConversation);
      expect(
        await suite.db.getRepository(ConversationEntity).findOneByOrFail({ id: newConversation }),
      ).toMatchObject({ customerHandle: klant.handle, customerName: klant.name, erasedAt: null });

      // A reply to an erased message (theirs or ours) does not join the erased conversation.
      const answer = item(ander, NOW - 18 * HOUR, { inReplyToExternalId: k[1]!.externalId });
      const toOurs = item(ander, NOW - 17 * HOUR, { inReplyToExternalId: 'our-status-1' });
      await ingest(own.organisation, channel.id, [answer]);
      await ingest(own.organisation, channel.id, [toOurs]);
      for (const message of [answer, toOurs])
        expect([c1, c2]).not.toContain(await conversationOf(channel.id, message.externalId));
      const erased = await suite.db
        .getRepository(ConversationEntity)
        .find({ where: { id: In([c1, c2]) }, order: { id: 'ASC' } });
      expect(erased.map((c) => [c.preview, c.customerHandle])).toEqual([
        [ERASED_TEXT, pseudonym],
        [ERASED_TEXT, pseudonym],
      ]);
      // k1, k2, our outbound message and the note in 1; k3 in 2: nothing joined them.
      expect(
        await suite.db.getRepository(MessageEntity).countBy({ conversationId: In([c1, c2]) }),
      ).toBe(5);
    });

    it('erases a customer of a removed channel (its conversations stay)', async () => {
      const removed = await newChannelAccount(suite.db, own.organisation, {
        deletedAt: new Date(),
      });
      const conversation = await newConversation(suite.db, own.organisation, removed, {
        customerHandle: '@weg@social.example',
      });
      await newInboundMessage(suite.db, conversation);
      await expectErased(
        adminToken,
        { channelId: removed.id, handle: '@weg@social.example' },
        { messages: 1, conversations: 1 },
      );
    });

    it('answers 404 for a channel that does not exist or is another organisation’s', async () => {
      const handle = klant.handle;
      expectError(
        await erase(adminToken, { channelId: strangerChannel.id, handle }),
        404,
        'not_found',
      );
      expectError(await erase(adminToken, { channelId: NO_CHANNEL, handle }), 404, 'not_found');
      // Nothing of the other organisation changed.
      const strangers = await suite.db
        .getRepository(ConversationEntity)
        .findBy({ channelAccountId: strangerChannel.id });
      expect(strangers.map((c) => c.customerHandle)).toEqual([klant.handle]);
    });

    it.each<[string, object, string]>([
      ['a channelId that is not a UUID', { channelId: 'not-a-uuid', handle: '@a' }, 'channelId'],
      ['no channelId', { handle: '@a' }, 'channelId'],
      ['no handle', { channelId: NO_CHANNEL }, 'handle'],
      ['an empty handle', { channelId: NO_CHANNEL, handle: '' }, 'handle'],
      ['a blank handle', { channelId: NO_CHANNEL, handle: '   ' }, 'handle'],
      ['a handle of only @', { channelId: NO_CHANNEL, handle: ' @@ ' }, 'handle'],
      ['a handle that is not text', { channelId: NO_CHANNEL, handle: 42 }, 'handle'],
      [
        'a handle over 200 characters',
        { channelId: NO_CHANNEL, handle: 'a'.repeat(201) },
        'handle',
      ],
      ['an unknown field', { channelId: NO_CHANNEL, handle: '@a', everything: true }, 'everything'],
    ])('refuses %s (400)', async (_label, body, field) => {
      expectValidation(await erase(adminToken, body), field);
    });

    it('takes a handle of exactly 200 characters (then 404 for the unknown channel)', async () => {
      const response = await erase(adminToken, {
        channelId: NO_CHANNEL,
        handle: 'a'.repeat(200),
      });
      expectError(response, 404, 'not_found');
    });

    it('is for admins only: a team lead gets 403 before validation', async () => {
      const token = await signIn(suite.app, own.teamLead);
      expectError(await erase(token, { channelId: 'x', handle: '' }), 403, 'policy.forbidden');
    });
  });

  describe('the retention of raw payloads', () => {
    /** A message stored `daysAgo` days ago, with a raw payload. */
    const stored = async (
      conversation: ConversationEntity,
      daysAgo: number,
      createdDaysAgo = daysAgo,
    ) => {
      const message = await newInboundMessage(suite.db, conversation, {
        raw: { id: `raw-${daysAgo}`, secret: 'payload' },
        createdAt: new Date(NOW - createdDaysAgo * DAY),
      });
      await suite.db.query('UPDATE messages SET stored_at = $2 WHERE id = $1', [
        message.id,
        new Date(NOW - daysAgo * DAY),
      ]);
      return message.id;
    };
    const rawOf = async (ids: string[]) =>
      Object.fromEntries(
        (await suite.db.getRepository(MessageEntity).findBy({ id: In(ids) })).map((m) => [
          m.id,
          m.raw !== null,
        ]),
      );
    const world = async (rawRetentionDays?: number) => {
      const organisation = await newOrganisation(
        suite.db,
        rawRetentionDays ? { rawRetentionDays } : {},
      );
      const account = await newChannelAccount(suite.db, organisation);
      return { organisation, conversation: await newConversation(suite.db, organisation, account) };
    };

    it('drops the payloads older than each organisation’s days (default 90), keeps the rest and the messages', async () => {
      const standard = await world();
      const strict = await world(7);
      expect(standard.organisation.rawRetentionDays).toBe(90);
      const ids = {
        standardOld: await stored(standard.conversation, 91),
        standardKept: await stored(standard.conversation, 89),
        strictOld: await stored(strict.conversation, 8),
        strictKept: await stored(strict.conversation, 6),
        // Written long ago, received yesterday (a back-fill): counted from its arrival.
        strictLateArrival: await stored(strict.conversation, 1, 30),
      };
      const result = await new RawRetention(suite.db).dropExpired(new Date(NOW));
      expect(result.dropped).toBeGreaterThanOrEqual(2); // other suites' old payloads count too
      expect(await rawOf(Object.values(ids))).toEqual({
        [ids.standardOld]: false,
        [ids.standardKept]: true,
        [ids.strictOld]: false,
        [ids.strictKept]: true,
        [ids.strictLateArrival]: true,
      });
      const dropped = await suite.db
        .getRepository(MessageEntity)
        .findOneByOrFail({ id: ids.strictOld });
      expect(dropped).toMatchObject({ text: 'Mijn stroom is sinds vanochtend uitgevallen.' });
      // Run again: nothing more to do for these organisations.
      for (const { organisation } of [standard, strict]) {
        expect(
          await new RawRetention(suite.db).dropExpiredOf(
            organisation.id,
            organisation.rawRetentionDays,
            new Date(NOW),
          ),
        ).toEqual({ dropped: 0, batches: 1 });
      }
    });

    it('works in batches of the configured size until a batch comes back short', async () => {
      const { organisation, conversation } = await world(30);
      const old = [];
      for (let i = 0; i < 5; i += 1) old.push(await stored(conversation, 31 + i));
      const kept = await stored(conversation, 29);
      const retention = new RawRetention(suite.db, 2);
      expect(await retention.dropExpiredOf(organisation.id, 30, new Date(NOW))).toEqual({
        dropped: 5,
        batches: 3, // 2 + 2 + 1
      });
      expect(Object.values(await rawOf(old))).toEqual([false, false, false, false, false]);
      expect(await rawOf([kept])).toEqual({ [kept]: true });

      // A multiple of the batch: one more statement finds nothing.
      const more = [await stored(conversation, 40), await stored(conversation, 41)];
      expect(await retention.dropExpiredOf(organisation.id, 30, new Date(NOW))).toEqual({
        dropped: 2,
        batches: 2,
      });
      expect(Object.values(await rawOf(more))).toEqual([false, false]);
    });

    it('never waits on a row someone holds: skips it, and drops it on the next run', async () => {
      const { organisation, conversation } = await world(30);
      const held = await stored(conversation, 60);
      const free = await stored(conversation, 61);
      const runner = suite.db.createQueryRunner();
      await runner.connect();
      await runner.startTransaction();
      try {
        await runner.query('SELECT id FROM messages WHERE id = $1 FOR UPDATE', [held]);
        const retention = new RawRetention(suite.db, 1);
        expect(await retention.dropExpiredOf(organisation.id, 30, new Date(NOW))).toEqual({
          dropped: 1,
          batches: 2,
        });
        expect(await rawOf([held, free])).toEqual({ [held]: true, [free]: false });
      } finally {
        await runner.rollbackTransaction();
        await runner.release();
      }
      expect(
        await new RawRetention(suite.db).dropExpiredOf(organisation.id, 30, new Date(NOW)),
      ).toEqual({
        dropped: 1,
        batches: 1,
      });
      expect(await rawOf([held])).toEqual({ [held]: false });
    });

    it('can find each batch through the partial index instead of reading the whole table', async () => {
      const { organisation } = await world(30);
      const runner = suite.db.createQueryRunner();
      await runner.connect();
      await runner.startTransaction();
      try {
        // A small test table is cheaper to scan: forbid that, to see the index is usable.
        await runner.query('SET LOCAL enable_seqscan = off');
        const plan = (await runner.query(
          `EXPLAIN SELECT id FROM messages
            WHERE organisation_id = $1 AND raw IS NOT NULL AND stored_at < $2 LIMIT 5000`,
          [organisation.id, new Date(NOW - 30 * DAY)],
        )) as { 'QUERY PLAN': string }[];
        expect(plan.map((row) => row['QUERY PLAN']).join('\n')).toContain(
          'ix_messages_raw_retention',
        );
      } finally {
        await runner.rollbackTransaction();
        await runner.release();
      }
    });
  });
});
