import { DEVICE_SESSION_VERIFIER, RedisDeviceSessionVerifier } from '@platform/auth';
import { describeServiceSkeleton } from '@platform/testing';
import { AppModule } from './app.module';
import { loadServiceConfig } from './config/service.config';

describeServiceSkeleton({
  service: 'delivery-fsm',
  loadConfig: loadServiceConfig,
  rootModule: (config) => AppModule.forRoot(config),
  // Devices call it with base's sessions, verified from Redis.
  compiled: (moduleRef) =>
    expect(moduleRef.get(DEVICE_SESSION_VERIFIER)).toBeInstanceOf(RedisDeviceSessionVerifier),
});
