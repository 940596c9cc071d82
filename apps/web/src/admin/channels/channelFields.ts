import type { ChannelProvider } from '@toonbank/shared';

/**
 * One field of a provider's `config` for POST /api/channels. The table below follows
 * /work/shared/CHANNELS.md (each provider's heading names its config) and the connectors'
 * parseConfig in libs/channels/src/providers/*: change them together.
 */
export interface ChannelField {
  /** The key in `config`; its label is `adminChannels.fields.<key>`. */
  key: ConfigKey;
  kind: 'url' | 'text' | 'secret';
  /** May be left blank: the server then uses the provider's public host. */
  optional?: boolean;
  placeholder?: string;
}

export type ConfigKey =
  | 'instanceUrl'
  | 'accessToken'
  | 'serviceUrl'
  | 'identifier'
  | 'appPassword'
  | 'apiBaseUrl'
  | 'userId'
  | 'clientId'
  | 'refreshToken'
  | 'pageId'
  | 'igUserId'
  | 'pageAccessToken'
  | 'graphBaseUrl';

export interface ProviderSpec {
  /** Polled by the worker, or pushed by the channel's webhook (Meta): no poll interval then. */
  ingest: 'poll' | 'webhook';
  fields: readonly ChannelField[];
}

/** Facebook and Instagram: the same Graph config but for the account id (parseMetaConfig). */
function metaProvider(idField: 'pageId' | 'igUserId'): ProviderSpec {
  return {
    ingest: 'webhook',
    fields: [
      { key: idField, kind: 'text' },
      { key: 'pageAccessToken', kind: 'secret' },
      {
        key: 'graphBaseUrl',
        kind: 'url',
        optional: true,
        placeholder: 'https://graph.facebook.com/v21.0',
      },
    ],
  };
}

export const PROVIDERS: Readonly<Record<ChannelProvider, ProviderSpec>> = {
  // CHANNELS.md §Mastodon: { instanceUrl, accessToken }
  mastodon: {
    ingest: 'poll',
    fields: [
      { key: 'instanceUrl', kind: 'url', placeholder: 'https://mastodon.social' },
      { key: 'accessToken', kind: 'secret' },
    ],
  },
  // CHANNELS.md §Bluesky: { serviceUrl?, identifier, appPassword }
  bluesky: {
    ingest: 'poll',
    fields: [
      { key: 'identifier', kind: 'text', placeholder: 'naam.bsky.social' },
      { key: 'appPassword', kind: 'secret' },
      { key: 'serviceUrl', kind: 'url', optional: true, placeholder: 'https://bsky.social' },
    ],
  },
  // CHANNELS.md §X API v2: { apiBaseUrl?, userId, clientId, accessToken, refreshToken }
  x: {
    ingest: 'poll',
    fields: [
      { key: 'userId', kind: 'text', placeholder: '1234567890' },
      { key: 'clientId', kind: 'text' },
      { key: 'accessToken', kind: 'secret' },
      { key: 'refreshToken', kind: 'secret' },
      { key: 'apiBaseUrl', kind: 'url', optional: true, placeholder: 'https://api.x.com' },
    ],
  },
  // CHANNELS.md §Meta: { pageId | igUserId, pageAccessToken, graphBaseUrl? }
  facebook: metaProvider('pageId'),
  instagram: metaProvider('igUserId'),
};

// The limits of POST /api/channels (libs/channel-accounts/src/dto/channel.dto.ts).
export const MIN_POLL_SECONDS = 10;
export const MAX_POLL_SECONDS = 3600;
export const DEFAULT_POLL_SECONDS = 60;
export const NAME_MAX_LENGTH = 100;

/** The `config` of the filled-in fields (trimmed; blank optional ones left out). */
export function channelConfig(
  provider: ChannelProvider,
  values: Readonly<Partial<Record<ConfigKey, string>>>,
): Partial<Record<ConfigKey, string>> {
  const config: Partial<Record<ConfigKey, string>> = {};
  for (const field of PROVIDERS[provider].fields) {
    const value = values[field.key]?.trim() ?? '';
    if (value !== '') config[field.key] = value;
  }
  return config;
}

/** The values with every secret blanked: what the form keeps once a request has gone out. */
export function withoutSecrets(
  provider: ChannelProvider,
  values: Readonly<Partial<Record<ConfigKey, string>>>,
): Partial<Record<ConfigKey, string>> {
  const kept = { ...values };
  for (const field of PROVIDERS[provider].fields)
    if (field.kind === 'secret') delete kept[field.key];
  return kept;
}

const CONFIG_KEYS = new Set<string>(
  Object.values(PROVIDERS).flatMap((spec) => spec.fields.map((field) => field.key)),
);
export const isConfigKey = (name: string): name is ConfigKey => CONFIG_KEYS.has(name);

/**
 * The config fields a 400 names, with the server's words: the channel service refuses a
 * config with `details.errors.config` = ["instanceUrl: must use https; accessToken: is required"].
 */
export function configProblems(details: Record<string, unknown> | undefined): Map<string, string> {
  const problems = new Map<string, string>();
  const errors = details?.errors as Record<string, unknown> | undefined;
  const messages = Array.isArray(errors?.config) ? errors.config : [];
  for (const message of messages) {
    if (typeof message !== 'string') continue;
    for (const part of message.split('; ')) {
      const match = /^(\w+): (.+)$/.exec(part.trim());
      if (!match) continue;
      const [, key, problem] = match as unknown as [string, string, string];
      problems.set(key, problems.has(key) ? `${problems.get(key)}; ${problem}` : problem);
    }
  }
  return problems;
}
