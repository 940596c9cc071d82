import type { JobSchedulerTemplateOptions, Queue, RepeatOptions } from 'bullmq';

/**
 * One BullMQ job scheduler as its owner wants it: enough to create it again when Redis lost
 * it (the worker's ScheduleKeeper), from the owner's own settings and PostgreSQL.
 */
export interface JobSchedule {
  queue: Queue;
  id: string;
  repeat: Omit<RepeatOptions, 'key'>;
  job: { name: string; data: Record<string, unknown>; opts?: JobSchedulerTemplateOptions };
}

/** Creates the scheduler, or changes it to these settings. */
export async function upsertJobSchedule(schedule: JobSchedule): Promise<void> {
  await schedule.queue.upsertJobScheduler(schedule.id, schedule.repeat, schedule.job);
}
