import type { Server } from 'node:http';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { InboxGateway } from './realtime/inbox.gateway';

/**
 * The api's drain when it stops: no new connections, the sockets closed (their clients
 * reconnect to another api process), the requests in flight answered. Connections that sit
 * idle between keep-alive requests are closed as soon as they are idle, so the wait is for
 * the requests only, never for keep-alive timeouts.
 */
export async function stopServing(app: NestExpressApplication): Promise<void> {
  const server = app.getHttpServer() as Server;
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  app.get(InboxGateway).disconnectLocal();
  const idle = setInterval(() => server.closeIdleConnections(), 100);
  server.closeIdleConnections();
  try {
    await closed;
  } finally {
    clearInterval(idle);
  }
}
