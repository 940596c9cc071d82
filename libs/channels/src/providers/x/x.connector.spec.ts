import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidPayload } from '../../errors';
import { XConnector, X_DEFAULT_API_BASE_URL } from './x.connector';

const fixture = JSON.parse(
  readFileSync(join(__dirname, '../../../../../tests/fixtures/channels/x-mentions.json'), 'utf8'),
) as Record<string, unknown>;

const NOW = new Date('2026-03-01T12:00:00.000Z');
const connector = new XConnector({ now: () => NOW });
const secure = { allowInsecureUrls: false };
const insecure = { allowInsecureUrls: true };

const valid = {
  userId: '1500000000000000001',
  clientId: 'M1M5R3BMVy13QmpScXkzTUt5OE46MTpjaQ',
  accessToken: 'access-SECRET-1',
  refreshToken: 'refresh-SECRET-2',
};

function problemsOf(input: unknown, options = secure): string {
  try {
    connector.parseConfig(input, options);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidPayload);
    return (error as Error).message;
  }
  throw new Error('parseConfig accepted it');
}

describe('XConnector capabilities', () => {
  it('is polled, has direct messages, no idempotency, 280 weighted characters', () => {
    expect(connector.capabilities).toEqual({
      provider: 'x',
      ingest: 'poll',
      directMessages: true,
      idempotentSend: false,
      length: { limit: 280, counting: 'weighted' },
    });
  });

  it('uses the reply id as its (record-only) idempotency key', () => {
    expect(connector.newIdempotencyKey('0b6f2c1e-reply', NOW)).toBe('0b6f2c1e-reply');
  });
});

describe('XConnector.parseConfig', () => {
  it('splits a valid config: shown fields, secrets, the user id as external account id', () => {
    const parsed = connector.parseConfig(valid, secure);
    expect(parsed).toEqual({
      config: {
        apiBaseUrl: X_DEFAULT_API_BASE_URL,
        userId: valid.userId,
        clientId: valid.clientId,
      },
      secrets: {
        accessToken: valid.accessToken,
        refreshToken: valid.refreshToken,
        accessObtainedAt: NOW.toISOString(),
      },
      externalAccountId: valid.userId,
    });
  });

  it.each([
    ['https://api.x.com/', secure, 'https://api.x.com'],
    ['https://api.x.com/2-proxy//', secure, 'https://api.x.com/2-proxy'],
    ['https://proxy.example.com/x//', insecure, 'https://proxy.example.com/x'],
    ['http://127.0.0.1:4010', insecure, 'http://127.0.0.1:4010'],
  ])('takes apiBaseUrl %s without its trailing slash', (apiBaseUrl, options, expected) => {
    expect(connector.parseConfig({ ...valid, apiBaseUrl }, options).config.apiBaseUrl).toBe(
      expected,
    );
  });

  it('never puts a secret into config', () => {
    const { config } = connector.parseConfig({ ...valid, apiBaseUrl: 'https://api.x.com' }, secure);
    const shown = JSON.stringify(config);
    expect(shown).not.toContain('SECRET');
    expect(Object.keys(config).sort()).toEqual(['apiBaseUrl', 'clientId', 'userId']);
  });

  it('ignores fields it does not know (they go nowhere)', () => {
    const parsed = connector.parseConfig({ ...valid, password: 'SECRET-3' }, secure);
    expect(JSON.stringify(parsed)).not.toContain('SECRET-3');
  });

  it.each<[string, unknown, string, { allowInsecureUrls: boolean }?]>([
    ['not an object', 'x', 'config: must be an object'],
    ['an array', [valid], 'config: must be an object'],
    ['null', null, 'config: must be an object'],
    ['userId missing', { ...valid, userId: undefined }, 'userId: must be the numeric X user id'],
    ['userId not digits', { ...valid, userId: '@demo' }, 'userId: must be the numeric X user id'],
    ['userId a number', { ...valid, userId: 1.5e18 }, 'userId: must be the numeric'],
    ['clientId missing', { ...valid, clientId: '' }, 'clientId: must be the OAuth 2 client id'],
    ['accessToken missing', { ...valid, accessToken: undefined }, 'accessToken: is required'],
    ['accessToken empty', { ...valid, accessToken: '' }, 'accessToken: is required'],
    ['accessToken with a space', { ...valid, accessToken: 'a b' }, 'accessToken: must be a token'],
    ['refreshToken missing', { ...valid, refreshToken: undefined }, 'refreshToken: is required'],
    [
      'refreshToken with a newline',
      { ...valid, refreshToken: 'a\r\nX-Evil: 1' },
      'refreshToken: must be a token',
    ],
    ['apiBaseUrl not a URL', { ...valid, apiBaseUrl: 'api.x.com' }, 'apiBaseUrl: must be a URL'],
    ['apiBaseUrl a number', { ...valid, apiBaseUrl: 42 }, 'apiBaseUrl: must be a URL'],
    [
      'apiBaseUrl plain http',
      { ...valid, apiBaseUrl: 'http://api.x.com' },
      'apiBaseUrl: must use https',
    ],
    [
      'apiBaseUrl loopback',
      { ...valid, apiBaseUrl: 'https://127.0.0.1:8443' },
      'apiBaseUrl: must not point at a loopback or private address',
    ],
    [
      'apiBaseUrl localhost',
      { ...valid, apiBaseUrl: 'https://localhost' },
      'apiBaseUrl: must not point at a loopback or private address',
    ],
    [
      'apiBaseUrl private network',
      { ...valid, apiBaseUrl: 'https://10.1.2.3' },
      'apiBaseUrl: must not point at a loopback or private address',
    ],
    [
      'apiBaseUrl with credentials',
      { ...valid, apiBaseUrl: 'https://user:pw@api.x.com' },
      'apiBaseUrl: must not contain credentials',
    ],
    [
      'apiBaseUrl with a query',
      { ...valid, apiBaseUrl: 'https://api.x.com/?a=1' },
      'apiBaseUrl: must not have a query or fragment',
    ],
    [
      'apiBaseUrl ftp even when insecure URLs are allowed',
      { ...valid, apiBaseUrl: 'ftp://127.0.0.1' },
      'apiBaseUrl: must use https',
      insecure,
    ],
  ])('refuses %s', (_name, input, expected, options = secure) => {
    expect(problemsOf(input, options)).toContain(expected);
  });

  it('accepts only X’s own API host outside development and tests', () => {
    expect(problemsOf({ ...valid, apiBaseUrl: 'https://api.evil.example' })).toContain(
      'apiBaseUrl: must be on api.x.com',
    );
  });

  it('lists every problem at once', () => {
    expect(problemsOf({ apiBaseUrl: 'http://10.0.0.1' })).toBe(
      [
        'apiBaseUrl: must use https',
        'apiBaseUrl: must not point at a loopback or private address',
        'apiBaseUrl: must be on api.x.com',
        'userId: must be the numeric X user id, as a string',
        'clientId: must be the OAuth 2 client id of the X app',
        'accessToken: is required',
        'refreshToken: is required',
      ].join('; '),
    );
  });

  it('refuses insecure URLs by default (no options given)', () => {
    expect(() => connector.parseConfig({ ...valid, apiBaseUrl: 'http://127.0.0.1:1' })).toThrow(
      InvalidPayload,
    );
  });
});

describe('XConnector.normalisePage', () => {
  it('normalises every item of the fixture', () => {
    const { items, rejected } = connector.normalisePage(fixture);
    const data = fixture.data as Record<string, unknown>[];
    expect(rejected).toEqual([]);
    expect(items).toEqual([
      {
        externalId: '1895000000000000123',
        authorExternalId: '44001',
        authorHandle: '@ana_p',
        authorName: 'Ana P',
        text: '@DemoEnergie mijn meterstand wordt niet geaccepteerd',
        createdAt: new Date('2026-03-01T10:00:00.000Z'),
        inReplyToExternalId: null,
        threadRootExternalId: '1895000000000000123',
        visibility: 'public',
        language: 'nl',
        attachments: [],
        raw: data[0],
      },
      {
        externalId: '1895000000000000200',
        authorExternalId: '44002',
        authorHandle: '@bo',
        authorName: 'Bo',
        text: '@DemoEnergie nog steeds niks gehoord',
        createdAt: new Date('2026-03-01T10:05:00.000Z'),
        inReplyToExternalId: '1894999999999999000',
        threadRootExternalId: '1894999999999999000',
        visibility: 'public',
        language: 'nl',
        attachments: [],
        raw: data[1],
      },
    ]);
    // raw is the payload as received, not a copy with changes.
    expect(items[0].raw).toBe(data[0]);
  });

  const base = {
    id: '1895000000000000300',
    text: 'hallo',
    author_id: '44001',
    created_at: '2026-03-01T11:00:00.000Z',
  };
  const users = { users: [{ id: '44001', username: 'ana_p', name: 'Ana P' }] };
  const one = (tweet: unknown, includes: unknown = users) =>
    connector.normalisePage({ data: [tweet], includes, meta: { result_count: 1 } });

  it.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    [
      'HTML entities X escapes',
      { text: 'Tom &amp; Jerry &lt;3 &gt;:(' },
      { text: 'Tom & Jerry <3 >:(' },
    ],
    [
      'an escaped entity stays literal',
      { text: 'write &amp;lt; for <' },
      { text: 'write &lt; for <' },
    ],
    ['other entities as typed', { text: '&quot;hi&quot; &#39;' }, { text: '&quot;hi&quot; &#39;' }],
    ['emoji', { text: '⚡️ stroom weg 😡👨‍👩‍👧 🇳🇱' }, { text: '⚡️ stroom weg 😡👨‍👩‍👧 🇳🇱' }],
    ['NUL characters', { text: 'a\u0000b' }, { text: 'ab' }],
    [
      'a long post (note_tweet)',
      { note_tweet: { text: 'the whole story' } },
      { text: 'the whole story' },
    ],
    ['lang und', { lang: 'und' }, { language: null }],
    ['lang qme (media only)', { lang: 'qme' }, { language: null }],
    ['lang pt', { lang: 'pt' }, { language: 'pt' }],
    [
      'a quote (not a reply)',
      { referenced_tweets: [{ type: 'quoted', id: '1' }] },
      { inReplyToExternalId: null },
    ],
    ['garbage referenced_tweets', { referenced_tweets: 'x' }, { inReplyToExternalId: null }],
    ['extra fields', { possibly_sensitive: false, edit_controls: {} }, { text: 'hallo' }],
    [
      'no created_at (time from the snowflake id)',
      { created_at: undefined },
      { createdAt: new Date(Number((1895000000000000300n >> 22n) + 1288834974657n)) },
    ],
  ])('copes with %s', (_name, change, expected) => {
    const tweet = { ...base, ...change };
    const { items, rejected } = one(tweet);
    expect(rejected).toEqual([]);
    expect(items[0]).toMatchObject(expected);
    expect(items[0].raw).toBe(tweet);
  });

  it('copes with only the required fields and no includes', () => {
    const { items } = one(base, null);
    expect(items[0]).toEqual({
      externalId: base.id,
      authorExternalId: '44001',
      authorHandle: '44001',
      authorName: null,
      text: 'hallo',
      createdAt: new Date(base.created_at),
      inReplyToExternalId: null,
      threadRootExternalId: null,
      visibility: 'public',
      language: null,
      attachments: [],
      raw: base,
    });
  });

  it('keeps a 10,000-character text whole', () => {
    const text = 'é'.repeat(5000) + '🙂'.repeat(2500);
    const { items } = one({ ...base, text });
    expect(items[0].text).toBe(text);
  });

  it.each<[string, unknown, string]>([
    ['no id', { ...base, id: undefined }, 'id: missing or not a post id'],
    ['an id that is not a post id', { ...base, id: 'abc' }, 'id: missing or not a post id'],
    ['no author', { ...base, author_id: undefined }, 'author_id: missing'],
    ['no text', { ...base, text: 42 }, 'text: missing'],
    [
      'no usable time',
      { ...base, id: '12', created_at: 'yesterday' },
      'created_at: missing or not a time',
    ],
    ['not an object', 'tweet', 'not an object'],
    ['null', null, 'not an object'],
  ])('rejects an item with %s and goes on with the rest', (_name, bad, reason) => {
    const page = { data: [base, bad, { ...base, id: '1895000000000000301' }], includes: users };
    const { items, rejected } = connector.normalisePage(page);
    expect(items.map((i) => i.externalId)).toEqual([base.id, '1895000000000000301']);
    expect(rejected).toEqual([{ reason: expect.stringContaining(reason), raw: bad }]);
  });

  it('takes an empty page (no data) and garbage includes', () => {
    expect(connector.normalisePage({ meta: { result_count: 0 } })).toEqual({
      items: [],
      rejected: [],
    });
    expect(one(base, { users: [null, 'x', { id: 5 }] }).items[0].authorHandle).toBe('44001');
  });

  it('rejects a data field that is not a list', () => {
    const page = { data: { id: '1' } };
    expect(connector.normalisePage(page)).toEqual({
      items: [],
      rejected: [{ reason: 'data: not a list of posts', raw: page.data }],
    });
  });
});
