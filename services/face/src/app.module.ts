import { type DynamicModule, Module } from '@nestjs/common';
import { httpProbe, PlatformCoreModule } from '@platform/runtime';
import { FaceConfig } from './config/service.config';
import { databaseDefinition } from './database/database-definition';

@Module({})
export class AppModule {
  static forRoot(config: FaceConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformCoreModule.forRoot({
          config,
          configClass: FaceConfig,
          database: databaseDefinition,
          extraProbes: () => [httpProbe('chromadb', `${config.chromaUrl}/api/v2/heartbeat`)],
        }),
      ],
    };
  }
}
