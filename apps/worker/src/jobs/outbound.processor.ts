import { InjectQueue, Processor } from '@nestjs/bullmq';
import { Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Environment } from '@toonbank/platform';
import { OutboundSender, OutboundSweep } from '@toonbank/replies';
import { JobName, QueueName, type JobPayloads } from '@toonbank/shared';
import { DelayedError, type Job, type Queue } from 'bullmq';
import { JobProcessor } from './job-processor';

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

  async onApplicationBootstrap(): Promise<void> {
    const seconds = this.config.get('SWEEP_INTERVAL_SECONDS', { infer: true });
    if (seconds === 0) {
      await this.queue.removeJobScheduler(JobName.OutboundSweep);
      return;
    }
    await this.queue.upsertJobScheduler(
      JobName.OutboundSweep,
      { every: seconds * 1000 },
      { name: JobName.OutboundSweep, data: {}, opts: { attempts: 1 } },
    );
  }
}
