import { ConfigValidationError, PlatformConfig } from '@platform/config';
import { compileServiceModule, PLATFORM_TEST_ENV } from '@platform/testing';
import { AppModule } from './app.module';
import { loadServiceConfig } from './config/service.config';

describe('telematics-ingest skeleton', () => {
  it('loads its config from the environment', () => {
    const config = loadServiceConfig({ ...PLATFORM_TEST_ENV });
    expect(config).toBeInstanceOf(PlatformConfig);
    expect(config.serviceName).toBe('telematics-ingest');
  });

  it.each([
    ['a missing database host', { DATABASE_HOST: undefined }],
    ['a port out of range', { HTTP_PORT: '70000' }],
    ['an issuer that is no URL', { KEYCLOAK_ISSUER: 'keycloak' }],
  ])('refuses %s', (_what, change) => {
    expect(() => loadServiceConfig({ ...PLATFORM_TEST_ENV, ...change })).toThrow(
      ConfigValidationError,
    );
  });

  it('compiles its root module', async () => {
    const moduleRef = await compileServiceModule(
      AppModule.forRoot(loadServiceConfig({ ...PLATFORM_TEST_ENV })),
    );
    expect(moduleRef.get(PlatformConfig).serviceName).toBe('telematics-ingest');
    await moduleRef.close();
  });
});
