import { Logger } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
  type OnGatewayDisconnect,
} from '@nestjs/websockets';
import { ConversationsRepository } from '@toonbank/conversations';
import { INBOX_NAMESPACE, inboxRoom } from '@toonbank/shared';
import { isUUID } from 'class-validator';
import { ComposerPresence } from './composer-presence';
import type { InboxSocket } from './inbox.gateway';

/** `{ conversationId: <uuid> }`, or null for anything else (which is ignored, not answered). */
function conversationIdOf(payload: unknown): string | null {
  const id = (payload as { conversationId?: unknown } | null)?.conversationId;
  return typeof id === 'string' && isUUID(id) ? id.toLowerCase() : null;
}

/**
 * `composer.start` / `composer.stop` from the clients (API.md §Socket.io): who writes where,
 * told to the rest of the organisation's inbox. Only a socket in its organisation's inbox room
 * (one who may read the inbox) is heard, and only on a conversation of its own organisation.
 */
@WebSocketGateway({ namespace: INBOX_NAMESPACE, path: '/socket.io' })
export class ComposerGateway implements OnGatewayDisconnect<InboxSocket> {
  private readonly logger = new Logger(ComposerGateway.name);
  /** Each socket's events in the order they came: a start's lookup must not overtake a stop. */
  private readonly queues = new WeakMap<InboxSocket, Promise<void>>();

  constructor(
    private readonly presence: ComposerPresence,
    private readonly conversations: ConversationsRepository,
  ) {}

  @SubscribeMessage('composer.start')
  start(@ConnectedSocket() socket: InboxSocket, @MessageBody() payload: unknown): void {
    const conversationId = conversationIdOf(payload);
    if (conversationId) this.inOrder(socket, () => this.started(socket, conversationId));
  }

  @SubscribeMessage('composer.stop')
  stop(@ConnectedSocket() socket: InboxSocket, @MessageBody() payload: unknown): void {
    const conversationId = conversationIdOf(payload);
    if (!conversationId) return;
    this.inOrder(socket, () => this.presence.stop(socket.id, conversationId, socket.data.userId));
  }

  handleDisconnect(socket: InboxSocket): void {
    this.inOrder(socket, () => this.presence.leave(socket.id));
  }

  private async started(socket: InboxSocket, conversationId: string): Promise<void> {
    const { organisationId, userId, name } = socket.data;
    if (!socket.rooms.has(inboxRoom(organisationId))) return;
    // A heartbeat: the conversation was found when this socket started on it.
    if (!this.presence.isWriting(socket.id, conversationId, userId)) {
      const conversation = await this.conversations.find(organisationId, conversationId);
      if (!conversation || !socket.connected) return;
    }
    this.presence.start(socket.id, { organisationId, conversationId, userId, name });
  }

  private inOrder(socket: InboxSocket, step: () => Promise<void> | void): void {
    const next = (this.queues.get(socket) ?? Promise.resolve()).then(step).catch((error) => {
      this.logger.warn(
        `composer event of socket ${socket.id} dropped: ${error instanceof Error ? error.message : String(error)}`,
      );
    });
    this.queues.set(socket, next);
  }
}
