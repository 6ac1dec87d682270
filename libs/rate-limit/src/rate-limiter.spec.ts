import { type FactoryProvider } from '@nestjs/common';
import { type PlatformConfig } from '@platform/config';
import { RateLimitedError } from '@platform/errors';
import type Redis from 'ioredis';
import { rateLimiterProvider } from './rate-limit.module';
import { type RateBucket, RateLimiter, rateLimitKey, RedisRateLimiter } from './rate-limiter';

/** A limiter whose counting answers a fixed number of milliseconds. */
class FixedAnswer extends RateLimiter {
  constructor(private readonly retryMs: number) {
    super();
  }

  async hit(): Promise<number> {
    return this.retryMs;
  }
}

/** Records the EVAL calls a RedisRateLimiter makes, answering `retryMs`. */
function recordingRedis(retryMs = 0) {
  const calls: unknown[][] = [];
  const redis = {
    eval: async (...args: unknown[]) => {
      calls.push(args);
      return retryMs;
    },
  } as unknown as Redis;
  return { redis, calls };
}

const BUCKETS: RateBucket[] = [
  { key: 'device-auth:login-address:203.0.113.7', limit: 30 },
  { key: 'device-auth:login-device:robot:r-1', limit: 10 },
];

describe('RateLimiter.check', () => {
  it('resolves when no bucket is over its limit', async () => {
    await expect(new FixedAnswer(0).check(BUCKETS, 60_000)).resolves.toBeUndefined();
  });

  it.each([
    [1, 1],
    [999, 1],
    [1000, 1],
    [1001, 2],
    [59_001, 60],
    [60_000, 60],
  ])('turns %i ms left into RateLimitedError(%i s)', async (retryMs, seconds) => {
    const refused = new FixedAnswer(retryMs).check(BUCKETS, 60_000);
    await expect(refused).rejects.toBeInstanceOf(RateLimitedError);
    await expect(refused).rejects.toMatchObject({
      code: 'RATE_LIMITED',
      retryAfterSeconds: seconds,
      details: { retryAfterSeconds: seconds },
    });
  });
});

describe('RedisRateLimiter', () => {
  it('runs one script over the namespaced keys in order, with the window and the limits', async () => {
    const { redis, calls } = recordingRedis();
    await new RedisRateLimiter(redis, 'base').check(BUCKETS, 60_000);
    expect(calls).toEqual([
      [
        expect.stringContaining("redis.call('INCR', key)"),
        2,
        'rate:base:device-auth:login-address:203.0.113.7',
        'rate:base:device-auth:login-device:robot:r-1',
        60_000,
        30,
        10,
      ],
    ]);
  });

  it('answers the milliseconds the script answers', async () => {
    const { redis } = recordingRedis(41_250);
    expect(await new RedisRateLimiter(redis, 'base').hit(BUCKETS, 60_000)).toBe(41_250);
  });

  it('does not call Redis for no bucket', async () => {
    const { redis, calls } = recordingRedis(5);
    expect(await new RedisRateLimiter(redis, 'base').hit([], 60_000)).toBe(0);
    expect(calls).toEqual([]);
  });

  it('lays keys out as rate:<namespace>:<bucket key>', () => {
    expect(rateLimitKey('store', 'purchase:terminal:t-1')).toBe('rate:store:purchase:terminal:t-1');
  });

  it("is what a service injects as RateLimiter, namespaced by the service's name", async () => {
    const provider = rateLimiterProvider as FactoryProvider<RateLimiter>;
    expect(provider.provide).toBe(RateLimiter);
    const { redis, calls } = recordingRedis();
    const limiter = await provider.useFactory(redis, { serviceName: 'store' } as PlatformConfig);
    expect(limiter).toBeInstanceOf(RedisRateLimiter);
    await limiter.check([{ key: 'k', limit: 1 }], 1000);
    expect(calls[0]?.[2]).toBe('rate:store:k');
  });
});
