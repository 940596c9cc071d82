import { Module, type DynamicModule } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import {
  DatabaseModule,
  PlatformModule,
  QueueModule,
  ToonbankConfigModule,
} from '@toonbank/platform';
import { AuditModule } from '@toonbank/audit';
import { ConversationsModule } from '@toonbank/conversations';
import { IngestModule } from '@toonbank/ingest';
import { OutboundModule } from '@toonbank/replies';
import { RoutingModule } from '@toonbank/routing';
import { SlaModule } from '@toonbank/sla';
import { SessionsRepository } from '@toonbank/users';
import { WorkerHeartbeat } from './heartbeat';
import { ScheduleKeeper } from './schedule-keeper';
import { WorkerDrain } from './stop-working';
import { CountsProcessor } from './jobs/counts.processor';
import { JobRegistryCheck } from './jobs/job-registry';
import { MaintenanceProcessor } from './jobs/maintenance.processor';
import { OutboundProcessor } from './jobs/outbound.processor';
import { IngestProcessor } from './jobs/ingest.processor';
import { PollingProcessor } from './jobs/polling.processor';
import { RoutingProcessor } from './jobs/routing.processor';
import { SlaProcessor } from './jobs/sla.processor';

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
        QueueModule.forRoot('worker'),
        AuditModule,
        ConversationsModule,
        RoutingModule,
        SlaModule,
        IngestModule,
        OutboundModule,
      ],
      providers: [
        SessionsRepository,
        MaintenanceProcessor,
        RoutingProcessor,
        SlaProcessor,
        PollingProcessor,
        IngestProcessor,
        OutboundProcessor,
        CountsProcessor,
        JobRegistryCheck,
        ScheduleKeeper,
        WorkerHeartbeat,
        WorkerDrain,
      ],
    };
  }
}
