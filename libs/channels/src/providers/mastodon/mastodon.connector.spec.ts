import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { ChannelCursor, FetchedPage, InboundItem, OutboundReply } from '../../connector';
import {
  Ambiguous,
  CredentialsInvalid,
  InvalidPayload,
  NetworkError,
  Permanent,
  RateLimited,
  TokenExpired,
  Transient,
} from '../../errors';
import { MastodonPeer, type MastodonPeerNotification } from '../../fakes/mastodon-peer';
import { SafeHttp } from '../../http/safe-http';
import { MastodonConnector, type MastodonConfig, type MastodonSecrets } from './mastodon.connector';

const fixture = JSON.parse(
  readFileSync(
    join(__dirname, '../../../../../tests/fixtures/channels/mastodon-notifications.json'),
    'utf8',
  ),
) as Record<string, unknown>[];

const TOKEN = 'mastodon-SECRET-token';
const secure = { allowInsecureUrls: false };
const insecure = { allowInsecureUrls: true };

function problemsOf(input: unknown, options = secure): string {
  try {
    new MastodonConnector().parseConfig(input, options);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidPayload);
    return (error as Error).message;
  }
  throw new Error('parseConfig accepted it');
}

async function pagesOf(iterable: AsyncIterable<FetchedPage>): Promise<FetchedPage[]> {
  const pages: FetchedPage[] = [];
  for await (const page of iterable) pages.push(page);
  return pages;
}

async function failureOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('it did not fail');
}

describe('MastodonConnector capabilities', () => {
  const connector = new MastodonConnector();

  it('is polled, has direct messages and idempotent sends, 500 characters', () => {
    expect(connector.capabilities).toEqual({
      provider: 'mastodon',
      ingest: 'poll',
      directMessages: true,
      idempotentSend: true,
      idempotencyWindowMs: 3_600_000,
      length: { limit: 500, counting: 'characters' },
    });
  });

  it('uses the reply id as the Idempotency-Key', () => {
    expect(connector.newIdempotencyKey('4b1c-reply-id', new Date())).toBe('4b1c-reply-id');
  });
});

describe('MastodonConnector.parseConfig', () => {
  const connector = new MastodonConnector();

  it('splits a valid config into the instance (shown) and the token (secret)', () => {
    const parsed = connector.parseConfig(
      { instanceUrl: ' https://Social.Example/ ', accessToken: ` ${TOKEN} `, extra: 'ignored' },
      secure,
    );
    expect(parsed).toEqual({
      config: { instanceUrl: 'https://social.example' },
      secrets: { accessToken: TOKEN },
      externalAccountId: null,
    });
    expect(JSON.stringify(parsed.config)).not.toContain(TOKEN);
  });

  it('keeps a port and turns an international domain into its ASCII form', () => {
    expect(
      connector.parseConfig(
        { instanceUrl: 'https://bücher.example:8443', accessToken: 'a' },
        secure,
      ).config,
    ).toEqual({ instanceUrl: 'https://xn--bcher-kva.example:8443' });
  });

  it('refuses anything but an object', () => {
    for (const input of [null, undefined, 'https://social.example', [], 42]) {
      expect(problemsOf(input)).toBe('config: must be an object');
    }
  });

  it.each([
    ['both missing', {}, 'instanceUrl: is required; accessToken: is required'],
    [
      'empty strings',
      { instanceUrl: '  ', accessToken: '' },
      'instanceUrl: is required; accessToken: is required',
    ],
    [
      'not a URL',
      { instanceUrl: 'social.example', accessToken: 'a' },
      'instanceUrl: must be a URL',
    ],
    ['a number', { instanceUrl: 443, accessToken: 'a' }, 'instanceUrl: must be a URL'],
    [
      'plain http',
      { instanceUrl: 'http://social.example', accessToken: 'a' },
      'instanceUrl: must use https',
    ],
    [
      'credentials in the URL',
      { instanceUrl: 'https://u:p@social.example', accessToken: 'a' },
      'instanceUrl: must not contain credentials',
    ],
    [
      'loopback',
      { instanceUrl: 'https://127.0.0.1', accessToken: 'a' },
      'instanceUrl: must not point at a loopback or private address',
    ],
    [
      'localhost',
      { instanceUrl: 'https://localhost:3000', accessToken: 'a' },
      'instanceUrl: must not point at a loopback or private address',
    ],
    [
      'a private network',
      { instanceUrl: 'https://10.1.2.3', accessToken: 'a' },
      'instanceUrl: must not point at a loopback or private address',
    ],
    [
      'a path',
      { instanceUrl: 'https://social.example/@demo', accessToken: 'a' },
      'instanceUrl: must be the address of the instance, without a path or query',
    ],
    [
      'a query',
      { instanceUrl: 'https://social.example/?x=1', accessToken: 'a' },
      'instanceUrl: must be the address of the instance, without a path or query',
    ],
    [
      'a token that is not a string',
      { instanceUrl: 'https://social.example', accessToken: 12345 },
      'accessToken: must be a string',
    ],
    [
      'a token with spaces',
      { instanceUrl: 'https://social.example', accessToken: 'abc def' },
      'accessToken: must be a token without spaces',
    ],
    [
      'a token with a line break (header injection)',
      { instanceUrl: 'https://social.example', accessToken: 'abc\r\nX-Evil: 1' },
      'accessToken: must be a token without spaces',
    ],
    [
      'every problem at once',
      { instanceUrl: 'http://u:p@127.0.0.1/x', accessToken: ['a'] },
      'instanceUrl: must use https; instanceUrl: must not contain credentials; instanceUrl: must not point at a loopback or private address; accessToken: must be a string',
    ],
  ])('refuses %s', (_name, input, message) => {
    expect(problemsOf(input)).toBe(message);
  });

  it('allows http and private addresses only when insecure URLs are allowed', () => {
    const input = { instanceUrl: 'http://127.0.0.1:4000', accessToken: 'a' };
    expect(problemsOf(input, secure)).toBe(
      'instanceUrl: must use https; instanceUrl: must not point at a loopback or private address',
    );
    expect(connector.parseConfig(input, insecure).config).toEqual({
      instanceUrl: 'http://127.0.0.1:4000',
    });
  });

  it('is safe by default when no options are given', () => {
    expect(() =>
      connector.parseConfig({ instanceUrl: 'http://127.0.0.1', accessToken: 'a' }),
    ).toThrow(InvalidPayload);
  });
});

describe('MastodonConnector.normalise', () => {
  const connector = new MastodonConnector();

  it('normalises the fixture items', () => {
    const [ana, bram] = fixture.map((n) => connector.normalise(n));
    expect(ana).toEqual({
      externalId: '113900010000000001',
      authorExternalId: '55',
      authorHandle: '@ana@other.example',
      authorName: 'Ana P',
      text: '@demo_energie Mijn stroom is al sinds vanochtend weg in de Kerkstraat.\nWanneer komt er iemand?',
      createdAt: new Date('2026-03-01T10:00:01.000Z'),
      inReplyToExternalId: null,
      threadRootExternalId: null,
      visibility: 'public',
      language: 'nl',
      attachments: [],
      raw: fixture[0],
    });
    expect(bram).toEqual({
      externalId: '113900010000000050',
      authorExternalId: '77',
      authorHandle: '@bram',
      authorName: 'Bram',
      text: '@demo_energie mijn klantnummer stuur ik liever hier & niet openbaar',
      createdAt: new Date('2026-03-01T10:04:09.000Z'),
      inReplyToExternalId: '113900010000000049',
      threadRootExternalId: null,
      visibility: 'direct',
      language: 'nl',
      attachments: [],
      raw: fixture[1],
    });
    expect(ana.raw).toBe(fixture[0]);
  });

  const base = fixture[0] as { status: Record<string, unknown> } & Record<string, unknown>;
  const withStatus = (status: Record<string, unknown>, top: Record<string, unknown> = {}) => ({
    ...base,
    ...top,
    status: { ...base.status, ...status },
  });

  it('survives missing optional fields and extra ones', () => {
    const status = { ...base.status };
    for (const key of ['language', 'visibility', 'in_reply_to_id', 'content', 'mentions', 'url']) {
      delete status[key];
    }
    const item = connector.normalise({
      ...base,
      account: { id: '55', acct: 'ana@other.example' },
      status: {
        ...status,
        account: { id: '55', acct: 'ana@other.example' },
        emojis: [],
        x: { y: 1 },
      },
      extra: true,
    });
    expect(item).toMatchObject({
      externalId: '113900010000000001',
      authorName: null,
      text: '',
      inReplyToExternalId: null,
      visibility: 'direct',
      language: null,
      attachments: [],
    });
  });

  it('takes the account from the notification when the status has none, and the time from it', () => {
    const status = { ...base.status };
    delete status.account;
    delete status.created_at;
    const item = connector.normalise({ ...base, status });
    expect(item.authorHandle).toBe('@ana@other.example');
    expect(item.createdAt).toEqual(new Date('2026-03-01T10:00:01.200Z'));
  });

  it('decodes entities, keeps emoji and the text of a 10,000-character status', () => {
    const long = `${'💡 stroom &amp; gas '.repeat(600)}`;
    const item = connector.normalise(withStatus({ content: `<p>${long}</p>` }));
    expect(item.text).toBe('💡 stroom & gas '.repeat(600).trim());
    expect(item.text.length).toBeGreaterThan(9_000);
    const emoji = connector.normalise(
      withStatus({ content: '<p>&lt;script&gt; 👩‍👩‍👧 &#x1F1F3;&#x1F1F1; &quot;ok&quot;</p>' }),
    );
    expect(emoji.text).toBe('<script> 👩‍👩‍👧 🇳🇱 "ok"');
  });

  it('puts a content warning before the text', () => {
    const item = connector.normalise(
      withStatus({ spoiler_text: 'factuur', content: '<p>te hoog</p>' }),
    );
    expect(item.text).toBe('factuur\n\nte hoog');
  });

  it('keeps attachments with a URL (or a remote one) and skips the rest', () => {
    const item = connector.normalise(
      withStatus({
        media_attachments: [
          { id: '1', type: 'image', url: 'https://files.example/a.png' },
          { id: '2', type: 'video', url: null, remote_url: 'https://other.example/b.mp4' },
          { id: '3', type: 'image', url: null },
          { id: '4', url: 'https://files.example/c.bin' },
          { id: '5', type: 'image', url: 'javascript:alert(1)' },
          'nonsense',
        ],
      }),
    );
    expect(item.attachments).toEqual([
      { type: 'image', url: 'https://files.example/a.png' },
      { type: 'video', url: 'https://other.example/b.mp4' },
      { type: 'unknown', url: 'https://files.example/c.bin' },
    ]);
  });

  it('keeps an unusual visibility as given and drops a language that is not one', () => {
    const item = connector.normalise(withStatus({ visibility: 'unlisted', language: '<b>' }));
    expect(item.visibility).toBe('unlisted');
    expect(item.language).toBeNull();
  });

  it.each([
    ['not an object', 'nope', 'the notification is not an object'],
    ['no id', { ...base, id: undefined }, 'the notification has no id'],
    ['an empty id', { ...base, id: '' }, 'the notification has no id'],
    [
      'not a mention',
      { ...base, type: 'favourite' },
      'notification 902 is a favourite, not a mention',
    ],
    ['no status', { ...base, status: null }, 'notification 902 has no status'],
    [
      'a status without id',
      withStatus({ id: undefined }),
      'the status of notification 902 has no id',
    ],
    [
      'no account anywhere',
      { ...withStatus({ account: undefined }), account: undefined },
      'status 113900010000000001 has no account',
    ],
    [
      'an account without acct',
      withStatus({ account: { id: '55' } }),
      'the account of status 113900010000000001 has no id or acct',
    ],
    [
      'no valid time',
      withStatus({ created_at: 'yesterday' }, { created_at: undefined }),
      'status 113900010000000001 has no valid created_at',
    ],
  ])('refuses an item with %s (InvalidPayload)', (_name, input, reason) => {
    expect(() => connector.normalise(input)).toThrow(new InvalidPayload(reason));
  });
});

describe('MastodonConnector against a fake Mastodon instance', () => {
  const http = new SafeHttp(true);
  const PAGE = 5;
  let peer: MastodonPeer;
  let connector: MastodonConnector;
  let account: { config: MastodonConfig; secrets: MastodonSecrets; externalAccountId: null };

  beforeEach(async () => {
    peer = await new MastodonPeer({ accessToken: TOKEN, pageSize: 40 }).start();
    connector = new MastodonConnector({ pageSize: PAGE });
    account = {
      config: { instanceUrl: peer.url },
      secrets: { accessToken: TOKEN },
      externalAccountId: null,
    };
  });
  afterEach(() => peer.close());
  afterAll(() => http.close());

  const poll = (cursor: ChannelCursor | null) => pagesOf(connector.fetch(account, cursor, http));
  const statusIds = (pages: FetchedPage[]) =>
    pages.flatMap((page) => page.items.map((item) => item.externalId));
  const burst = (count: number): MastodonPeerNotification[] =>
    Array.from({ length: count }, (_, i) => peer.mention({ text: `bericht ${i}` }));
  const lastCursor = (pages: FetchedPage[]) => pages[pages.length - 1].cursor;
  const notificationRequests = () =>
    peer.requests.filter((r) => r.path === '/api/v1/notifications');

  describe('verify', () => {
    it('answers the handle @username@instance-host and the account id', async () => {
      expect(await connector.verify(account, http)).toEqual({
        handle: '@demo_energie@127.0.0.1',
        externalAccountId: `${peer.account.id}@${new URL(peer.url).host}`,
      });
      expect(peer.requests[0].headers.authorization).toBe(`Bearer ${TOKEN}`);
    });

    it('a refused token → CredentialsInvalid with a clear message', async () => {
      const error = await failureOf(
        connector.verify({ ...account, secrets: { accessToken: 'wrong' } }, http),
      );
      expect(error).toBeInstanceOf(CredentialsInvalid);
      expect(error.message).toBe(
        'Mastodon refused the access token (401: The access token is invalid)',
      );
    });

    it('a 5xx or an unreachable instance → Transient', async () => {
      peer.failNext(503);
      expect(await failureOf(connector.verify(account, http))).toBeInstanceOf(Transient);
      await peer.close();
      const error = await failureOf(connector.verify(account, http));
      expect(error).toBeInstanceOf(NetworkError);
      expect(error).toBeInstanceOf(Transient);
    });

    it('a 429 → RateLimited', async () => {
      peer.throttleNext(new Date(Date.now() + 30_000));
      expect(await failureOf(connector.verify(account, http))).toBeInstanceOf(RateLimited);
    });
  });

  describe('fetch', () => {
    it('first poll (no cursor): the newest page only, oldest first, cursor = its newest notification', async () => {
      const all = burst(12);
      const pages = await poll(null);
      expect(pages).toHaveLength(1);
      expect(statusIds(pages)).toEqual(all.slice(-PAGE).map((n) => n.status!.id));
      expect(pages[0].cursor).toEqual({ lastNotificationId: all[11].id });
      expect(pages[0].rejected).toEqual([]);
      const asked = new URL(notificationRequests()[0].path, 'http://x');
      expect(notificationRequests()).toHaveLength(1);
      expect(notificationRequests()[0].query.getAll('types[]')).toEqual(['mention']);
      expect(notificationRequests()[0].query.get('limit')).toBe(String(PAGE));
      expect(notificationRequests()[0].query.has('min_id')).toBe(false);
      expect(asked.pathname).toBe('/api/v1/notifications');
    });

    it('normalises what the instance serves and keeps raw as received', async () => {
      const n = peer.mention({
        acct: 'bram',
        displayName: 'Bram 🚲',
        text: 'mijn meter & ik\nzijn boos 😡',
        visibility: 'direct',
        language: 'nl',
        media: [{ type: 'image', url: 'https://files.example/meter.jpg' }],
      });
      const [page] = await poll(null);
      expect(page.items[0]).toEqual<InboundItem>({
        externalId: n.status!.id,
        authorExternalId: n.account.id,
        authorHandle: '@bram',
        authorName: 'Bram 🚲',
        text: '@demo_energie mijn meter & ik\nzijn boos 😡',
        createdAt: new Date(n.status!.created_at),
        inReplyToExternalId: null,
        threadRootExternalId: null,
        visibility: 'direct',
        language: 'nl',
        attachments: [{ type: 'image', url: 'https://files.example/meter.jpg' }],
        raw: JSON.parse(JSON.stringify(n)),
      });
    });

    it('an empty first poll stores a cursor, so the next poll reads every page of what came', async () => {
      const first = await poll(null);
      expect(first).toEqual([{ items: [], rejected: [], cursor: { lastNotificationId: '0' } }]);
      const arrived = burst(12);
      const next = await poll(lastCursor(first));
      expect(statusIds(next)).toEqual(arrived.map((n) => n.status!.id));
    });

    it('an empty later poll yields nothing and asks once', async () => {
      const seed = peer.mention();
      const cursor = { lastNotificationId: seed.id };
      peer.requests.length = 0;
      expect(await poll(cursor)).toEqual([]);
      expect(notificationRequests()).toHaveLength(1);
      expect(notificationRequests()[0].query.get('min_id')).toBe(seed.id);
    });

    it('leaves out notifications that are not mentions', async () => {
      const seed = peer.mention();
      peer.notify('favourite');
      peer.notify('follow');
      const mention = peer.mention();
      const pages = await poll({ lastNotificationId: seed.id });
      expect(statusIds(pages)).toEqual([mention.status!.id]);
      expect(pages.flatMap((p) => p.rejected)).toEqual([]);
    });

    it('a burst of 3 × page size between two polls is fetched completely, in cursor order, nothing twice', async () => {
      const seed = burst(2);
      const first = await poll(null);
      const cursor = lastCursor(first);
      expect(cursor).toEqual({ lastNotificationId: seed[1].id });

      const all = burst(3 * PAGE);
      peer.requests.length = 0;
      const pages = await poll(cursor);
      expect(pages).toHaveLength(3);
      expect(statusIds(pages)).toEqual(all.map((n) => n.status!.id));
      expect(new Set(statusIds(pages)).size).toBe(3 * PAGE);
      // Each page's cursor is its newest notification, and they only go forward.
      expect(pages.map((p) => p.cursor)).toEqual([
        { lastNotificationId: all[PAGE - 1].id },
        { lastNotificationId: all[2 * PAGE - 1].id },
        { lastNotificationId: all[3 * PAGE - 1].id },
      ]);
      // min_id from the cursor, then the prev links, until an empty page; never max_id/since_id.
      const asked = notificationRequests().map((r) => r.query.get('min_id'));
      expect(asked).toEqual([
        seed[1].id,
        all[PAGE - 1].id,
        all[2 * PAGE - 1].id,
        all[3 * PAGE - 1].id,
      ]);
      for (const request of notificationRequests()) {
        expect(request.query.has('max_id')).toBe(false);
        expect(request.query.has('since_id')).toBe(false);
        expect(request.query.getAll('types[]')).toEqual(['mention']);
      }
      // A poll after it finds nothing new.
      expect(await poll(lastCursor(pages))).toEqual([]);
    });

    it('a burst that is not a multiple of the page size', async () => {
      const seed = peer.mention();
      const all = burst(2 * PAGE + 2);
      const pages = await poll({ lastNotificationId: seed.id });
      expect(pages.map((p) => p.items.length)).toEqual([PAGE, PAGE, 2]);
      expect(statusIds(pages)).toEqual(all.map((n) => n.status!.id));
    });

    it('storing the cursor after each page is safe: a crash after any page loses nothing and fetches nothing twice', async () => {
      const seed = peer.mention();
      const all = burst(3 * PAGE + 1);
      for (let crashAfter = 1; crashAfter <= 3; crashAfter += 1) {
        const committed: string[] = [];
        let stored: ChannelCursor = { lastNotificationId: seed.id };
        // Poll, commit page by page, and "crash" after `crashAfter` pages.
        let seen = 0;
        for await (const page of connector.fetch(account, stored, http)) {
          committed.push(...page.items.map((i) => i.externalId));
          if (page.cursor) stored = page.cursor;
          seen += 1;
          if (seen === crashAfter) break;
        }
        // A new poll from the stored cursor.
        for (const page of await poll(stored)) {
          committed.push(...page.items.map((i) => i.externalId));
          if (page.cursor) stored = page.cursor;
        }
        expect(committed).toEqual(all.map((n) => n.status!.id));
        expect(stored).toEqual({ lastNotificationId: all[all.length - 1].id });
      }
    });

    it('follows the prev link the instance gives', async () => {
      const seed = peer.mention();
      burst(PAGE + 1);
      const watched = new SafeHttp(true);
      const links: string[] = [];
      const spy = jest.spyOn(watched, 'send').mockImplementation(async (request) => {
        const answer = await http.send(request);
        const prev = /<([^>]+)>; rel="prev"/.exec(answer.headers.link ?? '');
        if (prev) links.push(prev[1]);
        return answer;
      });
      await pagesOf(connector.fetch(account, { lastNotificationId: seed.id }, watched));
      const urls = spy.mock.calls.map(([request]) => request.url);
      expect(urls).toHaveLength(3);
      expect(links).toHaveLength(2);
      // Every request after the first is exactly the previous answer's prev link.
      expect(urls.slice(1)).toEqual(links);
      // The peer's link keeps types[] and limit, like Mastodon's.
      expect(notificationRequests()[1].query.getAll('types[]')).toEqual(['mention']);
      expect(notificationRequests()[1].query.get('limit')).toBe(String(PAGE));
      await watched.close();
    });

    it('does not follow a prev link to another host (it would carry the token)', async () => {
      const seed = peer.mention();
      const all = burst(PAGE + 1);
      const evil = new SafeHttp(true);
      const spy = jest.spyOn(evil, 'send').mockImplementation(async (request) => {
        const answer = await http.send(request);
        if (answer.headers.link) {
          answer.headers.link = answer.headers.link.replaceAll('127.0.0.1', 'evil.example');
        }
        return answer;
      });
      const pages = await pagesOf(connector.fetch(account, { lastNotificationId: seed.id }, evil));
      expect(statusIds(pages)).toEqual(all.map((n) => n.status!.id));
      expect(spy).toHaveBeenCalledTimes(3);
      for (const [request] of spy.mock.calls)
        expect(new URL(request.url).host).not.toBe('evil.example');
      await evil.close();
    });

    it('rejects an item without the documented shape and goes on with the rest of the page', async () => {
      const seed = peer.mention();
      const good1 = peer.mention();
      const broken = peer.mention({ statusOverrides: { id: undefined } });
      const good2 = peer.mention();
      const pages = await poll({ lastNotificationId: seed.id });
      expect(statusIds(pages)).toEqual([good1.status!.id, good2.status!.id]);
      expect(pages[0].rejected).toEqual([
        {
          reason: `the status of notification ${broken.id} has no id`,
          raw: JSON.parse(JSON.stringify(broken)),
        },
      ]);
      expect(lastCursor(pages)).toEqual({ lastNotificationId: good2.id });
    });

    it('stops at maxPagesPerPoll with a safe cursor; the next poll goes on', async () => {
      const seed = peer.mention();
      const all = burst(3 * PAGE);
      const short = new MastodonConnector({ pageSize: PAGE, maxPagesPerPoll: 2 });
      const first = await pagesOf(short.fetch(account, { lastNotificationId: seed.id }, http));
      expect(first).toHaveLength(2);
      const rest = await pagesOf(short.fetch(account, lastCursor(first), http));
      expect([...statusIds(first), ...statusIds(rest)]).toEqual(all.map((n) => n.status!.id));
    });

    it('429 with an ISO X-RateLimit-Reset → RateLimited until that time', async () => {
      const resetAt = new Date(Math.ceil((Date.now() + 90_000) / 1000) * 1000);
      peer.throttleNext(resetAt);
      const error = await failureOf(poll(null));
      expect(error).toBeInstanceOf(RateLimited);
      expect((error as RateLimited).retryAt).toEqual(resetAt);
    });

    it('reads the reset as an ISO time, not as epoch seconds', async () => {
      // An ISO time that starts with digits must not be read as a number of seconds.
      const resetAt = new Date('2099-01-01T00:00:00.000Z');
      peer.throttleNext(resetAt);
      const error = (await failureOf(poll(null))) as RateLimited;
      expect(error.retryAt.toISOString()).toBe('2099-01-01T00:00:00.000Z');
    });

    it('a 429 without a reset time waits a minute', async () => {
      peer.throttleNext(null);
      const before = Date.now();
      const error = (await failureOf(poll(null))) as RateLimited;
      expect(error.retryAt.getTime() - before).toBeGreaterThanOrEqual(59_000);
      expect(error.retryAt.getTime() - before).toBeLessThan(62_000);
    });

    it('a 429 in the middle of a burst: the pages before it stand, polling again goes on', async () => {
      const seed = peer.mention();
      const all = burst(3 * PAGE);
      const committed: string[] = [];
      let stored: ChannelCursor = { lastNotificationId: seed.id };
      const iterator = connector.fetch(account, stored, http)[Symbol.asyncIterator]();
      const first = await iterator.next();
      committed.push(...(first.value as FetchedPage).items.map((i) => i.externalId));
      stored = (first.value as FetchedPage).cursor!;
      peer.throttleNext(new Date(Date.now() + 60_000));
      await expect(iterator.next()).rejects.toBeInstanceOf(RateLimited);
      for (const page of await poll(stored)) committed.push(...page.items.map((i) => i.externalId));
      expect(committed).toEqual(all.map((n) => n.status!.id));
    });

    it('stops before the next page when X-RateLimit-Remaining is 0', async () => {
      const tight = await new MastodonPeer({ accessToken: TOKEN, rateLimit: 2 }).start();
      try {
        const seed = tight.mention();
        Array.from({ length: 3 * PAGE }, () => tight.mention());
        const tightAccount = { ...account, config: { instanceUrl: tight.url } };
        const pages: FetchedPage[] = [];
        const error = await failureOf(
          (async () => {
            for await (const page of connector.fetch(
              tightAccount,
              { lastNotificationId: seed.id },
              http,
            ))
              pages.push(page);
          })(),
        );
        expect(error).toBeInstanceOf(RateLimited);
        expect(pages).toHaveLength(2);
        // It did not spend a request on a certain 429.
        expect(tight.requests).toHaveLength(2);
        expect((error as RateLimited).retryAt.getTime()).toBeGreaterThan(Date.now());
      } finally {
        await tight.close();
      }
    });

    it.each([500, 502, 503, 504])('%i → Transient', async (status) => {
      peer.failNext(status);
      const error = await failureOf(poll(null));
      expect(error).toBeInstanceOf(Transient);
      expect(error.message).toContain(`Mastodon answered ${status} to the poll`);
    });

    it('401 → TokenExpired; 403 and 404 → Permanent', async () => {
      const revoked = await failureOf(
        pagesOf(connector.fetch({ ...account, secrets: { accessToken: 'revoked' } }, null, http)),
      );
      expect(revoked).toBeInstanceOf(TokenExpired);
      peer.expireTokenOnNextCall();
      expect(await failureOf(poll(null))).toBeInstanceOf(TokenExpired);
      peer.failNext(403);
      expect(await failureOf(poll(null))).toBeInstanceOf(Permanent);
      peer.failNext(404);
      const missing = await failureOf(poll(null));
      expect(missing).toBeInstanceOf(Permanent);
    });
  });

  describe('send', () => {
    const replyTo = (
      n: MastodonPeerNotification,
      over: Partial<OutboundReply> = {},
    ): OutboundReply => {
      const item = connector.normalise(JSON.parse(JSON.stringify(n)));
      return {
        replyId: 'reply-0001',
        idempotencyKey: 'reply-0001',
        text: 'We sturen vandaag een monteur.',
        private: false,
        inReplyTo: {
          externalId: item.externalId,
          authorExternalId: item.authorExternalId,
          authorHandle: item.authorHandle,
          visibility: item.visibility,
          raw: item.raw,
        },
        ...over,
      };
    };

    it('posts in the thread: @acct first, in_reply_to_id, the same visibility and language, the key', async () => {
      const n = peer.mention({ acct: 'ana@other.example', visibility: 'public', language: 'nl' });
      const { externalId } = await connector.send(account, replyTo(n), http);
      expect(peer.posted).toHaveLength(1);
      const [posted] = peer.posted;
      expect(externalId).toBe(posted.status.id);
      expect(posted).toMatchObject({
        text: '@ana@other.example We sturen vandaag een monteur.',
        inReplyToId: n.status!.id,
        visibility: 'public',
        language: 'nl',
        idempotencyKey: 'reply-0001',
      });
      const request = peer.requests.find((r) => r.method === 'POST')!;
      expect(request.path).toBe('/api/v1/statuses');
      expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
      expect(request.headers['idempotency-key']).toBe('reply-0001');
    });

    it.each([
      ['public', false, 'public'],
      ['unlisted', false, 'unlisted'],
      ['private', false, 'private'],
      ['direct', false, 'direct'],
      ['public', true, 'direct'],
      ['unlisted', true, 'direct'],
    ] as const)(
      'a %s customer post (private answer: %s) → %s',
      async (visibility, isPrivate, expected) => {
        const n = peer.mention({ visibility });
        await connector.send(account, replyTo(n, { private: isPrivate }), http);
        expect(peer.posted[0].visibility).toBe(expected);
      },
    );

    it('an unknown visibility is answered directly', async () => {
      const n = peer.mention();
      const reply = replyTo(n);
      await connector.send(
        account,
        { ...reply, inReplyTo: { ...reply.inReplyTo, visibility: 'limited' } },
        http,
      );
      expect(peer.posted[0].visibility).toBe('direct');
    });

    it('a local customer is mentioned as @username; a text that already mentions them is kept', async () => {
      const n = peer.mention({ acct: 'bram' });
      await connector.send(account, replyTo(n), http);
      await connector.send(
        account,
        replyTo(n, { replyId: 'r2', idempotencyKey: 'r2', text: '@Bram\nDank je!' }),
        http,
      );
      expect(peer.posted.map((p) => p.text)).toEqual([
        '@bram We sturen vandaag een monteur.',
        '@Bram\nDank je!',
      ]);
    });

    it('does not take @bramfan for a mention of @bram', async () => {
      const n = peer.mention({ acct: 'bram' });
      await connector.send(account, replyTo(n, { text: '@bramfan zei het al' }), http);
      expect(peer.posted[0].text).toBe('@bram @bramfan zei het al');
    });

    it('leaves out the language when the customer had none', async () => {
      const n = peer.mention({ language: null });
      await connector.send(account, replyTo(n), http);
      expect(peer.posted[0].language).toBeNull();
      expect(peer.requests.find((r) => r.method === 'POST')!.parsed).not.toHaveProperty('language');
    });

    it('works from the handle alone when the raw payload is gone', async () => {
      const n = peer.mention({ acct: 'ana@other.example' });
      const reply = replyTo(n);
      await connector.send(
        account,
        { ...reply, inReplyTo: { ...reply.inReplyTo, raw: null } },
        http,
      );
      expect(peer.posted[0].text).toBe('@ana@other.example We sturen vandaag een monteur.');
    });

    it('sending twice with the same key posts once (and answers the same id)', async () => {
      const n = peer.mention();
      const first = await connector.send(account, replyTo(n), http);
      const again = await connector.send(account, replyTo(n), http);
      expect(again).toEqual(first);
      expect(peer.posted).toHaveLength(1);
      await connector.send(
        account,
        replyTo(n, { replyId: 'reply-0002', idempotencyKey: 'reply-0002' }),
        http,
      );
      expect(peer.posted).toHaveLength(2);
    });

    it('a retry after a 5xx with the same key posts once', async () => {
      const n = peer.mention();
      peer.failNext(502);
      expect(await failureOf(connector.send(account, replyTo(n), http))).toBeInstanceOf(Transient);
      await connector.send(account, replyTo(n), http);
      expect(peer.posted).toHaveLength(1);
    });

    it('a 422 (too long) → Permanent with Mastodon’s text', async () => {
      const n = peer.mention();
      const error = await failureOf(
        connector.send(account, replyTo(n, { text: 'x'.repeat(600) }), http),
      );
      expect(error).toBeInstanceOf(Permanent);
      expect(error.message).toBe(
        'Mastodon answered 422 to the send: Validation failed: Text character limit of 500 exceeded',
      );
    });

    it('a reply to a deleted post (404) → Permanent', async () => {
      const n = peer.mention();
      const reply = replyTo(n);
      const error = await failureOf(
        connector.send(
          account,
          { ...reply, inReplyTo: { ...reply.inReplyTo, externalId: '1' } },
          http,
        ),
      );
      expect(error).toBeInstanceOf(Permanent);
      expect(error.message).toContain('does not appear to exist');
    });

    it('401 → TokenExpired; 429 → RateLimited at the reset; 503 → Transient', async () => {
      const n = peer.mention();
      expect(
        await failureOf(
          connector.send({ ...account, secrets: { accessToken: 'old' } }, replyTo(n), http),
        ),
      ).toBeInstanceOf(TokenExpired);
      peer.expireTokenOnNextCall();
      expect(await failureOf(connector.send(account, replyTo(n), http))).toBeInstanceOf(
        TokenExpired,
      );
      const resetAt = new Date(Math.ceil((Date.now() + 600_000) / 1000) * 1000);
      peer.throttleNext(resetAt);
      const limited = await failureOf(connector.send(account, replyTo(n), http));
      expect(limited).toBeInstanceOf(RateLimited);
      expect((limited as RateLimited).retryAt).toEqual(resetAt);
      peer.failNext(503);
      expect(await failureOf(connector.send(account, replyTo(n), http))).toBeInstanceOf(Transient);
      expect(peer.posted).toHaveLength(0);
    });

    it('a NetworkError that may have delivered stays Transient (Mastodon is idempotent), never Ambiguous', async () => {
      // A server that reads the request and then drops the connection.
      const dropper: Server = createServer((socket) => socket.on('data', () => socket.destroy()));
      await new Promise<void>((resolve) => dropper.listen(0, '127.0.0.1', resolve));
      try {
        const port = (dropper.address() as AddressInfo).port;
        const n = peer.mention();
        const error = await failureOf(
          connector.send(
            { ...account, config: { instanceUrl: `http://127.0.0.1:${port}` } },
            replyTo(n),
            http,
          ),
        );
        expect(error).toBeInstanceOf(NetworkError);
        expect((error as NetworkError).maybeDelivered).toBe(true);
        expect(error).toBeInstanceOf(Transient);
        expect(error).not.toBeInstanceOf(Ambiguous);
      } finally {
        await new Promise((resolve) => dropper.close(resolve));
      }
    });

    it('refuses to mention something that is not an account', async () => {
      const n = peer.mention();
      const reply = replyTo(n);
      const error = await failureOf(
        connector.send(
          account,
          { ...reply, inReplyTo: { ...reply.inReplyTo, raw: null, authorHandle: '@a b' } },
          http,
        ),
      );
      expect(error).toBeInstanceOf(Permanent);
      expect(peer.posted).toHaveLength(0);
    });
  });
});
