import { Module, type Provider } from '@nestjs/common';
import { PlatformConfig } from '@platform/config';
import { REDIS_CONNECTION } from '@platform/runtime';
import type Redis from 'ioredis';
import { RateLimiter, RedisRateLimiter } from './rate-limiter';

/** `RateLimiter` for a service: its Redis connection, namespaced by the service's name. */
export const rateLimiterProvider: Provider = {
  provide: RateLimiter,
  inject: [REDIS_CONNECTION, PlatformConfig],
  useFactory: (redis: Redis, config: PlatformConfig) =>
    new RedisRateLimiter(redis, config.serviceName),
};

/**
 * Import it in a feature module to inject `RateLimiter` (on the Redis connection and config of
 * PlatformCoreModule). Specs override `RateLimiter` with `InMemoryRateLimiter`.
 */
@Module({ providers: [rateLimiterProvider], exports: [RateLimiter] })
export class RateLimitModule {}
