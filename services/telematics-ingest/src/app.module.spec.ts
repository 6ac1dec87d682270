import { describeServiceSkeleton } from '@platform/testing';
import { AppModule } from './app.module';
import { loadServiceConfig } from './config/service.config';

describeServiceSkeleton({
  service: 'telematics-ingest',
  env: { TRACKER_TCP_PORT: '5999' },
  loadConfig: loadServiceConfig,
  rootModule: (config) => AppModule.forRoot(config),
  refusals: [
    ['no tracker port', { TRACKER_TCP_PORT: undefined }],
    ['a tracker port out of range', { TRACKER_TCP_PORT: '70000' }],
    ['a batch of zero records', { INGEST_BATCH_MAX_RECORDS: '0' }],
    ['a metrics token too short to be a secret', { METRICS_TOKEN: 'short' }],
  ],
});
