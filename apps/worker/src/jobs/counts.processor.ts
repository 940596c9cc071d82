import { Processor } from '@nestjs/bullmq';
import { ConversationCounts, CountsTrigger } from '@toonbank/conversations';
import { JobName, QueueName, type JobPayloads } from '@toonbank/shared';
import type { Job } from 'bullmq';
import { JobProcessor } from './job-processor';

/**
 * Counts an organisation's inbox tabs and sends `counts.updated` (at most once per 5 s per
 * organisation: the trigger's deduplication window, and the count's turn in Redis).
 */
@Processor(QueueName.Counts, { concurrency: 2 })
export class CountsProcessor extends JobProcessor {
  readonly handlers = {
    [JobName.CountsRefresh]: async (job: Job) => {
      const { organisationId } = job.data as JobPayloads[typeof JobName.CountsRefresh];
      // From here on a change adds a job of its own, before this one counts: the trigger's TTL
      // runs on Redis's clock and the delay on ours, so the key may outlive the wait, and a
      // change dropped by it now would come after this count and go unannounced.
      await job.removeDeduplicationKey();
      const result = await this.counts.refresh(organisationId);
      // A reader counted within the window: this change's count runs when the window ends.
      if (!result.counted) await this.trigger.changed(organisationId, result.retryInMs);
      return result;
    },
  };

  constructor(
    private readonly counts: ConversationCounts,
    private readonly trigger: CountsTrigger,
  ) {
    super();
  }
}
