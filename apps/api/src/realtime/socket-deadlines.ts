import type { OnModuleDestroy } from '@nestjs/common';

/** setTimeout's longest delay (about 24.8 days); a later deadline is reached in steps. */
const LONGEST_DELAY_MS = 2 ** 31 - 1;

interface Deadline {
  at: number;
  timer: NodeJS.Timeout;
}

/**
 * When each socket of this process must go: the expiry of the latest access token it showed
 * (at the handshake or through `auth.refresh`). One timer per socket, cleared when the socket
 * goes; a deadline only ever moves later.
 */
export class SocketDeadlines implements OnModuleDestroy {
  private readonly deadlines = new Map<string, Deadline>();

  /**
   * Sets the socket's deadline to `at` (epoch milliseconds) unless it already has a later
   * one, and answers the deadline in force. `expire` runs once, at the deadline.
   */
  extend(socketId: string, at: number, expire: () => void): number {
    const current = this.deadlines.get(socketId);
    if (current && current.at >= at) return current.at;
    if (current) clearTimeout(current.timer);
    this.deadlines.set(socketId, { at, timer: this.arm(socketId, at, expire) });
    return at;
  }

  deadlineOf(socketId: string): number | undefined {
    return this.deadlines.get(socketId)?.at;
  }

  cancel(socketId: string): void {
    clearTimeout(this.deadlines.get(socketId)?.timer);
    this.deadlines.delete(socketId);
  }

  get size(): number {
    return this.deadlines.size;
  }

  onModuleDestroy(): void {
    for (const { timer } of this.deadlines.values()) clearTimeout(timer);
    this.deadlines.clear();
  }

  private arm(socketId: string, at: number, expire: () => void): NodeJS.Timeout {
    const delay = Math.max(0, at - Date.now());
    return setTimeout(
      () => {
        const deadline = this.deadlines.get(socketId);
        if (deadline?.at !== at) return;
        if (Date.now() < at) {
          deadline.timer = this.arm(socketId, at, expire);
          return;
        }
        this.deadlines.delete(socketId);
        expire();
      },
      Math.min(delay, LONGEST_DELAY_MS),
    ).unref();
  }
}
