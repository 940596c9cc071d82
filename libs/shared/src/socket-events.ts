import type {
  ChannelUpdatedDto,
  ConversationCountsDto,
  ConversationDto,
  MessageDto,
  NotificationDto,
  OrganisationDto,
  UserDto,
} from './contract';
import type { ReplyDto } from './templates';

/** socket.io namespace of the inbox (API.md §Socket.io). */
export const INBOX_NAMESPACE = '/inbox';

export const orgRoom = (organisationId: string): string => `org:${organisationId}`;
export const userRoom = (userId: string): string => `user:${userId}`;
/** Conversation events: only the sockets of those who may read the inbox (eligible, or team lead or admin). */
export const inboxRoom = (organisationId: string): string => `org:${organisationId}:inbox`;

/** Someone writing a reply on a conversation (collision detection, SPEC.md §6). */
export interface ComposerPresenceDto {
  conversationId: string;
  userId: string;
  name: string;
}

/** Why the server asks a client to read everything again (`resync`). */
export const ResyncReason = {
  /** The api's Redis connections came back: events published meanwhile may be lost. */
  RedisReconnected: 'redis_reconnected',
} as const;
export type ResyncReason = (typeof ResyncReason)[keyof typeof ResyncReason];

/** Events the server sends. Later capabilities add theirs here, with their payloads. */
export interface ServerToClientEvents {
  'conversation.created': (conversation: ConversationDto) => void;
  'conversation.updated': (conversation: ConversationDto) => void;
  /**
   * The receiving user's inbox counts changed (at most once per 5 s per organisation, to the
   * user's own room; only to those who may read the inbox).
   */
  'counts.updated': (counts: ConversationCountsDto) => void;
  'message.created': (payload: { conversationId: string; message: MessageDto }) => void;
  'reply.updated': (reply: ReplyDto) => void;
  'org.updated': (organisation: OrganisationDto) => void;
  'user.updated': (user: UserDto) => void;
  /** To the admin who asked for a "poll now", when it ends. */
  'channel.updated': (channel: ChannelUpdatedDto) => void;
  notification: (notification: NotificationDto) => void;
  /** Never to the writer's own sockets. */
  'composer.active': (presence: ComposerPresenceDto) => void;
  'composer.inactive': (presence: ComposerPresenceDto) => void;
  /**
   * Live events may have been lost (no sequence numbers, no replay): read the lists and the
   * open conversation again over REST. Sent by the api process that holds the socket.
   */
  resync: (payload: { reason: ResyncReason }) => void;
}
export type ServerEventName = keyof ServerToClientEvents;
export type ServerEventPayload<E extends ServerEventName> = Parameters<ServerToClientEvents[E]>[0];

/** Events clients send. */
/** The answer to `auth.refresh`: the socket now lives until `exp` (ISO-8601), or it was refused. */
export type AuthRefreshAck = { ok: true; exp: string } | { ok: false; code: string };

export interface ClientToServerEvents {
  'composer.start': (payload: { conversationId: string }) => void;
  'composer.stop': (payload: { conversationId: string }) => void;
  /**
   * A fresh access token for this socket (same user and session): the server would otherwise
   * disconnect the socket when the handshake's token expires.
   */
  'auth.refresh': (payload: { accessToken: string }, ack: (result: AuthRefreshAck) => void) => void;
}
