import { InjectQueue, Processor } from '@nestjs/bullmq';
import { Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Environment, JobSchedule } from '@toonbank/platform';
import { RoutingService, RoutingSweep } from '@toonbank/routing';
import { JobName, QueueName, type JobPayloads } from '@toonbank/shared';
import type { Job, Queue } from 'bullmq';
import { JobProcessor, sweepSchedule } from './job-processor';

export const ROUTING_CONCURRENCY = 4;

/** Routes unassigned queues (several at once: the routing itself is safe under concurrency). */
@Processor(QueueName.Routing, { concurrency: ROUTING_CONCURRENCY })
export class RoutingProcessor extends JobProcessor implements OnApplicationBootstrap {
  private readonly logger = new Logger(RoutingProcessor.name);

  readonly handlers = {
    [JobName.RouteQueue]: async (job: Job) => {
      const { organisationId } = job.data as JobPayloads[typeof JobName.RouteQueue];
      const result = await this.routing.routeQueue(organisationId);
      // A long queue continues in a job of its own, so that other organisations get their turn.
      if (result.more)
        await this.queue.add(JobName.RouteQueue, { organisationId, reason: 'continued' });
      return result;
    },
    [JobName.RoutingSweep]: async () => {
      const result = await this.sweeper.sweep();
      if (result.handedBack > 0)
        this.logger.log(`handed back ${result.handedBack} untouched conversations`);
      return result;
    },
  };

  constructor(
    private readonly routing: RoutingService,
    private readonly sweeper: RoutingSweep,
    @InjectQueue(QueueName.Routing) private readonly queue: Queue,
    private readonly config: ConfigService<Environment, true>,
  ) {
    super();
  }

  /** Turned off (0): the sweep's scheduler is removed; else the ScheduleKeeper keeps it. */
  async onApplicationBootstrap(): Promise<void> {
    if (this.sweepSeconds() === 0) await this.queue.removeJobScheduler(JobName.RoutingSweep);
  }

  override schedules(): Promise<JobSchedule[]> {
    const seconds = this.sweepSeconds();
    return Promise.resolve(
      seconds === 0 ? [] : [sweepSchedule(this.queue, JobName.RoutingSweep, seconds)],
    );
  }

  private sweepSeconds(): number {
    return this.config.get('SWEEP_INTERVAL_SECONDS', { infer: true });
  }
}
