import { Module } from '@nestjs/common';
import { ChannelAccountsRepository } from './channel-accounts.repository';
import { ChannelEvents } from './channel-events';
import { ChannelSessions } from './channel-sessions';
import { ConnectorsModule } from './connectors.module';
import { PollingSchedule } from './polling-schedule';

/**
 * The channel accounts, their sealed credentials and sessions, their polling schedule and
 * the connectors that speak to them: what ingest (reading) and replies (posting) share.
 */
@Module({
  imports: [ConnectorsModule],
  providers: [ChannelAccountsRepository, ChannelSessions, PollingSchedule, ChannelEvents],
  exports: [
    ChannelAccountsRepository,
    ChannelSessions,
    PollingSchedule,
    ChannelEvents,
    ConnectorsModule,
  ],
})
export class ChannelAccountsModule {}
