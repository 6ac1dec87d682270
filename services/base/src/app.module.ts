import { type DynamicModule, Module } from '@nestjs/common';
import { PlatformCoreModule } from '@platform/runtime';
import { BaseConfig } from './config/service.config';
import { databaseDefinition } from './database/database-definition';
import { DestinationsModule } from './destinations/destinations.module';
import { DeviceAuthModule } from './device-auth/device-auth.module';
import { EngineersModule } from './engineers/engineers.module';
import { PassengerModule } from './passenger/passenger.module';
import { RobotApiModule } from './robot-api/robot-api.module';
import { SystemModule } from './system/system.module';
import { TicketsModule } from './tickets/tickets.module';
import { TrainStoresModule } from './train-stores/train-stores.module';
import { UsersModule } from './users/users.module';

@Module({})
export class AppModule {
  static forRoot(config: BaseConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformCoreModule.forRoot({
          config,
          database: databaseDefinition,
          configClass: BaseConfig,
        }),
        SystemModule,
        UsersModule,
        EngineersModule,
        TicketsModule,
        DestinationsModule,
        TrainStoresModule,
        PassengerModule,
        RobotApiModule,
        DeviceAuthModule.forRoot(config.deviceAuth),
      ],
    };
  }
}
