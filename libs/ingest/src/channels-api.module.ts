import { Module } from '@nestjs/common';
import { ChannelAccountsRepository } from './channel-accounts.repository';
import { ChannelsController } from './channels.controller';
import { ChannelsService } from './channels.service';
import { ConnectorsModule } from './connectors.module';
import { PollingSchedule } from './polling-schedule';
import { CustomerPrivacyModule } from './privacy/customer-privacy.module';
import { WebhooksController } from './webhooks.controller';

/**
 * The API's side of channels: connect and manage them (the worker does the polling), and
 * erase a customer of a channel (CustomerPrivacyModule).
 */
@Module({
  imports: [ConnectorsModule, CustomerPrivacyModule],
  controllers: [ChannelsController, WebhooksController],
  providers: [ChannelAccountsRepository, PollingSchedule, ChannelsService],
  exports: [ChannelAccountsRepository],
})
export class ChannelsApiModule {}
