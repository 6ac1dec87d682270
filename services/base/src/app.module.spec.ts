import { DEVICE_SESSION_VERIFIER } from '@platform/auth';
import { describeServiceSkeleton } from '@platform/testing';
import { AppModule } from './app.module';
import { BaseConfig, loadServiceConfig } from './config/service.config';
import { DeviceSessionsService } from './device-auth/device-sessions.service';

describeServiceSkeleton({
  service: 'base',
  env: { AUTH_CARD_SECRET: 'c'.repeat(32) },
  loadConfig: loadServiceConfig,
  rootModule: (config) => AppModule.forRoot(config),
  refusals: [
    ['no AUTH_CARD_SECRET', { AUTH_CARD_SECRET: undefined }],
    ['a short AUTH_CARD_SECRET', { AUTH_CARD_SECRET: 'short' }],
    ['a challenge TTL out of range', { DEVICE_CHALLENGE_TTL_SECONDS: '0' }],
  ],
  compiled: (moduleRef, config) => {
    expect(moduleRef.get(BaseConfig)).toBe(config);
    // Base issues the device sessions and verifies them with its own service.
    expect(moduleRef.get(DEVICE_SESSION_VERIFIER)).toBeInstanceOf(DeviceSessionsService);
  },
});
