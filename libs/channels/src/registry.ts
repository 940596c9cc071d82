import type { ChannelProvider } from '@toonbank/shared';
import type { ChannelConnector } from './connector';

/** One connector per provider, looked up by the provider's name. */
export class ConnectorRegistry {
  private readonly connectors = new Map<ChannelProvider, ChannelConnector>();

  constructor(connectors: ChannelConnector[]) {
    for (const connector of connectors) {
      const provider = connector.capabilities.provider;
      if (this.connectors.has(provider)) throw new Error(`two connectors for ${provider}`);
      this.connectors.set(provider, connector);
    }
  }

  get(provider: ChannelProvider): ChannelConnector {
    const connector = this.connectors.get(provider);
    if (!connector) throw new Error(`no connector for ${provider}`);
    return connector;
  }

  providers(): ChannelProvider[] {
    return [...this.connectors.keys()];
  }
}
