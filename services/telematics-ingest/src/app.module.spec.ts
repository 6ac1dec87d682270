import { describeServiceSkeleton } from '@platform/testing';
import { AppModule } from './app.module';
import { loadServiceConfig } from './config/service.config';

describeServiceSkeleton({
  service: 'telematics-ingest',
  loadConfig: loadServiceConfig,
  rootModule: (config) => AppModule.forRoot(config),
});
