import { Module } from '@nestjs/common';
import { ChannelAccountsModule } from '@toonbank/channel-accounts';
import { ConversationsModule } from '@toonbank/conversations';
import { SlaModule } from '@toonbank/sla';
import { ChannelPoller } from './channel-poller';
import { IngestWriterModule } from './ingest-writer.module';
import { RawRetention } from './privacy/raw-retention';
import { WebhookIngest } from './webhook-ingest';

/** What the worker needs to poll channels, store what comes in, and drop expired raw payloads. */
@Module({
  imports: [ConversationsModule, SlaModule, ChannelAccountsModule, IngestWriterModule],
  providers: [ChannelPoller, WebhookIngest, RawRetention],
  exports: [WebhookIngest, ChannelPoller, IngestWriterModule, ChannelAccountsModule, RawRetention],
})
export class IngestModule {}
