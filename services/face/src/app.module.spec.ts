// @platform/testing first: it loads reflect-metadata, which the contracts' decorators need.
import { describeServiceSkeleton, PLATFORM_TEST_ENV } from '@platform/testing';
import { FACE_IMAGE_MAX_BYTES } from '@platform/contracts';
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
    ['a threshold above 1', { FACE_MATCH_THRESHOLD: '1.5' }],
    ['a threshold that is no number', { FACE_MATCH_THRESHOLD: 'high' }],
    ['no worker', { FACE_WORKERS: '0' }],
    ['a sample cap of 0', { FACE_MAX_SAMPLES: '0' }],
    ['an image limit over the contract’s', { FACE_MAX_IMAGE_BYTES: '20000000' }],
    ['an image limit one byte over the contract’s', { FACE_MAX_IMAGE_BYTES: '7864321' }],
    ['a collection name Chroma refuses', { CHROMA_COLLECTION: 'a' }],
  ],
  compiled: (moduleRef, config) => {
    // Injectable as its own class, the vector store's address without its trailing slash.
    expect(moduleRef.get(FaceConfig)).toBe(config);
    expect(config.chromaUrl).toBe('http://127.0.0.1:58000');
    // Recognition settings: the calibrated defaults, under base's 4.5 s RPC deadline.
    expect(config.chroma).toEqual({ collection: 'face_embeddings', timeoutMs: 2000 });
    expect(config.recognition.matching).toMatchObject({
      threshold: 0.93,
      duplicateThreshold: 0.93,
      maxSamplesPerPerson: 5,
    });
    // The default image limit is what the contract's longest base64 image carries, and accepted.
    expect(config.recognition.image.maxEncodedBytes).toBe(FACE_IMAGE_MAX_BYTES);
    expect(
      loadServiceConfig({
        ...PLATFORM_TEST_ENV,
        CHROMA_URL: 'http://127.0.0.1:58000/',
        FACE_MAX_IMAGE_BYTES: String(FACE_IMAGE_MAX_BYTES),
      }).recognition.image.maxEncodedBytes,
    ).toBe(FACE_IMAGE_MAX_BYTES);
    expect(config.recognition.workers).toMatchObject({
      poolSize: 1,
      maxQueue: 16,
      deadlineMs: 4000,
    });
  },
});
