import { getQueueToken } from '@nestjs/bullmq';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { Metrics, type QueueDepths } from '@toonbank/platform';
import { QueueName } from '@toonbank/shared';
import type { Queue } from 'bullmq';

/** A scrape must not hang on Redis: past this, the queue series are left out. */
const READ_TIMEOUT_MS = 1000;

/** Reads every queue's job counts from BullMQ when /metrics is scraped. */
@Injectable()
export class QueueDepthReader implements OnModuleInit {
  constructor(
    private readonly moduleRef: ModuleRef,
    private readonly metrics: Metrics,
  ) {}

  onModuleInit(): void {
    const queues = Object.values(QueueName).map((name) =>
      this.moduleRef.get<Queue>(getQueueToken(name), { strict: false }),
    );
    this.metrics.readQueueDepthsWith(() => this.read(queues));
  }

  private async read(queues: Queue[]): Promise<QueueDepths | null> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), READ_TIMEOUT_MS);
    });
    const counts = Promise.all(
      queues.map(async (queue) => {
        const c = await queue.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'failed');
        const depth = {
          waiting: (c.waiting ?? 0) + (c.prioritized ?? 0),
          active: c.active ?? 0,
          delayed: c.delayed ?? 0,
          failed: c.failed ?? 0,
        };
        return [queue.name, depth] as const;
      }),
    ).then(
      (entries) => Object.fromEntries(entries),
      () => null,
    );
    try {
      return await Promise.race([counts, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
