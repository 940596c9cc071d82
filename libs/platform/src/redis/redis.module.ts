import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Redis, type RedisOptions } from 'ioredis';
import type { Environment } from '../config/environment';

/**
 * Hands out Redis connections and closes them at shutdown. Each purpose gets its own
 * connection (pub/sub and blocking commands cannot share one).
 */
@Injectable()
export class RedisConnections implements OnApplicationShutdown {
  private readonly opened: Redis[] = [];
  readonly url: string;
  /** Namespaces every key, queue and channel of this deployment. */
  readonly prefix: string;

  constructor(config: ConfigService<Environment, true>) {
    this.url = config.get('REDIS_URL', { infer: true });
    this.prefix = config.get('REDIS_PREFIX', { infer: true });
  }

  open(connectionName: string, options: RedisOptions = {}): Redis {
    const client = new Redis(this.url, {
      connectionName: `toonbank:${connectionName}`,
      ...options,
    });
    client.on('error', () => undefined); // reconnects by itself; health reports the outage
    this.opened.push(client);
    return client;
  }

  key(...parts: string[]): string {
    return [this.prefix, ...parts].join(':');
  }

  /** Quits what is connected; drops at once what is still trying to reconnect (Redis away). */
  async onApplicationShutdown(): Promise<void> {
    await Promise.all(
      this.opened.map((client) =>
        client.status === 'ready'
          ? client.quit().catch(() => client.disconnect())
          : client.disconnect(),
      ),
    );
  }
}

export const REDIS = Symbol('REDIS');
/** The shared command connection: counters, the socket.io emitter. */
export const InjectRedis = () => Inject(REDIS);

@Global()
@Module({
  providers: [
    RedisConnections,
    {
      provide: REDIS,
      inject: [RedisConnections],
      useFactory: (connections: RedisConnections) =>
        connections.open('commands', { maxRetriesPerRequest: 2 }),
    },
  ],
  exports: [RedisConnections, REDIS],
})
export class RedisModule {}
