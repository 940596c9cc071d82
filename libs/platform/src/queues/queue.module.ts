import { BullModule, getQueueToken } from '@nestjs/bullmq';
import {
  Global,
  Injectable,
  Logger,
  Module,
  type DynamicModule,
  type OnModuleInit,
} from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Queue } from 'bullmq';
import { ConfigService } from '@nestjs/config';
import { QueueName } from '@toonbank/shared';
import type { Environment } from '../config/environment';
import { ConnectionErrorLog } from './connection-error-log';

/** Queue hygiene as in production: bounded history, retries with exponential backoff. */
export const DEFAULT_JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { count: 1000, age: 24 * 3600 },
  removeOnFail: { count: 5000, age: 7 * 24 * 3600 },
};

/**
 * BullMQ on the configured Redis, with every queue of libs/shared registered: the api
 * produces jobs, the worker produces and processes them.
 */
/**
 * Queue connection errors (Redis away) go to the log, rate-limited, instead of being printed
 * to stderr by BullMQ (which it does for a queue without an 'error' listener).
 */
@Injectable()
class QueueErrorLog implements OnModuleInit {
  private readonly errors = new ConnectionErrorLog(new Logger('Queues'));
  constructor(private readonly moduleRef: ModuleRef) {}

  onModuleInit(): void {
    for (const name of Object.values(QueueName)) {
      this.errors.watch(
        `queue ${name}`,
        this.moduleRef.get<Queue>(getQueueToken(name), { strict: false }),
      );
    }
  }
}

@Global()
@Module({})
export class QueueModule {
  /**
   * `worker`: connections wait through Redis outages (workers block on Redis by design).
   * `producer` (the api): adding a job fails fast instead, so that a request never hangs
   * on Redis; the worker's sweeps make up for a trigger lost that way.
   */
  static forRoot(role: 'worker' | 'producer'): DynamicModule {
    return {
      module: QueueModule,
      imports: [
        BullModule.forRootAsync({
          inject: [ConfigService],
          useFactory: (config: ConfigService<Environment, true>) => ({
            connection: {
              url: config.get('REDIS_URL', { infer: true }),
              maxRetriesPerRequest: role === 'worker' ? null : 1,
            },
            prefix: config.get('REDIS_PREFIX', { infer: true }),
            defaultJobOptions: DEFAULT_JOB_OPTIONS,
          }),
        }),
        BullModule.registerQueue(...Object.values(QueueName).map((name) => ({ name }))),
      ],
      providers: [QueueErrorLog],
      exports: [BullModule],
    };
  }
}
