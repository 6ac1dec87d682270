import { describeServiceSkeleton } from '@platform/testing';
import { AppModule } from './app.module';
import { FaceConfig, loadServiceConfig } from './config/service.config';

describeServiceSkeleton({
  service: 'face',
  env: { CHROMA_URL: 'http://127.0.0.1:58000/' },
  loadConfig: loadServiceConfig,
  rootModule: (config) => AppModule.forRoot(config),
  refusals: [
    ['no CHROMA_URL', { CHROMA_URL: undefined }],
    ['a CHROMA_URL that is no URL', { CHROMA_URL: 'chroma' }],
  ],
  compiled: (moduleRef, config) => {
    // Injectable as its own class, the vector store's address without its trailing slash.
    expect(moduleRef.get(FaceConfig)).toBe(config);
    expect(config.chromaUrl).toBe('http://127.0.0.1:58000');
  },
});
