import {
  BlueskyConnector,
  ConnectorRegistry,
  FacebookConnector,
  InstagramConnector,
  MastodonConnector,
  XConnector,
  type ChannelConnector,
} from '@toonbank/channels';

/** What differs between deployments (and tests, which point it at fake peers). */
export interface ConnectorSettings {
  blueskyPlcDirectoryUrl: string;
}

/** Every connector Toonbank speaks, one per provider. */
export const createConnectorRegistry = (settings: ConnectorSettings): ConnectorRegistry =>
  new ConnectorRegistry([
    new MastodonConnector(),
    new BlueskyConnector({ plcDirectoryUrl: settings.blueskyPlcDirectoryUrl }),
    new XConnector(),
    new FacebookConnector(),
    new InstagramConnector(),
    // Each connector is typed by its own config and secrets; the registry hands out plain records.
  ] as unknown as ChannelConnector[]);
