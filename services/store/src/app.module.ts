import { type DynamicModule, Module } from '@nestjs/common';
import { type PlatformConfig } from '@platform/config';
import { PlatformCoreModule } from '@platform/runtime';
import { databaseDefinition } from './database/database-definition';
import { ItemsModule } from './items/items.module';
import { PurchasesModule } from './purchases/purchases.module';
import { RobotApiModule } from './robot-api/robot-api.module';
import { StoresModule } from './stores/stores.module';
import { TasksModule } from './tasks/tasks.module';

@Module({})
export class AppModule {
  static forRoot(config: PlatformConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        // Store terminals, robots and locker controllers call with base's device sessions.
        PlatformCoreModule.forRoot({ config, database: databaseDefinition, deviceSessions: true }),
        StoresModule,
        ItemsModule,
        PurchasesModule,
        TasksModule,
        RobotApiModule,
      ],
    };
  }
}
