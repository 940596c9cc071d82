import { Module } from '@nestjs/common';
import { ConnectorsModule } from '@toonbank/channel-accounts';
import { CustomerPrivacyModule } from './privacy/customer-privacy.module';
import { WebhooksController } from './webhooks.controller';

/** The API's side of ingest: the channels' webhooks (the worker stores what they deliver), and erasing a customer. */
@Module({
  imports: [CustomerPrivacyModule, ConnectorsModule],
  controllers: [WebhooksController],
})
export class IngestApiModule {}
