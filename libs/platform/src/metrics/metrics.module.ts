import { Global, Module } from '@nestjs/common';
import { Metrics } from './metrics';

/** One metrics registry per application (imported by PlatformModule). */
@Global()
@Module({ providers: [Metrics], exports: [Metrics] })
export class MetricsModule {}
