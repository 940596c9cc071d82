import { Logger, type OnModuleDestroy } from '@nestjs/common';
import type { Redis } from 'ioredis';

/** Milliseconds since the epoch on Redis's clock: one clock for every api process. */
const REDIS_NOW = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
`;

/**
 * KEYS: the user's sorted set of socket leases (member: socket id, score: the lease's end).
 * ARGV: the limit, the lease in ms, the socket id. Drops lapsed leases, then takes a slot if
 * one is free. Answers { 1, held } (taken) or { 0, held } (full).
 */
const ACQUIRE = `${REDIS_NOW}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local held = redis.call('ZCARD', KEYS[1])
if held >= tonumber(ARGV[1]) then return {0, held} end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return {1, held + 1}
`;

/** KEYS: the user's set. ARGV: the lease in ms, then the socket ids this process still holds. */
const RENEW = `${REDIS_NOW}
for i = 2, #ARGV do redis.call('ZADD', KEYS[1], now + tonumber(ARGV[1]), ARGV[i]) end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 0
`;

export interface SocketSlotsOptions {
  /** Sockets a user may hold at once, over every api process. */
  perUser: number;
  /** How long a slot outlives the last renewal of the process that holds it. */
  leaseMs: number;
  /** The Redis key of a user's slots. */
  keyOf: (userId: string) => string;
}

export type SlotVerdict = { taken: true } | { taken: false; held: number };

/**
 * A cap on the sockets of one user across api processes, kept in Redis: one sorted set per
 * user of the sockets that hold a slot, each a lease. The process holding a socket renews its
 * leases every third of a lease and gives the slot back when the socket goes; a process that
 * dies without its disconnect handlers (kill -9, a lost host) leaves leases that lapse within
 * `leaseMs`, so its ghosts never lock a user out for long. Each script touches one key only.
 */
export class SocketSlots implements OnModuleDestroy {
  private readonly logger = new Logger(SocketSlots.name);
  /** The slots this process holds: user id → socket ids. */
  private readonly held = new Map<string, Set<string>>();
  private readonly renewal: NodeJS.Timeout;

  constructor(
    private readonly redis: Redis,
    readonly options: SocketSlotsOptions,
  ) {
    this.renewal = setInterval(() => this.renew(), Math.max(1, options.leaseMs / 3)).unref();
  }

  /** Takes a slot for this socket, or answers that the user holds them all. Rejects without Redis. */
  async acquire(userId: string, socketId: string): Promise<SlotVerdict> {
    const { perUser, leaseMs, keyOf } = this.options;
    const [taken, held] = (await this.redis.eval(
      ACQUIRE,
      1,
      keyOf(userId),
      perUser,
      leaseMs,
      socketId,
    )) as [number, number];
    if (taken !== 1) return { taken: false, held };
    const sockets = this.held.get(userId) ?? new Set<string>();
    sockets.add(socketId);
    this.held.set(userId, sockets);
    return { taken: true };
  }

  /** Gives the socket's slot back (again is harmless). */
  release(userId: string, socketId: string): void {
    const sockets = this.held.get(userId);
    if (!sockets?.delete(socketId)) return;
    if (sockets.size === 0) this.held.delete(userId);
    this.redis.zrem(this.options.keyOf(userId), socketId).catch((error: unknown) => {
      // The lease lapses by itself.
      this.logger.warn(`socket slot not released: ${messageOf(error)}`);
    });
  }

  onModuleDestroy(): void {
    clearInterval(this.renewal);
  }

  /**
   * Renews every lease this process holds. The commands leave in this tick, on the same
   * connection as any later release, so a release always lands after the renewal it follows.
   */
  renew(): void {
    const { leaseMs, keyOf } = this.options;
    for (const [userId, sockets] of this.held) {
      this.redis.eval(RENEW, 1, keyOf(userId), leaseMs, ...sockets).catch((error: unknown) => {
        this.logger.warn(`socket slots not renewed: ${messageOf(error)}`);
      });
    }
  }
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
