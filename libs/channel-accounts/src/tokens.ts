/** The ConnectorRegistry. */
export const CONNECTOR_REGISTRY = Symbol('CONNECTOR_REGISTRY');
/** The SafeHttp connectors reach channels with (private addresses allowed only when configured). */
export const SAFE_HTTP = Symbol('SAFE_HTTP');
