import type { ChannelProvider } from '@toonbank/shared';
import type { ChannelConnector } from './connector';
import { InvalidPayload } from './errors';
import { BlueskyConnector } from './providers/bluesky/bluesky.connector';
import { FacebookConnector } from './providers/meta/facebook.connector';
import { InstagramConnector } from './providers/meta/instagram.connector';
import { MastodonConnector } from './providers/mastodon/mastodon.connector';
import { XConnector } from './providers/x/x.connector';

/**
 * Each connector's configFields (what the web app's form asks, GET /api/channels/providers)
 * described once and held to its parseConfig: the fields it requires, where secrets go, and
 * the default an optional address falls back on.
 */
const CASES: [ChannelProvider, ChannelConnector, Record<string, string>][] = [
  [
    'mastodon',
    new MastodonConnector() as unknown as ChannelConnector,
    { instanceUrl: 'https://social.example', accessToken: 'tok' },
  ],
  [
    'bluesky',
    new BlueskyConnector() as unknown as ChannelConnector,
    {
      identifier: 'demo.bsky.social',
      appPassword: 'abcd-efgh-ijkl-mnop',
      serviceUrl: 'https://pds.example',
    },
  ],
  [
    'x',
    new XConnector() as unknown as ChannelConnector,
    {
      userId: '12345',
      clientId: 'client',
      accessToken: 'access',
      refreshToken: 'refresh',
      apiBaseUrl: 'https://api.x.com',
    },
  ],
  [
    'facebook',
    new FacebookConnector() as unknown as ChannelConnector,
    { pageId: '111', pageAccessToken: 'EAAG', graphBaseUrl: 'https://graph.facebook.com/v22.0' },
  ],
  [
    'instagram',
    new InstagramConnector() as unknown as ChannelConnector,
    { igUserId: '222', pageAccessToken: 'EAAG', graphBaseUrl: 'https://graph.facebook.com/v22.0' },
  ],
];

const OPTIONS = { allowInsecureUrls: false };

/** The keys an InvalidPayload's message names ("instanceUrl: is required; accessToken: ..."). */
function namedKeys(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (!(error instanceof InvalidPayload)) throw error;
    return error.message.split('; ').map((part) => part.split(':')[0]!.trim());
  }
  return [];
}

describe.each(CASES)('%s config fields', (provider, connector, valid) => {
  const fields = connector.configFields;

  it('describe every key parseConfig reads, each once, with a label', () => {
    expect(connector.capabilities.provider).toBe(provider);
    expect(fields.map((field) => field.key).sort()).toEqual(Object.keys(valid).sort());
    for (const field of fields) expect(field.label).toMatch(/^[A-Z]/);
  });

  it('mark as required exactly what parseConfig asks for', () => {
    const required = fields.filter((field) => field.required).map((field) => field.key);
    expect(namedKeys(() => connector.parseConfig({}, OPTIONS)).sort()).toEqual(
      [...required].sort(),
    );
    const onlyRequired = Object.fromEntries(required.map((key) => [key, valid[key]!]));
    expect(() => connector.parseConfig(onlyRequired, OPTIONS)).not.toThrow();
  });

  it('mark as secret exactly what parseConfig keeps out of the shown config', () => {
    const { config, secrets } = connector.parseConfig(valid, OPTIONS);
    for (const field of fields) {
      const where = field.kind === 'secret' ? 'secrets' : 'config';
      expect({
        key: field.key,
        where,
        in: field.key in (where === 'secrets' ? secrets : config),
      }).toEqual({ key: field.key, where, in: true });
      if (field.kind === 'secret') expect(config).not.toHaveProperty(field.key);
    }
  });

  it('show an optional address’s default as its placeholder', () => {
    const required = fields.filter((field) => field.required).map((field) => field.key);
    const { config } = connector.parseConfig(
      Object.fromEntries(required.map((key) => [key, valid[key]!])),
      OPTIONS,
    );
    for (const field of fields.filter((f) => !f.required)) {
      expect(field.kind).toBe('url');
      expect({ key: field.key, default: config[field.key] }).toEqual({
        key: field.key,
        default: field.placeholder,
      });
    }
  });
});
