import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Optional } from '@nestjs/common';
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

export interface AttemptLimits {
  subjectFailures: number;
  subjectWindowSeconds: number;
  addressFailures: number;
  addressWindowSeconds: number;
}

/** The contract's limits; a test may inject shorter windows. */
export const API_ATTEMPT_LIMITS: AttemptLimits = {
  subjectFailures: SUBJECT_FAILURES,
  subjectWindowSeconds: SUBJECT_WINDOW_SECONDS,
  addressFailures: ADDRESS_FAILURES_PER_MINUTE,
  addressWindowSeconds: ADDRESS_WINDOW_SECONDS,
};
export const ATTEMPT_LIMITS = Symbol('ATTEMPT_LIMITS');

/** An attempt that passed the throttle; hand it back to `succeeded` when it was right. */
export interface Attempt {
  readonly subject: string;
  readonly address: string;
  readonly id: string;
}

/**
 * Refuses while the subject is locked or the address has failed too often; otherwise counts
 * the attempt as a failure before it is judged (so that a burst of parallel guesses cannot
 * all pass a check made before any of them failed), and locks the subject at the limit.
 * The address keeps each attempt by its own id in a sorted set scored by its time (a sliding
 * window): a success later takes away its own entry and nothing else, so successes never
 * make room for more failures.
 * KEYS: lock, subject failures, address attempts. ARGV: subject limit, subject window (s),
 * address limit, address window (ms), attempt id. Answers { 0, 0 } (go), { 1, ttl } (subject
 * locked) or { 2, ttl } (address refused).
 */
const RESERVE = `
local lockTtl = redis.call('TTL', KEYS[1])
if lockTtl > 0 then return {1, lockTtl} end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local window = tonumber(ARGV[4])
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now - window)
if redis.call('ZCARD', KEYS[3]) >= tonumber(ARGV[3]) then
  local oldest = redis.call('ZRANGE', KEYS[3], 0, 0, 'WITHSCORES')
  local ttl = math.ceil((tonumber(oldest[2]) + window - now) / 1000)
  if ttl < 1 then ttl = 1 end
  return {2, ttl}
end
redis.call('ZADD', KEYS[3], now, ARGV[5])
redis.call('PEXPIRE', KEYS[3], window)
local failures = redis.call('INCR', KEYS[2])
if failures == 1 then redis.call('EXPIRE', KEYS[2], ARGV[2]) end
if failures >= tonumber(ARGV[1]) then
  redis.call('SET', KEYS[1], '1', 'EX', ARGV[2])
  redis.call('DEL', KEYS[2])
end
return {0, 0}
`;

/**
 * A success is not a failure: the subject's count and lock go (the secret was known), and
 * the address loses this attempt's own entry, never another's.
 * KEYS: lock, subject failures, address attempts. ARGV: attempt id.
 */
const SUCCEED = `
redis.call('DEL', KEYS[1], KEYS[2])
redis.call('ZREM', KEYS[3], ARGV[1])
return 0
`;

/**
 * Throttles failed attempts at a secret (a login per account, a password change per user)
 * and per client address, atomically in Redis so that every API process counts together
 * and parallel attempts cannot slip through. Successful attempts are never throttled.
 */
@Injectable()
export class AttemptThrottle {
  private readonly limits: AttemptLimits;

  constructor(
    @InjectRedis() private readonly redis: Redis,
    private readonly connections: RedisConnections,
    @Optional() @Inject(ATTEMPT_LIMITS) limits?: AttemptLimits,
  ) {
    this.limits = limits ?? API_ATTEMPT_LIMITS;
  }

  /** Counts the attempt (429 `rate_limited` when it may not be made); call `succeeded` if it was right. */
  async reserve(subject: string, address: string): Promise<Attempt> {
    const attempt = { subject, address, id: randomUUID() };
    const [verdict, ttl] = (await this.guarded(() =>
      this.redis.eval(
        RESERVE,
        3,
        ...this.keys(attempt),
        this.limits.subjectFailures,
        this.limits.subjectWindowSeconds,
        this.limits.addressFailures,
        this.limits.addressWindowSeconds * 1000,
        attempt.id,
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
    return attempt;
  }

  async succeeded(attempt: Attempt): Promise<void> {
    await this.guarded(() => this.redis.eval(SUCCEED, 3, ...this.keys(attempt), attempt.id));
  }

  private keys({ subject, address }: Attempt): [string, string, string] {
    return [
      this.connections.key('throttle', subject, 'lock'),
      this.connections.key('throttle', subject, 'failures'),
      this.connections.key('throttle', 'address', address, 'attempts'),
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
