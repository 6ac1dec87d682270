import { setTimeout as sleep } from 'node:timers/promises';
import { claimIntegrationRedis, type IntegrationRedis } from '@platform/testing/integration';
import { RedisDeviceAuthStore } from './device-auth.store';
import { describeDeviceAuthStoreContract } from './testing/device-auth-store.contract';

let redis: IntegrationRedis;

beforeAll(async () => {
  redis = await claimIntegrationRedis();
});

afterAll(async () => {
  await redis?.release();
});

// Redis keeps real time: letting time pass is waiting.
describeDeviceAuthStoreContract('RedisDeviceAuthStore', () => ({
  store: new RedisDeviceAuthStore(redis.redis),
  advance: async (ms) => {
    await sleep(ms);
  },
}));
