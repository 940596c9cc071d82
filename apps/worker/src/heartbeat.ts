import { hostname } from 'node:os';
import {
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { InjectRedis, RedisConnections } from '@toonbank/platform';
import type { Redis } from 'ioredis';

export const HEARTBEAT_INTERVAL_MS = 10_000;
export const heartbeatKey = (prefix: string, host = hostname()) =>
  `${prefix}:worker:heartbeat:${host}`;

/** A key in Redis that lives while the worker runs: the container health check reads it. */
@Injectable()
export class WorkerHeartbeat implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;

  constructor(
    @InjectRedis() private readonly redis: Redis,
    private readonly connections: RedisConnections,
  ) {}

  onApplicationBootstrap(): void {
    const beat = () =>
      void this.redis
        .set(
          heartbeatKey(this.connections.prefix),
          new Date().toISOString(),
          'PX',
          HEARTBEAT_INTERVAL_MS * 3,
        )
        .catch(() => undefined);
    beat();
    this.timer = setInterval(beat, HEARTBEAT_INTERVAL_MS);
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }
}
