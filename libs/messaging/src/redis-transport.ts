import { type RedisOptions, Transport } from '@nestjs/microservices';
import { type RedisConfig } from '@platform/config';
import { type RedisOptions as IORedisOptions } from 'ioredis';

/**
 * How long a Redis call may take, in ms. Redis answers in well under a millisecond, so a command
 * still unanswered after 1.5 s means Redis is paused or gone: the caller gets an error
 * (REDIS_UNAVAILABLE at the HTTP edge) instead of waiting until the gateway gives up.
 */
export const REDIS_DEADLINES = { connectMs: 1500, commandMs: 1500 } as const;

/**
 * Connection options of every ioredis client of a service: its own connection and both ends of
 * the RPC transport. While Redis is away, a command waits in the offline queue for at most one
 * reconnection attempt (`maxRetriesPerRequest`) and never longer than its command deadline.
 */
export function redisConnectionOptions(redis: RedisConfig): IORedisOptions {
  return {
    host: redis.host,
    port: redis.port,
    ...(redis.password ? { password: redis.password } : {}),
    connectTimeout: REDIS_DEADLINES.connectMs,
    commandTimeout: REDIS_DEADLINES.commandMs,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: true,
    // Commands issued in the same tick (concurrent requests) share one socket write: a write is
    // a syscall, and syscalls were a quarter of a login's CPU.
    enableAutoPipelining: true,
  };
}

/** Options shared by the RPC server and clients of every service (Redis pub/sub transport). */
export function redisTransportOptions(redis: RedisConfig): RedisOptions {
  return {
    transport: Transport.REDIS,
    options: {
      ...redisConnectionOptions(redis),
      retryAttempts: Number.MAX_SAFE_INTEGER,
      retryDelay: 1000,
    },
  };
}
