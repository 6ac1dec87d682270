import { ConfigValidationError, PlatformConfig } from '@platform/config';
import { compileServiceModule, PLATFORM_TEST_ENV } from '@platform/testing';
import { AppModule } from './app.module';
import { FaceConfig, loadServiceConfig } from './config/service.config';

const FACE_ENV = { ...PLATFORM_TEST_ENV, CHROMA_URL: 'http://127.0.0.1:58000/' };

describe('face skeleton', () => {
  it('loads its config, the vector store address without its trailing slash', () => {
    const config = loadServiceConfig(FACE_ENV);
    expect([config.serviceName, config.chromaUrl]).toEqual(['face', 'http://127.0.0.1:58000']);
  });

  it.each([
    ['no CHROMA_URL', { CHROMA_URL: undefined }],
    ['a CHROMA_URL that is no URL', { CHROMA_URL: 'chroma' }],
    ['a missing database host', { DATABASE_HOST: undefined }],
  ])('refuses %s', (_what, change) => {
    expect(() => loadServiceConfig({ ...FACE_ENV, ...change })).toThrow(ConfigValidationError);
  });

  it('compiles its root module, its config injectable as FaceConfig', async () => {
    const config = loadServiceConfig(FACE_ENV);
    const moduleRef = await compileServiceModule(AppModule.forRoot(config));
    expect(moduleRef.get(FaceConfig)).toBe(config);
    expect(moduleRef.get(PlatformConfig)).toBe(config);
    await moduleRef.close();
  });
});
