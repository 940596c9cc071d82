import { createHmac } from 'node:crypto';
import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Environment } from './config/environment';
import { EventPublisher } from './events/event-publisher';
import { CursorCodec } from './http/cursor-codec';
import { ShutdownState } from './lifecycle/shutdown-state';
import { LoggingModule } from './logging/logging.module';
import { MetricsModule } from './metrics/metrics.module';
import { RedisModule } from './redis/redis.module';
import { AttemptThrottle } from './throttle/attempt-throttle';
import { CredentialVault } from './crypto/credential-vault';

/**
 * What every Toonbank process needs besides its own features: logs, Redis, the live
 * event publisher, the paging cursors and the metrics registry. Needs ToonbankConfigModule.forRoot() beside it.
 */
@Global()
@Module({
  imports: [LoggingModule, RedisModule, MetricsModule],
  providers: [
    EventPublisher,
    AttemptThrottle,
    CredentialVault,
    ShutdownState,
    {
      provide: CursorCodec,
      inject: [ConfigService],
      useFactory: (config: ConfigService<Environment, true>) =>
        new CursorCodec(
          config.get('CURSOR_SECRET', { infer: true }) ??
            createHmac('sha256', config.get('JWT_SECRET', { infer: true }) as string)
              .update('toonbank:cursor')
              .digest('base64'),
        ),
    },
  ],
  exports: [
    LoggingModule,
    RedisModule,
    MetricsModule,
    EventPublisher,
    CursorCodec,
    AttemptThrottle,
    CredentialVault,
    ShutdownState,
  ],
})
export class PlatformModule {}
