import { Injectable, Logger } from '@nestjs/common';
import { parseMetaDelivery } from '@toonbank/channels';
import { ChannelAccountsRepository } from '@toonbank/channel-accounts';
import { IngestWriter } from './ingest-writer';

/** A verified Meta delivery: each entry to the channel account of its page or Instagram id. */
@Injectable()
export class WebhookIngest {
  private readonly logger = new Logger(WebhookIngest.name);

  constructor(
    private readonly accounts: ChannelAccountsRepository,
    private readonly writer: IngestWriter,
  ) {}

  async meta(
    body: unknown,
  ): Promise<{ entries: number; stored: number; unrouted: number; rejected: number }> {
    const delivery = parseMetaDelivery(body);
    let stored = 0;
    let unrouted = 0;
    let rejected = 0;
    for (const entry of delivery.entries) {
      rejected += entry.rejected.length;
      for (const item of entry.rejected)
        this.logger.warn(
          `${entry.provider} ${entry.accountExternalId}: skipped an item: ${item.reason}`,
        );
      const account = await this.accounts.byExternalAccount(
        entry.provider,
        entry.accountExternalId,
      );
      if (!account) {
        unrouted += 1;
        this.logger.warn(
          `${entry.provider} delivery for ${entry.accountExternalId}: no channel account`,
        );
        continue;
      }
      if (entry.items.length === 0) continue;
      // An item that cannot be stored is quarantined (source webhook); the others are stored.
      stored += (
        await this.writer.write(account.organisationId, account.id, entry.items, null, {
          source: 'webhook',
        })
      ).stored;
    }
    return { entries: delivery.entries.length, stored, unrouted, rejected };
  }
}
