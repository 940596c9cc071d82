import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Module, RequestMethod } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { LoggerModule } from 'nestjs-pino';
import type { Environment } from '../config/environment';

/** Paths that never reach a log line: credentials, tokens and secrets wherever they appear. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-hub-signature-256"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.currentPassword',
  '*.newPassword',
  '*.passwordHash',
  '*.accessToken',
  '*.refreshToken',
  '*.token',
  '*.secret',
  '*.appPassword',
  '*.accessJwt',
  '*.refreshJwt',
  '*.credentials',
  '*.credentialsEncrypted',
  '*.JWT_SECRET',
  '*.CURSOR_SECRET',
  '*.CHANNEL_ENCRYPTION_KEY',
  '*.META_APP_SECRET',
  '*.METRICS_TOKEN',
];

/** Query strings may carry tokens (the Meta handshake): logs keep the path only. */
const pathOnly = (url: string | undefined): string | undefined => url?.split('?')[0];

/** Structured JSON logs (pino) for every Toonbank process, one request id per request. */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<Environment, true>) => ({
        // Express 5 route syntax (the default '*' is converted with a warning at every start).
        forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
        pinoHttp: {
          level: config.get('LOG_LEVEL', { infer: true }),
          redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
          genReqId: (req: IncomingMessage) => {
            const given = req.headers['x-request-id'];
            return typeof given === 'string' && /^[\w-]{8,64}$/.test(given) ? given : randomUUID();
          },
          serializers: {
            req: (req: { id: string; method: string; url?: string }) => ({
              id: req.id,
              method: req.method,
              url: pathOnly(req.url),
            }),
            res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
          },
          autoLogging: {
            // Health probes (/api/health, /live, /ready) come every few seconds.
            ignore: (req: IncomingMessage) => /^\/api\/health(\/|$)/.test(pathOnly(req.url) ?? ''),
          },
        },
      }),
    }),
  ],
})
export class LoggingModule {}
