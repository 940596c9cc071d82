import type { ChannelProvider } from '@toonbank/shared';
import type { InboundItem } from './connector';
import { InvalidPayload } from './errors';

/** The deployment settings an endpoint names (its secrets), read from the configuration. */
export type WebhookSettings = Readonly<Record<string, string | undefined>>;

/** A request's headers, as Node gives them (names in lower case). */
export type WebhookHeaders = Readonly<Record<string, string | string[] | undefined>>;

/**
 * A webhook endpoint, served at `/api/webhooks/<name>`. Several providers may share one
 * (Facebook and Instagram arrive on the Meta app's, after one signature check); a provider may
 * also own one, with a secret of its own.
 */
export interface WebhookEndpoint {
  /** The path segment: `/api/webhooks/<name>` (lower-case letters, digits and dashes). */
  readonly name: string;
  /** The deployment settings (environment variables) `handshake` and `verify` read. Never logged. */
  readonly settings: readonly string[];
  /**
   * The subscription handshake (GET): the text to answer 200 with, or null (403). An endpoint
   * without one answers GET with 404.
   */
  handshake?(query: Record<string, unknown>, settings: WebhookSettings): string | null;
  /** Whether a delivery (POST) is authentic, judged on its raw bytes. Never throws. */
  verify(rawBody: Buffer, headers: WebhookHeaders, settings: WebhookSettings): boolean;
  /**
   * The kind of a verified delivery (Meta's `object`), which names the provider that reads it.
   * Throws InvalidPayload when the body is not a delivery at all.
   */
  kindOf(body: unknown): string;
}

/** What a delivery holds for one channel account. */
export interface WebhookEntry {
  /** The channel's id of the account (page id, Instagram account id): what it is routed by. */
  accountExternalId: string;
  items: InboundItem[];
  /** Items without the documented shape (skipped, with why). */
  rejected: { reason: string; raw: unknown }[];
}

/** A provider's side of a webhook: the endpoint its deliveries arrive on, and how to read one. */
export interface ProviderWebhook {
  endpoint: WebhookEndpoint;
  /** The kind of delivery on that endpoint that is this provider's (what `kindOf` answers). */
  kind: string;
  /** The entries of a delivery of this kind, per account. Throws InvalidPayload on a body that is not one. */
  parse(body: unknown): WebhookEntry[];
}

/** A verified delivery, read by the provider it is for. */
export interface RoutedDelivery {
  provider: ChannelProvider;
  entries: WebhookEntry[];
}

interface WebhookReader {
  provider: ChannelProvider;
  webhook: ProviderWebhook;
}

const ENDPOINT_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

/**
 * The webhook endpoints the connectors declare, and which provider reads which kind of delivery
 * on each: the dispatch table of `/api/webhooks/:endpoint` and of the worker's webhook ingest.
 */
export class WebhookTable {
  private readonly endpoints = new Map<string, WebhookEndpoint>();
  private readonly readers = new Map<string, Map<string, WebhookReader>>();

  constructor(
    connectors: readonly {
      readonly capabilities: { provider: ChannelProvider };
      readonly webhook?: ProviderWebhook;
    }[],
  ) {
    for (const { capabilities, webhook } of connectors) {
      if (!webhook) continue;
      const { endpoint, kind } = webhook;
      if (!ENDPOINT_NAME.test(endpoint.name)) {
        throw new Error(
          `webhook endpoint name ${JSON.stringify(endpoint.name)} is not a path segment`,
        );
      }
      const known = this.endpoints.get(endpoint.name);
      if (known && known !== endpoint)
        throw new Error(`two webhook endpoints named ${endpoint.name}`);
      this.endpoints.set(endpoint.name, endpoint);
      const byKind = this.readers.get(endpoint.name) ?? new Map<string, WebhookReader>();
      this.readers.set(endpoint.name, byKind);
      const taken = byKind.get(kind);
      if (taken) {
        throw new Error(
          `${taken.provider} and ${capabilities.provider} both read ${kind} deliveries on the ${endpoint.name} webhook`,
        );
      }
      byKind.set(kind, { provider: capabilities.provider, webhook });
    }
  }

  /** The endpoint served at `/api/webhooks/<name>`, if any. */
  endpoint(name: string): WebhookEndpoint | undefined {
    return this.endpoints.get(name);
  }

  names(): string[] {
    return [...this.endpoints.keys()];
  }

  /**
   * A verified delivery of endpoint `name`, read by the provider of its kind. InvalidPayload when
   * it is not a delivery, or no provider reads its kind (retrying will not change either).
   */
  read(name: string, body: unknown): RoutedDelivery {
    const endpoint = this.endpoints.get(name);
    if (!endpoint) throw new InvalidPayload(`no webhook endpoint ${JSON.stringify(name)}`);
    const kind = endpoint.kindOf(body);
    const reader = this.readers.get(name)?.get(kind);
    if (!reader) {
      throw new InvalidPayload(
        `no provider reads ${JSON.stringify(kind)} deliveries of the ${name} webhook`,
      );
    }
    return { provider: reader.provider, entries: reader.webhook.parse(body) };
  }
}
