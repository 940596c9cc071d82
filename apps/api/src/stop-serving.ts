import type { NestExpressApplication } from '@nestjs/platform-express';
import type { ConnectionDrain } from './http/connection-drain';
import { InboxGateway } from './realtime/inbox.gateway';

/**
 * The api's drain when it stops: no new connections, the sockets closed (their clients
 * reconnect to another api process), the requests in flight answered, each keep-alive
 * connection closed after its current answer and none reset (ConnectionDrain).
 */
export async function stopServing(
  app: NestExpressApplication,
  connections: ConnectionDrain,
): Promise<void> {
  const closed = connections.drain();
  app.get(InboxGateway).disconnectLocal();
  await closed;
}
