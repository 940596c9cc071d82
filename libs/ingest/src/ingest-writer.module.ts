import { Module } from '@nestjs/common';
import { ConnectorsModule } from '@toonbank/channel-accounts';
import { ConversationsModule } from '@toonbank/conversations';
import { SlaModule } from '@toonbank/sla';
import { IngestWriter } from './ingest-writer';
import { QuarantineRepository } from './quarantine/quarantine.repository';

/**
 * The one writer of what comes in, and the quarantine it keeps: the worker stores polls and
 * deliveries with it, the api a quarantined item an admin retries.
 */
@Module({
  imports: [ConversationsModule, SlaModule, ConnectorsModule],
  providers: [IngestWriter, QuarantineRepository],
  exports: [IngestWriter, QuarantineRepository],
})
export class IngestWriterModule {}
