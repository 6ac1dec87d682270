import { bootstrapService } from '@platform/runtime';
import { AppModule } from './app.module';
import { loadServiceConfig } from './config/service.config';

void bootstrapService({
  loadConfig: loadServiceConfig,
  rootModule: (config) => AppModule.forRoot(config),
  apiPrefix: 'face_api',
  description:
    'Face enrolment, 1:N identification and 1:1 verification, over RPC only (base calls them: docs/api/face.md); HTTP serves health',
});
