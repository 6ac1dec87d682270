import { bootstrapService } from '@platform/runtime';
import { AppModule } from './app.module';
import { loadServiceConfig } from './config/service.config';

void bootstrapService({
  loadConfig: loadServiceConfig,
  rootModule: (config) => AppModule.forRoot(config),
  apiPrefix: 'telematics_api',
  description: 'Navtelecom tracker ingest, positions and vehicle-bus values',
});
