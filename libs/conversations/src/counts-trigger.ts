import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { JobName, QueueName, type JobPayloads } from '@toonbank/shared';
import type { Queue } from 'bullmq';

/** How often, at most, an organisation's inbox is counted and `counts.updated` sent. */
export const COUNTS_WINDOW_MS = 5_000;

/**
 * "The counts are due": an organisation's conversations were created or changed. Adds one
 * delayed `counts.refresh` job per organisation per window (BullMQ's deduplication in
 * throttle mode: an id per organisation and a TTL as long as the delay), so that a burst of
 * changes costs one count, which runs after the last change of its window. The job removes the
 * key (when it is still its own) before it counts, so a change either finds a job that has not
 * counted yet or adds one, whatever the clocks of Redis and the processes. Never fails the
 * caller: a lost trigger leaves the counts as they were until the next change, or until the
 * snapshot's TTL sends the next reader to count again.
 */
@Injectable()
export class CountsTrigger {
  private readonly logger = new Logger(CountsTrigger.name);

  constructor(@InjectQueue(QueueName.Counts) private readonly queue: Queue) {}

  /** `delayMs`: the window (or what is left of the last count's, when the job runs early). */
  async changed(organisationId: string, delayMs = COUNTS_WINDOW_MS): Promise<void> {
    const payload: JobPayloads[typeof JobName.CountsRefresh] = { organisationId };
    const delay = Math.max(1, Math.ceil(delayMs));
    try {
      await this.queue.add(JobName.CountsRefresh, payload, {
        delay,
        // Within the TTL a second add is dropped while the job has not started; it counts what
        // every change of the window left behind (the TTL only throttles: the job removes the
        // key when it starts, CountsProcessor).
        deduplication: { id: `counts:${organisationId}`, ttl: delay },
        attempts: 3,
        removeOnComplete: { count: 100 },
      });
    } catch (error) {
      this.logger.warn(
        `counts not triggered: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}
