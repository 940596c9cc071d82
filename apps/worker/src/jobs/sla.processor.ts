import { InjectQueue, Processor } from '@nestjs/bullmq';
import { Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Environment, JobSchedule } from '@toonbank/platform';
import { JobName, QueueName, type JobPayloads } from '@toonbank/shared';
import { SlaService, SlaTimerRebuild } from '@toonbank/sla';
import type { Job, Queue } from 'bullmq';
import { JobProcessor, sweepSchedule } from './job-processor';

/** SLA timers at their due time, and the sweep that flags what lost ones missed and sets them again. */
@Processor(QueueName.Sla, { concurrency: 4 })
export class SlaProcessor extends JobProcessor implements OnApplicationBootstrap {
  private readonly logger = new Logger(SlaProcessor.name);

  readonly handlers = {
    [JobName.SlaCheck]: async (job: Job) => {
      const { organisationId, conversationId } = job.data as JobPayloads[typeof JobName.SlaCheck];
      return { breached: await this.sla.check(organisationId, conversationId) };
    },
    [JobName.SlaSweep]: async () => {
      const now = new Date();
      const flagged = await this.sla.sweep(now);
      if (flagged > 0) this.logger.log(`flagged ${flagged} SLA breaches whose timers were lost`);
      const rebuilt = await this.timers.rebuildIfLost(now);
      if (rebuilt > 0) this.logger.warn(`set ${rebuilt} SLA timers again that Redis had lost`);
      return { flagged, rebuilt };
    },
  };

  constructor(
    private readonly sla: SlaService,
    private readonly timers: SlaTimerRebuild,
    @InjectQueue(QueueName.Sla) private readonly queue: Queue,
    private readonly config: ConfigService<Environment, true>,
  ) {
    super();
  }

  /** Turned off (0): the sweep's scheduler is removed; else the ScheduleKeeper keeps it. */
  async onApplicationBootstrap(): Promise<void> {
    if (this.sweepSeconds() === 0) await this.queue.removeJobScheduler(JobName.SlaSweep);
  }

  override schedules(): Promise<JobSchedule[]> {
    const seconds = this.sweepSeconds();
    return Promise.resolve(
      seconds === 0 ? [] : [sweepSchedule(this.queue, JobName.SlaSweep, seconds)],
    );
  }

  private sweepSeconds(): number {
    return this.config.get('SWEEP_INTERVAL_SECONDS', { infer: true });
  }
}
