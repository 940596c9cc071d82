import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { JobName, QueueName, type JobPayloads } from '@toonbank/shared';
import type { Queue } from 'bullmq';

/**
 * Asks the worker to route an organisation's unassigned queue (SPEC.md §4: on new and
 * reopened conversations, a user becoming available, capacity freeing up, a maturity or
 * role change). Never fails the caller: a lost trigger is made up by the worker's sweep.
 */
@Injectable()
export class RoutingTrigger {
  private readonly logger = new Logger(RoutingTrigger.name);

  constructor(@InjectQueue(QueueName.Routing) private readonly queue: Queue) {}

  async routeQueue(organisationId: string, reason: string): Promise<void> {
    const payload: JobPayloads[typeof JobName.RouteQueue] = { organisationId, reason };
    try {
      // One routing of an organisation waits at a time, and one more while one runs: each
      // reads the queue as it is then, so a storm of triggers needs no more than that.
      await this.queue.add(JobName.RouteQueue, payload, {
        deduplication: { id: `route-queue:${organisationId}`, keepLastIfActive: true },
      });
    } catch (error) {
      this.logger.warn(
        `routing not triggered (${reason}): ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}
