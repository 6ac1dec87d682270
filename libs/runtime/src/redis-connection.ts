import { type Provider } from '@nestjs/common';
import { PlatformConfig } from '@platform/config';
import { redisConnectionOptions } from '@platform/messaging';
import Redis from 'ioredis';

/** The service's own Redis connection (sessions, challenges, counters), apart from the RPC one. */
export const REDIS_CONNECTION = Symbol('REDIS_CONNECTION');

export const redisConnectionProvider: Provider = {
  provide: REDIS_CONNECTION,
  inject: [PlatformConfig],
  useFactory: (config: PlatformConfig) =>
    new Redis({
      ...redisConnectionOptions(config.redis),
      connectionName: config.serviceName,
      lazyConnect: false,
    }),
};
