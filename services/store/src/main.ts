import { bootstrapService } from '@platform/runtime';
import { AppModule } from './app.module';
import { loadServiceConfig } from './config/service.config';

void bootstrapService({
  loadConfig: loadServiceConfig,
  rootModule: (config) => AppModule.forRoot(config),
  apiPrefix: 'store_api',
  description: 'Stores, items and stock, purchases, store tasks, recommendations',
});
