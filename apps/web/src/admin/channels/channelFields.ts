import type { ChannelConfigFieldDto } from '@toonbank/shared';

/**
 * One field of a provider's `config` for POST /api/channels, as the server describes it (GET
 * /api/channels/providers: each connector's configFields). Its label is
 * `adminChannels.fields.<key>` where the web app has words for the key, else the server's.
 */
export type ChannelField = ChannelConfigFieldDto;

/** What the form holds: the text typed into each config field, by key. */
export type ConfigValues = Readonly<Partial<Record<string, string>>>;

// The limits of POST /api/channels (libs/channel-accounts/src/dto/channel.dto.ts).
export const MIN_POLL_SECONDS = 10;
export const MAX_POLL_SECONDS = 3600;
export const DEFAULT_POLL_SECONDS = 60;
export const NAME_MAX_LENGTH = 100;

/** The `config` of the filled-in fields (trimmed; blank optional ones left out). */
export function channelConfig(
  fields: readonly ChannelField[],
  values: ConfigValues,
): Record<string, string> {
  const config: Record<string, string> = {};
  for (const field of fields) {
    const value = values[field.key]?.trim() ?? '';
    if (value !== '') config[field.key] = value;
  }
  return config;
}

/** The values with every secret blanked: what the form keeps once a request has gone out. */
export function withoutSecrets(
  fields: readonly ChannelField[],
  values: ConfigValues,
): Partial<Record<string, string>> {
  const kept = { ...values };
  for (const field of fields) if (field.kind === 'secret') delete kept[field.key];
  return kept;
}

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
