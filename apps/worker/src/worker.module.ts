import { BullModule } from '@nestjs/bullmq';
import { Module, type DynamicModule } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DiscoveryModule } from '@nestjs/core';
import {
  DatabaseModule,
  PlatformModule,
  ToonbankConfigModule,
  type Environment,
} from '@toonbank/platform';
import { QueueName } from '@toonbank/shared';
import { SessionsRepository } from '@toonbank/users';
import { WorkerHeartbeat } from './heartbeat';
import { JobRegistryCheck } from './jobs/job-registry';
import { MaintenanceProcessor } from './jobs/maintenance.processor';

/** Queue hygiene as in production: bounded history, retries with exponential backoff. */
export const DEFAULT_JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { count: 1000, age: 24 * 3600 },
  removeOnFail: { count: 5000, age: 7 * 24 * 3600 },
};

/** The worker process: BullMQ processors and schedulers only, no HTTP and no sockets. */
@Module({})
export class WorkerModule {
  static forRoot(): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        ToonbankConfigModule.forRoot(),
        PlatformModule,
        DatabaseModule,
        DiscoveryModule,
        BullModule.forRootAsync({
          inject: [ConfigService],
          useFactory: (config: ConfigService<Environment, true>) => ({
            // Workers block on Redis: they must wait through outages instead of failing commands.
            connection: {
              url: config.get('REDIS_URL', { infer: true }),
              maxRetriesPerRequest: null,
            },
            prefix: config.get('REDIS_PREFIX', { infer: true }),
            defaultJobOptions: DEFAULT_JOB_OPTIONS,
          }),
        }),
        BullModule.registerQueue({ name: QueueName.Maintenance }),
      ],
      providers: [SessionsRepository, MaintenanceProcessor, JobRegistryCheck, WorkerHeartbeat],
    };
  }
}
