import type { OnModuleDestroy } from '@nestjs/common';
import type { EventPublisher } from '@toonbank/platform';

export interface Composer {
  organisationId: string;
  conversationId: string;
  userId: string;
  name: string;
}

interface Writing {
  composer: Composer;
  /** The user's sockets writing here, each with the timer its next heartbeat must beat. */
  sockets: Map<string, NodeJS.Timeout>;
}

/**
 * Who is writing a reply where, for the sockets this process holds (a socket lives in one
 * process, and so do its timers). A user is announced active when their first socket starts
 * on a conversation, and inactive when their last one stops, disconnects or misses its
 * heartbeat for `idleMs`; the heartbeats in between announce nothing. The events reach the
 * organisation's inbox, never the user's own sockets.
 */
export class ComposerPresence implements OnModuleDestroy {
  private readonly writing = new Map<string, Writing>();

  constructor(
    private readonly events: Pick<EventPublisher, 'toInboxExceptUser'>,
    private readonly idleMs: number,
  ) {}

  isWriting(socketId: string, conversationId: string, userId: string): boolean {
    return this.writing.get(keyOf(conversationId, userId))?.sockets.has(socketId) ?? false;
  }

  start(socketId: string, composer: Composer): void {
    const key = keyOf(composer.conversationId, composer.userId);
    const writing = this.writing.get(key) ?? { composer, sockets: new Map() };
    const first = writing.sockets.size === 0;
    clearTimeout(writing.sockets.get(socketId));
    const idle = setTimeout(
      () => this.stop(socketId, composer.conversationId, composer.userId),
      this.idleMs,
    );
    writing.sockets.set(socketId, idle.unref());
    this.writing.set(key, writing);
    if (first) this.announce('composer.active', composer);
  }

  stop(socketId: string, conversationId: string, userId: string): void {
    const key = keyOf(conversationId, userId);
    const writing = this.writing.get(key);
    if (!writing?.sockets.has(socketId)) return;
    clearTimeout(writing.sockets.get(socketId));
    writing.sockets.delete(socketId);
    if (writing.sockets.size > 0) return;
    this.writing.delete(key);
    this.announce('composer.inactive', writing.composer);
  }

  /** The socket is gone: wherever it was writing, it stopped. */
  leave(socketId: string): void {
    for (const { composer, sockets } of [...this.writing.values()]) {
      if (sockets.has(socketId)) this.stop(socketId, composer.conversationId, composer.userId);
    }
  }

  onModuleDestroy(): void {
    for (const { sockets } of this.writing.values()) {
      for (const timer of sockets.values()) clearTimeout(timer);
    }
    this.writing.clear();
  }

  private announce(event: 'composer.active' | 'composer.inactive', composer: Composer): void {
    const { organisationId, conversationId, userId, name } = composer;
    this.events.toInboxExceptUser(organisationId, userId, event, { conversationId, userId, name });
  }
}

const keyOf = (conversationId: string, userId: string) => `${conversationId}:${userId}`;
