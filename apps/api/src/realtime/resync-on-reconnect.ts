import { Logger } from '@nestjs/common';
import type { ResyncReason } from '@toonbank/shared';
import type { Redis } from 'ioredis';

/**
 * Watches the socket.io adapter's Redis connections. When one comes back after losing its
 * connection, whatever was published meanwhile never reached this process (Redis pub/sub keeps
 * nothing), and its sockets, which stayed connected, would never know. So once every connection
 * is ready again and the subscriber's subscriptions are confirmed (a PING answered after
 * ioredis re-sent them), `announce` is called once: the api tells its own sockets to read again.
 * An event published after that arrives, so a client that re-reads then misses nothing.
 */
export class ResyncOnReconnect {
  private readonly logger = new Logger(ResyncOnReconnect.name);
  private readonly everReady = new WeakSet<Redis>();
  private pending = false;

  constructor(
    private readonly subscriber: Redis,
    private readonly others: readonly Redis[],
    private readonly announce: (reason: ResyncReason) => void,
  ) {
    for (const connection of this.connections) {
      if (connection.status === 'ready') this.everReady.add(connection);
      connection.on('ready', () => {
        if (this.everReady.has(connection)) this.schedule();
        else this.everReady.add(connection);
      });
    }
  }

  private get connections(): readonly Redis[] {
    return [this.subscriber, ...this.others];
  }

  private schedule(): void {
    if (this.pending) return;
    this.pending = true;
    void this.announceWhenSubscribed().finally(() => {
      this.pending = false;
    });
  }

  private async announceWhenSubscribed(): Promise<void> {
    try {
      for (const connection of this.connections) {
        if (connection.status !== 'ready') await onceReady(connection);
      }
      // Commands run in order: the answer comes after those of the re-sent (P)SUBSCRIBEs.
      await this.subscriber.ping();
    } catch (error) {
      // Gone again: the next 'ready' schedules the resync.
      this.logger.warn(`no resync yet, Redis is away again: ${messageOf(error)}`);
      return;
    }
    this.logger.warn('Redis reconnected: live events may be lost, sockets told to resync');
    this.announce('redis_reconnected');
  }
}

const onceReady = (connection: Redis) =>
  new Promise<void>((resolve, reject) => {
    const ready = () => {
      connection.off('end', ended);
      resolve();
    };
    const ended = () => {
      connection.off('ready', ready);
      reject(new Error('connection ended'));
    };
    connection.once('ready', ready);
    connection.once('end', ended);
  });

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
