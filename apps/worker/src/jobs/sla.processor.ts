import { InjectQueue, Processor } from '@nestjs/bullmq';
import { Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Environment } from '@toonbank/platform';
import { JobName, QueueName, type JobPayloads } from '@toonbank/shared';
import { SlaService } from '@toonbank/sla';
import type { Job, Queue } from 'bullmq';
import { JobProcessor } from './job-processor';

/** SLA timers at their due time, and the sweep that makes up for lost ones. */
@Processor(QueueName.Sla, { concurrency: 4 })
export class SlaProcessor extends JobProcessor implements OnApplicationBootstrap {
  private readonly logger = new Logger(SlaProcessor.name);

  readonly handlers = {
    [JobName.SlaCheck]: async (job: Job) => {
      const { organisationId, conversationId } = job.data as JobPayloads[typeof JobName.SlaCheck];
      return { breached: await this.sla.check(organisationId, conversationId) };
    },
    [JobName.SlaSweep]: async () => {
      const flagged = await this.sla.sweep();
      if (flagged > 0) this.logger.log(`flagged ${flagged} SLA breaches whose timers were lost`);
      return { flagged };
    },
  };

  constructor(
    private readonly sla: SlaService,
    @InjectQueue(QueueName.Sla) private readonly queue: Queue,
    private readonly config: ConfigService<Environment, true>,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    const seconds = this.config.get('SWEEP_INTERVAL_SECONDS', { infer: true });
    if (seconds === 0) {
      await this.queue.removeJobScheduler(JobName.SlaSweep);
      return;
    }
    await this.queue.upsertJobScheduler(
      JobName.SlaSweep,
      { every: seconds * 1000 },
      { name: JobName.SlaSweep, data: {}, opts: { attempts: 1 } },
    );
  }
}
