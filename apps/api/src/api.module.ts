import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { AuditApiModule, AuditModule } from '@toonbank/audit';
import { AuthModule } from '@toonbank/auth';
import { ConversationsApiModule } from '@toonbank/conversations';
import { ChannelsApiModule } from '@toonbank/channel-accounts';
import { IngestApiModule } from '@toonbank/ingest';
import { OrgModule } from '@toonbank/org';
import {
  ApiExceptionFilter,
  createValidationPipe,
  DatabaseModule,
  PlatformModule,
  QueueModule,
  ToonbankConfigModule,
} from '@toonbank/platform';
import { RepliesModule } from '@toonbank/replies';
import { ReportsModule } from '@toonbank/reports';
import { TemplatesApiModule, ToneApiModule } from '@toonbank/templates';
import { UsersModule } from '@toonbank/users';
import { HealthModule } from './health/health.module';
import { ApiMetricsModule } from './metrics/metrics.module';
import { QueueDashboardModule } from './queue-dashboard/queue-dashboard.module';
import { RealtimeModule } from './realtime/realtime.module';
import { WebAppModule } from './web/web-app.module';

/**
 * The HTTP API and the socket.io gateway. Built by a function so that the configuration
 * is read when the application is created, not when this file is imported.
 */
@Module({})
export class ApiModule {
  static forRoot(): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        ToonbankConfigModule.forRoot(),
        PlatformModule,
        DatabaseModule,
        QueueModule.forRoot('producer'),
        AuditModule,
        AuditApiModule,
        AuthModule,
        UsersModule,
        OrgModule,
        ConversationsApiModule,
        ChannelsApiModule,
        IngestApiModule,
        ToneApiModule,
        TemplatesApiModule,
        RepliesModule,
        ReportsModule,
        HealthModule,
        ApiMetricsModule,
        QueueDashboardModule,
        RealtimeModule,
        WebAppModule,
      ],
      providers: [
        { provide: APP_FILTER, useClass: ApiExceptionFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
      ],
    };
  }
}
