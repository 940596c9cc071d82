import { Module } from '@nestjs/common';
import { ConversationsModule } from '@toonbank/conversations';
import { SlaModule } from '@toonbank/sla';
import { ChannelAccountsRepository } from './channel-accounts.repository';
import { ChannelPoller } from './channel-poller';
import { CONNECTOR_PROVIDERS } from './connector-providers';
import { CONNECTOR_REGISTRY } from './tokens';
import { IngestWriter } from './ingest-writer';
import { PollingSchedule } from './polling-schedule';
import { WebhookIngest } from './webhook-ingest';

/** What the worker needs to poll channels and store what comes in. */
@Module({
  imports: [ConversationsModule, SlaModule],
  providers: [
    ChannelAccountsRepository,
    PollingSchedule,
    ...CONNECTOR_PROVIDERS,
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
    CONNECTOR_REGISTRY,
  ],
})
export class IngestModule {}
