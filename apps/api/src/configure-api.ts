import type { NestApplicationOptions } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { MAX_BODY_DEPTH, Metrics, type Environment } from '@toonbank/platform';
import { Logger } from 'nestjs-pino';
import { BODY_LIMIT_BYTES, useJsonBodies } from './http/json-bodies';
import { noStore, securityHeaders } from './http/security-headers';
import { httpMetrics } from './metrics/http-metrics';
import { QueueDashboard } from './queue-dashboard/queue-dashboard';
import { RedisIoAdapter } from './realtime/redis-io.adapter';

/** Routes outside the /api prefix (Prometheus' conventional scrape path). */
export const UNPREFIXED_ROUTES = ['metrics'];

/**
 * How main.ts and the tests create the application. Nest's own body parser is off:
 * configureApi reads JSON bodies itself, with their limits (useJsonBodies).
 */
export const API_APP_OPTIONS: NestApplicationOptions = { bodyParser: false };

/** Everything main.ts does to the application besides listening; the tests use it as well. */
export function configureApi(app: NestExpressApplication): NestExpressApplication {
  const config = app.get<ConfigService<Environment, true>>(ConfigService);
  app.useLogger(app.get(Logger));
  app.setGlobalPrefix('api', { exclude: UNPREFIXED_ROUTES });
  app.set('trust proxy', config.get('TRUST_PROXY_HOPS', { infer: true }));
  app.disable('x-powered-by');
  app.use(securityHeaders({ hsts: config.get('NODE_ENV', { infer: true }) === 'production' }));
  app.use('/api', noStore);
  app.use(httpMetrics(app.get(Metrics)));
  app.get(QueueDashboard).mount(app);
  useJsonBodies(app);
  app.useWebSocketAdapter(new RedisIoAdapter(app));

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Toonbank API')
      .setDescription(
        'The HTTP contract of Toonbank, the social customer-care inbox (see API.md). ' +
          `Bodies are JSON of at most ${BODY_LIMIT_BYTES / 1024} kB (413 payload_too_large), ` +
          `nested at most ${MAX_BODY_DEPTH} levels; ` +
          'text with U+0000 or half a surrogate pair is 400 validation.failed naming the field. ' +
          'Live events: socket.io namespace /inbox (API.md, README "Socket lifetime"); ' +
          '`resync { reason }` asks a client to read its lists and open conversation again.',
      )
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
  return app;
}
