import { bootstrapService } from '@platform/runtime';
import { AppModule } from './app.module';
import { loadServiceConfig } from './config/service.config';

void bootstrapService({
  loadConfig: loadServiceConfig,
  rootModule: (config) => AppModule.forRoot(config),
  apiPrefix: 'base_api',
  // Face images arrive base64-encoded in JSON (up to 10,485,760 characters, as in the seed).
  bodyLimit: '11mb',
  description:
    'Device identity and robot auth, engineers, passengers, tickets, destinations, train-store bindings',
});
