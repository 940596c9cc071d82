import { Module } from '@nestjs/common';
import { ConversationsModule } from '@toonbank/conversations';
import { SlaModule } from '@toonbank/sla';
import { ChannelAccountsRepository } from './channel-accounts.repository';
import { ChannelPoller } from './channel-poller';
import { ChannelSessions } from './channel-sessions';
import { ConnectorsModule } from './connectors.module';
import { IngestWriter } from './ingest-writer';
import { PollingSchedule } from './polling-schedule';
import { WebhookIngest } from './webhook-ingest';

/** What the worker needs to poll channels and store what comes in. */
@Module({
  imports: [ConversationsModule, SlaModule, ConnectorsModule],
  providers: [
    ChannelAccountsRepository,
    PollingSchedule,
    ChannelSessions,
    ChannelPoller,
    IngestWriter,
    WebhookIngest,
  ],
  exports: [
    WebhookIngest,
    ChannelPoller,
    IngestWriter,
    ChannelAccountsRepository,
    PollingSchedule,
    ConnectorsModule,
    ChannelSessions,
  ],
})
export class IngestModule {}
