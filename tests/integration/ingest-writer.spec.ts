import type { INestApplicationContext } from '@nestjs/common';
import type { InboundItem } from '@toonbank/channels';
import { ConversationEntity, MessageEntity } from '@toonbank/database';
import { IngestWriter } from '@toonbank/ingest';
import { QueueName } from '@toonbank/shared';
import { slaTimerJobId } from '@toonbank/sla';
import type { DataSource } from 'typeorm';
import { closeTestDatabase, testDatabase } from '../support/database';
import { newChannelAccount, newOrganisation } from '../support/factories';
import { queueOn, startTestWorker, uniqueRedisPrefix } from '../support/test-worker';

const HOUR = 3600_000;
const T0 = new Date('2026-03-01T10:00:00Z').getTime();
let seq = 0;
const item = (
  author: string,
  hours: number,
  overrides: Partial<InboundItem> = {},
): InboundItem => ({
  externalId: `post-${(seq += 1)}-${Math.random()}`,
  authorExternalId: author,
  authorHandle: `@${author}`,
  authorName: null,
  text: `bericht ${seq}`,
  createdAt: new Date(T0 + hours * HOUR),
  inReplyToExternalId: null,
  threadRootExternalId: null,
  visibility: 'public',
  language: 'nl',
  attachments: [],
  raw: { id: seq },
  ...overrides,
});

/** The writer's promises (SPEC.md §3) on the real database, whatever the batch boundaries. */
describe('IngestWriter', () => {
  let db: DataSource;
  let worker: INestApplicationContext;
  let writer: IngestWriter;

  const prefix = uniqueRedisPrefix('writer');

  beforeAll(async () => {
    db = await testDatabase();
    worker = await startTestWorker(prefix);
    writer = worker.get(IngestWriter);
  });
  afterAll(async () => {
    await worker.close();
    await closeTestDatabase();
  });

  const channel = async () => {
    const organisation = await newOrganisation(db, { routingStrategy: 'manual' });
    return { organisation, account: await newChannelAccount(db, organisation) };
  };
  const conversationOf = async (accountId: string, externalId: string) =>
    (
      await db
        .getRepository(MessageEntity)
        .findOneByOrFail({ channelAccountId: accountId, externalId })
    ).conversationId;

  it.each([
    ['in one batch', (items: InboundItem[]) => [items]],
    ['one by one', (items: InboundItem[]) => items.map((i) => [i])],
  ])(
    'threads the same way %s: a reply to another customer does not take over their own thread',
    async (_label, split) => {
      const { organisation, account } = await channel();
      const x1 = item('ana', 0);
      const y1 = item('bram', 1, { inReplyToExternalId: x1.externalId });
      const y2 = item('bram', 2);
      for (const batch of split([x1, y1, y2]))
        await writer.write(organisation.id, account.id, batch, null);
      expect(await conversationOf(account.id, y1.externalId)).toBe(
        await conversationOf(account.id, x1.externalId),
      );
      expect(await conversationOf(account.id, y2.externalId)).not.toBe(
        await conversationOf(account.id, x1.externalId),
      );
    },
  );

  it('a batch stored one by one that fails later (not an item’s fault) still announces what it stored: the SLA timer is set', async () => {
    const { organisation, account } = await channel();
    const marker = `not_an_item_${Math.random().toString(36).slice(2)}`;
    // The database failing on the third item, as a connection lost would (class 08).
    await db.query(`
      CREATE FUNCTION fail_${marker}() RETURNS trigger AS $$
      BEGIN
        IF NEW.text LIKE '%${marker}%' THEN
          RAISE EXCEPTION 'the database went away' USING ERRCODE = '08006';
        END IF;
        RETURN NEW;
      END $$ LANGUAGE plpgsql`);
    await db.query(`CREATE TRIGGER "fail_${marker}" BEFORE INSERT ON messages
      FOR EACH ROW EXECUTE FUNCTION fail_${marker}()`);
    const sla = queueOn(prefix, QueueName.Sla);
    try {
      const now = Date.now();
      const stored = item('ana', 0, { createdAt: new Date(now) });
      // Milliseconds in the year 17814: PostgreSQL refuses it, an item's fault: one by one.
      const refused = item('bram', 0, { createdAt: new Date(5e14) });
      const failing = item('cor', 0, { createdAt: new Date(now), text: `hallo ${marker}` });
      await expect(
        writer.write(organisation.id, account.id, [stored, refused, failing], null),
      ).rejects.toThrow(/the database went away/);

      const conversation = await db
        .getRepository(ConversationEntity)
        .findOneByOrFail({ id: await conversationOf(account.id, stored.externalId) });
      expect(conversation.slaDueAt).not.toBeNull();
      expect(await sla.getJobState(slaTimerJobId(conversation))).toBe('delayed');
    } finally {
      await db.query(`DROP TRIGGER "fail_${marker}" ON messages`);
      await db.query(`DROP FUNCTION fail_${marker}()`);
      await sla.close();
    }
  });

  it('a new conversation that gets several messages in a batch shows the latest', async () => {
    const { organisation, account } = await channel();
    const messages = [
      item('chantal', 0, { text: 'eerste' }),
      item('chantal', 10, { text: 'tweede' }),
      item('chantal', 20, { text: 'derde' }),
    ];
    await writer.write(organisation.id, account.id, messages, null);
    const conversation = await db
      .getRepository(ConversationEntity)
      .findOneByOrFail({ channelAccountId: account.id });
    expect(conversation).toMatchObject({
      preview: 'derde',
      lastMessageAt: new Date(T0 + 20 * HOUR),
    });
    // 26 hours after the first message but 6 after the last: still the same conversation.
    const later = item('chantal', 26);
    await writer.write(organisation.id, account.id, [later], null);
    expect(await conversationOf(account.id, later.externalId)).toBe(conversation.id);
  });

  it('stores a message with NUL characters (without them) instead of blocking the channel', async () => {
    const { organisation, account } = await channel();
    const hostile = item('daan', 0, {
      text: 'null\u0000byte',
      raw: { text: 'null\u0000byte', 'k\u0000': 'v' },
    });
    const next = item('eva', 1);
    expect(await writer.write(organisation.id, account.id, [hostile, next], null)).toMatchObject({
      stored: 2,
    });
    const stored = await db
      .getRepository(MessageEntity)
      .findOneByOrFail({ channelAccountId: account.id, externalId: hostile.externalId });
    expect(stored.text).toBe('nullbyte');
    expect(stored.raw).toEqual({ text: 'nullbyte', k: 'v' });
  });

  it('stores a message with half a surrogate pair (as U+FFFD) instead of blocking the channel', async () => {
    const { organisation, account } = await channel();
    const hostile = item('fleur', 0, {
      text: 'half \ud83d pair 😀',
      authorName: 'Fleur \ude00',
      raw: { text: 'half \ud83d pair 😀' },
    });
    expect(await writer.write(organisation.id, account.id, [hostile], null)).toMatchObject({
      stored: 1,
    });
    const stored = await db
      .getRepository(MessageEntity)
      .findOneByOrFail({ channelAccountId: account.id, externalId: hostile.externalId });
    expect(stored.text).toBe('half \ufffd pair 😀');
    expect(stored.authorName).toBe('Fleur \ufffd');
    expect(stored.raw).toEqual({ text: 'half \ufffd pair 😀' });
  });

  it('stores each item once, whatever is sent again', async () => {
    const { organisation, account } = await channel();
    const batch = [item('fien', 0), item('gert', 1)];
    expect(await writer.write(organisation.id, account.id, batch, null)).toMatchObject({
      stored: 2,
    });
    expect(
      await writer.write(organisation.id, account.id, [...batch, ...batch], null),
    ).toMatchObject({ stored: 0 });
    expect(await db.getRepository(MessageEntity).countBy({ channelAccountId: account.id })).toBe(2);
  });
});
