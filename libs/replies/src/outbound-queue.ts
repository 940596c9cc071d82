import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { JobName, QueueName, type JobPayloads } from '@toonbank/shared';
import type { Queue } from 'bullmq';

/** Retries of one send: transient failures back off from 5 seconds to about 20 minutes. */
export const OUTBOUND_JOB_OPTIONS = {
  attempts: 9,
  backoff: { type: 'exponential', delay: 5_000 },
} as const;

/**
 * The job of a queued reply: its id, and for the n-th retry a person asked for
 * (POST /api/replies/:id/retry) `<id>-retry-<n>`, a job of its own, so that the finished job of
 * the failed attempt (kept in the queue's history, or still finishing) never swallows it.
 */
export const outboundJobId = (replyId: string, retryCount = 0): string =>
  retryCount === 0 ? replyId : `${replyId}-retry-${retryCount}`;

/**
 * Hands a queued reply to the worker. The job id is the reply's (outboundJobId), so that however
 * often a reply is handed over, one job sends it. Never fails the caller: the worker's sweep picks
 * up a queued reply whose job was lost.
 */
@Injectable()
export class OutboundQueue {
  private readonly logger = new Logger(OutboundQueue.name);

  constructor(@InjectQueue(QueueName.Outbound) private readonly queue: Queue) {}

  /** `retryCount`: the reply's `retry_count` (0 until someone retries it). */
  async send(organisationId: string, replyId: string, retryCount = 0): Promise<void> {
    const payload: JobPayloads[typeof JobName.OutboundSend] = { organisationId, replyId };
    try {
      await this.queue.add(JobName.OutboundSend, payload, {
        ...OUTBOUND_JOB_OPTIONS,
        jobId: outboundJobId(replyId, retryCount),
      });
    } catch (error) {
      this.logger.warn(
        `reply ${replyId} not handed to the worker yet (the sweep will): ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}
