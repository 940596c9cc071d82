import { InjectQueue, Processor } from '@nestjs/bullmq';
import { Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { JobName, QueueName } from '@toonbank/shared';
import { SessionsRepository } from '@toonbank/users';
import type { Queue } from 'bullmq';
import { JobProcessor } from './job-processor';

/** House-keeping: drops expired sessions and refresh tokens every night. */
@Processor(QueueName.Maintenance)
export class MaintenanceProcessor extends JobProcessor implements OnApplicationBootstrap {
  private readonly logger = new Logger(MaintenanceProcessor.name);

  readonly handlers = {
    [JobName.PruneSessions]: async () => {
      const removed = await this.sessions.prune(new Date());
      this.logger.log(`pruned ${removed} expired sessions`);
      return { removed };
    },
  };

  constructor(
    private readonly sessions: SessionsRepository,
    @InjectQueue(QueueName.Maintenance) private readonly queue: Queue,
  ) {
    super();
  }

  /** The scheduler is idempotent: every worker may upsert it at start-up. */
  async onApplicationBootstrap(): Promise<void> {
    await this.queue.upsertJobScheduler(
      JobName.PruneSessions,
      { pattern: '17 3 * * *', tz: 'Europe/Amsterdam' },
      { name: JobName.PruneSessions, data: {} },
    );
  }
}
