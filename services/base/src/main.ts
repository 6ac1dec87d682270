import { bootstrapService } from '@platform/runtime';
import { AppModule } from './app.module';
import { loadServiceConfig } from './config/service.config';

void bootstrapService({
  loadConfig: loadServiceConfig,
  rootModule: (config) => AppModule.forRoot(config),
  apiPrefix: 'base_api',
  description:
    'Device identity and robot auth, engineers, passengers, tickets, destinations, train-store bindings',
});
