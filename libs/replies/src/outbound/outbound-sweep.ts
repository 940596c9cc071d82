import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { JobName, QueueName, type JobPayloads } from '@toonbank/shared';
import type { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { OUTBOUND_JOB_OPTIONS, outboundJobId } from '../outbound-queue';

/** A queued reply untouched this long has its job checked. */
const STALE_AFTER_SECONDS = 120;
const SWEEP_BATCH = 500;

/**
 * Queued replies whose job was lost (Redis was down when the reply was queued, or the job's
 * history ended) are handed to the queue again. A job still waiting, delayed or running is
 * left alone; the job id (outboundJobId: the reply's, per retry) keeps it to one job per reply.
 */
@Injectable()
export class OutboundSweep {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectQueue(QueueName.Outbound) private readonly queue: Queue,
  ) {}

  /** Every organisation's, or one's (`organisationId`). */
  async sweep(organisationId?: string): Promise<number> {
    const stale: { id: string; organisation_id: string; retry_count: number }[] =
      await this.db.query(
        `SELECT id, organisation_id, retry_count FROM replies
        WHERE status = 'queued' AND updated_at < now() - make_interval(secs => $1)
          AND ($3::uuid IS NULL OR organisation_id = $3)
        ORDER BY updated_at LIMIT $2`,
        [STALE_AFTER_SECONDS, SWEEP_BATCH, organisationId ?? null],
      );
    let requeued = 0;
    for (const reply of stale) {
      const jobId = outboundJobId(reply.id, reply.retry_count);
      const job = await this.queue.getJob(jobId);
      const state = job ? await job.getState() : 'missing';
      if (['waiting', 'delayed', 'active', 'prioritized', 'waiting-children'].includes(state)) {
        continue;
      }
      if (job) await job.remove();
      const payload: JobPayloads[typeof JobName.OutboundSend] = {
        organisationId: reply.organisation_id,
        replyId: reply.id,
      };
      await this.queue.add(JobName.OutboundSend, payload, {
        ...OUTBOUND_JOB_OPTIONS,
        jobId,
      });
      requeued += 1;
    }
    return requeued;
  }
}
