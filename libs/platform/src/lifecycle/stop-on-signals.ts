import type { INestApplicationContext, LoggerService } from '@nestjs/common';
import { ShutdownState } from './shutdown-state';

/** How long a stop may take before the process gives up and exits 1 (compose waits 30 s). */
export const GRACE_MS = 25_000;

export interface StopOptions {
  /** After the signal, how long to go on serving while readiness says 503 (SHUTDOWN_DELAY_SECONDS). */
  delayMs?: number;
  /**
   * What must end before the application closes its modules, while the database and Redis
   * are still there: the api stops listening and lets requests in flight finish, the worker
   * stops taking jobs and lets the running ones finish.
   */
  drain?: () => Promise<void>;
  /** Last: what lives outside the application (the worker's metrics listener). */
  after?: () => Promise<void>;
}

/**
 * Graceful stop: on SIGTERM or SIGINT readiness turns 503 (ShutdownState), the process goes on
 * serving for `delayMs`, then drains, then the application closes (sockets, queue workers,
 * connections; every shutdown hook) and the process exits 0. A stop that hangs past the grace
 * period exits 1: a job still running then is taken back by BullMQ once its lock lapses
 * (stalled) and retried by another worker. A second signal ends the process at once.
 */
export function stopOnSignals(
  app: INestApplicationContext,
  logger: LoggerService,
  options: StopOptions = {},
): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    app.get(ShutdownState, { strict: false }).begin();
    logger.log(`${signal} received: stopping`);
    const deadline = setTimeout(() => {
      logger.error('did not stop within the grace period');
      process.exit(1);
    }, GRACE_MS);
    deadline.unref();
    const steps = async () => {
      if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
      await options.drain?.();
      await app.close();
      await options.after?.();
    };
    steps().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

/**
 * Libraries leave promises behind (the socket.io Redis adapter's clean-up while Redis is
 * away): such a rejection is logged, not allowed to end a process that is otherwise well.
 */
export function logUnhandledRejections(logger: LoggerService): void {
  process.on('unhandledRejection', (reason: unknown) => {
    logger.error(
      `unhandled rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`,
    );
  });
}
