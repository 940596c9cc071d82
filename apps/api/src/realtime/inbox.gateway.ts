import { Logger } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
  type OnGatewayConnection,
  type OnGatewayDisconnect,
  type OnGatewayInit,
} from '@nestjs/websockets';
import { AccessTokens, PrincipalLoader } from '@toonbank/auth';
import { Metrics, type Principal } from '@toonbank/platform';
import { readsInbox } from '@toonbank/policy';
import {
  ErrorCode,
  INBOX_NAMESPACE,
  inboxRoom,
  orgRoom,
  userRoom,
  type AuthRefreshAck,
  type ClientToServerEvents,
  type ServerToClientEvents,
} from '@toonbank/shared';
import type { Namespace, Socket } from 'socket.io';
import { accessTokenExpiry } from './access-token-expiry';
import { SocketDeadlines } from './socket-deadlines';
import { SocketSlots } from './socket-slots';

/** What a socket knows of its user once the handshake has passed. */
export interface SocketData {
  userId: string;
  organisationId: string;
  sessionId: string;
  /** As at the handshake (or the last `auth.refresh`): what colleagues see when this user writes. */
  name: string;
  /** When the handshake's access token expires (epoch ms): the socket goes then, unless refreshed. */
  expiresAt: number;
}

export type InboxSocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  SocketData
>;

/** A refused handshake: the client's `connect_error` has `message` = code and `data`. */
class HandshakeRefused extends Error {
  constructor(
    readonly code: string,
    readonly data?: Record<string, unknown>,
  ) {
    super(code);
  }
}

/** A verified, live token of a principal, with its expiry. */
interface Authenticated {
  principal: Principal;
  expiresAt: number;
}

/**
 * The live inbox (API.md §Socket.io). The access token is checked at the handshake; a
 * socket joins its organisation's room and its user's room, and, when its user may read the
 * inbox, the organisation's inbox room that conversation events go to. It never hears another
 * organisation. It lives until its token expires unless the client sends a fresh one of the
 * same session (`auth.refresh`), and a user holds at most `SocketSlots.perUser` sockets across
 * api processes. Events are emitted through the EventPublisher, never from here.
 */
@WebSocketGateway({ namespace: INBOX_NAMESPACE, path: '/socket.io' })
export class InboxGateway
  implements
    OnGatewayInit<Namespace>,
    OnGatewayConnection<InboxSocket>,
    OnGatewayDisconnect<InboxSocket>
{
  private readonly logger = new Logger(InboxGateway.name);
  private namespace?: Namespace;

  constructor(
    private readonly tokens: AccessTokens,
    private readonly principals: PrincipalLoader,
    private readonly metrics: Metrics,
    private readonly deadlines: SocketDeadlines,
    private readonly slots: SocketSlots,
  ) {}

  afterInit(namespace: Namespace): void {
    this.namespace = namespace;
    this.metrics.countSocketsWith(() => namespace.sockets.size);
    namespace.use((socket, next) => {
      this.admit(socket as InboxSocket).then(
        () => next(),
        (error: unknown) => {
          const refusal =
            error instanceof HandshakeRefused
              ? error
              : new HandshakeRefused(ErrorCode.Unauthenticated);
          next(Object.assign(new Error(refusal.code), refusal.data ? { data: refusal.data } : {}));
        },
      );
    });
  }

  /** The deadline starts once the socket is connected: a refused or vanished one holds no timer. */
  handleConnection(socket: InboxSocket): void {
    this.deadlines.extend(socket.id, socket.data.expiresAt, () => this.expire(socket));
  }

  handleDisconnect(socket: InboxSocket): void {
    this.deadlines.cancel(socket.id);
    if (socket.data?.userId) this.slots.release(socket.data.userId, socket.id);
  }

  /**
   * `auth.refresh { accessToken }`: a fresh access token of the socket's own user and session
   * moves its deadline to the token's expiry, and its inbox membership follows the user's
   * current role and eligibility. Anything else is refused and the deadline stays.
   */
  @SubscribeMessage('auth.refresh')
  async refresh(
    @ConnectedSocket() socket: InboxSocket,
    @MessageBody() payload: unknown,
  ): Promise<AuthRefreshAck> {
    const token = (payload as { accessToken?: unknown } | null)?.accessToken;
    if (typeof token !== 'string' || token === '') {
      return { ok: false, code: ErrorCode.ValidationFailed };
    }
    try {
      const authenticated = await this.authenticate(token);
      const { userId, organisationId, sessionId } = socket.data;
      const { user, organisation } = authenticated?.principal ?? {};
      if (
        !authenticated ||
        user?.id !== userId ||
        organisation?.id !== organisationId ||
        authenticated.principal.sessionId !== sessionId
      ) {
        return { ok: false, code: ErrorCode.Unauthenticated };
      }
      await this.followInboxAccess(socket, authenticated.principal);
      // Gone while this was checked: no timer for a socket that will never disconnect again.
      if (!socket.connected) return { ok: false, code: ErrorCode.Unauthenticated };
      socket.data.name = authenticated.principal.user.name;
      socket.data.expiresAt = this.deadlines.extend(socket.id, authenticated.expiresAt, () =>
        this.expire(socket),
      );
      return { ok: true, exp: new Date(socket.data.expiresAt).toISOString() };
    } catch (error) {
      this.logger.warn(`auth.refresh of socket ${socket.id} failed: ${messageOf(error)}`);
      return { ok: false, code: ErrorCode.Unavailable };
    }
  }

  /**
   * Closes the sockets this process holds (stopping): their clients reconnect, to another api
   * process. Only this process's: a broadcast through the Redis adapter would drop everyone's.
   */
  disconnectLocal(): void {
    for (const socket of this.namespace?.sockets.values() ?? []) socket.disconnect(true);
  }

  private async admit(socket: InboxSocket): Promise<void> {
    const token: unknown = socket.handshake.auth?.token;
    const authenticated = typeof token === 'string' ? await this.authenticate(token) : null;
    if (!authenticated) throw new HandshakeRefused(ErrorCode.Unauthenticated);
    const { principal, expiresAt } = authenticated;
    const userId = principal.user.id;
    const slot = await this.slots.acquire(userId, socket.id).catch((error: unknown) => {
      this.logger.warn(`socket slots unavailable: ${messageOf(error)}`);
      throw new HandshakeRefused(ErrorCode.Unavailable);
    });
    if (!slot.taken) {
      throw new HandshakeRefused(ErrorCode.RateLimited, {
        reason: 'too_many_sockets',
        limit: this.slots.options.perUser,
      });
    }
    // A client gone while it was being admitted never disconnects: its slot goes with it.
    if (socket.conn.readyState !== 'open') {
      this.slots.release(userId, socket.id);
      throw new HandshakeRefused(ErrorCode.Unauthenticated);
    }
    socket.conn.once('close', () => this.slots.release(userId, socket.id));
    socket.data = {
      userId,
      organisationId: principal.organisation.id,
      sessionId: principal.sessionId,
      name: principal.user.name,
      expiresAt,
    };
    const rooms = [orgRoom(principal.organisation.id), userRoom(userId)];
    if (readsInbox(principal.user, principal.organisation))
      rooms.push(inboxRoom(principal.organisation.id));
    await socket.join(rooms);
    this.logger.debug(`socket ${socket.id} joined for user ${userId}`);
  }

  /** The principal of a valid access token that carries an expiry, or null. */
  private async authenticate(token: string): Promise<Authenticated | null> {
    const claims = await this.tokens.verify(token);
    const expiresAt = claims ? accessTokenExpiry(token) : null;
    if (!claims || expiresAt === null) return null;
    const principal = await this.principals.load(claims);
    return principal ? { principal, expiresAt } : null;
  }

  private async followInboxAccess(socket: InboxSocket, principal: Principal): Promise<void> {
    const room = inboxRoom(principal.organisation.id);
    if (readsInbox(principal.user, principal.organisation)) await socket.join(room);
    else await socket.leave(room);
  }

  private expire(socket: InboxSocket): void {
    this.logger.debug(`socket ${socket.id} disconnected: its access token expired`);
    socket.disconnect(true);
  }
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
