import { Injectable } from '@nestjs/common';
import { ApiError, InjectRedis, RedisConnections } from '@toonbank/platform';
import { ErrorCode } from '@toonbank/shared';
import type { Redis } from 'ioredis';

/** API.md: 5 failures in 15 minutes lock that account for 15 minutes. */
export const ACCOUNT_FAILURES = 5;
export const ACCOUNT_WINDOW_SECONDS = 15 * 60;
/** API.md: 30 failures a minute per address. */
export const ADDRESS_FAILURES_PER_MINUTE = 30;
export const ADDRESS_WINDOW_SECONDS = 60;

/**
 * Throttles failed logins only (a successful login is never throttled), per account and
 * per client address, in Redis so that every API process counts together.
 */
@Injectable()
export class LoginThrottle {
  constructor(
    @InjectRedis() private readonly redis: Redis,
    private readonly connections: RedisConnections,
  ) {}

  /** Refuses (429) while the account is locked or the address has failed too often. */
  async check(email: string, address: string): Promise<void> {
    const [lockTtl, addressFailures, addressTtl] = await this.guarded(() =>
      Promise.all([
        this.redis.ttl(this.lockKey(email)),
        this.redis.get(this.addressKey(address)),
        this.redis.ttl(this.addressKey(address)),
      ]),
    );
    if (lockTtl > 0) {
      throw ApiError.rateLimited(
        'Too many failed sign-ins for this account. Try again later.',
        lockTtl,
      );
    }
    if (Number(addressFailures ?? 0) >= ADDRESS_FAILURES_PER_MINUTE) {
      throw ApiError.rateLimited(
        'Too many failed sign-ins from this address. Try again in a minute.',
        Math.max(addressTtl, 1),
      );
    }
  }

  async recordFailure(email: string, address: string): Promise<void> {
    const accountKey = this.accountKey(email);
    const results = await this.guarded(() =>
      this.redis
        .multi()
        .incr(accountKey)
        .expire(accountKey, ACCOUNT_WINDOW_SECONDS, 'NX')
        .incr(this.addressKey(address))
        .expire(this.addressKey(address), ADDRESS_WINDOW_SECONDS, 'NX')
        .exec(),
    );
    const failures = Number(results?.[0]?.[1] ?? 0);
    if (failures >= ACCOUNT_FAILURES) {
      await this.guarded(() =>
        this.redis
          .multi()
          .set(this.lockKey(email), '1', 'EX', ACCOUNT_WINDOW_SECONDS)
          .del(accountKey)
          .exec(),
      );
    }
  }

  async recordSuccess(email: string): Promise<void> {
    await this.guarded(() => this.redis.del(this.accountKey(email)));
  }

  private accountKey(email: string): string {
    return this.connections.key('login', 'failures', 'account', email.toLowerCase());
  }

  private lockKey(email: string): string {
    return this.connections.key('login', 'lock', 'account', email.toLowerCase());
  }

  /** The window opens with an address's first failure and closes a minute later. */
  private addressKey(address: string): string {
    return this.connections.key('login', 'failures', 'address', address);
  }

  /** Without Redis the throttle cannot be kept: sign-in is refused rather than left unguarded. */
  private async guarded<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch {
      throw new ApiError(
        503,
        ErrorCode.Unavailable,
        'Sign-in is briefly unavailable. Try again shortly.',
      );
    }
  }
}
