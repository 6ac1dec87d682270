import { type DynamicModule, Module } from '@nestjs/common';
import { PlatformCoreModule } from '@platform/runtime';
import { TelematicsConfig } from './config/service.config';
import { databaseDefinition } from './database/database-definition';
import { IngestModule } from './ingest/ingest.module';

@Module({})
export class AppModule {
  static forRoot(config: TelematicsConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformCoreModule.forRoot({
          config,
          configClass: TelematicsConfig,
          database: databaseDefinition,
        }),
        IngestModule,
      ],
    };
  }
}
