import { BlueskyPeer, fakeCid, fakeDid } from '../../fakes/bluesky-peer';
import { FakePlcDirectory } from '../../fakes/plc-directory';
import { SafeHttp } from '../../http/safe-http';
import { isTid } from './tid';

/** The fake peer itself, spoken to over HTTP the way the channel is. */
describe('BlueskyPeer', () => {
  const http = new SafeHttp(true);
  let peer: BlueskyPeer;

  beforeEach(async () => {
    peer = await new BlueskyPeer({ maxLimit: 100 }).start();
  });
  afterEach(() => peer.close());
  afterAll(() => http.close());

  const xrpc = (nsid: string, query = '') => `${peer.url}/xrpc/${nsid}${query ? `?${query}` : ''}`;

  async function login(): Promise<{ accessJwt: string; refreshJwt: string; did: string }> {
    const answer = await http.send({
      method: 'POST',
      url: xrpc('com.atproto.server.createSession'),
      json: { identifier: peer.handle, password: peer.appPassword },
    });
    expect(answer.status).toBe(200);
    return answer.json as { accessJwt: string; refreshJwt: string; did: string };
  }

  it('has realistic identifiers', () => {
    expect(peer.did).toMatch(/^did:plc:[a-z2-7]{24}$/);
    expect(fakeDid('ana.bsky.social')).toBe(fakeDid('ana.bsky.social'));
    expect(fakeCid('x')).toMatch(/^bafyrei[a-z2-7]{52}$/);
    const mention = peer.mention();
    expect(mention.uri).toMatch(
      /^at:\/\/did:plc:[a-z2-7]{24}\/app\.bsky\.feed\.post\/[2-7a-z]{13}$/,
    );
    expect(isTid((mention.uri as string).split('/').pop())).toBe(true);
  });

  it('confirms an access token with getSession (not a refresh token, not a stranger)', async () => {
    const session = await login();
    const ask = (token: string) =>
      http.send({
        url: xrpc('com.atproto.server.getSession'),
        headers: { authorization: `Bearer ${token}` },
      });
    const answer = await ask(session.accessJwt);
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ did: peer.did, handle: peer.handle, active: true });
    expect((await ask(session.refreshJwt)).status).toBe(401);
    expect((await ask('a.b.c')).status).toBe(401);
  });

  it('publishes its account in the PLC directory it is given, as plc.directory shapes it', async () => {
    const plc = await new FakePlcDirectory().start();
    const named = await new BlueskyPeer({ handle: 'named.bsky.social', plc }).start();
    try {
      const document = await http.send({ url: `${plc.url}/${encodeURIComponent(named.did)}` });
      expect(document.status).toBe(200);
      expect(document.json).toMatchObject({
        id: named.did,
        alsoKnownAs: ['at://named.bsky.social'],
        verificationMethod: [{ id: `${named.did}#atproto`, type: 'Multikey' }],
        service: [
          { id: '#atproto_pds', type: 'AtprotoPersonalDataServer', serviceEndpoint: named.url },
        ],
      });
      const unknown = await http.send({ url: `${plc.url}/${fakeDid('nobody.bsky.social')}` });
      expect([unknown.status, unknown.json]).toEqual([
        404,
        { message: `DID not registered: ${fakeDid('nobody.bsky.social')}` },
      ]);
    } finally {
      await named.close();
      await plc.close();
    }
  });

  it('sends the rate-limit headers on every answer', async () => {
    const session = await login();
    const answers = [
      await http.send({ url: xrpc('app.bsky.notification.listNotifications') }),
      await http.send({
        url: xrpc('app.bsky.notification.listNotifications'),
        headers: { authorization: `Bearer ${session.accessJwt}` },
      }),
    ];
    for (const answer of answers) {
      expect(answer.headers['ratelimit-limit']).toBe('3000');
      expect(Number(answer.headers['ratelimit-remaining'])).toBeLessThan(3000);
      expect(Number(answer.headers['ratelimit-reset'])).toBeGreaterThan(Date.now() / 1000);
      expect(answer.headers['ratelimit-policy']).toBe('3000;w=300');
    }
  });

  it.each([
    ['no token', undefined, 401, 'AuthMissing'],
    ['a wrong token', 'Bearer not-a-token', 401, 'InvalidToken'],
  ])('refuses %s with 401', async (_name, authorization, status, error) => {
    const answer = await http.send({
      url: xrpc('app.bsky.notification.listNotifications'),
      headers: authorization ? { authorization } : {},
    });
    expect(answer.status).toBe(status);
    expect(answer.json).toMatchObject({ error });
  });

  it('refuses a refresh token as an access token, and an access token as a refresh token', async () => {
    const session = await login();
    const list = await http.send({
      url: xrpc('app.bsky.notification.listNotifications'),
      headers: { authorization: `Bearer ${session.refreshJwt}` },
    });
    expect(list.json).toMatchObject({ error: 'InvalidToken' });
    const refresh = await http.send({
      method: 'POST',
      url: xrpc('com.atproto.server.refreshSession'),
      headers: { authorization: `Bearer ${session.accessJwt}` },
    });
    expect(refresh.json).toMatchObject({ error: 'InvalidToken' });
  });

  it('pages to older items with the cursor, without overlap, and ends without a cursor', async () => {
    const session = await login();
    const created = peer.mentions(25).map((n) => n.uri);
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const query = new URLSearchParams([
        ['reasons', 'mention'],
        ['limit', '10'],
      ]);
      if (cursor) query.set('cursor', cursor);
      const answer = await http.send({
        url: xrpc('app.bsky.notification.listNotifications', query.toString()),
        headers: { authorization: `Bearer ${session.accessJwt}` },
      });
      const body = answer.json as { cursor?: string; notifications: { uri: string }[] };
      seen.push(...body.notifications.map((n) => n.uri));
      cursor = body.cursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual([...created].reverse());
  });

  it('filters by reason and refuses a limit over the maximum', async () => {
    const session = await login();
    peer.mention();
    peer.addNotification({ reason: 'like', uri: 'at://did:plc:x/app.bsky.feed.like/3lk' });
    const auth = { authorization: `Bearer ${session.accessJwt}` };
    const mentions = await http.send({
      url: xrpc('app.bsky.notification.listNotifications', 'reasons=mention&reasons=reply'),
      headers: auth,
    });
    expect((mentions.json as { notifications: unknown[] }).notifications).toHaveLength(1);
    const all = await http.send({
      url: xrpc('app.bsky.notification.listNotifications'),
      headers: auth,
    });
    expect((all.json as { notifications: unknown[] }).notifications).toHaveLength(2);
    const tooMany = await http.send({
      url: xrpc('app.bsky.notification.listNotifications', 'limit=101'),
      headers: auth,
    });
    expect(tooMany.status).toBe(400);
  });

  it('refuses a second record with the same key and serves the first through getRecord', async () => {
    const session = await login();
    const body = {
      repo: session.did,
      collection: 'app.bsky.feed.post',
      rkey: '3lkaa2bcd2e2f',
      record: { $type: 'app.bsky.feed.post', text: 'hallo', createdAt: new Date().toISOString() },
    };
    const auth = { authorization: `Bearer ${session.accessJwt}` };
    const first = await http.send({
      method: 'POST',
      url: xrpc('com.atproto.repo.createRecord'),
      headers: auth,
      json: body,
    });
    expect(first.json).toMatchObject({
      uri: `at://${session.did}/app.bsky.feed.post/3lkaa2bcd2e2f`,
    });
    const second = await http.send({
      method: 'POST',
      url: xrpc('com.atproto.repo.createRecord'),
      headers: auth,
      json: { ...body, record: { ...body.record, text: 'anders' } },
    });
    expect(second.status).toBe(400);
    expect(second.json).toMatchObject({ error: 'InvalidSwap' });
    expect(peer.posted).toHaveLength(1);
    expect(peer.posted[0].record.text).toBe('hallo');
    const record = await http.send({
      url: xrpc(
        'com.atproto.repo.getRecord',
        `repo=${session.did}&collection=app.bsky.feed.post&rkey=3lkaa2bcd2e2f`,
      ),
    });
    expect(record.json).toMatchObject({ value: { text: 'hallo' } });
    const badKey = await http.send({
      method: 'POST',
      url: xrpc('com.atproto.repo.createRecord'),
      headers: auth,
      json: { ...body, rkey: 'a-uuid-4f1c' },
    });
    expect(badKey.status).toBe(400);
  });

  it('throttles with RateLimit-Reset and Retry-After when asked, and when over the limit', async () => {
    const resetAt = new Date(Math.ceil(Date.now() / 1000) * 1000 + 60_000);
    peer.throttleNext(resetAt);
    const answer = await http.send({ url: xrpc('app.bsky.notification.listNotifications') });
    expect(answer.status).toBe(429);
    expect(answer.headers['ratelimit-reset']).toBe(String(resetAt.getTime() / 1000));
    expect(Number(answer.headers['retry-after'])).toBeGreaterThan(55);
    expect(answer.headers['ratelimit-remaining']).toBe('0');

    const tight = await new BlueskyPeer({ rateLimit: 2 }).start();
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 3; i += 1)
        statuses.push(
          (await http.send({ url: `${tight.url}/xrpc/app.bsky.feed.getPosts` })).status,
        );
      expect(statuses).toEqual([401, 401, 429]);
    } finally {
      await tight.close();
    }
  });
});
