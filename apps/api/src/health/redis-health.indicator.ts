import { once } from 'node:events';
import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { RedisConnections } from '@toonbank/platform';
import type { Redis } from 'ioredis';

const PING_TIMEOUT_MS = 1000;

/** Pings Redis on a connection of its own that fails fast instead of queueing while Redis is away. */
@Injectable()
export class RedisHealthIndicator implements OnApplicationShutdown {
  private readonly client: Redis;

  constructor(
    connections: RedisConnections,
    private readonly indicators: HealthIndicatorService,
  ) {
    this.client = connections.open('health', {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: PING_TIMEOUT_MS,
      retryStrategy: () => 500,
    });
  }

  async check(key: string) {
    const indicator = this.indicators.check(key);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('timeout')), PING_TIMEOUT_MS);
    });
    try {
      // Just after start the connection may not be ready yet: wait for it, within the timeout.
      const ready = this.client.status === 'ready' ? Promise.resolve() : once(this.client, 'ready');
      await Promise.race([ready.then(() => this.client.ping()), timeout]);
      return indicator.up();
    } catch {
      return indicator.down();
    } finally {
      clearTimeout(timer);
    }
  }

  onApplicationShutdown(): void {
    this.client.disconnect();
  }
}
