import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DiscoveryService } from '@nestjs/core';
import {
  InjectRedis,
  upsertJobSchedule,
  type Environment,
  type JobSchedule,
} from '@toonbank/platform';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { JobProcessor } from './jobs/job-processor';

/** Schedulers re-created at once when Redis lost them. */
const RESTORE_CONCURRENCY = 200;

/**
 * Keeps every processor's job schedulers (polls, sweeps, maintenance) in Redis. At start-up it
 * writes them as configured; afterwards it re-creates the ones Redis lost (a Redis back
 * without its data), at every reconnect and every SCHEDULE_CHECK_SECONDS. The check runs on
 * a timer of this process, not in a BullMQ job: a job would be lost with the rest.
 */
@Injectable()
export class ScheduleKeeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ScheduleKeeper.name);
  private timer?: NodeJS.Timeout;
  private running: Promise<void> | null = null;
  private checkAgain = false;
  private readonly onReady = () => this.check('Redis reconnected');

  constructor(
    private readonly discovery: DiscoveryService,
    @InjectRedis() private readonly redis: Redis,
    private readonly config: ConfigService<Environment, true>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const schedules = await this.wanted();
    await upsertAll(schedules);
    this.logger.log(`${schedules.length} job schedulers in place`);
    this.redis.on('ready', this.onReady);
    const seconds = this.config.get('SCHEDULE_CHECK_SECONDS', { infer: true });
    this.timer = setInterval(() => this.check('periodic check'), seconds * 1000);
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
    this.redis.off('ready', this.onReady);
  }

  /** One check at a time; a reason arriving meanwhile runs one more after it. */
  check(reason: string): void {
    if (this.running) {
      this.checkAgain = true;
      return;
    }
    this.running = this.restoreMissing(reason)
      .catch((error: unknown) =>
        this.logger.warn(
          `job schedulers not checked (${reason}): ${error instanceof Error ? error.message : String(error)}`,
        ),
      )
      .finally(() => {
        this.running = null;
        if (this.checkAgain) {
          this.checkAgain = false;
          this.check(reason);
        }
      });
  }

  /**
   * Creates the wanted schedulers that Redis does not have, leaves the others as they are, and
   * removes a processor's own ones it no longer wants (an account paused or deleted). Both are
   * asked again right before they are written (schedules() is a snapshot that may be stale by
   * then): the missing ones in one read, a removal by its owner's stillWanted.
   */
  private async restoreMissing(reason: string): Promise<void> {
    const processors = this.processors();
    const owners = processors.flatMap((p) => p.ownedSchedulers() ?? []);
    const ownerOf = (queue: Queue, id: string) =>
      owners.find((o) => o.queue === queue && id.startsWith(o.idPrefix));
    const byQueue = new Map<Queue, JobSchedule[]>();
    for (const owner of owners) byQueue.set(owner.queue, []);
    for (const schedule of await this.wanted(processors)) {
      const schedules = byQueue.get(schedule.queue);
      if (schedules) schedules.push(schedule);
      else byQueue.set(schedule.queue, [schedule]);
    }
    const missing: JobSchedule[] = [];
    let removed = 0;
    for (const [queue, schedules] of byQueue) {
      const present = new Set((await queue.getJobSchedulers(0, -1)).map((s) => s.key));
      missing.push(...schedules.filter((schedule) => !present.has(schedule.id)));
      const wantedIds = new Set(schedules.map((schedule) => schedule.id));
      for (const id of present) {
        const owner = ownerOf(queue, id);
        if (!owner || wantedIds.has(id) || (await owner.stillWanted(id))) continue;
        await queue.removeJobScheduler(id);
        removed += 1;
      }
    }
    // Asked again in one read right before writing (the first is a snapshot that may be stale
    // by now: an account paused meanwhile), then written many at a time: after Redis lost its
    // data, thousands are missing.
    const stillWanted =
      missing.length > 0
        ? new Set((await this.wanted(processors)).map((s) => `${s.queue.name}\n${s.id}`))
        : new Set<string>();
    const restoring = missing.filter((s) => stillWanted.has(`${s.queue.name}\n${s.id}`));
    await upsertAll(restoring);
    const restored = restoring.length;
    if (restored > 0) this.logger.warn(`re-created ${restored} lost job schedulers (${reason})`);
    if (removed > 0)
      this.logger.log(`removed ${removed} job schedulers no longer wanted (${reason})`);
  }

  private processors(): JobProcessor[] {
    return this.discovery
      .getProviders()
      .map((wrapper) => wrapper.instance as unknown)
      .filter((instance): instance is JobProcessor => instance instanceof JobProcessor);
  }

  private async wanted(processors = this.processors()): Promise<JobSchedule[]> {
    return (await Promise.all(processors.map((p) => p.schedules()))).flat();
  }
}

/**
 * Writes schedulers many at a time (ioredis pipelines them): one by one, a few thousand
 * polled accounts would take Redis round trips enough to leave polling stalled for seconds.
 */
async function upsertAll(schedules: JobSchedule[]): Promise<void> {
  for (let start = 0; start < schedules.length; start += RESTORE_CONCURRENCY) {
    await Promise.all(schedules.slice(start, start + RESTORE_CONCURRENCY).map(upsertJobSchedule));
  }
}
