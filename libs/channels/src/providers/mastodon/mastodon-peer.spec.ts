import { MastodonPeer } from '../../fakes/mastodon-peer';
import { SafeHttp } from '../../http/safe-http';

/**
 * The fake instance must page like Mastodon, or the connector's tests prove nothing: these
 * check its answers directly over HTTP.
 */
describe('MastodonPeer (the fake Mastodon instance)', () => {
  const http = new SafeHttp(true);
  let peer: MastodonPeer;

  beforeEach(async () => {
    peer = await new MastodonPeer({ accessToken: 'tok', pageSize: 3 }).start();
  });
  afterEach(() => peer.close());
  afterAll(() => http.close());

  const get = (query: string, token = 'tok') =>
    http.send({
      url: `${peer.url}/api/v1/notifications${query}`,
      headers: { authorization: `Bearer ${token}` },
    });
  const ids = (json: unknown) => (json as { id: string }[]).map((n) => n.id);
  const mentions = (count: number) => Array.from({ length: count }, () => peer.mention().id);

  it('answers newest first, one page of the asked limit, with next and prev links', async () => {
    const all = mentions(5);
    const answer = await get('?types[]=mention&limit=2');
    expect(answer.status).toBe(200);
    expect(ids(answer.json)).toEqual([all[4], all[3]]);
    const link = answer.headers.link;
    expect(link).toContain(`max_id=${all[3]}>; rel="next"`);
    expect(link).toContain(`min_id=${all[4]}>; rel="prev"`);
    expect(link).toContain('types%5B%5D=mention');
  });

  it('max_id pages to older items', async () => {
    const all = mentions(5);
    const answer = await get(`?limit=2&max_id=${all[3]}`);
    expect(ids(answer.json)).toEqual([all[2], all[1]]);
  });

  it('min_id answers the items just newer than it (still newest first)', async () => {
    const all = mentions(6);
    const answer = await get(`?limit=2&min_id=${all[1]}`);
    expect(ids(answer.json)).toEqual([all[3], all[2]]);
  });

  it('since_id answers the newest page and leaves a gap', async () => {
    const all = mentions(6);
    const answer = await get(`?limit=2&since_id=${all[1]}`);
    expect(ids(answer.json)).toEqual([all[5], all[4]]);
  });

  it('an empty page has no Link header; a short page has no next link', async () => {
    const all = mentions(2);
    const empty = await get(`?min_id=${all[1]}`);
    expect(empty.json).toEqual([]);
    expect(empty.headers.link).toBeUndefined();
    const short = await get('');
    expect(short.headers.link).not.toContain('rel="next"');
  });

  it('filters by types[] and exclude_types[]', async () => {
    const mention = peer.mention();
    const favourite = peer.notify('favourite');
    expect(ids((await get('?types[]=mention')).json)).toEqual([mention.id]);
    expect(ids((await get('?exclude_types[]=mention')).json)).toEqual([favourite.id]);
    expect(ids((await get('')).json)).toEqual([favourite.id, mention.id]);
  });

  it('caps the limit at maxPageSize (raisable for benchmarks)', async () => {
    mentions(100);
    expect(ids((await get('?limit=500')).json)).toHaveLength(80);
    peer.maxPageSize = 1000;
    expect(ids((await get('?limit=500')).json)).toHaveLength(100);
  });

  it('refuses a wrong or missing token with 401', async () => {
    expect((await get('', 'wrong')).status).toBe(401);
    const none = await http.send({ url: `${peer.url}/api/v1/notifications` });
    expect(none.status).toBe(401);
  });

  it('sends rate-limit headers with an ISO reset time on every answer', async () => {
    const answer = await get('');
    expect(answer.headers['x-ratelimit-limit']).toBe('300');
    expect(answer.headers['x-ratelimit-remaining']).toBe('299');
    expect(answer.headers['x-ratelimit-reset']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('answers 429 when asked to, and when the window is used up', async () => {
    const resetAt = new Date(Date.now() + 120_000);
    peer.throttleNext(resetAt);
    const throttled = await get('');
    expect(throttled.status).toBe(429);
    expect(throttled.json).toEqual({ error: 'Too many requests' });
    expect(throttled.headers['x-ratelimit-reset']).toBe(resetAt.toISOString());
    expect((await get('')).status).toBe(200);

    const tight = await new MastodonPeer({ accessToken: 'tok', rateLimit: 2 }).start();
    try {
      const ask = () =>
        http.send({
          url: `${tight.url}/api/v1/notifications`,
          headers: { authorization: 'Bearer tok' },
        });
      expect((await ask()).status).toBe(200);
      expect((await ask()).headers['x-ratelimit-remaining']).toBe('0');
      expect((await ask()).status).toBe(429);
    } finally {
      await tight.close();
    }
  });

  it('fails the next requests with a 5xx when asked to', async () => {
    peer.failNext(502, 2);
    expect((await get('')).status).toBe(502);
    expect((await get('')).status).toBe(502);
    expect((await get('')).status).toBe(200);
  });

  it('posts a status once per Idempotency-Key, validates it, and 404s an unknown parent', async () => {
    const parent = peer.mention({ acct: 'ana@other.example' }).status!;
    const post = (body: Record<string, unknown>, key?: string) =>
      http.send({
        method: 'POST',
        url: `${peer.url}/api/v1/statuses`,
        headers: { authorization: 'Bearer tok', ...(key ? { 'idempotency-key': key } : {}) },
        json: body,
      });
    const body = {
      status: '@ana@other.example hoi',
      in_reply_to_id: parent.id,
      visibility: 'direct',
    };
    const first = await post(body, 'k1');
    const again = await post(body, 'k1');
    expect(first.status).toBe(200);
    expect((again.json as { id: string }).id).toBe((first.json as { id: string }).id);
    expect(peer.posted).toHaveLength(1);
    expect(peer.posted[0]).toMatchObject({
      inReplyToId: parent.id,
      visibility: 'direct',
      idempotencyKey: 'k1',
    });
    expect(peer.posted[0].status.mentions[0].acct).toBe('ana@other.example');
    expect((await post(body, 'k2')).status).toBe(200);
    expect(peer.posted).toHaveLength(2);

    expect((await post({ ...body, status: '' })).status).toBe(422);
    expect((await post({ ...body, visibility: 'secret' })).status).toBe(422);
    expect((await post({ ...body, in_reply_to_id: '1' })).status).toBe(404);
    // 500 characters counted like Mastodon: a URL counts 23, @user@domain counts as @user.
    const url = `https://example.com/${'x'.repeat(400)}`;
    const fits = `@ana@other.example ${url} ${'a'.repeat(500 - 4 - 1 - 23 - 1)}`;
    expect((await post({ ...body, status: fits })).status).toBe(200);
    const tooLong = (await post({ ...body, status: `${fits}a` })).json as { error: string };
    expect(tooLong.error).toBe('Validation failed: Text character limit of 500 exceeded');
  });

  it('answers verify_credentials for its account', async () => {
    const answer = await http.send({
      url: `${peer.url}/api/v1/accounts/verify_credentials`,
      headers: { authorization: 'Bearer tok' },
    });
    expect(answer.json).toMatchObject({ username: 'demo_energie', acct: 'demo_energie' });
  });

  it('makes realistic mentions: snowflake status ids, Mastodon HTML, increasing notification ids', async () => {
    const a = peer.mention({ acct: 'bram', text: 'een & twee\ndrie', visibility: 'direct' });
    const b = peer.mention();
    expect(BigInt(b.id)).toBeGreaterThan(BigInt(a.id));
    expect(BigInt(b.status!.id)).toBeGreaterThan(BigInt(a.status!.id));
    // A snowflake's top bits are its creation time in milliseconds.
    const ms = Number(BigInt(a.status!.id) >> 16n);
    expect(Math.abs(ms - Date.parse(a.status!.created_at))).toBeLessThan(5);
    expect(a.status!.content).toBe(
      '<p><span class="h-card" translate="no"><a href="https://social.example/@demo_energie" class="u-url mention">@<span>demo_energie</span></a></span> een &amp; twee<br />drie</p>',
    );
    expect(a.account.acct).toBe('bram');
    expect(a.status!.url).toBe(`https://social.example/@bram/${a.status!.id}`);
  });
});
