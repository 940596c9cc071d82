import { WorkerHost } from '@nestjs/bullmq';
import { Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { Worker } from 'bullmq';
import type { Redis } from 'ioredis';

/** How long a closing worker waits for its blocking connection to come back before closing anyway. */
export const RECONNECT_WAIT_MS = 20_000;

/**
 * Closes one BullMQ worker: it stops taking jobs and waits for the ones it runs.
 *
 * Worker.close() interrupts the worker's blocking connection and waits for its 'end' event,
 * which ioredis never emits for a client disconnected between two reconnect attempts (status
 * 'reconnecting': no socket, the retry timer cleared by the disconnect). A worker closed in the
 * second after a reconnect (a Redis restart, or BullMQ's own reset of a stuck BZPOPMIN) would
 * hang for ever (taskforcesh/bullmq#4656), so it first waits until that connection is back.
 * Status changes arrive as socket events, never between this check and close()'s disconnect.
 */
export async function closeWorker(worker: Worker): Promise<void> {
  const blocking = await blockingClientOf(worker);
  if (blocking?.status === 'reconnecting') await readyOrAfter(blocking, RECONNECT_WAIT_MS);
  await worker.close();
}

/** The worker's dedicated BZPOPMIN connection (an ioredis client: the connection options make it one). */
export async function blockingClientOf(worker: Worker): Promise<Redis | undefined> {
  return (await worker.backend.blockingClient) as Redis | undefined;
}

function readyOrAfter(client: Redis, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      client.off('ready', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    client.once('ready', done);
  });
}

/**
 * The worker's drain when it stops: every BullMQ worker stops taking jobs and waits for the
 * ones it is running, before the database and Redis connections close under them. It runs
 * before the application's shutdown hooks (where @nestjs/bullmq would close the workers
 * without the care of closeWorker), whether the process got a signal or a test closes the
 * context. What does not finish within the grace period (stopOnSignals) stays locked in
 * Redis until its lock lapses; BullMQ then finds it stalled and another worker runs it again.
 */
@Injectable()
export class WorkerDrain implements BeforeApplicationShutdown {
  constructor(private readonly discovery: DiscoveryService) {}

  async beforeApplicationShutdown(): Promise<void> {
    await this.drain();
  }

  async drain(): Promise<void> {
    const hosts = this.discovery
      .getProviders()
      .map((wrapper) => wrapper.instance as unknown)
      .filter((instance): instance is WorkerHost => instance instanceof WorkerHost);
    await Promise.all(hosts.map((host) => closeWorker(host.worker)));
  }
}
