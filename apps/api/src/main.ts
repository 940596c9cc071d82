import 'reflect-metadata';
import type { Server } from 'node:http';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { ConfigService } from '@nestjs/config';
import { logUnhandledRejections, stopOnSignals, type Environment } from '@toonbank/platform';
import { Logger } from 'nestjs-pino';
import { ApiModule } from './api.module';
import { ConnectionDrain } from './http/connection-drain';
import { API_APP_OPTIONS, configureApi } from './configure-api';
import { stopServing } from './stop-serving';

async function bootstrap(): Promise<void> {
  const app = configureApi(
    await NestFactory.create<NestExpressApplication>(ApiModule.forRoot(), {
      ...API_APP_OPTIONS,
      bufferLogs: true,
    }),
  );
  const config = app.get<ConfigService<Environment, true>>(ConfigService);
  const connections = new ConnectionDrain(app.getHttpServer() as Server);
  stopOnSignals(app, app.get(Logger), {
    delayMs: config.get('SHUTDOWN_DELAY_SECONDS', { infer: true }) * 1000,
    drain: () => stopServing(app, connections),
  });
  logUnhandledRejections(app.get(Logger));
  await app.listen(config.get('PORT', { infer: true }), config.get('HOST', { infer: true }));
}

bootstrap().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
