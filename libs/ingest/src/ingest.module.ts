import { Module } from '@nestjs/common';
import { ConversationsModule } from '@toonbank/conversations';
import { SlaModule } from '@toonbank/sla';
import { ChannelAccountsRepository } from './channel-accounts.repository';
import { ChannelPoller } from './channel-poller';
import { ChannelSessions } from './channel-sessions';
import { ConnectorsModule } from './connectors.module';
import { IngestWriter } from './ingest-writer';
import { PollingSchedule } from './polling-schedule';
import { RawRetention } from './privacy/raw-retention';
import { WebhookIngest } from './webhook-ingest';

/** What the worker needs to poll channels, store what comes in, and drop expired raw payloads. */
@Module({
  imports: [ConversationsModule, SlaModule, ConnectorsModule],
  providers: [
    ChannelAccountsRepository,
    PollingSchedule,
    ChannelSessions,
    ChannelPoller,
    IngestWriter,
    WebhookIngest,
    RawRetention,
  ],
  exports: [
    WebhookIngest,
    ChannelPoller,
    IngestWriter,
    ChannelAccountsRepository,
    PollingSchedule,
    ConnectorsModule,
    ChannelSessions,
    RawRetention,
  ],
})
export class IngestModule {}
