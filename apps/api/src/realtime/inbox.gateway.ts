import { Logger } from '@nestjs/common';
import { WebSocketGateway, type OnGatewayInit } from '@nestjs/websockets';
import { AccessTokens, PrincipalLoader } from '@toonbank/auth';
import { Metrics } from '@toonbank/platform';
import { readsInbox } from '@toonbank/policy';
import {
  INBOX_NAMESPACE,
  inboxRoom,
  orgRoom,
  userRoom,
  type ClientToServerEvents,
  type ServerToClientEvents,
} from '@toonbank/shared';
import type { Namespace, Socket } from 'socket.io';

/** What a socket knows of its user once the handshake has passed. */
export interface SocketData {
  userId: string;
  organisationId: string;
  sessionId: string;
  /** As at the handshake: what colleagues see when this user writes (composer presence). */
  name: string;
}

export type InboxSocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  SocketData
>;

/**
 * The live inbox (API.md §Socket.io). The access token is checked at the handshake; a
 * socket joins its organisation's room and its user's room, and, when its user may read the
 * inbox, the organisation's inbox room that conversation events go to. It never hears another
 * organisation. Events are emitted through the EventPublisher, never from here.
 */
@WebSocketGateway({ namespace: INBOX_NAMESPACE, path: '/socket.io' })
export class InboxGateway implements OnGatewayInit<Namespace> {
  private readonly logger = new Logger(InboxGateway.name);
  private namespace?: Namespace;

  constructor(
    private readonly tokens: AccessTokens,
    private readonly principals: PrincipalLoader,
    private readonly metrics: Metrics,
  ) {}

  afterInit(namespace: Namespace): void {
    this.namespace = namespace;
    this.metrics.countSocketsWith(() => namespace.sockets.size);
    namespace.use((socket, next) => {
      this.authenticate(socket as InboxSocket).then(
        () => next(),
        () => next(new Error('auth.unauthenticated')),
      );
    });
  }

  private async authenticate(socket: InboxSocket): Promise<void> {
    const token: unknown = socket.handshake.auth?.token;
    const claims = typeof token === 'string' ? await this.tokens.verify(token) : null;
    const principal = claims ? await this.principals.load(claims) : null;
    if (!principal) throw new Error('unauthenticated');
    socket.data = {
      userId: principal.user.id,
      organisationId: principal.organisation.id,
      sessionId: principal.sessionId,
      name: principal.user.name,
    };
    const rooms = [orgRoom(principal.organisation.id), userRoom(principal.user.id)];
    if (readsInbox(principal.user, principal.organisation))
      rooms.push(inboxRoom(principal.organisation.id));
    await socket.join(rooms);
    this.logger.debug(`socket ${socket.id} joined for user ${principal.user.id}`);
  }

  /**
   * Closes the sockets this process holds (stopping): their clients reconnect, to another api
   * process. Only this process's: a broadcast through the Redis adapter would drop everyone's.
   */
  disconnectLocal(): void {
    for (const socket of this.namespace?.sockets.values() ?? []) socket.disconnect(true);
  }
}
