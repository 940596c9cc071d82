import { Injectable, Logger } from '@nestjs/common';
import { Emitter, type BroadcastOperator } from '@socket.io/redis-emitter';
import {
  INBOX_NAMESPACE,
  inboxRoom,
  orgRoom,
  userRoom,
  type ServerEventName,
  type ServerEventPayload,
  type ServerToClientEvents,
} from '@toonbank/shared';
import type { Redis } from 'ioredis';
import { InjectRedis, RedisConnections } from '../redis/redis.module';

/** The Redis key shared by the socket.io adapter (api) and the emitter (everyone). */
export const socketIoRedisKey = (prefix: string): string => `${prefix}-socket.io`;

/**
 * Emits live events to the inbox namespace through Redis, so that any process (an API
 * handler, a worker) reaches the sockets held by every API process. Nobody else emits.
 */
@Injectable()
export class EventPublisher {
  private readonly inbox;

  private readonly logger = new Logger(EventPublisher.name);

  constructor(@InjectRedis() redis: Redis, connections: RedisConnections) {
    // The emitter fires `publish` and forgets it: a Redis outage must cost the live event,
    // never the request that has already committed its change (nor the process).
    const publisher = {
      publish: (channel: string, message: string | Buffer) =>
        redis.publish(channel, message).catch((error: unknown) => {
          this.logger.warn(
            `live event not published: ${error instanceof Error ? error.message : String(error)}`,
          );
          return 0;
        }),
    };
    this.inbox = new Emitter<ServerToClientEvents>(publisher, {
      key: socketIoRedisKey(connections.prefix),
    }).of(INBOX_NAMESPACE);
  }

  toOrganisation<E extends ServerEventName>(
    organisationId: string,
    event: E,
    payload: ServerEventPayload<E>,
  ): void {
    this.emit(orgRoom(organisationId), event, payload);
  }

  /** Conversation events: the organisation's sockets that may read the inbox. */
  toInbox<E extends ServerEventName>(
    organisationId: string,
    event: E,
    payload: ServerEventPayload<E>,
  ): void {
    this.emit(inboxRoom(organisationId), event, payload);
  }

  /** The inbox, but none of this user's own sockets: others hear what the user does, the user does not. */
  toInboxExceptUser<E extends ServerEventName>(
    organisationId: string,
    userId: string,
    event: E,
    payload: ServerEventPayload<E>,
  ): void {
    this.send(this.inbox.to(inboxRoom(organisationId)).except(userRoom(userId)), event, payload);
  }

  /** Adds a user's sockets to their organisation's inbox room, or takes them out (eligibility changed). */
  setInboxMember(organisationId: string, userId: string, member: boolean): void {
    const sockets = this.inbox.in(userRoom(userId));
    if (member) sockets.socketsJoin(inboxRoom(organisationId));
    else sockets.socketsLeave(inboxRoom(organisationId));
  }

  toUser<E extends ServerEventName>(
    userId: string,
    event: E,
    payload: ServerEventPayload<E>,
  ): void {
    this.emit(userRoom(userId), event, payload);
  }

  /** Drops every socket of a user (logout, deactivation). */
  disconnectUser(userId: string): void {
    this.inbox.in(userRoom(userId)).disconnectSockets(true);
  }

  private emit<E extends ServerEventName>(
    room: string,
    event: E,
    payload: ServerEventPayload<E>,
  ): void {
    this.send(this.inbox.to(room), event, payload);
  }

  private send<E extends ServerEventName>(
    target: BroadcastOperator<ServerToClientEvents>,
    event: E,
    payload: ServerEventPayload<E>,
  ): void {
    // The emitter's typings expect the listener's parameters as a tuple.
    (target.emit as (event: E, ...args: unknown[]) => boolean)(event, payload);
  }
}
