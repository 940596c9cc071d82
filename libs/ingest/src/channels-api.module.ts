import { Module } from '@nestjs/common';
import { ChannelAccountsRepository } from './channel-accounts.repository';
import { ChannelsController } from './channels.controller';
import { ChannelsService } from './channels.service';
import { CONNECTOR_PROVIDERS } from './connector-providers';
import { PollingSchedule } from './polling-schedule';
import { WebhooksController } from './webhooks.controller';

/** The API's side of channels: connect and manage them (the worker does the polling). */
@Module({
  controllers: [ChannelsController, WebhooksController],
  providers: [ChannelAccountsRepository, PollingSchedule, ChannelsService, ...CONNECTOR_PROVIDERS],
  exports: [ChannelAccountsRepository],
})
export class ChannelsApiModule {}
