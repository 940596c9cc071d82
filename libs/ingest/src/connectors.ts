import {
  BlueskyConnector,
  ConnectorRegistry,
  FacebookConnector,
  InstagramConnector,
  MastodonConnector,
  XConnector,
  type ChannelConnector,
} from '@toonbank/channels';

/** Every connector Toonbank speaks, one per provider. */
export const createConnectorRegistry = (): ConnectorRegistry =>
  new ConnectorRegistry([
    new MastodonConnector(),
    new BlueskyConnector(),
    new XConnector(),
    new FacebookConnector(),
    new InstagramConnector(),
    // Each connector is typed by its own config and secrets; the registry hands out plain records.
  ] as unknown as ChannelConnector[]);
