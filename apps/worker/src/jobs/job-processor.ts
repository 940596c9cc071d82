import { OnWorkerEvent, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import type { JobName } from '@toonbank/shared';
import { UnrecoverableError, type Job } from 'bullmq';

/** `token`: the worker's lock on the job (to move it to delayed). */
export type JobHandler = (job: Job, token?: string) => Promise<unknown>;

/**
 * A BullMQ processor that names the jobs it handles. The start-up check
 * (JobRegistryCheck) refuses to run when a job has no handler or two.
 */
export abstract class JobProcessor extends WorkerHost {
  abstract readonly handlers: Partial<Record<JobName, JobHandler>>;
  private readonly log = new Logger('JobProcessor');

  /** Redis outages surface here while the worker reconnects by itself. */
  @OnWorkerEvent('error')
  onError(error: Error): void {
    this.log.warn(`worker connection: ${error.message}`);
  }

  @OnWorkerEvent('failed')
  onFailed(job: Job | undefined, error: Error): void {
    this.log.warn(`job ${job?.name ?? '?'} ${job?.id ?? ''} failed: ${error.message}`);
  }

  async process(job: Job, token?: string): Promise<unknown> {
    const handler = this.handlers[job.name as JobName];
    if (!handler) throw new UnrecoverableError(`no handler for job ${job.name}`);
    return handler(job, token);
  }
}
