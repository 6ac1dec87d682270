import { type RateBucket, RateLimiter } from '../rate-limiter';

/**
 * For specs: RedisRateLimiter's semantics over a Map and a clock the spec controls (share a fake
 * clock with other fakes, e.g. `new InMemoryRateLimiter(() => store.now)`). Held to the Redis one
 * by `rate-limiter.contract.ts`.
 */
export class InMemoryRateLimiter extends RateLimiter {
  private readonly windows = new Map<string, { count: number; endsAt: number }>();

  constructor(private readonly now: () => number = Date.now) {
    super();
  }

  async hit(buckets: readonly RateBucket[], windowMs: number): Promise<number> {
    const now = this.now();
    for (const { key, limit } of buckets) {
      const current = this.windows.get(key);
      const window =
        current && current.endsAt > now ? current : { count: 0, endsAt: now + windowMs };
      window.count += 1;
      this.windows.set(key, window);
      if (window.count > limit) return window.endsAt - now;
    }
    return 0;
  }
}
