import { RateLimitedError } from '@platform/errors';
import type Redis from 'ioredis';

/** One counter of a rate limit: a caller-chosen key (`<feature>:<what>:<value>`) and its limit. */
export interface RateBucket {
  /** e.g. `device-auth:login-address:203.0.113.7`; Redis-safe, never a secret spelled out. */
  key: string;
  /** Hits admitted per window; the next one is refused. */
  limit: number;
}

/**
 * Fixed-window rate limiting, shared by every replica of a service. A feature keeps its policy
 * (which buckets, which limits, which window) and calls {@link RateLimiter.check}; the limiter
 * counts and throws {@link RateLimitedError}, which the error filter answers with 429 and
 * `Retry-After`. A feature module imports `RateLimitModule` and injects `RateLimiter`; specs use
 * `InMemoryRateLimiter` from `@platform/rate-limit/testing`.
 */
export abstract class RateLimiter {
  /**
   * Counts one hit in each bucket's window, in order, stopping at the first bucket over its limit
   * (later buckets are not counted: a caller over its address limit does not use up a device's).
   * Resolves when every bucket is within its limit; otherwise throws RateLimitedError with the
   * whole seconds (at least 1) until the exceeded bucket's window ends.
   */
  async check(buckets: readonly RateBucket[], windowMs: number): Promise<void> {
    const retryMs = await this.hit(buckets, windowMs);
    if (retryMs > 0) {
      throw new RateLimitedError(Math.max(1, Math.ceil(retryMs / 1000)));
    }
  }

  /**
   * The counting behind {@link check}: 0 when every bucket is within its limit, otherwise the
   * milliseconds until the exceeded bucket's window ends.
   */
  abstract hit(buckets: readonly RateBucket[], windowMs: number): Promise<number>;
}

/**
 * The Redis key of a bucket: `rate:<namespace>:<bucket key>` (the namespace is the service's name,
 * so services sharing one Redis never count into each other's buckets). Its value is the number of
 * hits of the current window, and it expires when the window ends (PEXPIRE set by the window's
 * first hit), so the next hit opens a new window.
 */
export function rateLimitKey(namespace: string, key: string): string {
  return `rate:${namespace}:${key}`;
}

// KEYS: the buckets in order. ARGV[1] window ms, ARGV[i + 1] the limit of KEYS[i]. A counter
// left without a TTL (it cannot be, but a lost PEXPIRE must not block forever) gets one.
const HIT = `
for i, key in ipairs(KEYS) do
  local count = redis.call('INCR', key)
  if count == 1 then redis.call('PEXPIRE', key, ARGV[1]) end
  if count > tonumber(ARGV[i + 1]) then
    local ttl = redis.call('PTTL', key)
    if ttl < 0 then
      redis.call('PEXPIRE', key, ARGV[1])
      ttl = tonumber(ARGV[1])
    end
    return ttl
  end
end
return 0
`;

/** Counts in Redis with one Lua script per check: atomic across replicas and concurrent hits. */
export class RedisRateLimiter extends RateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly namespace: string,
  ) {
    super();
  }

  async hit(buckets: readonly RateBucket[], windowMs: number): Promise<number> {
    if (buckets.length === 0) return 0;
    const retryMs = await this.redis.eval(
      HIT,
      buckets.length,
      ...buckets.map((bucket) => rateLimitKey(this.namespace, bucket.key)),
      windowMs,
      ...buckets.map((bucket) => bucket.limit),
    );
    return Number(retryMs);
  }
}
