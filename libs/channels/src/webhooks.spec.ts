import { createHmac } from 'node:crypto';
import type { ChannelProvider } from '@toonbank/shared';
import { InvalidPayload } from './errors';
import { FacebookConnector } from './providers/meta/facebook.connector';
import { InstagramConnector } from './providers/meta/instagram.connector';
import { META_WEBHOOK } from './providers/meta/webhook';
import { MastodonConnector } from './providers/mastodon/mastodon.connector';
import type { ChannelConnector } from './connector';
import { ConnectorRegistry } from './registry';
import { WebhookTable, type ProviderWebhook, type WebhookEndpoint } from './webhooks';

/** A test-only endpoint with a secret of its own, in a header of its own. */
const ownEndpoint: WebhookEndpoint = {
  name: 'test-own',
  settings: ['TEST_OWN_SECRET'],
  verify: (rawBody, headers, settings) =>
    !!settings.TEST_OWN_SECRET &&
    headers['x-test-signature'] ===
      createHmac('sha256', settings.TEST_OWN_SECRET).update(rawBody).digest('hex'),
  kindOf: (body) => {
    const kind = (body as { kind?: unknown } | null)?.kind;
    if (typeof kind !== 'string') throw new InvalidPayload('no kind');
    return kind;
  },
};

const connectorWith = (provider: ChannelProvider, webhook?: ProviderWebhook) => ({
  capabilities: { provider },
  webhook,
});

const ownWebhook = (kind: string): ProviderWebhook => ({
  endpoint: ownEndpoint,
  kind,
  parse: (body) => [
    {
      accountExternalId: String((body as { account: unknown }).account),
      items: [],
      rejected: [],
    },
  ],
});

describe('WebhookTable', () => {
  const registry = new ConnectorRegistry([
    new MastodonConnector(),
    new FacebookConnector(),
    new InstagramConnector(),
  ] as unknown as ChannelConnector[]);
  const page = { object: 'page', entry: [{ id: '111', time: 1, changes: [] }] };
  const instagram = { object: 'instagram', entry: [{ id: '222', time: 1, changes: [] }] };

  it('serves the Meta endpoint once for Facebook and Instagram, and nothing for polled providers', () => {
    expect(registry.webhooks.names()).toEqual(['meta']);
    expect(registry.webhooks.endpoint('meta')).toBe(META_WEBHOOK);
    expect(registry.webhooks.endpoint('mastodon')).toBeUndefined();
    expect(registry.webhooks.endpoint('__proto__')).toBeUndefined();
  });

  it.each<[string, unknown, ChannelProvider, string]>([
    ['object page → facebook', page, 'facebook', '111'],
    ['object instagram → instagram', instagram, 'instagram', '222'],
  ])('dispatches by object: %s', (_name, body, provider, account) => {
    const delivery = registry.webhooks.read('meta', body);
    expect(delivery.provider).toBe(provider);
    expect(delivery.entries.map((entry) => entry.accountExternalId)).toEqual([account]);
  });

  it.each<[string, string, unknown]>([
    ['an object nobody reads (yet)', 'meta', { object: 'whatsapp_business_account', entry: [] }],
    ['an object named like a prototype key', 'meta', { object: 'constructor', entry: [] }],
    ['no entry array', 'meta', { object: 'page' }],
    ['not an object', 'meta', 'page'],
    ['an unknown endpoint', 'nope', page],
  ])('refuses %s with InvalidPayload', (_name, endpoint, body) => {
    expect(() => registry.webhooks.read(endpoint, body)).toThrow(InvalidPayload);
  });

  it('a provider may own an endpoint with its own secret, beside the shared one', () => {
    const table = new WebhookTable([
      new FacebookConnector(),
      new InstagramConnector(),
      connectorWith('x', ownWebhook('mention')),
    ]);
    expect(table.names().sort()).toEqual(['meta', 'test-own']);
    expect(table.read('test-own', { kind: 'mention', account: 42 })).toEqual({
      provider: 'x',
      entries: [{ accountExternalId: '42', items: [], rejected: [] }],
    });
    expect(table.read('meta', page).provider).toBe('facebook');

    const body = Buffer.from('{"kind":"mention"}');
    const signature = createHmac('sha256', 'own-secret').update(body).digest('hex');
    const endpoint = table.endpoint('test-own')!;
    expect(
      endpoint.verify(body, { 'x-test-signature': signature }, { TEST_OWN_SECRET: 'own-secret' }),
    ).toBe(true);
    expect(
      endpoint.verify(body, { 'x-test-signature': signature }, { TEST_OWN_SECRET: 'other' }),
    ).toBe(false);
    expect(endpoint.verify(body, { 'x-test-signature': signature }, {})).toBe(false);
  });

  it('two providers sharing an endpoint read different kinds of delivery', () => {
    const table = new WebhookTable([
      connectorWith('x', ownWebhook('mention')),
      connectorWith('bluesky', ownWebhook('like')),
    ]);
    expect(table.read('test-own', { kind: 'like', account: 1 }).provider).toBe('bluesky');
    expect(() => table.read('test-own', { kind: 'repost', account: 1 })).toThrow(InvalidPayload);
  });

  it('refuses a table where two providers read the same kind, or two endpoints share a name', () => {
    expect(
      () =>
        new WebhookTable([
          connectorWith('x', ownWebhook('mention')),
          connectorWith('bluesky', ownWebhook('mention')),
        ]),
    ).toThrow('x and bluesky both read mention deliveries on the test-own webhook');
    expect(
      () =>
        new WebhookTable([
          connectorWith('x', ownWebhook('mention')),
          connectorWith('bluesky', { ...ownWebhook('like'), endpoint: { ...ownEndpoint } }),
        ]),
    ).toThrow('two webhook endpoints named test-own');
    expect(
      () =>
        new WebhookTable([
          connectorWith('x', { ...ownWebhook('a'), endpoint: { ...ownEndpoint, name: '../x' } }),
        ]),
    ).toThrow('is not a path segment');
  });
});

describe('ConnectorRegistry', () => {
  it('refuses a pushed connector that declares no webhook', () => {
    const pushed = { capabilities: { provider: 'facebook', ingest: 'webhook' } };
    expect(() => new ConnectorRegistry([pushed as unknown as ChannelConnector])).toThrow(
      'facebook is pushed but declares no webhook',
    );
  });
});

describe('META_WEBHOOK', () => {
  const SECRET = 'app-secret';
  const body = Buffer.from('{"object":"page","entry":[]}');
  const signature = `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;

  it('checks X-Hub-Signature-256 with META_APP_SECRET, and refuses without one', () => {
    const settings = { META_APP_SECRET: SECRET };
    expect(META_WEBHOOK.verify(body, { 'x-hub-signature-256': signature }, settings)).toBe(true);
    expect(META_WEBHOOK.verify(body, { 'x-hub-signature-256': [signature] }, settings)).toBe(false);
    expect(META_WEBHOOK.verify(body, {}, settings)).toBe(false);
    expect(META_WEBHOOK.verify(body, { 'x-hub-signature-256': signature }, {})).toBe(false);
  });

  it('answers the handshake with META_VERIFY_TOKEN, and refuses without one', () => {
    const query = { 'hub.mode': 'subscribe', 'hub.verify_token': 'tok', 'hub.challenge': '42' };
    expect(META_WEBHOOK.handshake!(query, { META_VERIFY_TOKEN: 'tok' })).toBe('42');
    expect(META_WEBHOOK.handshake!(query, { META_VERIFY_TOKEN: 'other' })).toBeNull();
    expect(META_WEBHOOK.handshake!(query, {})).toBeNull();
  });
});
