import { OnWorkerEvent, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger, Optional } from '@nestjs/common';
import { ConnectionErrorLog, Metrics, type JobSchedule } from '@toonbank/platform';
import type { JobName } from '@toonbank/shared';
import { DelayedError, UnrecoverableError, type Job, type Queue } from 'bullmq';

/** `token`: the worker's lock on the job (to move it to delayed). */
export type JobHandler = (job: Job, token?: string) => Promise<unknown>;

/** A sweep's scheduler: its job every `seconds`, not retried (the next sweep comes soon). */
export const sweepSchedule = (queue: Queue, name: JobName, seconds: number): JobSchedule => ({
  queue,
  id: name,
  repeat: { every: seconds * 1000 },
  job: { name, data: {}, opts: { attempts: 1 } },
});

/**
 * Job schedulers a processor keeps beyond a fixed list (one per polled account): every one
 * whose id starts with `idPrefix` is its own. The ScheduleKeeper asks `stillWanted` right
 * before it re-creates a missing one (the account may have been paused meanwhile) or removes
 * one that schedules() no longer lists.
 */
export interface OwnedSchedulers {
  queue: Queue;
  idPrefix: string;
  stillWanted(schedulerId: string): Promise<boolean>;
}

/**
 * A BullMQ processor that names the jobs it handles, and the job schedulers it needs. The
 * start-up check (JobRegistryCheck) refuses to run when a job has no handler or two; the
 * ScheduleKeeper keeps the schedulers in Redis.
 */
export abstract class JobProcessor extends WorkerHost {
  abstract readonly handlers: Partial<Record<JobName, JobHandler>>;
  private readonly log = new Logger('JobProcessor');
  private readonly connectionErrors = new ConnectionErrorLog(this.log);
  /** Injected into the property, so that no processor's constructor has to pass it on. */
  @Optional() @Inject(Metrics) private readonly metrics?: Metrics;

  /** The job schedulers this processor needs now (read afresh at every check). */
  schedules(): Promise<JobSchedule[]> {
    return Promise.resolve([]);
  }

  /** The schedulers it owns by id prefix (null: only those schedules() lists). */
  ownedSchedulers(): OwnedSchedulers | null {
    return null;
  }

  /** Redis outages surface here while the worker reconnects by itself (rate-limited). */
  @OnWorkerEvent('error')
  onError(error: Error): void {
    this.connectionErrors.report(`worker ${this.worker.name}`, error);
  }

  @OnWorkerEvent('failed')
  onFailed(job: Job | undefined, error: Error): void {
    this.log.warn(`job ${job?.name ?? '?'} ${job?.id ?? ''} failed: ${error.message}`);
  }

  async process(job: Job, token?: string): Promise<unknown> {
    const handler = this.handlers[job.name as JobName];
    if (!handler) throw new UnrecoverableError(`no handler for job ${job.name}`);
    const done = this.metrics?.timeJob({ queue: job.queueName, name: job.name });
    try {
      const result = await handler(job, token);
      done?.('completed');
      return result;
    } catch (error) {
      done?.(error instanceof DelayedError ? 'delayed' : 'failed');
      throw error;
    }
  }
}
