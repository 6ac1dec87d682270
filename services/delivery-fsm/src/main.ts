import { bootstrapService } from '@platform/runtime';
import { AppModule } from './app.module';
import { loadServiceConfig } from './config/service.config';

void bootstrapService({
  loadConfig: loadServiceConfig,
  rootModule: (config) => AppModule.forRoot(config),
  apiPrefix: 'delivery_api',
  description: 'Lockers and cells, orders, trips, legs, the delivery state machine',
});
