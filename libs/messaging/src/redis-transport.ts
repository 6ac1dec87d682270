import { type RedisOptions, Transport } from '@nestjs/microservices';
import { type RedisConfig } from '@platform/config';

/** Options shared by the RPC server and clients of every service (Redis pub/sub transport). */
export function redisTransportOptions(redis: RedisConfig): RedisOptions {
  return {
    transport: Transport.REDIS,
    options: {
      host: redis.host,
      port: redis.port,
      ...(redis.password ? { password: redis.password } : {}),
      retryAttempts: Number.MAX_SAFE_INTEGER,
      retryDelay: 1000,
    },
  };
}
