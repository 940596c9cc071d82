import { Module } from '@nestjs/common';
import { ChannelAccountsRepository } from './channel-accounts.repository';
import { ChannelsController } from './channels.controller';
import { ChannelsService } from './channels.service';
import { ConnectorsModule } from './connectors.module';
import { PollingSchedule } from './polling-schedule';
import { WebhooksController } from './webhooks.controller';

/** The API's side of channels: connect and manage them (the worker does the polling). */
@Module({
  imports: [ConnectorsModule],
  controllers: [ChannelsController, WebhooksController],
  providers: [ChannelAccountsRepository, PollingSchedule, ChannelsService],
  exports: [ChannelAccountsRepository],
})
export class ChannelsApiModule {}
