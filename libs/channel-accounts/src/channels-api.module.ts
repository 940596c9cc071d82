import { Module } from '@nestjs/common';
import { ChannelAccountsModule } from './channel-accounts.module';
import { ChannelsController } from './channels.controller';
import { ChannelsService } from './channels.service';
import { ChannelPollNow } from './poll-now';

/** The API's side of channel accounts: connect and manage them (the worker does the polling). */
@Module({
  imports: [ChannelAccountsModule],
  controllers: [ChannelsController],
  providers: [ChannelsService, ChannelPollNow],
  exports: [ChannelAccountsModule],
})
export class ChannelsApiModule {}
