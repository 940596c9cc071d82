import { Injectable } from '@nestjs/common';
import { ErrorCode } from '@toonbank/shared';
import type { Redis } from 'ioredis';
import { ApiError } from '../errors/api-error';
import { InjectRedis, RedisConnections } from '../redis/redis.module';

/** API.md: 5 failures in 15 minutes lock that account for 15 minutes. */
export const SUBJECT_FAILURES = 5;
export const SUBJECT_WINDOW_SECONDS = 15 * 60;
/** API.md: 30 failures a minute per address. */
export const ADDRESS_FAILURES_PER_MINUTE = 30;
export const ADDRESS_WINDOW_SECONDS = 60;

/**
 * Refuses while the subject is locked or the address has failed too often; otherwise counts
 * the attempt as a failure before it is judged (so that a burst of parallel guesses cannot
 * all pass a check made before any of them failed), and locks the subject at the limit.
 * KEYS: lock, subject failures, address failures. ARGV: subject limit, subject window,
 * address limit, address window. Answers { 0, 0 } (go), { 1, ttl } (subject locked) or
 * { 2, ttl } (address refused).
 */
const RESERVE = `
local lockTtl = redis.call('TTL', KEYS[1])
if lockTtl > 0 then return {1, lockTtl} end
local addressFailures = tonumber(redis.call('GET', KEYS[3]) or '0')
if addressFailures >= tonumber(ARGV[3]) then
  local ttl = redis.call('TTL', KEYS[3])
  if ttl < 1 then ttl = 1 end
  return {2, ttl}
end
local failures = redis.call('INCR', KEYS[2])
if failures == 1 then redis.call('EXPIRE', KEYS[2], ARGV[2]) end
if redis.call('INCR', KEYS[3]) == 1 then redis.call('EXPIRE', KEYS[3], ARGV[4]) end
if failures >= tonumber(ARGV[1]) then
  redis.call('SET', KEYS[1], '1', 'EX', ARGV[2])
  redis.call('DEL', KEYS[2])
end
return {0, 0}
`;

/** A success is not a failure: the subject's count and lock go, the address gets its attempt back. */
const SUCCEED = `
redis.call('DEL', KEYS[1], KEYS[2])
if tonumber(redis.call('GET', KEYS[3]) or '0') > 0 then redis.call('DECR', KEYS[3]) end
return 0
`;

/**
 * Throttles failed attempts at a secret (a login per account, a password change per user)
 * and per client address, atomically in Redis so that every API process counts together
 * and parallel attempts cannot slip through. Successful attempts are never throttled.
 */
@Injectable()
export class AttemptThrottle {
  constructor(
    @InjectRedis() private readonly redis: Redis,
    private readonly connections: RedisConnections,
  ) {}

  /** Counts the attempt (429 `rate_limited` when it may not be made); call `succeeded` if it was right. */
  async reserve(subject: string, address: string): Promise<void> {
    const [verdict, ttl] = (await this.guarded(() =>
      this.redis.eval(
        RESERVE,
        3,
        ...this.keys(subject, address),
        SUBJECT_FAILURES,
        SUBJECT_WINDOW_SECONDS,
        ADDRESS_FAILURES_PER_MINUTE,
        ADDRESS_WINDOW_SECONDS,
      ),
    )) as [number, number];
    if (verdict === 1)
      throw ApiError.rateLimited(
        'Too many failed attempts for this account. Try again later.',
        ttl,
      );
    if (verdict === 2) {
      throw ApiError.rateLimited(
        'Too many failed attempts from this address. Try again in a minute.',
        ttl,
      );
    }
  }

  async succeeded(subject: string, address: string): Promise<void> {
    await this.guarded(() => this.redis.eval(SUCCEED, 3, ...this.keys(subject, address)));
  }

  private keys(subject: string, address: string): [string, string, string] {
    return [
      this.connections.key('throttle', subject, 'lock'),
      this.connections.key('throttle', subject, 'failures'),
      this.connections.key('throttle', 'address', address),
    ];
  }

  /** Without Redis the throttle cannot be kept: the attempt is refused rather than left unguarded. */
  private async guarded<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch {
      throw new ApiError(
        503,
        ErrorCode.Unavailable,
        'Signing in is briefly unavailable. Try again shortly.',
      );
    }
  }
}
