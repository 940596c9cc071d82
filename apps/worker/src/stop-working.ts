import { WorkerHost } from '@nestjs/bullmq';
import type { INestApplicationContext } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';

/**
 * The worker's drain when it stops: every BullMQ worker stops taking jobs and waits for the
 * ones it is running, before the database and Redis connections close under them. What does
 * not finish within the grace period (stopOnSignals) stays locked in Redis until its lock
 * lapses; BullMQ then finds it stalled and another worker runs it again.
 */
export async function stopWorking(app: INestApplicationContext): Promise<void> {
  const hosts = app
    .get(DiscoveryService, { strict: false })
    .getProviders()
    .map((wrapper) => wrapper.instance as unknown)
    .filter((instance): instance is WorkerHost => instance instanceof WorkerHost);
  await Promise.all(hosts.map((host) => host.worker.close()));
}
