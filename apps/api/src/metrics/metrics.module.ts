import { Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller';
import { MetricsGuard } from './metrics.guard';
import { QueueDepthReader } from './queue-depths';

/** GET /metrics of the api (the registry itself is PlatformModule's). */
@Module({
  controllers: [MetricsController],
  providers: [MetricsGuard, QueueDepthReader],
})
export class ApiMetricsModule {}
