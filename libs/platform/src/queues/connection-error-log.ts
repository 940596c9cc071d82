/** Where the reports go: the Nest logger, that is pino. */
interface WarnLogger {
  warn(message: string): void;
}

/** Anything that emits connection errors: a BullMQ Queue, QueueEvents or Worker, an ioredis client. */
interface ErrorEmitter {
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/** One report per source at most this often during an outage. */
export const CONNECTION_ERROR_REPORT_MS = 30_000;

/**
 * Connection errors logged through the logger, at most once per source every
 * CONNECTION_ERROR_REPORT_MS, with the count of those held back: while Redis is away every
 * connection fails several times a second. An object with an 'error' listener is also one
 * that BullMQ does not print to stderr itself.
 */
export class ConnectionErrorLog {
  private readonly sources = new Map<string, { reportedAt: number; heldBack: number }>();

  constructor(
    private readonly logger: WarnLogger,
    private readonly now: () => number = Date.now,
  ) {}

  /** Listens to the emitter's errors under this name. */
  watch(source: string, emitter: ErrorEmitter): void {
    emitter.on('error', (error: Error) => this.report(source, error));
  }

  report(source: string, error: Error): void {
    const now = this.now();
    const seen = this.sources.get(source);
    if (seen && now - seen.reportedAt < CONNECTION_ERROR_REPORT_MS) {
      seen.heldBack += 1;
      return;
    }
    const heldBack = seen?.heldBack ? ` (${seen.heldBack} more since the last report)` : '';
    this.sources.set(source, { reportedAt: now, heldBack: 0 });
    this.logger.warn(`${source}: ${error.message}${heldBack}`);
  }
}
