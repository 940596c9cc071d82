import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { logUnhandledRejections, stopOnSignals } from '@toonbank/platform';
import { Logger } from 'nestjs-pino';
import { WorkerMetricsServer } from './metrics-server';
import { WorkerDrain } from './stop-working';
import { WorkerModule } from './worker.module';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(), {
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  let metrics: WorkerMetricsServer | null = null;
  stopOnSignals(app, app.get(Logger), {
    drain: () => app.get(WorkerDrain).drain(),
    after: async () => metrics?.close(),
  });
  logUnhandledRejections(app.get(Logger));
  await app.init();
  metrics = await WorkerMetricsServer.start(app);
  app
    .get(Logger)
    .log(metrics ? `worker started; metrics on port ${metrics.port}` : 'worker started');
}

bootstrap().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
