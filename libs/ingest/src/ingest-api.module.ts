import { Module } from '@nestjs/common';
import { ChannelAccountsModule } from '@toonbank/channel-accounts';
import { IngestWriterModule } from './ingest-writer.module';
import { CustomerPrivacyModule } from './privacy/customer-privacy.module';
import { QuarantineController } from './quarantine/quarantine.controller';
import { QuarantineService } from './quarantine/quarantine.service';
import { WebhooksController } from './webhooks.controller';

/**
 * The API's side of ingest: the channels' webhooks (the worker stores what they deliver),
 * erasing a customer, and the channels' quarantine (a retry stores through the ingest writer).
 */
@Module({
  imports: [CustomerPrivacyModule, ChannelAccountsModule, IngestWriterModule],
  controllers: [WebhooksController, QuarantineController],
  providers: [QuarantineService],
})
export class IngestApiModule {}
