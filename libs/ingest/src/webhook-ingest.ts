import { Inject, Injectable, Logger } from '@nestjs/common';
import { CONNECTOR_REGISTRY, ChannelAccountsRepository } from '@toonbank/channel-accounts';
import type { ConnectorRegistry } from '@toonbank/channels';
import type { JobName, JobPayloads } from '@toonbank/shared';
import { IngestWriter } from './ingest-writer';
import { rejectedEntry } from './quarantine/quarantine-entry';

export interface WebhookIngestResult {
  entries: number;
  stored: number;
  unrouted: number;
  rejected: number;
}

/** The endpoint a queued delivery came in on (jobs from before `endpoint` say `source`). */
export function webhookEndpointOf(data: JobPayloads[typeof JobName.IngestWebhook]): string {
  return 'endpoint' in data ? data.endpoint : data.source;
}

/**
 * A verified webhook delivery: read by the provider its endpoint routes it to (Meta: by
 * `object`), then each entry to the channel account of its id (page, Instagram account).
 */
@Injectable()
export class WebhookIngest {
  private readonly logger = new Logger(WebhookIngest.name);

  constructor(
    private readonly accounts: ChannelAccountsRepository,
    private readonly writer: IngestWriter,
    @Inject(CONNECTOR_REGISTRY) private readonly connectors: ConnectorRegistry,
  ) {}

  /** Throws InvalidPayload when the body is not a delivery any provider reads. */
  async ingest(endpoint: string, body: unknown): Promise<WebhookIngestResult> {
    const { provider, entries } = this.connectors.webhooks.read(endpoint, body);
    let stored = 0;
    let unrouted = 0;
    let rejected = 0;
    for (const entry of entries) {
      rejected += entry.rejected.length;
      for (const item of entry.rejected)
        this.logger.warn(
          `${provider} ${entry.accountExternalId}: quarantined an item: ${item.reason}`,
        );
      const account = await this.accounts.byExternalAccount(provider, entry.accountExternalId);
      if (!account) {
        unrouted += 1;
        this.logger.warn(`${provider} delivery for ${entry.accountExternalId}: no channel account`);
        continue;
      }
      if (entry.items.length === 0 && entry.rejected.length === 0) continue;
      // An item that cannot be stored, or that the connector rejected, is quarantined (source
      // webhook); the others are stored.
      stored += (
        await this.writer.write(account.organisationId, account.id, entry.items, null, {
          source: 'webhook',
          quarantined: entry.rejected.map(rejectedEntry),
        })
      ).stored;
    }
    return { entries: entries.length, stored, unrouted, rejected };
  }
}
