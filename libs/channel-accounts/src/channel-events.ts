import { Inject, Injectable } from '@nestjs/common';
import type { ConnectorRegistry } from '@toonbank/channels';
import { EventPublisher } from '@toonbank/platform';
import type { PollOutcomeDto } from '@toonbank/shared';
import { ChannelAccountsRepository } from './channel-accounts.repository';
import { presentChannel } from './channel.presenter';
import { CONNECTOR_REGISTRY } from './tokens';

/** Live events about channel accounts. */
@Injectable()
export class ChannelEvents {
  constructor(
    private readonly accounts: ChannelAccountsRepository,
    @Inject(CONNECTOR_REGISTRY) private readonly connectors: ConnectorRegistry,
    private readonly events: EventPublisher,
  ) {}

  /**
   * A "poll now" ended: `channel.updated` with the channel as it is now and the poll's
   * outcome, to the admin who asked (who may have had a 202 and no result).
   */
  async pollEnded(
    organisationId: string,
    channelAccountId: string,
    userId: string,
    poll: PollOutcomeDto,
  ): Promise<void> {
    const account = await this.accounts.find(organisationId, channelAccountId);
    if (!account) return;
    this.events.toUser(userId, 'channel.updated', {
      ...presentChannel(account, this.connectors.get(account.provider)),
      poll,
    });
  }
}
