import type { ChannelProvider } from '@toonbank/shared';
import type { ChannelConnector } from './connector';
import { WebhookTable } from './webhooks';

/** One connector per provider, looked up by the provider's name; and the webhooks they declare. */
export class ConnectorRegistry {
  private readonly connectors = new Map<ChannelProvider, ChannelConnector>();
  /** The webhook endpoints of the connectors, and which provider reads which delivery. */
  readonly webhooks: WebhookTable;

  constructor(connectors: ChannelConnector[]) {
    for (const connector of connectors) {
      const provider = connector.capabilities.provider;
      if (this.connectors.has(provider)) throw new Error(`two connectors for ${provider}`);
      if (connector.capabilities.ingest === 'webhook' && !connector.webhook) {
        throw new Error(`${provider} is pushed but declares no webhook`);
      }
      this.connectors.set(provider, connector);
    }
    this.webhooks = new WebhookTable(connectors);
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
