import { DEVICE_SESSION_VERIFIER } from '@platform/auth';
import { ConfigValidationError } from '@platform/config';
import { compileServiceModule, PLATFORM_TEST_ENV } from '@platform/testing';
import { AppModule } from './app.module';
import { BaseConfig, loadServiceConfig } from './config/service.config';
import { DeviceSessionsService } from './device-auth/device-sessions.service';

const BASE_ENV = { ...PLATFORM_TEST_ENV, AUTH_CARD_SECRET: 'c'.repeat(32) };

describe('base', () => {
  it('loads its config with the device-auth settings', () => {
    const config = loadServiceConfig(BASE_ENV);
    expect([config.serviceName, config.authCardSecret]).toEqual(['base', 'c'.repeat(32)]);
    expect(config.deviceAuth.challengeTtlSeconds).toBeGreaterThan(0);
  });

  it.each([
    ['no AUTH_CARD_SECRET', { AUTH_CARD_SECRET: undefined }],
    ['a short AUTH_CARD_SECRET', { AUTH_CARD_SECRET: 'short' }],
    ['a challenge TTL out of range', { DEVICE_CHALLENGE_TTL_SECONDS: '0' }],
  ])('refuses %s', (_what, change) => {
    expect(() => loadServiceConfig({ ...BASE_ENV, ...change })).toThrow(ConfigValidationError);
  });

  it('compiles its root module; device sessions are verified by its own service', async () => {
    const config = loadServiceConfig(BASE_ENV);
    const moduleRef = await compileServiceModule(AppModule.forRoot(config));
    expect(moduleRef.get(BaseConfig)).toBe(config);
    expect(moduleRef.get(DEVICE_SESSION_VERIFIER)).toBeInstanceOf(DeviceSessionsService);
    await moduleRef.close();
  });
});
