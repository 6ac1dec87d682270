import { type DynamicModule, Module } from '@nestjs/common';
import { type PlatformConfig } from '@platform/config';
import { PlatformCoreModule } from '@platform/runtime';
import { databaseDefinition } from './database/database-definition';
import { SystemModule } from './system/system.module';

@Module({})
export class AppModule {
  static forRoot(config: PlatformConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [PlatformCoreModule.forRoot({ config, database: databaseDefinition }), SystemModule],
    };
  }
}
