import { bootstrapService } from '@platform/runtime';
import { AppModule } from './app.module';
import { loadServiceConfig } from './config/service.config';

void bootstrapService({
  loadConfig: loadServiceConfig,
  rootModule: (config) => AppModule.forRoot(config),
  apiPrefix: 'telematics_api',
  description: 'Navtelecom tracker ingest, positions and vehicle-bus values',
  credentialSchemes: {
    'api-key': 'Telematics API key (`tlm_...`), created by an admin at /telematics_api/v2/api-keys',
  },
});
