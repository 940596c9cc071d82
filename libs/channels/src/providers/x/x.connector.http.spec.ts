import type { ChannelCursor, ConnectedAccount, FetchedPage, OutboundReply } from '../../connector';
import {
  Ambiguous,
  AuthExpired,
  CredentialsInvalid,
  NetworkError,
  Permanent,
  RateLimited,
  TokenExpired,
  Transient,
} from '../../errors';
import { SafeHttp, type HttpAnswer, type HttpRequest } from '../../http/safe-http';
import { XPeer, type XTweet } from '../../fakes/x-peer';
import { XConnector, type XConfig, type XSecrets } from './x.connector';

const http = new SafeHttp(true);
const connector = new XConnector();
const PAGE = 5;
let peer: XPeer;

afterAll(() => http.close());
beforeEach(async () => {
  peer = await new XPeer({ pageSize: PAGE }).start();
});
afterEach(() => peer.close());

function accountOf(p: XPeer, secrets: Partial<XSecrets> = {}): ConnectedAccount<XConfig, XSecrets> {
  const parsed = connector.parseConfig(
    {
      apiBaseUrl: p.url,
      userId: p.userId,
      clientId: p.clientId,
      accessToken: p.accessToken,
      refreshToken: p.refreshToken,
    },
    { allowInsecureUrls: true },
  );
  return {
    config: parsed.config,
    secrets: { ...parsed.secrets, ...secrets },
    externalAccountId: parsed.externalAccountId,
  };
}

async function pages(
  cursor: ChannelCursor | null,
  account = accountOf(peer),
  using: SafeHttp = http,
): Promise<FetchedPage[]> {
  const out: FetchedPage[] = [];
  for await (const page of connector.fetch(account, cursor, using)) out.push(page);
  return out;
}

const ids = (list: { externalId: string }[] | XTweet[]) =>
  list.map((t) => ('externalId' in t ? t.externalId : t.id));
const newestFirst = (tweets: XTweet[]) => ids([...tweets].reverse());

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('it did not fail');
}

function replyTo(tweet: XTweet, change: Partial<OutboundReply> = {}): OutboundReply {
  return {
    replyId: 'b5c1d2e3-0000-4000-8000-000000000001',
    idempotencyKey: 'b5c1d2e3-0000-4000-8000-000000000001',
    text: 'Dag! We kijken er meteen naar.',
    private: false,
    inReplyTo: {
      externalId: tweet.id,
      authorExternalId: tweet.author_id,
      authorHandle: '@klant',
      visibility: 'public',
      raw: { ...tweet },
    },
    ...change,
  };
}

/** A SafeHttp whose answer is lost after the request went out (a timeout, a reset). */
class LosingHttp extends SafeHttp {
  constructor() {
    super(true);
  }
  override async send(req: HttpRequest): Promise<HttpAnswer> {
    await super.send(req);
    throw new NetworkError(`${req.method ?? 'GET'} fake: socket hang up`, true);
  }
}

/** A SafeHttp answering one canned answer (for headers the fake does not send). */
class CannedHttp extends SafeHttp {
  constructor(private readonly answer: HttpAnswer) {
    super(true);
  }
  override async send(): Promise<HttpAnswer> {
    return this.answer;
  }
}

describe('XConnector.verify', () => {
  it('answers @username and the user id for a good token', async () => {
    await expect(connector.verify(accountOf(peer), http)).resolves.toEqual({
      handle: '@DemoEnergie',
      externalAccountId: peer.userId,
    });
    expect(peer.requests.at(-1)).toMatchObject({ method: 'GET', path: '/2/users/me' });
  });

  it('refuses a bad token with CredentialsInvalid', async () => {
    const error = await failure(connector.verify(accountOf(peer, { accessToken: 'wrong' }), http));
    expect(error).toBeInstanceOf(CredentialsInvalid);
    expect(error.message).toContain('401');
  });

  it('refuses a token of another user with CredentialsInvalid', async () => {
    const account = accountOf(peer);
    account.config.userId = '99';
    const error = await failure(connector.verify(account, http));
    expect(error).toBeInstanceOf(CredentialsInvalid);
    expect(error.message).toContain('@DemoEnergie');
  });

  it('reports 5xx and an unreachable X as Transient', async () => {
    peer.failNext(503);
    expect(await failure(connector.verify(accountOf(peer), http))).toBeInstanceOf(Transient);
    const account = accountOf(peer);
    await peer.close();
    const error = await failure(connector.verify(account, http));
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).maybeDelivered).toBe(false);
  });
});

describe('XConnector.refresh', () => {
  const at = new Date('2026-03-01T12:00:00.000Z');
  const minutes = (n: number) => new Date(at.getTime() + n * 60_000).toISOString();

  it.each([
    ['expiring in 30 minutes', { accessExpiresAt: minutes(30) }],
    ['unknown expiry, obtained an hour ago', { accessObtainedAt: minutes(-60) }],
  ])('does nothing for a token %s', async (_name, secrets) => {
    const account = accountOf(peer, { accessExpiresAt: undefined, ...secrets });
    await expect(connector.refresh(account, http, at)).resolves.toBeNull();
    expect(peer.requests).toHaveLength(0);
  });

  it.each([
    ['expiring in 9 minutes', { accessExpiresAt: minutes(9) }],
    ['already expired', { accessExpiresAt: minutes(-5) }],
    ['unknown expiry, obtained 1h50 ago', { accessObtainedAt: minutes(-110) }],
    ['unknown expiry and age', { accessObtainedAt: undefined }],
  ])('refreshes a token %s and returns the rotated secrets', async (_name, secrets) => {
    const account = accountOf(peer, secrets);
    const old = account.secrets.refreshToken;
    const renewed = await connector.refresh(account, http, at);
    expect(renewed).toEqual({
      accessToken: peer.accessToken,
      refreshToken: peer.refreshToken,
      accessExpiresAt: minutes(120),
      accessObtainedAt: at.toISOString(),
    });
    expect(renewed!.refreshToken).not.toBe(old);
    expect(peer.requests.at(-1)).toMatchObject({
      method: 'POST',
      path: '/2/oauth2/token',
      headers: expect.objectContaining({ 'content-type': 'application/x-www-form-urlencoded' }),
      parsed: { grant_type: 'refresh_token', refresh_token: old, client_id: peer.clientId },
    });
  });

  it('refreshes by force a token whose expiry is far away (X said it expired) and rotates the refresh token', async () => {
    const account = accountOf(peer, { accessExpiresAt: minutes(100) });
    const old = account.secrets.refreshToken;
    const renewed = await connector.refresh(account, http, at, { force: true });
    expect(renewed).toMatchObject({
      accessToken: peer.accessToken,
      refreshToken: peer.refreshToken,
    });
    expect(renewed!.refreshToken).not.toBe(old);
  });

  it('fails with AuthExpired when an old (rotated) refresh token is used again', async () => {
    const account = accountOf(peer, { accessObtainedAt: undefined });
    await connector.refresh(account, http, at);
    const error = await failure(connector.refresh(account, http, at));
    expect(error).toBeInstanceOf(AuthExpired);
    // Not a token to renew: the refresh token itself is spent (an admin reconnects).
    expect(error).not.toBeInstanceOf(TokenExpired);
    expect(error.message).toContain('invalid_grant');
  });

  it('an expired access token gives TokenExpired; after a refresh the new token works', async () => {
    peer.mention();
    const account = accountOf(peer);
    peer.expireAccessToken();
    expect(await failure(pages(null, account))).toBeInstanceOf(TokenExpired);
    const renewed = await connector.refresh(
      { ...account, secrets: { ...account.secrets, accessExpiresAt: minutes(-1) } },
      http,
      at,
    );
    const [page] = await pages(null, { ...account, secrets: renewed! });
    expect(page.items).toHaveLength(1);
    // The old access token is dead too (the fake rotates both).
    expect(await failure(pages(null, account))).toBeInstanceOf(TokenExpired);
  });

  it('reports a 5xx of the token endpoint as Transient and 429 as RateLimited', async () => {
    const account = accountOf(peer, { accessObtainedAt: undefined });
    peer.failNext(500);
    expect(await failure(connector.refresh(account, http, at))).toBeInstanceOf(Transient);
    const resetAt = new Date(Math.ceil(Date.now() / 1000) * 1000 + 120_000);
    peer.throttleNext(resetAt);
    const error = await failure(connector.refresh(account, http, at));
    expect(error).toBeInstanceOf(RateLimited);
    expect((error as RateLimited).retryAt).toEqual(resetAt);
  });
});

describe('XConnector.fetch', () => {
  it('asks for mentions with the documented query', async () => {
    await pages({ sinceId: '1' });
    const request = peer.requests.at(-1)!;
    expect(request.path).toBe(`/2/users/${peer.userId}/mentions`);
    expect(request.headers.authorization).toBe(`Bearer ${peer.accessToken}`);
    expect(Object.fromEntries(request.query)).toEqual({
      since_id: '1',
      max_results: '100',
      expansions: 'author_id',
      'user.fields': 'username,name',
      'tweet.fields':
        'created_at,author_id,conversation_id,in_reply_to_user_id,referenced_tweets,lang',
    });
  });

  it('normalises what the fake serves, with handle, name, thread and reply-to', async () => {
    const first = peer.mention({ author: { username: 'ana_p', name: 'Ana P' }, lang: 'nl' });
    const answer = peer.mention({ inReplyTo: first.id, text: 'ook bij mij &amp; buren 😡' });
    const [page] = await pages(null);
    expect(page.items[0]).toMatchObject({
      externalId: answer.id,
      authorExternalId: answer.author_id,
      authorHandle: expect.stringMatching(/^@klant_\d+$/),
      text: 'ook bij mij & buren 😡',
      inReplyToExternalId: first.id,
      threadRootExternalId: first.id,
      createdAt: new Date(answer.created_at),
      visibility: 'public',
      language: 'nl',
    });
    expect(page.items[1]).toMatchObject({ authorHandle: '@ana_p', authorName: 'Ana P' });
  });

  it('takes the newest page only on the first poll, and stores its newest id', async () => {
    const all = peer.mentionMany(12);
    const result = await pages(null);
    expect(result).toHaveLength(1);
    expect(ids(result[0].items)).toEqual(newestFirst(all).slice(0, PAGE));
    expect(result[0].cursor).toEqual({ sinceId: all[11].id });
    expect(peer.requests.at(-1)!.query.has('since_id')).toBe(false);
    // Nothing new: an empty poll that keeps the cursor.
    const again = await pages(result[0].cursor);
    expect(again).toEqual([{ items: [], rejected: [], cursor: { sinceId: all[11].id } }]);
  });

  it('a first poll of an account without mentions stores a cursor, so the next poll reads every page', async () => {
    const [first] = await pages(null);
    expect(first).toEqual({ items: [], rejected: [], cursor: { sinceId: null } });
    const burst = peer.mentionMany(3 * PAGE);
    const result = await pages(first!.cursor);
    expect(result.flatMap((p) => ids(p.items))).toEqual(newestFirst(burst));
    expect(result.at(-1)!.cursor).toEqual({ sinceId: burst.at(-1)!.id });
  });

  it('fetches a burst of 3 × the page size completely, the cursor only with the last page', async () => {
    peer.mentionMany(2);
    const [start] = await pages(null);
    const burst = peer.mentionMany(3 * PAGE);
    const result = await pages(start.cursor);
    expect(result.map((p) => p.items.length)).toEqual([PAGE, PAGE, PAGE]);
    expect(result.map((p) => p.cursor)).toEqual([null, null, { sinceId: burst.at(-1)!.id }]);
    const fetched = result.flatMap((p) => ids(p.items));
    expect(fetched).toEqual(newestFirst(burst));
    expect(new Set(fetched).size).toBe(fetched.length);
    // The paging followed next_token as pagination_token, with the same since_id.
    const queries = peer.requests.slice(-3).map((r) => r.query);
    expect(queries.map((q) => q.get('since_id'))).toEqual(Array(3).fill(start.cursor!.sinceId));
    expect(queries[0].has('pagination_token')).toBe(false);
    expect(queries.slice(1).every((q) => q.has('pagination_token'))).toBe(true);
    expect(await pages(result.at(-1)!.cursor)).toEqual([
      { items: [], rejected: [], cursor: result.at(-1)!.cursor },
    ]);
  });

  it('a burst that is an exact number of pages ends on the page without next_token', async () => {
    peer.mentionMany(1);
    const [start] = await pages(null);
    peer.pageSize = undefined; // X itself: max_results=100.
    const burst = peer.mentionMany(100);
    const result = await pages(start.cursor);
    expect(result.map((p) => [p.items.length, p.cursor])).toEqual([
      [100, { sinceId: burst.at(-1)!.id }],
    ]);
  });

  it('loses nothing when it crashes after any page and polls again from the stored cursor', async () => {
    peer.mentionMany(3);
    const [start] = await pages(null);
    const burst = peer.mentionMany(3 * PAGE + 2);
    for (let crashAfter = 1; crashAfter <= 4; crashAfter++) {
      const stored = new Set<string>();
      let cursor = start.cursor;
      let n = 0;
      for await (const page of connector.fetch(accountOf(peer), cursor, http)) {
        for (const item of page.items) stored.add(item.externalId);
        if (page.cursor) cursor = page.cursor;
        if (++n === crashAfter) break;
      }
      // Restart: poll from whatever cursor was committed until nothing new comes.
      for (const page of await pages(cursor)) {
        for (const item of page.items) stored.add(item.externalId);
        if (page.cursor) cursor = page.cursor;
      }
      expect([...stored].sort()).toEqual(ids(burst).sort());
      expect(cursor).toEqual({ sinceId: burst.at(-1)!.id });
    }
  });

  it('mentions arriving while it pages are taken by the next poll', async () => {
    peer.mentionMany(1);
    const [start] = await pages(null);
    const burst = peer.mentionMany(2 * PAGE);
    let late: XTweet[] = [];
    const seen: string[] = [];
    let cursor: ChannelCursor | null = null;
    for await (const page of connector.fetch(accountOf(peer), start.cursor, http)) {
      if (late.length === 0) late = peer.mentionMany(3);
      seen.push(...ids(page.items));
      cursor = page.cursor ?? cursor;
    }
    expect(seen).toEqual(newestFirst(burst));
    const next = await pages(cursor);
    expect(next.flatMap((p) => ids(p.items))).toEqual(newestFirst(late));
  });

  it('rejects a malformed item and goes on with the page', async () => {
    const canned = new CannedHttp({
      status: 200,
      headers: {},
      text: '',
      json: {
        data: [{ id: '1895000000000000500', text: 'ok', author_id: '1' }, { text: 'no id' }],
        meta: { result_count: 2, newest_id: '1895000000000000500' },
      },
    });
    const [page] = await pages(null, accountOf(peer), canned);
    expect(ids(page.items)).toEqual(['1895000000000000500']);
    expect(page.rejected).toEqual([
      { reason: expect.stringContaining('id'), raw: { text: 'no id' } },
    ]);
    expect(page.cursor).toEqual({ sinceId: '1895000000000000500' });
  });

  it('throws RateLimited with the x-rate-limit-reset time (epoch seconds)', async () => {
    peer.mentionMany(3);
    const resetAt = new Date(Math.ceil(Date.now() / 1000) * 1000 + 300_000);
    peer.throttleNext(resetAt);
    const error = await failure(pages({ sinceId: '1' }));
    expect(error).toBeInstanceOf(RateLimited);
    expect((error as RateLimited).retryAt).toEqual(resetAt);
  });

  it('a throttle in the middle of paging stores no cursor', async () => {
    peer.mentionMany(1);
    const [start] = await pages(null);
    peer.mentionMany(2 * PAGE);
    const seen: FetchedPage[] = [];
    const error = await failure(
      (async () => {
        for await (const page of connector.fetch(accountOf(peer), start.cursor, http)) {
          seen.push(page);
          peer.throttleNext(new Date(Date.now() + 60_000));
        }
      })(),
    );
    expect(error).toBeInstanceOf(RateLimited);
    expect(seen.map((p) => p.cursor)).toEqual([null]);
  });

  it('answers the fake’s own rate limit: 429 after the window is spent', async () => {
    const tight = await new XPeer({ limits: { mentions: 2 } }).start();
    try {
      const account = accountOf(tight);
      await pages(null, account);
      await pages(null, account);
      expect(tight.requests.at(-1)).toBeDefined();
      const error = await failure(pages(null, account));
      expect(error).toBeInstanceOf(RateLimited);
      const windowEnd = (error as RateLimited).retryAt.getTime();
      expect(windowEnd).toBeGreaterThan(Date.now() + 14 * 60_000);
      expect(windowEnd).toBeLessThanOrEqual(Date.now() + 15 * 60_000);
    } finally {
      await tight.close();
    }
  });

  it.each([500, 502, 503])('reports %d as Transient', async (status) => {
    peer.failNext(status);
    expect(await failure(pages(null))).toBeInstanceOf(Transient);
  });

  it('reports a refused query (X errors without data) as Permanent', async () => {
    const account = accountOf(peer);
    account.config.userId = '42';
    const error = await failure(pages(null, account));
    expect(error).toBeInstanceOf(Permanent);
    expect(error.message).toContain('Could not find user with id');
  });

  it('a lost answer while reading is Transient (reading is safe to retry), not Ambiguous', async () => {
    const losing = new LosingHttp();
    try {
      const error = await failure(pages(null, accountOf(peer), losing));
      expect(error).toBeInstanceOf(NetworkError);
      expect(error).not.toBeInstanceOf(Ambiguous);
    } finally {
      await losing.close();
    }
  });
});

describe('XConnector.send', () => {
  it('replies in the customer’s thread: POST /2/tweets with reply.in_reply_to_tweet_id', async () => {
    const mention = peer.mention();
    const reply = replyTo(mention);
    const { externalId } = await connector.send(accountOf(peer), reply, http);
    expect(peer.requests.at(-1)).toMatchObject({
      method: 'POST',
      path: '/2/tweets',
      parsed: { text: reply.text, reply: { in_reply_to_tweet_id: mention.id } },
    });
    expect(peer.posted).toEqual([
      {
        kind: 'tweet',
        id: externalId,
        text: reply.text,
        inReplyToTweetId: mention.id,
        createdAt: expect.any(String),
      },
    ]);
    // Public like the customer's post, in its conversation.
    expect(peer.tweet(externalId)).toMatchObject({
      conversation_id: mention.conversation_id,
      in_reply_to_user_id: mention.author_id,
    });
  });

  it('answers privately by direct message to the customer (dm_event_id)', async () => {
    const mention = peer.mention();
    const { externalId } = await connector.send(
      accountOf(peer),
      replyTo(mention, { private: true, text: 'Stuur ons je klantnummer?' }),
      http,
    );
    expect(peer.requests.at(-1)).toMatchObject({
      method: 'POST',
      path: `/2/dm_conversations/with/${mention.author_id}/messages`,
      parsed: { text: 'Stuur ons je klantnummer?' },
    });
    expect(peer.posted).toEqual([
      expect.objectContaining({ kind: 'dm', id: externalId, participantId: mention.author_id }),
    ]);
  });

  it('has no idempotency: the same reply twice is refused by X as duplicate content', async () => {
    const mention = peer.mention();
    const reply = replyTo(mention);
    await connector.send(accountOf(peer), reply, http);
    const error = await failure(connector.send(accountOf(peer), reply, http));
    expect(error).toBeInstanceOf(Permanent);
    expect(error.message).toContain('duplicate content');
    expect(peer.posted).toHaveLength(1);
  });

  it('a lost answer after the request left is Ambiguous (it was in fact posted)', async () => {
    const mention = peer.mention();
    const losing = new LosingHttp();
    try {
      const error = await failure(connector.send(accountOf(peer), replyTo(mention), losing));
      expect(error).toBeInstanceOf(Ambiguous);
      expect(peer.posted).toHaveLength(1);
    } finally {
      await losing.close();
    }
  });

  it('a request that never left (connection refused) is Transient, not Ambiguous', async () => {
    const mention = peer.mention();
    const account = accountOf(peer);
    await peer.close();
    const error = await failure(connector.send(account, replyTo(mention), http));
    expect(error).toBeInstanceOf(Transient);
    expect(error).not.toBeInstanceOf(Ambiguous);
  });

  it('classifies X’s answers', async () => {
    const mention = peer.mention();
    const account = accountOf(peer);
    const cases: [string, () => void, OutboundReply, new (...a: never[]) => Error, string][] = [
      ['503', () => peer.failNext(503), replyTo(mention, { text: 'a' }), Transient, '503'],
      [
        'throttled',
        () => peer.throttleNext(new Date(Date.now() + 90_000)),
        replyTo(mention, { text: 'b' }),
        RateLimited,
        'Rate limit exceeded',
      ],
      ['too long', () => {}, replyTo(mention, { text: 'x'.repeat(281) }), Permanent, 'too long'],
      [
        'a deleted post',
        () => {},
        replyTo({ ...mention, id: '1895000000000000999' }, { text: 'c' }),
        Permanent,
        'deleted or not visible',
      ],
      [
        'a DM nobody can receive',
        () => {},
        replyTo({ ...mention, author_id: '77' }, { private: true, text: 'd' }),
        Permanent,
        'cannot send messages',
      ],
      [
        'a token X calls expired before its time',
        () => peer.expireTokenOnNextCall(),
        replyTo(mention, { text: 'e' }),
        TokenExpired,
        '401',
      ],
      ['an expired token', () => peer.expireAccessToken(), replyTo(mention), TokenExpired, '401'],
    ];
    for (const [name, arrange, reply, type, words] of cases) {
      arrange();
      const error = await failure(connector.send(account, reply, http));
      expect([name, error]).toEqual([name, expect.any(type)]);
      expect(error.message).toContain(words);
    }
    expect(peer.posted).toHaveLength(0);
  });

  it('waits for a spent 24-hour posting limit rather than the 15-minute window', async () => {
    const soon = Math.floor(Date.now() / 1000) + 60;
    const tomorrow = Math.floor(Date.now() / 1000) + 20 * 3600;
    const canned = new CannedHttp({
      status: 429,
      headers: {
        'x-rate-limit-reset': String(soon),
        'x-user-limit-24hour-limit': '17',
        'x-user-limit-24hour-remaining': '0',
        'x-user-limit-24hour-reset': String(tomorrow),
      },
      text: '',
      json: { title: 'Too Many Requests', status: 429 },
    });
    const error = await failure(connector.send(accountOf(peer), replyTo(peer.mention()), canned));
    expect(error).toBeInstanceOf(RateLimited);
    expect((error as RateLimited).retryAt).toEqual(new Date(tomorrow * 1000));
  });

  it('refuses ids that are not X ids before sending anything', async () => {
    const mention = peer.mention();
    const account = accountOf(peer);
    const before = peer.requests.length;
    await expect(
      connector.send(account, replyTo({ ...mention, id: '../../2/users/me' }), http),
    ).rejects.toBeInstanceOf(Permanent);
    await expect(
      connector.send(
        account,
        replyTo({ ...mention, author_id: '1/../x' }, { private: true }),
        http,
      ),
    ).rejects.toBeInstanceOf(Permanent);
    expect(peer.requests.length).toBe(before);
  });
});

describe('XPeer', () => {
  it('serves the fields asked for, in either spelling, and rate-limit headers on every answer', async () => {
    peer.mention({ lang: 'en' });
    const base = `${peer.url}/2/users/${peer.userId}/mentions`;
    const auth = { authorization: `Bearer ${peer.accessToken}` };
    const bare = await http.send({ url: base, headers: auth });
    const asked = await http.send({ url: `${base}?post.fields=lang,created_at`, headers: auth });
    const data = (a: HttpAnswer) => (a.json as { data: Record<string, unknown>[] }).data[0];
    expect(Object.keys(data(bare)).sort()).toEqual(['edit_history_tweet_ids', 'id', 'text']);
    expect(data(asked)).toMatchObject({ lang: 'en', created_at: expect.any(String) });
    expect((bare.json as Record<string, unknown>).includes).toBeUndefined();
    for (const answer of [bare, asked]) {
      expect(answer.headers).toMatchObject({
        'x-rate-limit-limit': '300',
        'x-rate-limit-remaining': expect.stringMatching(/^29[89]$/),
        'x-rate-limit-reset': expect.stringMatching(/^\d{10}$/),
      });
    }
    const wrong = await http.send({ url: base, headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
    const tooMany = await http.send({ url: `${base}?max_results=500`, headers: auth });
    expect(tooMany.status).toBe(400);
  });

  it('only the newest `reachable` mentions can be read', async () => {
    const small = await new XPeer({ reachable: 8, pageSize: 100 }).start();
    try {
      const all = small.mentionMany(10);
      const [page] = await pages({ sinceId: '1' }, accountOf(small));
      expect(ids(page.items)).toEqual(newestFirst(all).slice(0, 8));
    } finally {
      await small.close();
    }
  });
});
