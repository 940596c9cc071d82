import type { INestApplicationContext, LoggerService } from '@nestjs/common';

const GRACE_MS = 25_000;

/**
 * Graceful stop: on SIGTERM or SIGINT the application closes (HTTP server, sockets, queue
 * workers, connections; every shutdown hook) and the process exits 0. A stop that hangs
 * past the grace period exits 1.
 */
export function stopOnSignals(app: INestApplicationContext, logger: LoggerService): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal} received: stopping`);
    const deadline = setTimeout(() => {
      logger.error('did not stop within the grace period');
      process.exit(1);
    }, GRACE_MS);
    deadline.unref();
    app.close().then(
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
