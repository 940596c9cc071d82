import { Processor } from '@nestjs/bullmq';
import { InvalidPayload, itemFromJson } from '@toonbank/channels';
import { entryFromJson, IngestWriter, WebhookIngest, webhookEndpointOf } from '@toonbank/ingest';
import { JobName, QueueName, type JobPayloads } from '@toonbank/shared';
import { UnrecoverableError, type Job } from 'bullmq';
import { JobProcessor } from './job-processor';

/** Stores inbound batches (each in one transaction, per channel account in turn). */
@Processor(QueueName.Ingest, { concurrency: 4 })
export class IngestProcessor extends JobProcessor {
  readonly handlers = {
    [JobName.IngestBatch]: (job: Job) => {
      const { organisationId, channelAccountId, items, cursor, quarantined } =
        job.data as JobPayloads[typeof JobName.IngestBatch];
      return this.writer.write(organisationId, channelAccountId, items.map(itemFromJson), cursor, {
        source: 'poll',
        quarantined: quarantined?.map(entryFromJson),
      });
    },
    [JobName.IngestWebhook]: async (job: Job) => {
      const data = job.data as JobPayloads[typeof JobName.IngestWebhook];
      try {
        return await this.webhooks.ingest(webhookEndpointOf(data), data.body);
      } catch (error) {
        // Not a delivery any provider reads: retrying will not make it one.
        if (error instanceof InvalidPayload) throw new UnrecoverableError(error.message);
        throw error;
      }
    },
  };

  constructor(
    private readonly writer: IngestWriter,
    private readonly webhooks: WebhookIngest,
  ) {
    super();
  }
}
