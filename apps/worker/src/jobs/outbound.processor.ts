import { InjectQueue, Processor } from '@nestjs/bullmq';
import { Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Environment, JobSchedule } from '@toonbank/platform';
import { OutboundSender, OutboundSweep } from '@toonbank/replies';
import { JobName, QueueName, type JobPayloads } from '@toonbank/shared';
import { DelayedError, type Job, type Queue } from 'bullmq';
import { JobProcessor, sweepSchedule } from './job-processor';

/** Posts replies to their channels, and sweeps up queued replies whose job was lost. */
@Processor(QueueName.Outbound, { concurrency: 4 })
export class OutboundProcessor extends JobProcessor implements OnApplicationBootstrap {
  private readonly logger = new Logger(OutboundProcessor.name);

  readonly handlers = {
    [JobName.OutboundSend]: async (job: Job, token?: string) => {
      const { organisationId, replyId } = job.data as JobPayloads[typeof JobName.OutboundSend];
      const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      const outcome = await this.sender.send(organisationId, replyId, lastAttempt);
      if (outcome.kind === 'retry') throw new Error(outcome.error);
      if (outcome.kind === 'delay') {
        // The channel's rate limit: the same attempt again after its reset, not counted as a failure.
        await job.moveToDelayed(outcome.until.getTime(), token);
        throw new DelayedError();
      }
      return outcome;
    },
    [JobName.OutboundSweep]: async () => {
      const requeued = await this.sweeper.sweep();
      if (requeued > 0) this.logger.log(`queued ${requeued} replies whose job was lost`);
      return { requeued };
    },
  };

  constructor(
    private readonly sender: OutboundSender,
    private readonly sweeper: OutboundSweep,
    @InjectQueue(QueueName.Outbound) private readonly queue: Queue,
    private readonly config: ConfigService<Environment, true>,
  ) {
    super();
  }

  /** Turned off (0): the sweep's scheduler is removed; else the ScheduleKeeper keeps it. */
  async onApplicationBootstrap(): Promise<void> {
    if (this.sweepSeconds() === 0) await this.queue.removeJobScheduler(JobName.OutboundSweep);
  }

  override schedules(): Promise<JobSchedule[]> {
    const seconds = this.sweepSeconds();
    return Promise.resolve(
      seconds === 0 ? [] : [sweepSchedule(this.queue, JobName.OutboundSweep, seconds)],
    );
  }

  private sweepSeconds(): number {
    return this.config.get('SWEEP_INTERVAL_SECONDS', { infer: true });
  }
}
