import { Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { InjectRedis, RedisConnections } from '../redis/redis.module';

/** A sustained rate with room for a burst: `burst` at once, then `perSecond`. */
export interface BucketLimit {
  perSecond: number;
  burst: number;
}

export type BucketVerdict = { allowed: true } | { allowed: false; retryAfterMs: number };

/**
 * KEYS: the bucket (a hash: tokens in thousandths, and when they were counted, on Redis's
 * clock). ARGV: tokens per second, burst. Refills for the time since, then takes one token.
 * Answers { 1, 0 } (taken) or { 0, ms until one is there }. The key lapses once the bucket
 * would be full again, so a missing key is a full bucket.
 */
const TAKE = `
local rate = tonumber(ARGV[1])
local capacity = tonumber(ARGV[2]) * 1000
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or capacity
local at = tonumber(state[2]) or now
if now > at then
  tokens = math.min(capacity, tokens + (now - at) * rate)
  at = now
end
local taken, wait = 0, 0
if tokens >= 1000 then
  tokens = tokens - 1000
  taken = 1
else
  wait = math.ceil((1000 - tokens) / rate)
end
redis.call('HSET', KEYS[1], 'tokens', tokens, 'at', at)
redis.call('PEXPIRE', KEYS[1], math.ceil((capacity - tokens) / rate) + 1000)
return {taken, wait}
`;

/**
 * Token buckets in Redis, shared by every process: one script on one key per bucket, so
 * parallel requests on several api processes cannot take more than the bucket holds.
 */
@Injectable()
export class TokenBuckets {
  constructor(
    @InjectRedis() private readonly redis: Redis,
    private readonly connections: RedisConnections,
  ) {}

  /** Takes one token from the bucket named by `parts` (under the deployment's prefix). Rejects without Redis. */
  async take(parts: string[], { perSecond, burst }: BucketLimit): Promise<BucketVerdict> {
    const key = this.connections.key('bucket', ...parts);
    const [taken, wait] = (await this.redis.eval(TAKE, 1, key, perSecond, burst)) as [
      number,
      number,
    ];
    return taken === 1 ? { allowed: true } : { allowed: false, retryAfterMs: wait };
  }
}
