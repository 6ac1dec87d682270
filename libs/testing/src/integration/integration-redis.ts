import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { stackVariable, unreachable } from './stack-environment';

export interface IntegrationRedis {
  /** A connection to the claimed logical database. */
  readonly redis: Redis;
  /** Its index, 1 to 15. */
  readonly db: number;
  /** Flushes the claimed database and closes the connection. */
  release(): Promise<void>;
}

/** The services use logical database 0 only; 1 to 15 are the integration tier's. */
const INTEGRATION_DATABASES = [15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1];
const OWNER_KEY = 'integration-tier:owner';
/** Frees a database whose run died without releasing it. Longer than any spec file runs. */
const CLAIM_SECONDS = 15 * 60;

/**
 * A logical database of the running stack's Redis that belongs to one spec file: claimed with a
 * SET NX marker (so concurrent runs take different ones), flushed on release. The services' data
 * in database 0 is never touched.
 */
export async function claimIntegrationRedis(): Promise<IntegrationRedis> {
  const host = stackVariable('REDIS_HOST');
  const port = Number(stackVariable('REDIS_PORT'));
  const password = process.env['REDIS_PASSWORD'];
  const redis = new Redis({
    host,
    port,
    ...(password ? { password } : {}),
    connectionName: 'integration-tier',
    lazyConnect: true,
    connectTimeout: 5000,
    maxRetriesPerRequest: 1,
    // A Redis that is down fails the run at once instead of being retried forever.
    retryStrategy: () => null,
  });
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    throw unreachable('Redis', `${host}:${port}`, error);
  }
  const owner = randomUUID();
  for (const db of INTEGRATION_DATABASES) {
    await redis.select(db);
    if ((await redis.set(OWNER_KEY, owner, 'EX', CLAIM_SECONDS, 'NX')) === 'OK') {
      return {
        redis,
        db,
        release: async () => {
          await redis.select(db);
          await redis.flushdb();
          await redis.quit();
        },
      };
    }
  }
  await redis.quit();
  throw new Error(
    `integration tier: Redis databases ${INTEGRATION_DATABASES.join(', ')} are all claimed by ` +
      `other runs (key ${OWNER_KEY}); wait for them or flush the stale ones`,
  );
}
