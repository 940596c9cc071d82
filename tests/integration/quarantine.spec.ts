import { deeplyNestedJson, MastodonPeer } from '@toonbank/channels/testing';
import { MessageEntity } from '@toonbank/database';
import { Metrics } from '@toonbank/platform';
import { QueueName } from '@toonbank/shared';
import { newStaffedOrganisation } from '../support/factories';
import { connectMastodon } from '../support/mastodon-channel';
import { sample } from '../support/metrics';
import { useTestApp } from '../support/suite';
import { bearer, signIn } from '../support/test-app';
import { drained } from '../support/test-worker';

const TOKEN = 'mastodon-token-of-the-quarantine-suite';
/** The payload of issue 13: a notification nested 100,000 levels deep. */
const DEPTH = 100_000;

/** Issue 13, item 7: one item that cannot be stored is quarantined, and the channel goes on. */
describe('quarantine of items that cannot be stored', () => {
  const suite = useTestApp({ redis: 'quarantine', worker: true });
  let peer: MastodonPeer;

  beforeEach(async () => {
    peer = await new MastodonPeer({ accessToken: TOKEN, pageSize: 3, maxPageSize: 3 }).start();
  });
  afterEach(() => peer.close());

  const world = async () => {
    const staffed = await newStaffedOrganisation(suite.db, { routingStrategy: 'manual' });
    return { ...staffed, admin: await signIn(suite.app, staffed.admin) };
  };
  /** Connected, with the first poll (the newest page, no back-fill) done. */
  const connected = async (admin: string) => {
    const id = await connectMastodon(suite.app, admin, peer, TOKEN);
    for (const name of [QueueName.Polling, QueueName.Ingest]) await drained(suite.queue(name));
    return id;
  };
  const pollNow = (admin: string, id: string) =>
    suite.app.http().post(`/api/channels/${id}/poll`).set(bearer(admin));
  const storedTexts = async (channelId: string) =>
    (
      await suite.db
        .getRepository(MessageEntity)
        .find({ where: { channelAccountId: channelId }, order: { createdAt: 'ASC' } })
    ).map((m) => m.text.replace(/^@demo_energie /, ''));
  const quarantined = (channelId: string) =>
    suite.db.query(
      `SELECT organisation_id, source, external_id, author_external_id, reason, raw, raw_truncated,
              attempts
         FROM quarantined_items WHERE channel_account_id = $1 ORDER BY received_at, id`,
      [channelId],
    ) as Promise<
      {
        organisation_id: string;
        source: string;
        external_id: string | null;
        author_external_id: string | null;
        reason: string;
        raw: string;
        raw_truncated: boolean;
        attempts: number;
      }[]
    >;
  const quarantinedCount = async (provider: string, source: string) =>
    sample((await suite.worker.get(Metrics).text()).body, 'toonbank_ingest_quarantined_total', {
      provider,
      source,
    }) ?? 0;

  describe('polling', () => {
    it('a notification nested 100,000 levels deep is quarantined; the rest of its page and the pages after it are stored, the cursor moves past it', async () => {
      const w = await world();
      const channelId = await connected(w.admin);
      const counted = await quarantinedCount('mastodon', 'poll');

      peer.mention({ text: 'Eerste vraag' });
      const bad = peer.mention({
        text: 'Giftig',
        statusOverrides: { extra: deeplyNestedJson(DEPTH) },
      });
      peer.mention({ text: 'Derde vraag' });
      // The next page (pages of 3): after the bad one's.
      peer.mention({ text: 'Vierde vraag' });
      peer.mention({ text: 'Vijfde vraag' });

      const first = await pollNow(w.admin, channelId).expect(200);
      expect(first.body).toMatchObject({ fetched: 5, stored: 4 });
      expect(await storedTexts(channelId)).toEqual([
        'Eerste vraag',
        'Derde vraag',
        'Vierde vraag',
        'Vijfde vraag',
      ]);
      const [item, ...others] = await quarantined(channelId);
      expect(others).toEqual([]);
      expect(item).toMatchObject({
        organisation_id: w.organisation.id,
        source: 'poll',
        external_id: bad.status!.id,
        author_external_id: bad.account.id,
        raw_truncated: false,
        attempts: 1,
      });
      expect(item!.reason).toMatch(/nested deeper than/);
      // Kept raw, all of it (the payload as received, as JSON text; booleans keep the output short).
      expect(item!.raw.length).toBeGreaterThan(DEPTH * 6);
      expect(item!.raw.startsWith(`{"id":"${bad.id}","type":"mention"`)).toBe(true);
      expect(item!.raw.includes(' Giftig</p>')).toBe(true);
      expect(item!.raw.endsWith(`1${'}'.repeat(DEPTH + 2)}`)).toBe(true);
      expect(await quarantinedCount('mastodon', 'poll')).toBe(counted + 1);

      // The channel is healthy and the next poll starts after the bad item.
      const channel = await suite.app.http().get('/api/channels').set(bearer(w.admin)).expect(200);
      expect(channel.body.items.find((c: { id: string }) => c.id === channelId)).toMatchObject({
        status: 'active',
        lastError: null,
      });
      peer.mention({ text: 'Zesde vraag' });
      const second = await pollNow(w.admin, channelId).expect(200);
      expect(second.body).toMatchObject({ fetched: 1, stored: 1 });
      expect(await quarantined(channelId)).toHaveLength(1);
    });

    it('an item PostgreSQL refuses (a date past the year 9999) is quarantined with its reason; its batch is stored without it', async () => {
      const w = await world();
      const channelId = await connected(w.admin);
      peer.mention({ text: 'Goed bericht' });
      const bad = peer.mention({
        text: 'Uit de toekomst',
        statusOverrides: { created_at: '+017814-01-01T00:00:00.000Z' },
      });
      peer.mention({ text: 'Nog een goed bericht' });

      const poll = await pollNow(w.admin, channelId).expect(200);
      expect(poll.body).toMatchObject({ fetched: 3, stored: 2 });
      expect(await storedTexts(channelId)).toEqual(['Goed bericht', 'Nog een goed bericht']);
      const [item, ...others] = await quarantined(channelId);
      expect(others).toEqual([]);
      expect(item).toMatchObject({ source: 'poll', external_id: bad.status!.id, attempts: 1 });
      expect(item!.reason).toMatch(/time zone displacement out of range|out of range/);
      expect(JSON.parse(item!.raw)).toEqual(JSON.parse(JSON.stringify(bad)));
    });
  });
});
