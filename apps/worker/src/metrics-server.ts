import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INestApplicationContext } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { FORWARDING_HEADERS, Metrics, metricsAccess, type Environment } from '@toonbank/platform';
import { ErrorCode, type ApiErrorBody } from '@toonbank/shared';

const refusal = (statusCode: number, code: ErrorCode, message: string): ApiErrorBody => ({
  statusCode,
  code,
  message,
});

/**
 * The worker's GET /metrics (its jobs, the messages it ingested, the replies it sent, its
 * process): a small HTTP listener of its own on WORKER_METRICS_PORT, because what a worker
 * measures lives in its memory and Prometheus pulls from each process. Guarded as the api's
 * /metrics is; nothing else is served. Off unless WORKER_METRICS_PORT is set.
 */
export class WorkerMetricsServer {
  private constructor(private readonly server: Server) {}

  static async start(app: INestApplicationContext): Promise<WorkerMetricsServer | null> {
    const config = app.get<ConfigService<Environment, true>>(ConfigService);
    const port = config.get('WORKER_METRICS_PORT', { infer: true });
    if (port === undefined) return null;
    const metrics = app.get(Metrics);
    const token = config.get('METRICS_TOKEN', { infer: true });
    const server = createServer((request, response) => {
      void WorkerMetricsServer.answer(metrics, token, request, response);
    });
    server.listen(port, config.get('WORKER_METRICS_HOST', { infer: true }));
    await once(server, 'listening');
    server.unref(); // never what keeps a stopping worker alive
    return new WorkerMetricsServer(server);
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private static async answer(
    metrics: Metrics,
    token: string | undefined,
    request: IncomingMessage,
    response: ServerResponse,
  ): Promise<void> {
    const json = (body: ApiErrorBody) =>
      response
        .writeHead(body.statusCode, { 'Content-Type': 'application/json; charset=utf-8' })
        .end(JSON.stringify(body));
    if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
      json(refusal(404, ErrorCode.NotFound, 'Only GET /metrics is served here.'));
      return;
    }
    const address = request.socket.remoteAddress;
    const access = metricsAccess(token, {
      authorization: request.headers.authorization,
      socketAddress: address,
      clientAddress: address,
      forwarded: FORWARDING_HEADERS.some((name) => request.headers[name] !== undefined),
    });
    if (access === 'unauthenticated') {
      json(
        refusal(
          401,
          ErrorCode.Unauthenticated,
          '/metrics needs the METRICS_TOKEN as a bearer token.',
        ),
      );
      return;
    }
    if (access === 'forbidden') {
      json(
        refusal(
          403,
          ErrorCode.Forbidden,
          '/metrics answers only on loopback when METRICS_TOKEN is not set.',
        ),
      );
      return;
    }
    try {
      const { contentType, body } = await metrics.text();
      response
        .writeHead(200, { 'Content-Type': contentType, 'Cache-Control': 'no-store' })
        .end(body);
    } catch {
      json(refusal(500, ErrorCode.Internal, 'The metrics could not be collected.'));
    }
  }
}
