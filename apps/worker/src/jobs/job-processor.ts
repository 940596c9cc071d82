import { WorkerHost } from '@nestjs/bullmq';
import type { JobName } from '@toonbank/shared';
import { UnrecoverableError, type Job } from 'bullmq';

export type JobHandler = (job: Job) => Promise<unknown>;

/**
 * A BullMQ processor that names the jobs it handles. The start-up check
 * (JobRegistryCheck) refuses to run when a job has no handler or two.
 */
export abstract class JobProcessor extends WorkerHost {
  abstract readonly handlers: Partial<Record<JobName, JobHandler>>;

  async process(job: Job): Promise<unknown> {
    const handler = this.handlers[job.name as JobName];
    if (!handler) throw new UnrecoverableError(`no handler for job ${job.name}`);
    return handler(job);
  }
}
