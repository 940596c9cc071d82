import { InjectQueue, Processor } from '@nestjs/bullmq';
import { Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Environment } from '@toonbank/platform';
import { RoutingService, RoutingSweep } from '@toonbank/routing';
import { JobName, QueueName, type JobPayloads } from '@toonbank/shared';
import type { Job, Queue } from 'bullmq';
import { JobProcessor } from './job-processor';

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

  async onApplicationBootstrap(): Promise<void> {
    const seconds = this.config.get('SWEEP_INTERVAL_SECONDS', { infer: true });
    if (seconds === 0) {
      await this.queue.removeJobScheduler(JobName.RoutingSweep);
      return;
    }
    await this.queue.upsertJobScheduler(
      JobName.RoutingSweep,
      { every: seconds * 1000 },
      { name: JobName.RoutingSweep, data: {}, opts: { attempts: 1 } },
    );
  }
}
