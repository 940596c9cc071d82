import { InjectQueue, Processor } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { RawRetention } from '@toonbank/ingest';
import type { JobSchedule } from '@toonbank/platform';
import { JobName, QueueName } from '@toonbank/shared';
import { SessionsRepository } from '@toonbank/users';
import type { Queue } from 'bullmq';
import { JobProcessor } from './job-processor';

/** When the nightly jobs run (cron, in Amsterdam's time: the quiet hours). */
export const MAINTENANCE_SCHEDULES = {
  [JobName.PruneSessions]: '17 3 * * *',
  [JobName.DropExpiredRaw]: '41 3 * * *',
} as const;
const SCHEDULE_ZONE = 'Europe/Amsterdam';

/**
 * House-keeping every night: drops expired sessions and refresh tokens, and the raw payloads
 * older than each organisation's retention (RawRetention).
 */
@Processor(QueueName.Maintenance)
export class MaintenanceProcessor extends JobProcessor {
  private readonly logger = new Logger(MaintenanceProcessor.name);

  readonly handlers = {
    [JobName.PruneSessions]: async () => {
      const removed = await this.sessions.prune(new Date());
      this.logger.log(`pruned ${removed} expired sessions`);
      return { removed };
    },
    [JobName.DropExpiredRaw]: async () => {
      const result = await this.rawRetention.dropExpired(new Date());
      this.logger.log(
        `dropped ${result.dropped} expired raw payloads in ${result.batches} batches, and ${result.quarantined} quarantined items`,
      );
      return result;
    },
  };

  constructor(
    private readonly sessions: SessionsRepository,
    private readonly rawRetention: RawRetention,
    @InjectQueue(QueueName.Maintenance) private readonly queue: Queue,
  ) {
    super();
  }

  override schedules(): Promise<JobSchedule[]> {
    return Promise.resolve(
      Object.entries(MAINTENANCE_SCHEDULES).map(([name, pattern]) => ({
        queue: this.queue,
        id: name,
        repeat: { pattern, tz: SCHEDULE_ZONE },
        job: { name, data: {} },
      })),
    );
  }
}
