import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type {
  ChannelConnector,
  ChannelCursor,
  FetchedPage,
  InboundItem,
  OutboundReply,
} from '../../connector';
import {
  AuthExpired,
  CredentialsInvalid,
  InvalidPayload,
  Permanent,
  RateLimited,
  TokenExpired,
  Transient,
} from '../../errors';
import { FakeServer, type FakeRequest } from '../../fakes/fake-server';
import { BlueskyEntryway } from '../../fakes/bluesky-entryway';
import { BlueskyPeer, fakeDid } from '../../fakes/bluesky-peer';
import { didDocument, FakePlcDirectory } from '../../fakes/plc-directory';
import { SafeHttp } from '../../http/safe-http';
import {
  BlueskyConnector,
  graphemeCount,
  jwtExpiry,
  normaliseBlueskyNotification,
  type BlueskyConfig,
  type BlueskyConnectorOptions,
  type BlueskySecrets,
} from './bluesky.connector';
import { isTid, parseTid } from './tid';

type Account = { config: BlueskyConfig; secrets: BlueskySecrets; externalAccountId: string | null };

const fixture = JSON.parse(
  readFileSync(
    join(__dirname, '../../../../../tests/fixtures/channels/bluesky-listNotifications.json'),
    'utf8',
  ),
) as { cursor: string; notifications: Record<string, unknown>[] };

const http = new SafeHttp(true);
const peers: { close(): Promise<void> }[] = [];
/** The PLC directory every peer publishes its account in (connecting resolves the DID there). */
let plc: FakePlcDirectory;

beforeAll(async () => {
  plc = await new FakePlcDirectory().start();
  peers.push(plc);
});
afterAll(async () => {
  await Promise.all(peers.map((peer) => peer.close()));
  await http.close();
});

async function startPeer(options: ConstructorParameters<typeof BlueskyPeer>[0] = {}) {
  const peer = await new BlueskyPeer({ plc, ...options }).start();
  peers.push(peer);
  return peer;
}

/** A connector that resolves DIDs in the fake PLC directory. */
function blueskyConnector(options: BlueskyConnectorOptions = {}): BlueskyConnector {
  return new BlueskyConnector({ plcDirectoryUrl: plc.url, ...options });
}

/** Connects like POST /api/channels does: parse, verify, store the verified secrets. */
async function connect(peer: BlueskyPeer, connector = blueskyConnector()): Promise<Account> {
  const parsed = connector.parseConfig(peer.config, { allowInsecureUrls: true });
  const verified = await connector.verify(parsed, http);
  return { ...parsed, secrets: verified.secrets!, externalAccountId: verified.externalAccountId };
}

async function poll(
  connector: BlueskyConnector,
  account: Account,
  cursor: ChannelCursor | null,
): Promise<FetchedPage[]> {
  const pages: FetchedPage[] = [];
  for await (const page of connector.fetch(account, cursor, http)) pages.push(page);
  return pages;
}

const ids = (pages: FetchedPage[]) => pages.flatMap((page) => page.items.map((i) => i.externalId));
const uris = (raws: Record<string, unknown>[]) => raws.map((raw) => raw.uri as string);
const listCalls = (peer: BlueskyPeer) =>
  peer.requests.filter((r) => r.path === '/xrpc/app.bsky.notification.listNotifications');

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

function replyTo(
  item: Record<string, unknown>,
  key: string,
  overrides: Partial<OutboundReply> = {},
): OutboundReply {
  const author = item.author as { did: string; handle: string };
  return {
    replyId: 'reply-1',
    idempotencyKey: key,
    text: 'Dag Ana, we kijken er meteen naar. ^AB',
    private: false,
    inReplyTo: {
      externalId: item.uri as string,
      authorExternalId: author.did,
      authorHandle: `@${author.handle}`,
      visibility: 'public',
      raw: item,
    },
    ...overrides,
  };
}

describe('BlueskyConnector', () => {
  let connector: BlueskyConnector;
  beforeAll(() => {
    connector = blueskyConnector();
  });

  it('describes the channel, and fits the registry as a plain ChannelConnector', () => {
    const generic: ChannelConnector = connector;
    expect(generic.capabilities).toEqual({
      provider: 'bluesky',
      ingest: 'poll',
      directMessages: false,
      idempotentSend: true,
      length: { limit: 300, counting: 'graphemes' },
    });
  });

  describe('parseConfig', () => {
    const valid = {
      serviceUrl: 'https://bsky.social',
      identifier: 'demo-energie.bsky.social',
      appPassword: 'abcd-efgh-ijkl-mnop',
    };

    it.each([
      ['the full config', valid, 'https://bsky.social', 'demo-energie.bsky.social', null],
      [
        'no serviceUrl (the real host)',
        { identifier: 'demo-energie.bsky.social', appPassword: 'x' },
        'https://bsky.social',
        'demo-energie.bsky.social',
        null,
      ],
      [
        'a handle with @, capitals and a trailing slash on the URL',
        { ...valid, serviceUrl: 'https://pds.example.com/', identifier: ' @Demo.Example.com ' },
        'https://pds.example.com',
        'demo.example.com',
        null,
      ],
      [
        'a DID (the account id is known at once)',
        { ...valid, identifier: 'did:plc:ewvi7nxzyoun6zhxrhs64oiz' },
        'https://bsky.social',
        'did:plc:ewvi7nxzyoun6zhxrhs64oiz',
        'did:plc:ewvi7nxzyoun6zhxrhs64oiz',
      ],
      [
        'an e-mail',
        { ...valid, identifier: 'social@demo.test' },
        'https://bsky.social',
        'social@demo.test',
        null,
      ],
      [
        'extra fields (ignored, never copied)',
        { ...valid, accessJwt: 'eyJ.secret', note: 'x' },
        'https://bsky.social',
        'demo-energie.bsky.social',
        null,
      ],
    ])('accepts %s', (_name, input, serviceUrl, identifier, externalAccountId) => {
      const parsed = connector.parseConfig(input, { allowInsecureUrls: false });
      expect(parsed.config).toEqual({ serviceUrl, identifier });
      expect(parsed.secrets).toEqual({
        appPassword: (input as { appPassword: string }).appPassword,
      });
      expect(parsed.externalAccountId).toBe(externalAccountId);
      const shown = JSON.stringify(parsed.config);
      expect(shown).not.toContain((input as { appPassword: string }).appPassword);
      expect(shown).not.toContain('secret');
    });

    it.each([
      ['not an object', 'x', ['config: must be an object']],
      ['null', null, ['config: must be an object']],
      ['an ftp URL', { ...valid, serviceUrl: 'ftp://bsky.social' }, ['serviceUrl: must use https']],
      ['a non-URL', { ...valid, serviceUrl: 'bsky social' }, ['serviceUrl: must be a URL']],
      ['a number as URL', { ...valid, serviceUrl: 42 }, ['serviceUrl: must be a URL']],
      [
        'credentials in the URL',
        { ...valid, serviceUrl: 'https://u:p@bsky.social' },
        ['serviceUrl: must not contain credentials'],
      ],
      [
        'a query in the URL',
        { ...valid, serviceUrl: 'https://bsky.social/?x=1' },
        ['serviceUrl: must not have a query or fragment'],
      ],
      [
        'plain http to a loopback address',
        { ...valid, serviceUrl: 'http://127.0.0.1:2583' },
        [
          'serviceUrl: must use https',
          'serviceUrl: must not point at a loopback or private address',
        ],
      ],
      [
        'https to a private address',
        { ...valid, serviceUrl: 'https://10.0.0.8' },
        ['serviceUrl: must not point at a loopback or private address'],
      ],
      [
        'https to localhost',
        { ...valid, serviceUrl: 'https://localhost:2583' },
        ['serviceUrl: must not point at a loopback or private address'],
      ],
      ['no identifier', { ...valid, identifier: undefined }, ['identifier: required']],
      ['an empty identifier', { ...valid, identifier: '  ' }, ['identifier: required']],
      ['a bad identifier', { ...valid, identifier: 'not a handle!' }, ['identifier: must be']],
      ['no app password', { ...valid, appPassword: undefined }, ['appPassword: required']],
      ['a numeric app password', { ...valid, appPassword: 1234 }, ['appPassword: required']],
      [
        'everything wrong at once',
        { serviceUrl: 'ftp://x', identifier: 3, appPassword: '' },
        ['serviceUrl: must use https', 'identifier: required', 'appPassword: required'],
      ],
    ])('refuses %s, naming every problem', (_name, input, problems) => {
      let error: unknown;
      try {
        connector.parseConfig(input, { allowInsecureUrls: false });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(InvalidPayload);
      const message = (error as Error).message;
      for (const problem of problems) expect(message).toContain(problem);
      expect(message.split('; ')).toHaveLength(problems.length);
    });

    it('allows http and private addresses only when insecure URLs are allowed', () => {
      const local = { ...valid, serviceUrl: 'http://127.0.0.1:2583' };
      expect(connector.parseConfig(local, { allowInsecureUrls: true }).config.serviceUrl).toBe(
        'http://127.0.0.1:2583',
      );
      expect(() => connector.parseConfig(local)).toThrow(InvalidPayload);
    });
  });

  describe('newIdempotencyKey', () => {
    it('is a TID, the same for the same reply and time, another for another reply', () => {
      const now = new Date('2026-03-01T10:00:00.000Z');
      const key = connector.newIdempotencyKey('reply-1', now);
      expect(isTid(key)).toBe(true);
      expect(connector.newIdempotencyKey('reply-1', now)).toBe(key);
      expect(connector.newIdempotencyKey('reply-2', now)).not.toBe(key);
      expect(parseTid(key).at.toISOString()).toBe(now.toISOString());
    });
  });

  describe('verify', () => {
    it('logs in once and answers the handle, the DID and the session to store', async () => {
      const peer = await startPeer();
      const parsed = connector.parseConfig(peer.config, { allowInsecureUrls: true });
      const before = Date.now();
      const verified = await connector.verify(parsed, http);
      expect(verified.handle).toBe('@demo-energie.bsky.social');
      expect(verified.externalAccountId).toBe(peer.did);
      const session = verified.secrets!.session!;
      expect(verified.secrets!.appPassword).toBe(peer.appPassword);
      expect(session.did).toBe(peer.did);
      expect(session.handle).toBe(peer.handle);
      expect(jwtExpiry(session.accessJwt)!.toISOString()).toBe(session.accessExpiresAt);
      const expires = Date.parse(session.accessExpiresAt);
      expect(expires).toBeGreaterThan(before + 2 * 3600_000 - 5000);
      expect(expires).toBeLessThan(before + 2 * 3600_000 + 5000);
      expect(peer.logins).toBe(1);
      const login = peer.requests[0];
      expect(login.path).toBe('/xrpc/com.atproto.server.createSession');
      expect(login.parsed).toEqual({ identifier: peer.handle, password: peer.appPassword });
    });

    it.each([
      ['a wrong app password', { appPassword: 'wrong-pass-word-xxxx' }],
      ['an unknown account', { identifier: 'nobody.bsky.social' }],
    ])('refuses %s with CredentialsInvalid', async (_name, change) => {
      const peer = await startPeer();
      const parsed = connector.parseConfig(
        { ...peer.config, ...change },
        { allowInsecureUrls: true },
      );
      const error = await caught(connector.verify(parsed, http));
      expect(error).toBeInstanceOf(CredentialsInvalid);
      expect((error as Error).message).toContain('Invalid identifier or password');
      expect(peer.logins).toBe(0);
    });

    it('calls a server error Transient and a throttled login RateLimited', async () => {
      const peer = await startPeer();
      const parsed = connector.parseConfig(peer.config, { allowInsecureUrls: true });
      peer.failNext(503);
      expect(await caught(connector.verify(parsed, http))).toBeInstanceOf(Transient);
      const resetAt = new Date(Math.ceil(Date.now() / 1000) * 1000 + 300_000);
      peer.throttleNext(resetAt);
      const error = await caught(connector.verify(parsed, http));
      expect(error).toBeInstanceOf(RateLimited);
      expect((error as RateLimited).retryAt.toISOString()).toBe(resetAt.toISOString());
    });

    it('calls an unreachable service Transient', async () => {
      const peer = await startPeer();
      const parsed = connector.parseConfig(peer.config, { allowInsecureUrls: true });
      await peer.close();
      expect(await caught(connector.verify(parsed, http))).toBeInstanceOf(Transient);
    });
  });

  describe('verify: the account is the one its DID names', () => {
    const OTHER_DID = 'did:plc:aaaaaaaaaaaaaaaaaaaaaaaa';
    const getSessions = (peer: { requests: FakeRequest[] }) =>
      peer.requests.filter((r) => r.path === '/xrpc/com.atproto.server.getSession');
    const verifyWith = async (config: Record<string, unknown>) =>
      connector.verify(connector.parseConfig(config, { allowInsecureUrls: true }), http);
    const server = async (answer: (path: string) => { status: number; json?: unknown }) => {
      const fake = await new FakeServer((request) => answer(request.path)).start();
      peers.push(fake);
      return fake;
    };

    it('resolves the DID in the PLC directory and has its PDS confirm the session', async () => {
      const peer = await startPeer({ handle: `confirmed${Date.now()}.bsky.social` });
      const verified = await verifyWith(peer.config);
      expect(verified.externalAccountId).toBe(peer.did);
      expect(plc.requests.map((r) => r.path)).toContain(`/${encodeURIComponent(peer.did)}`);
      const [check] = getSessions(peer);
      expect(check!.headers.authorization).toBe(`Bearer ${verified.secrets!.session!.accessJwt}`);
    });

    it('accepts an entryway whose PDS is another host, confirmed by that PDS', async () => {
      const peer = await startPeer({ handle: `entryway${Date.now()}.bsky.social` });
      const entryway = await new BlueskyEntryway(peer).start();
      peers.push(entryway);
      const verified = await verifyWith({ ...peer.config, serviceUrl: entryway.url });
      expect(verified.externalAccountId).toBe(peer.did);
      expect(entryway.requests.map((r) => r.path)).toEqual([
        '/xrpc/com.atproto.server.createSession',
      ]);
      expect(getSessions(peer)).toHaveLength(1);
    });

    it('refuses a server of its own that answers the login with another account’s DID', async () => {
      const victim = await startPeer({ handle: `victim${Date.now()}.bsky.social` });
      const squatter = await new BlueskyPeer({
        handle: 'squatter.example.com',
        did: victim.did,
        appPassword: 'squatter-pass-word-1',
      }).start();
      peers.push(squatter);
      const error = await caught(verifyWith(squatter.config));
      expect(error).toBeInstanceOf(CredentialsInvalid);
      expect((error as Error).message).toMatch(/does not know this session/);
      expect(getSessions(victim)).toHaveLength(1); // asked, and refused the squatter's token
      expect(getSessions(squatter)).toHaveLength(0);
    });

    it.each<[string, (peer: BlueskyPeer) => Promise<void> | void, RegExp]>([
      [
        'a DID the directory does not know',
        (peer) => plc.publishDocument(peer.did, undefined),
        /answered 404/,
      ],
      [
        'a document of another DID',
        (peer) =>
          plc.publishDocument(
            peer.did,
            didDocument({ did: OTHER_DID, handle: peer.handle, pdsUrl: peer.url }),
          ),
        /is not its own/,
      ],
      [
        'a document without services',
        (peer) => plc.publishDocument(peer.did, { id: peer.did, alsoKnownAs: [] }),
        /names no PDS/,
      ],
      [
        'a PDS service of another type',
        (peer) =>
          plc.publishDocument(peer.did, {
            id: peer.did,
            service: [{ id: '#atproto_pds', type: 'BskyFeedGenerator', serviceEndpoint: peer.url }],
          }),
        /names no PDS/,
      ],
      [
        'a PDS endpoint that is no http(s) URL',
        (peer) =>
          plc.publishDocument(peer.did, {
            id: peer.did,
            service: [
              { id: '#atproto_pds', type: 'AtprotoPersonalDataServer', serviceEndpoint: 'ftp://x' },
            ],
          }),
        /names no PDS/,
      ],
      [
        'a PDS that answers getSession for another account',
        async (peer) => {
          const liar = await server(() => ({ status: 200, json: { did: OTHER_DID, handle: 'x' } }));
          plc.publish({ did: peer.did, handle: peer.handle, pdsUrl: liar.url });
        },
        /answered for another account/,
      ],
    ])('refuses %s with CredentialsInvalid', async (_name, breakIdentity, message) => {
      const peer = await startPeer({ handle: `broken${Date.now()}.bsky.social` });
      await breakIdentity(peer);
      const error = await caught(verifyWith(peer.config));
      expect(error).toBeInstanceOf(CredentialsInvalid);
      expect((error as Error).message).toMatch(message);
    });

    it('refuses a DID method Bluesky does not use', async () => {
      const peer = await startPeer({
        did: 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK',
      });
      const error = await caught(verifyWith(peer.config));
      expect(error).toBeInstanceOf(CredentialsInvalid);
      expect((error as Error).message).toMatch(/not one Bluesky resolves/);
    });

    it('resolves a did:web through its /.well-known/did.json', async () => {
      let document: unknown = null;
      const web = await server((path) =>
        path === '/.well-known/did.json' ? { status: 200, json: document } : { status: 404 },
      );
      const did = `did:web:127.0.0.1%3A${new URL(web.url).port}`;
      const peer = await startPeer({ did });
      document = didDocument({ did, handle: peer.handle, pdsUrl: peer.url });
      expect((await verifyWith(peer.config)).externalAccountId).toBe(did);
      expect(web.requests.map((r) => r.path)).toEqual(['/.well-known/did.json']);
      expect(getSessions(peer)).toHaveLength(1);
    });

    it('calls a failing or unreachable directory Transient (the credentials may be right)', async () => {
      const peer = await startPeer({ handle: `outage${Date.now()}.bsky.social` });
      const failing = await server(() => ({ status: 503, json: { message: 'down' } }));
      const down = blueskyConnector({ plcDirectoryUrl: failing.url });
      const parsed = down.parseConfig(peer.config, { allowInsecureUrls: true });
      expect(await caught(down.verify(parsed, http))).toBeInstanceOf(Transient);
      const gone = blueskyConnector({ plcDirectoryUrl: 'http://127.0.0.1:1' });
      expect(await caught(gone.verify(parsed, http))).toBeInstanceOf(Transient);
    });

    it('refuses a renewed login that answers another DID than the connected one', async () => {
      const peer = await startPeer({ handle: `renewed${Date.now()}.bsky.social` });
      const account = await connect(peer);
      const loggedOut = { ...account, secrets: { appPassword: peer.appPassword } };
      expect((await connector.refresh(loggedOut, http, new Date()))!.session!.did).toBe(peer.did);
      const error = await caught(
        connector.refresh({ ...loggedOut, externalAccountId: OTHER_DID }, http, new Date()),
      );
      expect(error).toBeInstanceOf(AuthExpired);
      expect((error as Error).message).toContain(`not the connected ${OTHER_DID}`);
    });
  });

  describe('refresh', () => {
    it('does nothing while the access token has more than five minutes', async () => {
      const peer = await startPeer();
      const account = await connect(peer);
      const requests = peer.requests.length;
      expect(await connector.refresh(account, http, new Date())).toBeNull();
      expect(peer.requests).toHaveLength(requests);
    });

    it('refreshes with the refresh token (no login) when the access token is about to expire', async () => {
      const peer = await startPeer({ accessTtlSeconds: 240 });
      const account = await connect(peer);
      const secrets = await connector.refresh(account, http, new Date());
      expect(secrets).not.toBeNull();
      expect(peer.refreshes).toBe(1);
      expect(peer.logins).toBe(1);
      const refresh = peer.requests[peer.requests.length - 1];
      expect(refresh.path).toBe('/xrpc/com.atproto.server.refreshSession');
      expect(refresh.headers.authorization).toBe(`Bearer ${account.secrets.session!.refreshJwt}`);
      expect(secrets!.appPassword).toBe(peer.appPassword);
      expect(secrets!.session!.accessJwt).not.toBe(account.secrets.session!.accessJwt);
      expect(secrets!.session!.refreshJwt).not.toBe(account.secrets.session!.refreshJwt);
      // The new session works; the spent refresh token does not refresh again.
      await poll(connector, { ...account, secrets: secrets! }, null);
      const again = await connector.refresh(account, http, new Date());
      expect(peer.logins).toBe(2); // the old refresh token was refused: it logged in
      expect(again!.session!.did).toBe(peer.did);
    });

    it('refreshes an access token the time says has expired', async () => {
      const peer = await startPeer();
      const account = await connect(peer);
      const later = new Date(Date.parse(account.secrets.session!.accessExpiresAt) + 60_000);
      expect(await connector.refresh(account, http, later)).not.toBeNull();
      expect(peer.refreshes).toBe(1);
    });

    it('refreshes by force a session whose `exp` is hours away (the channel called it expired)', async () => {
      const peer = await startPeer();
      const account = await connect(peer);
      expect(await connector.refresh(account, http, new Date())).toBeNull();
      const renewed = await connector.refresh(account, http, new Date(), { force: true });
      expect(peer.refreshes).toBe(1);
      expect(peer.logins).toBe(1);
      expect(renewed!.session!.refreshJwt).not.toBe(account.secrets.session!.refreshJwt);
    });

    it('logs in again only when the refresh is refused', async () => {
      const peer = await startPeer({ accessTtlSeconds: 60 });
      const account = await connect(peer);
      peer.revokeSessions();
      const secrets = await connector.refresh(account, http, new Date());
      expect(peer.refreshes).toBe(0);
      expect(peer.logins).toBe(2);
      expect(secrets!.session!.did).toBe(peer.did);
    });

    it('logs in when there is no session yet', async () => {
      const peer = await startPeer();
      const parsed = connector.parseConfig(peer.config, { allowInsecureUrls: true });
      const secrets = await connector.refresh(parsed, http, new Date());
      expect(secrets!.session!.handle).toBe(peer.handle);
      expect(peer.logins).toBe(1);
    });

    it('says AuthExpired when the app password was revoked too', async () => {
      const peer = await startPeer({ accessTtlSeconds: 60 });
      const account = await connect(peer);
      peer.changeAppPassword('new1-new2-new3-new4');
      const error = await caught(connector.refresh(account, http, new Date()));
      expect(error).toBeInstanceOf(AuthExpired);
      expect((error as Error).message).toContain('app password');
    });

    it('does not log in when the refresh fails on the server side or is throttled', async () => {
      const peer = await startPeer({ accessTtlSeconds: 60 });
      const account = await connect(peer);
      peer.failNext(500);
      expect(await caught(connector.refresh(account, http, new Date()))).toBeInstanceOf(Transient);
      peer.throttleNext(new Date(Date.now() + 120_000));
      expect(await caught(connector.refresh(account, http, new Date()))).toBeInstanceOf(
        RateLimited,
      );
      expect(peer.logins).toBe(1);
    });
  });

  describe('normalisation', () => {
    it('normalises every fixture item', () => {
      const [first, second] = fixture.notifications.map((raw) => normaliseBlueskyNotification(raw));
      expect(first).toEqual<InboundItem>({
        externalId: 'at://did:plc:cust1/app.bsky.feed.post/3lkaa1bcd2e2f',
        authorExternalId: 'did:plc:cust1',
        authorHandle: '@ana.bsky.social',
        authorName: 'Ana P',
        text: '@demo-energie.bsky.social mijn factuur klopt niet',
        createdAt: new Date('2026-03-01T10:00:00.000Z'),
        inReplyToExternalId: null,
        threadRootExternalId: null,
        visibility: 'public',
        language: 'nl',
        attachments: [],
        raw: fixture.notifications[0],
      });
      expect(second).toEqual<InboundItem>({
        externalId: 'at://did:plc:cust2/app.bsky.feed.post/3lkab2xyz7q2a',
        authorExternalId: 'did:plc:cust2',
        authorHandle: '@bo.example.com',
        authorName: null,
        text: 'nog steeds geen monteur gezien',
        createdAt: new Date('2026-03-01T10:01:59.000Z'),
        inReplyToExternalId: 'at://did:plc:demo/app.bsky.feed.post/3lkac1aaa1a2b',
        threadRootExternalId: 'at://did:plc:cust2/app.bsky.feed.post/3lkab0root0a2',
        visibility: 'public',
        language: null,
        attachments: [],
        raw: fixture.notifications[1],
      });
      expect(second.raw).toBe(fixture.notifications[1]);
    });

    const base = fixture.notifications[0];
    const record = base.record as Record<string, unknown>;
    const long = 'ä'.repeat(10_000);

    it.each<[string, Record<string, unknown>, Partial<InboundItem>]>([
      [
        'no display name, langs, facets or reply',
        {
          ...base,
          author: { did: 'did:plc:x', handle: 'x.bsky.social' },
          record: { text: 'hoi', createdAt: '2026-03-01T10:00:00Z' },
        },
        { authorName: null, language: null, inReplyToExternalId: null, text: 'hoi' },
      ],
      [
        'HTML entities (plain text: kept as typed)',
        { ...base, record: { ...record, text: 'Tom &amp; Jerry <b>hier</b> &lt;3' } },
        { text: 'Tom &amp; Jerry <b>hier</b> &lt;3' },
      ],
      [
        'emoji and ZWJ sequences',
        { ...base, record: { ...record, text: '👨‍👩‍👧 stroomstoring 🔌⚡️' } },
        { text: '👨‍👩‍👧 stroomstoring 🔌⚡️' },
      ],
      ['a 10,000-character text', { ...base, record: { ...record, text: long } }, { text: long }],
      [
        'NUL characters (which PostgreSQL refuses)',
        { ...base, record: { ...record, text: 'a\u0000b' } },
        { text: 'ab' },
      ],
      [
        'a blank display name and a missing handle',
        { ...base, author: { did: 'did:plc:nohandle', displayName: '   ' } },
        { authorName: null, authorHandle: 'did:plc:nohandle' },
      ],
      [
        'a bad createdAt (the indexing time is used)',
        { ...base, record: { ...record, createdAt: 'gisteren' } },
        { createdAt: new Date('2026-03-01T10:00:01.000Z') },
      ],
      [
        'no text (an image post)',
        {
          ...base,
          record: {
            createdAt: '2026-03-01T10:00:00Z',
            embed: {
              $type: 'app.bsky.embed.images',
              images: [
                {
                  alt: '',
                  image: { $type: 'blob', ref: { $link: 'bafkreiimg' }, mimeType: 'image/jpeg' },
                },
                { alt: 'no blob' },
              ],
            },
          },
        },
        {
          text: '',
          attachments: [
            {
              type: 'image',
              url: 'https://cdn.bsky.app/img/feed_fullsize/plain/did%3Aplc%3Acust1/bafkreiimg@jpeg',
            },
          ],
        },
      ],
      [
        'a link card inside a quote with media',
        {
          ...base,
          record: {
            ...record,
            embed: {
              $type: 'app.bsky.embed.recordWithMedia',
              media: {
                $type: 'app.bsky.embed.external',
                external: { uri: 'https://example.com/storing', title: 'x' },
              },
            },
          },
        },
        { attachments: [{ type: 'link', url: 'https://example.com/storing' }] },
      ],
      [
        'extra and unknown fields',
        { ...base, surprise: { deep: [1, 2] }, record: { ...record, tags: ['x'], langs: [42] } },
        { language: null, externalId: base.uri as string },
      ],
    ])('survives %s', (_name, raw, expected) => {
      const item = normaliseBlueskyNotification(raw);
      expect(item).toMatchObject(expected);
      expect(item.raw).toBe(raw);
      expect(item.visibility).toBe('public');
    });

    it.each<[string, unknown, string]>([
      ['not an object', 'mention', 'notification: not an object'],
      ['no uri', { ...base, uri: undefined }, 'uri: missing'],
      ['a uri that is not an at-uri', { ...base, uri: 'https://bsky.app/x' }, 'uri: missing'],
      ['no author', { ...base, author: undefined }, 'author.did: missing'],
      ['no record', { ...base, record: null }, 'record: missing'],
      [
        'no time at all',
        { ...base, indexedAt: undefined, record: { ...record, createdAt: undefined } },
        'record.createdAt: missing',
      ],
    ])('refuses an item with %s', (_name, raw, reason) => {
      expect(() => normaliseBlueskyNotification(raw)).toThrow(InvalidPayload);
      expect(() => normaliseBlueskyNotification(raw)).toThrow(reason);
    });
  });

  describe('fetch', () => {
    let small: BlueskyConnector;
    beforeAll(() => {
      small = blueskyConnector({ pageSize: 50 });
    });

    it('takes the newest page only on the first poll, and stores its newest item', async () => {
      const peer = await startPeer();
      const account = await connect(peer);
      const created = peer.mentions(120);
      const pages = await poll(small, account, null);
      expect(pages).toHaveLength(1);
      expect(ids(pages)).toEqual(uris(created.slice(70).reverse()));
      const newest = created[119];
      expect(pages[0].cursor).toEqual({ uri: newest.uri, indexedAt: newest.indexedAt });
      const [call] = listCalls(peer);
      expect(call.query.getAll('reasons')).toEqual(['mention', 'reply']);
      expect(call.query.get('limit')).toBe('50');
      expect(call.query.get('cursor')).toBeNull();
      expect(call.headers.authorization).toBe(`Bearer ${account.secrets.session!.accessJwt}`);
    });

    it('fetches a burst of three pages completely, once, with the cursor only after the last page', async () => {
      const peer = await startPeer();
      const account = await connect(peer);
      peer.mentions(60);
      const [firstPage] = await poll(small, account, null);
      const burst = peer.mentions(150);
      const pages = await poll(small, account, firstPage.cursor);
      const fetched = ids(pages);
      expect(new Set(fetched).size).toBe(fetched.length);
      expect(fetched).toEqual(uris(burst).reverse());
      expect(pages.slice(0, -1).every((page) => page.cursor === null)).toBe(true);
      const newest = burst[149];
      expect(pages[pages.length - 1].cursor).toEqual({
        uri: newest.uri,
        indexedAt: newest.indexedAt,
      });
      // The pages went down through the channel's own cursors.
      const cursors = listCalls(peer)
        .slice(1)
        .map((call) => call.query.get('cursor'));
      expect(cursors[0]).toBeNull();
      expect(cursors.slice(1).every((c) => c !== null)).toBe(true);
      // An empty poll: nothing new, the same cursor.
      const empty = await poll(small, account, pages[pages.length - 1].cursor);
      expect(empty).toEqual([{ items: [], rejected: [], cursor: pages[pages.length - 1].cursor }]);
    });

    it('follows the cursor through pages that hold fewer than the limit', async () => {
      const peer = await startPeer();
      const account = await connect(peer);
      peer.mentions(5);
      const [first] = await poll(small, account, null);
      const noisy = Array.from({ length: 120 }, (_, i) =>
        peer.mention({ handle: i % 3 === 0 ? 'muted.bsky.social' : `c${i}.bsky.social` }),
      );
      peer.mute('muted.bsky.social');
      const pages = await poll(small, account, first.cursor);
      expect(pages.length).toBeGreaterThanOrEqual(3);
      expect(pages.some((page) => page.items.length > 0 && page.items.length < 50)).toBe(true);
      expect(ids(pages)).toEqual(
        uris(
          noisy.filter((n) => (n.author as { did: string }).did !== fakeDid('muted.bsky.social')),
        ).reverse(),
      );
    });

    it('loses nothing when a poll stops after any page: the stored cursor is always safe', async () => {
      const peer = await startPeer();
      const account = await connect(peer);
      peer.mentions(10);
      let stored = (await poll(small, account, null))[0].cursor;
      const burst = uris(peer.mentions(175));
      const committed = new Set<string>();
      // Commit page by page, and crash after the second page.
      let page = 0;
      for await (const fetched of small.fetch(account, stored, http)) {
        for (const item of fetched.items) committed.add(item.externalId);
        if (fetched.cursor) stored = fetched.cursor;
        page += 1;
        if (page === 2) break;
      }
      expect(committed.size).toBe(100);
      const late = uris(peer.mentions(3));
      // The next poll goes on from the last cursor stored (the one before the crash).
      const pages = await poll(small, account, stored);
      for (const id of ids(pages)) committed.add(id);
      for (const id of [...burst, ...late]) expect(committed.has(id)).toBe(true);
      const after = await poll(small, account, pages[pages.length - 1].cursor);
      expect(ids(after)).toEqual([]);
    });

    it('reads an account without mentions yet to the end on the next poll', async () => {
      const peer = await startPeer();
      const account = await connect(peer);
      const [first] = await poll(small, account, null);
      expect(first).toEqual({ items: [], rejected: [], cursor: { uri: null, indexedAt: null } });
      const created = peer.mentions(70);
      const pages = await poll(small, account, first.cursor);
      expect(ids(pages)).toEqual(uris(created).reverse());
      expect(pages[pages.length - 1].cursor).toMatchObject({ uri: created[69].uri });
    });

    it('stops at an older item when the one seen is gone (same time: kept, to be safe)', async () => {
      const peer = await startPeer();
      const account = await connect(peer);
      const old = peer.mentions(3);
      const fresh = peer.mentions(4);
      const cursor = {
        uri: 'at://did:plc:gone/app.bsky.feed.post/3lkaaaaaaaaa2',
        indexedAt: old[2].indexedAt as string,
      };
      const pages = await poll(small, account, cursor);
      expect(ids(pages)).toEqual(uris([old[2], ...fresh]).reverse());
      expect(pages[pages.length - 1].cursor).toMatchObject({ uri: fresh[3].uri });
    });

    it('takes mentions and replies to our posts, skips other reasons, rejects bad items', async () => {
      const peer = await startPeer();
      peer.filterReasons = false; // a server that ignores `reasons`
      const account = await connect(peer);
      peer.mentions(1);
      const [first] = await poll(small, account, null);
      const ours = await small.send(
        account,
        replyTo(
          peer.listed()[0] as Record<string, unknown>,
          small.newIdempotencyKey('r', new Date()),
        ),
        http,
      );
      const post = peer.posted[0];
      expect(post.uri).toBe(ours.externalId);
      const reply = peer.mention({ handle: 'ana.bsky.social', replyTo: post, text: 'dank!' });
      peer.addNotification({ ...reply, uri: undefined, cid: 'bafyreibroken' }); // no id
      peer.addNotification({
        reason: 'like',
        uri: 'at://did:plc:l/app.bsky.feed.like/3lk',
        indexedAt: new Date().toISOString(),
      });
      peer.addNotification({ ...reply, uri: `${reply.uri}x`, record: undefined }); // no record
      const other = peer.mention({ handle: 'bo.bsky.social' });
      const pages = await poll(small, account, first.cursor);
      expect(ids(pages)).toEqual([other.uri, reply.uri]);
      const item = pages[0].items.find((i) => i.externalId === reply.uri)!;
      expect(item.inReplyToExternalId).toBe(post.uri);
      expect(item.threadRootExternalId).toBe(
        ((post.record.reply as Record<string, unknown>).root as { uri: string }).uri,
      );
      expect(pages.flatMap((p) => p.rejected.map((r) => r.reason))).toEqual([
        'record: missing',
        'uri: missing',
      ]);
    });

    it('serves pages larger than the channel allows when the peer is set up for a benchmark', async () => {
      const peer = await startPeer({ maxLimit: 1000 });
      const big = blueskyConnector({ pageSize: 500 });
      const account = await connect(peer, big);
      peer.mentions(10);
      const [first] = await poll(big, account, null);
      const burst = peer.mentions(1200);
      const pages = await poll(big, account, first.cursor);
      expect(ids(pages)).toHaveLength(1200);
      expect(pages.filter((p) => p.items.length === 500)).toHaveLength(2);
      expect(new Set(ids(pages))).toEqual(new Set(uris(burst)));
    });

    it('says RateLimited until RateLimit-Reset (epoch seconds) on a 429', async () => {
      const peer = await startPeer();
      const account = await connect(peer);
      const resetAt = new Date(Math.ceil(Date.now() / 1000) * 1000 + 90_000);
      peer.throttleNext(resetAt);
      const error = await caught(poll(small, account, null));
      expect(error).toBeInstanceOf(RateLimited);
      expect((error as RateLimited).retryAt.toISOString()).toBe(resetAt.toISOString());
    });

    it('falls back to Retry-After (seconds) when there is no reset header', async () => {
      const server = await new FakeServer(() => ({
        status: 429,
        headers: { 'retry-after': '30' },
        json: { error: 'RateLimitExceeded', message: 'Rate Limit Exceeded' },
      })).start();
      peers.push(server);
      const clock = new Date();
      const fixed = blueskyConnector({ clock: () => clock });
      const account: Account = {
        config: { serviceUrl: server.url, identifier: 'x.bsky.social' },
        secrets: {
          appPassword: 'x',
          session: {
            accessJwt: 'a',
            refreshJwt: 'r',
            did: 'did:plc:x',
            handle: 'x.bsky.social',
            accessExpiresAt: new Date(Date.now() + 3600_000).toISOString(),
          },
        },
        externalAccountId: 'did:plc:x',
      };
      const error = await caught(poll(fixed, account, null));
      expect(error).toBeInstanceOf(RateLimited);
      expect((error as RateLimited).retryAt.getTime()).toBe(clock.getTime() + 30_000);
    });

    it.each([500, 502, 503])('calls a %s Transient', async (status) => {
      const peer = await startPeer();
      const account = await connect(peer);
      peer.failNext(status);
      expect(await caught(poll(small, account, null))).toBeInstanceOf(Transient);
    });

    it('calls a failure on a later page Transient, after yielding the earlier pages without a cursor', async () => {
      const peer = await startPeer();
      const account = await connect(peer);
      peer.mentions(2);
      const [first] = await poll(small, account, null);
      peer.mentions(120);
      const iterator = small.fetch(account, first.cursor, http)[Symbol.asyncIterator]();
      const one = await iterator.next();
      expect(one.done).toBe(false);
      expect((one.value as FetchedPage).items).toHaveLength(50);
      expect((one.value as FetchedPage).cursor).toBeNull();
      peer.failNext(503);
      expect(await caught(iterator.next())).toBeInstanceOf(Transient);
      // Nothing was stored: the next poll reads the whole burst again.
      expect(ids(await poll(small, account, first.cursor))).toHaveLength(120);
    });

    it.each([401, 400] as const)(
      'says TokenExpired on a token expired early (%s ExpiredToken); the next refresh renews it',
      async (tokenErrorStatus) => {
        const peer = await startPeer({ tokenErrorStatus });
        const account = await connect(peer);
        peer.expireAccessTokens();
        const error = await caught(poll(small, account, null));
        expect(error).toBeInstanceOf(TokenExpired);
        expect((error as Error).message).toContain('ExpiredToken');
        // The token's own `exp` is hours away: the refusal is what makes refresh() renew it.
        const renewed = await small.refresh(account, http, new Date());
        expect(peer.refreshes).toBe(1);
        expect(peer.logins).toBe(1);
        expect(await poll(small, { ...account, secrets: renewed! }, null)).toHaveLength(1);
      },
    );

    it.each([400, 401] as const)(
      'says TokenExpired when the server answers %s ExpiredToken before the token’s `exp`',
      async (status) => {
        const peer = await startPeer();
        const account = await connect(peer);
        peer.expireTokenOnNextCall({ status, nsid: 'app.bsky.notification.listNotifications' });
        const error = await caught(poll(small, account, null));
        expect(error).toBeInstanceOf(TokenExpired);
        expect((error as Error).message).toContain('ExpiredToken');
      },
    );

    it('says AuthExpired on a wrong token, and without a session', async () => {
      const peer = await startPeer();
      const account = await connect(peer);
      const wrong = {
        ...account,
        secrets: {
          ...account.secrets,
          session: { ...account.secrets.session!, accessJwt: 'x.y.z' },
        },
      };
      expect(await caught(poll(small, wrong, null))).toBeInstanceOf(AuthExpired);
      const none = { ...account, secrets: { appPassword: account.secrets.appPassword } };
      expect(await caught(poll(small, none, null))).toBeInstanceOf(AuthExpired);
    });

    it('calls another 4xx Permanent with the channel text', async () => {
      const peer = await startPeer({ maxLimit: 25 });
      const account = await connect(peer);
      const error = await caught(poll(small, account, null));
      expect(error).toBeInstanceOf(Permanent);
      expect((error as Error).message).toContain('limit must be between 1 and 25');
    });
  });

  describe('send', () => {
    const now = new Date('2026-03-01T10:05:00.000Z');
    let clocked: BlueskyConnector;
    beforeAll(() => {
      clocked = blueskyConnector({ clock: () => now });
    });

    async function withMention() {
      const peer = await startPeer();
      const account = await connect(peer, clocked);
      const mention = peer.mention({ handle: 'ana.bsky.social' });
      return { peer, account, mention };
    }

    it('replies in the thread with an explicit record key', async () => {
      const { peer, account, mention } = await withMention();
      const key = clocked.newIdempotencyKey('reply-1', now);
      const { externalId } = await clocked.send(account, replyTo(mention, key), http);
      expect(externalId).toBe(`at://${peer.did}/app.bsky.feed.post/${key}`);
      expect(peer.posted).toHaveLength(1);
      const call = peer.requests.find((r) => r.path === '/xrpc/com.atproto.repo.createRecord')!;
      expect(call.headers.authorization).toBe(`Bearer ${account.secrets.session!.accessJwt}`);
      const parent = { uri: mention.uri, cid: mention.cid };
      expect(call.parsed).toEqual({
        repo: peer.did,
        collection: 'app.bsky.feed.post',
        rkey: key,
        record: {
          $type: 'app.bsky.feed.post',
          text: 'Dag Ana, we kijken er meteen naar. ^AB',
          createdAt: now.toISOString(),
          reply: { root: parent, parent },
        },
      });
    });

    it('keeps the thread root of a customer who answers inside a thread', async () => {
      const { peer, account, mention } = await withMention();
      await clocked.send(account, replyTo(mention, clocked.newIdempotencyKey('a', now)), http);
      const ours = peer.posted[0];
      const again = peer.mention({ handle: 'ana.bsky.social', replyTo: ours, text: 'nog niks' });
      expect(again.reason).toBe('reply');
      await clocked.send(account, replyTo(again, clocked.newIdempotencyKey('b', now)), http);
      expect(peer.posted[1].record.reply).toEqual({
        root: { uri: mention.uri, cid: mention.cid },
        parent: { uri: again.uri, cid: again.cid },
      });
    });

    it('answers in public, as every Bluesky post is (the item says so too)', async () => {
      const { account, mention } = await withMention();
      expect(normaliseBlueskyNotification(mention).visibility).toBe('public');
      const sent = await clocked.send(
        account,
        replyTo(mention, clocked.newIdempotencyKey('v', now)),
        http,
      );
      expect(sent.externalId).toMatch(/^at:\/\/did:plc:/);
    });

    it('refuses a private answer: no direct messages', async () => {
      const { peer, account, mention } = await withMention();
      const error = await caught(
        clocked.send(
          account,
          replyTo(mention, clocked.newIdempotencyKey('p', now), { private: true }),
          http,
        ),
      );
      expect(error).toBeInstanceOf(Permanent);
      expect((error as Error).message).toBe('this channel has no direct messages');
      expect(peer.posted).toHaveLength(0);
    });

    it.each(['invalid-swap', 'internal-error'] as const)(
      'posts once when the same reply is sent twice (duplicate answered as %s)',
      async (duplicateAnswer) => {
        const peer = await startPeer({ duplicateAnswer });
        const account = await connect(peer, clocked);
        const mention = peer.mention();
        const reply = replyTo(mention, clocked.newIdempotencyKey('twice', now));
        const first = await clocked.send(account, reply, http);
        const second = await clocked.send(account, reply, http);
        expect(second).toEqual(first);
        expect(peer.posted).toHaveLength(1);
      },
    );

    it('knows a post went through when its answer was lost', async () => {
      const { peer, account, mention } = await withMention();
      const reply = replyTo(mention, clocked.newIdempotencyKey('lost', now));
      peer.loseNextAnswer(502);
      const sent = await clocked.send(account, reply, http);
      expect(sent.externalId).toBe(peer.posted[0].uri);
      expect(await clocked.send(account, reply, http)).toEqual(sent);
      expect(peer.posted).toHaveLength(1);
    });

    it('calls a server error before the write Transient, and the retry posts once', async () => {
      const { peer, account, mention } = await withMention();
      const reply = replyTo(mention, clocked.newIdempotencyKey('retry', now));
      peer.failNext(500, 1, 'com.atproto.repo.createRecord');
      expect(await caught(clocked.send(account, reply, http))).toBeInstanceOf(Transient);
      expect(peer.posted).toHaveLength(0);
      await clocked.send(account, reply, http);
      expect(peer.posted).toHaveLength(1);
    });

    it('calls an unreachable service Transient (safe to retry: not Ambiguous)', async () => {
      const { peer, account, mention } = await withMention();
      await peer.close();
      const error = await caught(
        clocked.send(account, replyTo(mention, clocked.newIdempotencyKey('net', now)), http),
      );
      expect(error).toBeInstanceOf(Transient);
    });

    it('asks for the post when the raw payload is gone', async () => {
      const { peer, account } = await withMention();
      const first = peer.mention({ handle: 'bo.bsky.social' });
      const inThread = peer.mention({
        handle: 'ana.bsky.social',
        replyTo: { uri: first.uri as string, cid: first.cid as string },
      });
      const reply = replyTo(inThread, clocked.newIdempotencyKey('noraw', now));
      reply.inReplyTo.raw = null;
      await clocked.send(account, reply, http);
      expect(peer.requests.some((r) => r.path === '/xrpc/app.bsky.feed.getPosts')).toBe(true);
      expect(peer.posted[0].record.reply).toEqual({
        root: { uri: first.uri, cid: first.cid },
        parent: { uri: inThread.uri, cid: inThread.cid },
      });
      reply.inReplyTo.externalId = 'at://did:plc:gone/app.bsky.feed.post/3lkaaaaaaaaa2';
      reply.idempotencyKey = clocked.newIdempotencyKey('gone', now);
      expect(await caught(clocked.send(account, reply, http))).toBeInstanceOf(Permanent);
    });

    it('counts graphemes: 300 emoji fit, 301 do not (refused before sending)', async () => {
      const { peer, account, mention } = await withMention();
      expect(graphemeCount('👨‍👩‍👧🇳🇱é')).toBe(3);
      await clocked.send(
        account,
        replyTo(mention, clocked.newIdempotencyKey('300', now), { text: '😀'.repeat(300) }),
        http,
      );
      expect(peer.posted).toHaveLength(1);
      const error = await caught(
        clocked.send(
          account,
          replyTo(mention, clocked.newIdempotencyKey('301', now), { text: '😀'.repeat(301) }),
          http,
        ),
      );
      expect(error).toBeInstanceOf(Permanent);
      expect(peer.posted).toHaveLength(1);
    });

    it('makes URLs links (byte offsets, after emoji)', async () => {
      const { peer, account, mention } = await withMention();
      const text = '🔌 Zie https://status.demo-energie.nl/storing. ^AB';
      await clocked.send(
        account,
        replyTo(mention, clocked.newIdempotencyKey('l', now), { text }),
        http,
      );
      const facets = peer.posted[0].record.facets as {
        index: { byteStart: number; byteEnd: number };
        features: { uri: string }[];
      }[];
      expect(facets).toHaveLength(1);
      const bytes = Buffer.from(text);
      const { byteStart, byteEnd } = facets[0].index;
      expect(bytes.subarray(byteStart, byteEnd).toString()).toBe(
        'https://status.demo-energie.nl/storing',
      );
      expect(facets[0].features[0].uri).toBe('https://status.demo-energie.nl/storing');
    });

    it('classifies the errors of createRecord', async () => {
      const { peer, account, mention } = await withMention();
      const key = () => clocked.newIdempotencyKey(String(Math.random()), now);

      const resetAt = new Date(Math.ceil(Date.now() / 1000) * 1000 + 600_000);
      peer.throttleNext(resetAt, 1, 'com.atproto.repo.createRecord');
      const limited = await caught(clocked.send(account, replyTo(mention, key()), http));
      expect(limited).toBeInstanceOf(RateLimited);
      expect((limited as RateLimited).retryAt.toISOString()).toBe(resetAt.toISOString());

      peer.failNext(400, 1, 'com.atproto.repo.createRecord');
      expect(await caught(clocked.send(account, replyTo(mention, key()), http))).toBeInstanceOf(
        Permanent,
      );

      const wrongKey = await caught(clocked.send(account, replyTo(mention, 'reply-uuid'), http));
      expect(wrongKey).toBeInstanceOf(Permanent);

      peer.expireAccessTokens();
      expect(await caught(clocked.send(account, replyTo(mention, key()), http))).toBeInstanceOf(
        TokenExpired,
      );
      expect(peer.posted).toHaveLength(0);
    });
  });
});
