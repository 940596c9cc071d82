import type { ConnectedAccount, InboundItem, OutboundReply } from '../../connector';
import {
  Ambiguous,
  AuthExpired,
  CredentialsInvalid,
  InvalidPayload,
  Permanent,
  RateLimited,
  TokenExpired,
  Transient,
} from '../../errors';
import { SafeHttp } from '../../http/safe-http';
import { DEMO_PAGE, MetaPeer } from '../../fakes/meta-peer';
import { FacebookConnector, type FacebookConfig, type FacebookSecrets } from './facebook.connector';
import { DEFAULT_GRAPH_BASE_URL } from './graph';
import { parseMetaDelivery } from './webhook';

const HOUR = 3_600_000;
let clock = new Date('2025-03-03T09:00:00Z');
const now = () => clock;

let peer: MetaPeer;
let http: SafeHttp;
const connector = new FacebookConnector({ now });
let account: ConnectedAccount<FacebookConfig, FacebookSecrets>;

beforeAll(async () => {
  peer = await new MetaPeer({ now }).start();
  http = new SafeHttp(true);
  account = {
    ...connector.parseConfig(
      { pageId: DEMO_PAGE.id, pageAccessToken: DEMO_PAGE.token, graphBaseUrl: peer.graphBaseUrl },
      { allowInsecureUrls: true },
    ),
  };
});

afterAll(async () => {
  await http.close();
  await peer.close();
});

beforeEach(() => {
  clock = new Date('2025-03-03T09:00:00Z');
});

/** The item the inbox stored for a delivery, as the parser made it. */
function itemOf(delivery: unknown): InboundItem {
  const [entry] = parseMetaDelivery(delivery).entries;
  expect(entry.rejected).toEqual([]);
  return entry.items[0];
}

function replyTo(item: InboundItem, text: string, isPrivate = false): OutboundReply {
  return {
    replyId: 'a7c1d3e0-1f2b-4c5d-8e9f-0a1b2c3d4e5f',
    idempotencyKey: connector.newIdempotencyKey('a7c1d3e0-1f2b-4c5d-8e9f-0a1b2c3d4e5f', clock),
    text,
    private: isPrivate,
    inReplyTo: {
      externalId: item.externalId,
      authorExternalId: item.authorExternalId,
      authorHandle: item.authorHandle,
      visibility: item.visibility,
      raw: item.raw,
    },
  };
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
}

describe('FacebookConnector capabilities', () => {
  it('is pushed, answers privately, is not idempotent, counts 8000 characters', () => {
    expect(connector.capabilities).toEqual({
      provider: 'facebook',
      ingest: 'webhook',
      directMessages: true,
      idempotentSend: false,
      length: { limit: 8000, counting: 'characters' },
    });
    expect('fetch' in connector).toBe(false);
    expect(connector.newIdempotencyKey('reply-1', new Date())).toBe('reply-1');
  });
});

describe('FacebookConnector.parseConfig', () => {
  const secure = { allowInsecureUrls: false };

  it('splits a valid config, defaulting the Graph URL', () => {
    const parsed = connector.parseConfig(
      { pageId: ' 1029384756 ', pageAccessToken: 'EAAGabc123', appSecret: 'not ours' },
      secure,
    );
    expect(parsed).toEqual({
      config: { pageId: '1029384756', graphBaseUrl: DEFAULT_GRAPH_BASE_URL },
      secrets: { pageAccessToken: 'EAAGabc123' },
      externalAccountId: '1029384756',
    });
    expect(JSON.stringify(parsed.config)).not.toContain('EAAG');
    expect(JSON.stringify(parsed.config)).not.toContain('not ours');
  });

  it('keeps a given https Graph URL without its trailing slash', () => {
    const { config } = connector.parseConfig(
      { pageId: '1', pageAccessToken: 't', graphBaseUrl: 'https://graph.facebook.com/v22.0/' },
      secure,
    );
    expect(config.graphBaseUrl).toBe('https://graph.facebook.com/v22.0');
  });

  it('allows http and loopback only when insecure URLs are allowed', () => {
    const input = { pageId: '1', pageAccessToken: 't', graphBaseUrl: 'http://127.0.0.1:9/v21.0' };
    expect(() => connector.parseConfig(input, secure)).toThrow(
      'graphBaseUrl: must use https, must not point at a loopback or private address',
    );
    expect(connector.parseConfig(input, { allowInsecureUrls: true }).config.graphBaseUrl).toBe(
      'http://127.0.0.1:9/v21.0',
    );
  });

  it('defaults to refusing insecure URLs when no options are given', () => {
    expect(() =>
      connector.parseConfig({ pageId: '1', pageAccessToken: 't', graphBaseUrl: 'http://x.test' }),
    ).toThrow(InvalidPayload);
  });

  it.each<[string, unknown, string]>([
    ['not an object', 'pageId=1', 'config: must be an object'],
    ['an array', [], 'config: must be an object'],
    ['no page id', { pageAccessToken: 't' }, 'pageId: is required'],
    [
      'a numeric page id',
      { pageId: 1029384756, pageAccessToken: 't' },
      'pageId: must be a string of digits',
    ],
    [
      'letters in the page id',
      { pageId: 'demo-energie', pageAccessToken: 't' },
      'pageId: must be a string of digits',
    ],
    ['no token', { pageId: '1' }, 'pageAccessToken: is required'],
    [
      'a token with spaces',
      { pageId: '1', pageAccessToken: 'EAA abc' },
      'pageAccessToken: must be a token',
    ],
    [
      'a token that is not text',
      { pageId: '1', pageAccessToken: 42 },
      'pageAccessToken: must be a token',
    ],
    [
      'a Graph URL that is not a URL',
      { pageId: '1', pageAccessToken: 't', graphBaseUrl: 'graph' },
      'graphBaseUrl: must be a URL',
    ],
    [
      'a Graph URL with credentials',
      { pageId: '1', pageAccessToken: 't', graphBaseUrl: 'https://u:p@graph.facebook.com' },
      'graphBaseUrl: must not contain credentials',
    ],
    [
      'a Graph URL on a private address',
      { pageId: '1', pageAccessToken: 't', graphBaseUrl: 'https://10.0.0.8/v21.0' },
      'graphBaseUrl: must not point at a loopback or private address',
    ],
    [
      'a Graph URL with a query',
      {
        pageId: '1',
        pageAccessToken: 't',
        graphBaseUrl: 'https://graph.facebook.com/v21.0?access_token=x',
      },
      'graphBaseUrl: must not have a query',
    ],
  ])('refuses %s', (_name, input, message) => {
    const error = (() => {
      try {
        connector.parseConfig(input, secure);
      } catch (e) {
        return e as Error;
      }
      throw new Error('accepted');
    })();
    expect(error).toBeInstanceOf(InvalidPayload);
    expect(error.message).toContain(message);
  });

  it('lists every problem at once', () => {
    expect(() => connector.parseConfig({ pageId: 'x', graphBaseUrl: 'ftp://a' }, secure)).toThrow(
      'pageId: must be a string of digits; pageAccessToken: is required; graphBaseUrl: must use https',
    );
  });
});

describe('FacebookConnector.verify', () => {
  it('answers the page name as the handle', async () => {
    await expect(connector.verify(account, http)).resolves.toEqual({
      handle: 'Demo Energie',
      externalAccountId: DEMO_PAGE.id,
    });
    const request = peer.requests.at(-1)!;
    expect(request.path).toBe('/v21.0/me'); // the token's own page: proof of ownership
    expect(request.query.get('fields')).toBe('id,name');
    expect(request.headers.authorization).toBe(`Bearer ${DEMO_PAGE.token}`);
    expect(request.query.has('access_token')).toBe(false);
  });

  it('refuses a wrong token (code 190) as CredentialsInvalid', async () => {
    const error = await failure(
      connector.verify({ ...account, secrets: { pageAccessToken: 'EAAGwrong' } }, http),
    );
    expect(error).toBeInstanceOf(CredentialsInvalid);
    expect(error.message).toContain('Invalid OAuth access token');
  });

  it('refuses a page the token does not belong to (it may read it, but it is not its token)', async () => {
    const other = { ...account, config: { ...account.config, pageId: '5550001112' } };
    const error = await failure(connector.verify(other, http));
    expect(error).toBeInstanceOf(CredentialsInvalid);
    expect(error.message).toContain('not a page access token of page 5550001112');
  });

  it('accepts only Meta’s own Graph host outside development and tests', () => {
    const config = { pageId: DEMO_PAGE.id, pageAccessToken: DEMO_PAGE.token };
    expect(() =>
      connector.parseConfig(
        { ...config, graphBaseUrl: 'https://graph.evil.example/v21.0' },
        { allowInsecureUrls: false },
      ),
    ).toThrow(/must be on graph.facebook.com/);
    expect(
      connector.parseConfig(
        { ...config, graphBaseUrl: 'https://graph.facebook.com/v22.0' },
        { allowInsecureUrls: false },
      ).config.graphBaseUrl,
    ).toBe('https://graph.facebook.com/v22.0');
  });

  it('calls a 5xx Transient and throttling RateLimited', async () => {
    peer.failNext(503);
    expect(await failure(connector.verify(account, http))).toBeInstanceOf(Transient);
    peer.throttleNext({ code: 80001, minutes: 3 });
    const error = await failure(connector.verify(account, http));
    expect(error).toBeInstanceOf(RateLimited);
    expect((error as RateLimited).retryAt).toEqual(new Date(clock.getTime() + 3 * 60_000));
  });

  it('calls an unreachable Graph Transient', async () => {
    const gone = await new MetaPeer().start();
    const url = gone.graphBaseUrl;
    await gone.close();
    const error = await failure(
      connector.verify({ ...account, config: { ...account.config, graphBaseUrl: url } }, http),
    );
    expect(error).toBeInstanceOf(Transient);
    expect(error).not.toBeInstanceOf(Ambiguous);
  });
});

describe('FacebookConnector.send: page comments', () => {
  it('answers a top-level comment under it', async () => {
    const { delivery, comment } = peer.pageComment({ text: 'Waar blijft mijn terugbetaling?' });
    const item = itemOf(delivery);
    const result = await connector.send(
      account,
      replyTo(item, 'Goedemorgen Ana, we kijken het na.'),
      http,
    );
    const request = peer.requests.at(-1)!;
    expect(request.method).toBe('POST');
    expect(request.path).toBe(`/v21.0/${encodeURIComponent(comment.id)}/comments`);
    expect(request.parsed).toEqual({ message: 'Goedemorgen Ana, we kijken het na.' });
    expect(peer.posted.at(-1)).toMatchObject({
      kind: 'comment',
      id: result.externalId,
      target: comment.id,
      text: 'Goedemorgen Ana, we kijken het na.',
    });
    expect(result.externalId.startsWith(`${comment.rootId}_`)).toBe(true);
  });

  it('answers a reply comment under that reply', async () => {
    const top = peer.pageComment();
    const { delivery, comment } = peer.pageComment({ parentId: top.comment.id });
    const item = itemOf(delivery);
    expect(item.inReplyToExternalId).toBe(top.comment.id);
    await connector.send(account, replyTo(item, 'Dank voor je reactie.'), http);
    expect(peer.posted.at(-1)).toMatchObject({ kind: 'comment', target: comment.id });
  });

  it('posts emoji and an 8000-character answer, refuses 8001 before calling Meta', async () => {
    const item = itemOf(peer.pageComment().delivery);
    await connector.send(account, replyTo(item, '👍'.repeat(8000)), http);
    expect(peer.posted.at(-1)!.text).toBe('👍'.repeat(8000));
    const before = peer.requests.length;
    const error = await failure(connector.send(account, replyTo(item, 'a'.repeat(8001)), http));
    expect(error).toBeInstanceOf(Permanent);
    expect(peer.requests.length).toBe(before);
  });

  it('answers a comment privately through Messenger (recipient.comment_id), once', async () => {
    const { delivery, comment } = peer.pageComment();
    const item = itemOf(delivery);
    const result = await connector.send(
      account,
      replyTo(item, 'Ik stuur je een bericht.', true),
      http,
    );
    const request = peer.requests.at(-1)!;
    expect(request.path).toBe(`/v21.0/${DEMO_PAGE.id}/messages`);
    expect(request.parsed).toEqual({
      recipient: { comment_id: comment.id },
      message: { text: 'Ik stuur je een bericht.' },
    });
    expect(peer.posted.at(-1)).toMatchObject({ kind: 'private_reply', id: result.externalId });
    // Meta allows one private reply per comment: the second is refused (code 10) → Permanent.
    const again = await failure(
      connector.send(account, replyTo(item, 'Nog een keer.', true), http),
    );
    expect(again).toBeInstanceOf(Permanent);
    expect(again.message).toContain('(#10)');
  });

  it('refuses a private answer to a comment older than 7 days without calling Meta', async () => {
    const item = itemOf(
      peer.pageComment({ at: new Date(clock.getTime() - 8 * 24 * HOUR) }).delivery,
    );
    const before = peer.requests.length;
    const error = await failure(connector.send(account, replyTo(item, 'Te laat.', true), http));
    expect(error).toBeInstanceOf(Permanent);
    expect(peer.requests.length).toBe(before);
  });
});

describe('FacebookConnector.send: Messenger', () => {
  it.each<[string, number, Record<string, unknown>]>([
    ['just now', 0, { messaging_type: 'RESPONSE' }],
    ['23 hours ago', 23 * HOUR, { messaging_type: 'RESPONSE' }],
    ['30 hours ago', 30 * HOUR, { messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' }],
    ['6 days ago', 6 * 24 * HOUR, { messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' }],
  ])('answers a message from %s', async (_name, age, type) => {
    const { delivery, message } = peer.messengerMessage({ at: new Date(clock.getTime() - age) });
    const item = itemOf(delivery);
    const result = await connector.send(account, replyTo(item, 'Hoi! Dat regelen we.'), http);
    const request = peer.requests.at(-1)!;
    expect(request.path).toBe(`/v21.0/${DEMO_PAGE.id}/messages`);
    expect(request.parsed).toEqual({
      recipient: { id: message.psid },
      ...type,
      message: { text: 'Hoi! Dat regelen we.' },
    });
    expect(peer.posted.at(-1)).toMatchObject({
      kind: 'message',
      id: result.externalId,
      recipient: { id: message.psid },
      messagingType: type.messaging_type,
    });
  });

  it('refuses a message older than 7 days without calling Meta', async () => {
    const item = itemOf(
      peer.messengerMessage({ at: new Date(clock.getTime() - 8 * 24 * HOUR) }).delivery,
    );
    const before = peer.requests.length;
    const error = await failure(connector.send(account, replyTo(item, 'Sorry!'), http));
    expect(error).toBeInstanceOf(Permanent);
    expect(error.message).toContain('7 days');
    expect(peer.requests.length).toBe(before);
  });

  it('answers a direct message directly when asked for a private answer', async () => {
    const { delivery, message } = peer.messengerMessage();
    await connector.send(account, replyTo(itemOf(delivery), 'Privé antwoord', true), http);
    expect(peer.posted.at(-1)).toMatchObject({ kind: 'message', recipient: { id: message.psid } });
  });

  it('refuses a Messenger text over 2000 characters before calling Meta', async () => {
    const item = itemOf(peer.messengerMessage().delivery);
    const error = await failure(connector.send(account, replyTo(item, 'x'.repeat(2001)), http));
    expect(error).toBeInstanceOf(Permanent);
  });

  it('refuses an empty reply', async () => {
    const item = itemOf(peer.messengerMessage().delivery);
    expect(await failure(connector.send(account, replyTo(item, '  '), http))).toBeInstanceOf(
      Permanent,
    );
  });
});

describe('FacebookConnector.send: errors', () => {
  it.each<[string, { code: number; status?: number; minutes?: number | null }, number]>([
    ['code 4 (app)', { code: 4, status: 403, minutes: 2 }, 2 * 60_000],
    ['code 17 (user)', { code: 17, minutes: 10 }, 10 * 60_000],
    ['code 32 (page)', { code: 32, minutes: 1 }, 60_000],
    ['code 613 (custom)', { code: 613, minutes: 7 }, 7 * 60_000],
    ['code 80001 (pages BUC)', { code: 80001, minutes: 4 }, 4 * 60_000],
    ['code 80014', { code: 80014, minutes: 15 }, 15 * 60_000],
    ['a 429', { code: 4, status: 429, minutes: 1 }, 60_000],
    ['no time estimate', { code: 32, minutes: null }, 5 * 60_000],
  ])('throttling by %s → RateLimited at the estimated time', async (_name, throttle, waitMs) => {
    const item = itemOf(peer.pageComment().delivery);
    const posted = peer.posted.length;
    peer.throttleNext(throttle);
    const error = await failure(connector.send(account, replyTo(item, 'Hallo'), http));
    expect(error).toBeInstanceOf(RateLimited);
    expect((error as RateLimited).retryAt).toEqual(new Date(clock.getTime() + waitMs));
    expect(peer.posted.length).toBe(posted);
  });

  it.each([500, 502, 503])('%d → Transient', async (status) => {
    const item = itemOf(peer.pageComment().delivery);
    peer.failNext(status);
    const error = await failure(connector.send(account, replyTo(item, 'Hallo'), http));
    expect(error).toBeInstanceOf(Transient);
    expect(error).not.toBeInstanceOf(Ambiguous);
  });

  it('a token the page says expired (190/463) before its time → TokenExpired, nothing posted', async () => {
    const token = 'EAAGexpiredEarly';
    peer.addPage({ id: '2220001114', name: 'Derde Pagina', token });
    const third = {
      ...account,
      config: { ...account.config, pageId: '2220001114' },
      secrets: { pageAccessToken: token },
    };
    const item = itemOf(peer.pageComment({ pageId: '2220001114' }).delivery);
    const posted = peer.posted.length;
    peer.expireTokenOnNextCall();
    const error = await failure(connector.send(third, replyTo(item, 'Hallo'), http));
    expect(error).toBeInstanceOf(TokenExpired);
    expect(error.message).toContain('190/463');
    expect(peer.posted).toHaveLength(posted);
  });

  it('an expired token (190) → AuthExpired', async () => {
    const token = 'EAAGsoonExpired';
    peer.addPage({ id: '2220001113', name: 'Tweede Pagina', token });
    peer.expireToken(token);
    const second = {
      ...account,
      config: { ...account.config, pageId: '2220001113' },
      secrets: { pageAccessToken: token },
    };
    const item = itemOf(peer.pageComment({ pageId: '2220001113' }).delivery);
    const error = await failure(connector.send(second, replyTo(item, 'Hallo'), http));
    expect(error).toBeInstanceOf(AuthExpired);
    expect(error.message).toContain('190');
  });

  it('a comment Meta does not know → Permanent with Graph’s text', async () => {
    const item = { ...itemOf(peer.pageComment().delivery), externalId: '1029_999_999' };
    const error = await failure(connector.send(account, replyTo(item, 'Hallo'), http));
    expect(error).toBeInstanceOf(Permanent);
    expect(error.message).toContain('Meta Graph error 100/33');
  });

  it('a Messenger answer outside the window Meta enforces → Permanent', async () => {
    // Our record says 1 hour, Meta saw the last message 2 days ago (the raw timestamp was lost).
    const { delivery } = peer.messengerMessage({ at: new Date(clock.getTime() - 48 * HOUR) });
    const item = itemOf(delivery);
    const raw = { ...item.raw, timestamp: clock.getTime() - HOUR };
    const error = await failure(connector.send(account, replyTo({ ...item, raw }, 'Hallo'), http));
    expect(error).toBeInstanceOf(Permanent);
    expect(error.message).toContain('outside of allowed window');
  });

  it('a timeout after the request left → Ambiguous (and it was in fact posted)', async () => {
    const impatient = new FacebookConnector({ now, timeoutMs: 150 });
    const item = itemOf(peer.pageComment().delivery);
    const posted = peer.posted.length;
    peer.delayNext(2500);
    const error = await failure(impatient.send(account, replyTo(item, 'Hallo'), http));
    expect(error).toBeInstanceOf(Ambiguous);
    expect(peer.posted.length).toBe(posted + 1);
  });

  it('a connection refused before sending → Transient, not Ambiguous', async () => {
    const gone = await new MetaPeer().start();
    const url = gone.graphBaseUrl;
    await gone.close();
    const item = itemOf(peer.pageComment().delivery);
    const error = await failure(
      connector.send(
        { ...account, config: { ...account.config, graphBaseUrl: url } },
        replyTo(item, 'Hallo'),
        http,
      ),
    );
    expect(error).toBeInstanceOf(Transient);
    expect(error).not.toBeInstanceOf(Ambiguous);
  });
});
