import type { ChannelConnector, ConnectorRegistry } from '@toonbank/channels';
import type { ChannelAccountEntity } from '@toonbank/database';
import type { ChannelDto, ChannelProviderDto } from '@toonbank/shared';

/** A channel account as the API shows it: never its credentials. */
export function presentChannel(
  account: ChannelAccountEntity,
  connector: ChannelConnector,
): ChannelDto {
  return {
    id: account.id,
    provider: account.provider,
    name: account.name,
    handle: account.handle,
    status: account.status,
    lastError: account.lastError,
    lastPolledAt: account.lastPolledAt?.toISOString() ?? null,
    pollIntervalSeconds: account.pollIntervalSeconds,
    config: account.config,
    ingest: connector.capabilities.ingest,
    throttledUntil: account.throttledUntil?.toISOString() ?? null,
    createdAt: account.createdAt.toISOString(),
  };
}

/** What each provider needs to be connected, as its connector describes it (GET /api/channels/providers). */
export function presentProviders(registry: ConnectorRegistry): ChannelProviderDto[] {
  return registry.providers().map((provider) => {
    const connector = registry.get(provider);
    return {
      provider,
      ingest: connector.capabilities.ingest,
      fields: connector.configFields.map((field) => ({ ...field })),
    };
  });
}
