import { type Provider } from '@nestjs/common';
import { PlatformConfig } from '@platform/config';
import Redis from 'ioredis';

/** The service's own Redis connection (sessions, challenges, counters), apart from the RPC one. */
export const REDIS_CONNECTION = Symbol('REDIS_CONNECTION');

export const redisConnectionProvider: Provider = {
  provide: REDIS_CONNECTION,
  inject: [PlatformConfig],
  useFactory: (config: PlatformConfig) =>
    new Redis({
      host: config.redis.host,
      port: config.redis.port,
      ...(config.redis.password ? { password: config.redis.password } : {}),
      connectionName: config.serviceName,
      // Fail calls fast while Redis is away instead of queueing them without bound.
      maxRetriesPerRequest: 2,
      enableOfflineQueue: true,
      lazyConnect: false,
    }),
};
