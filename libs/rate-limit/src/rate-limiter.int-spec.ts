import { setTimeout as sleep } from 'node:timers/promises';
import { claimIntegrationRedis, type IntegrationRedis } from '@platform/testing/integration';
import { rateLimitKey, RedisRateLimiter } from './rate-limiter';
import { describeRateLimiterContract } from './testing/rate-limiter.contract';

let redis: IntegrationRedis;

beforeAll(async () => {
  redis = await claimIntegrationRedis();
});

afterAll(async () => {
  await redis?.release();
});

// Redis keeps real time: letting time pass is waiting.
describeRateLimiterContract('RedisRateLimiter', () => ({
  limiter: new RedisRateLimiter(redis.redis, 'contract'),
  advance: async (ms) => {
    await sleep(ms);
  },
}));

describe('RedisRateLimiter key layout', () => {
  it('counts the window under rate:<namespace>:<key>, expiring with the window', async () => {
    const limiter = new RedisRateLimiter(redis.redis, 'layout');
    const bucket = { key: 'device-auth:login-address:203.0.113.7', limit: 5 };
    await limiter.check([bucket], 10_000);
    await limiter.check([bucket], 10_000);
    const key = rateLimitKey('layout', bucket.key);
    expect(key).toBe('rate:layout:device-auth:login-address:203.0.113.7');
    expect(await redis.redis.get(key)).toBe('2');
    const ttl = await redis.redis.pttl(key);
    expect(ttl).toBeGreaterThan(9_000);
    expect(ttl).toBeLessThanOrEqual(10_000);
  });

  it('keeps the buckets of two services (namespaces) apart', async () => {
    const bucket = { key: 'shared-name', limit: 1 };
    await new RedisRateLimiter(redis.redis, 'store').check([bucket], 10_000);
    await expect(
      new RedisRateLimiter(redis.redis, 'face').check([bucket], 10_000),
    ).resolves.toBeUndefined();
    await expect(
      new RedisRateLimiter(redis.redis, 'store').check([bucket], 10_000),
    ).rejects.toMatchObject({ code: 'RATE_LIMITED' });
  });
});
