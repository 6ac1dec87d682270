import { type DynamicModule, Module } from '@nestjs/common';
import { JobsModule } from '@platform/jobs';
import { PlatformCoreModule } from '@platform/runtime';
import { DeliveryConfig } from './config/service.config';
import { databaseDefinition } from './database/database-definition';
import { DefinitionRegistry } from './fsm/definition.registry';
import { FsmController } from './fsm/fsm.controller';
import { FsmService } from './fsm/fsm.service';
import { LockerSignals } from './fsm/locker-signals';
import { MAINTENANCE_QUEUE, TimeoutsWorker } from './fsm/timeouts.worker';
import { TIMEOUT_QUEUE, TransitionEngine } from './fsm/transition.engine';
import { LockerDeviceController } from './hardware/locker-device.controller';
import { LockerDeviceService } from './hardware/locker-device.service';
import { LockersController } from './lockers/lockers.controller';
import { LockersService } from './lockers/lockers.service';
import { OrdersController } from './orders/orders.controller';
import { OrdersService } from './orders/orders.service';
import { PinsService } from './pins/pins.service';
import { TripsController } from './trips/trips.controller';
import { TripsService } from './trips/trips.service';

@Module({})
export class AppModule {
  static forRoot(config: DeliveryConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        // Locker controllers call with base's device sessions.
        PlatformCoreModule.forRoot({
          config,
          configClass: DeliveryConfig,
          database: databaseDefinition,
          deviceSessions: true,
        }),
        JobsModule.forRoot({ queues: [TIMEOUT_QUEUE, MAINTENANCE_QUEUE] }),
      ],
      // Routes with literal segments before the generic `/{entity}/{id}/...` ones.
      controllers: [
        LockersController,
        OrdersController,
        TripsController,
        LockerDeviceController,
        FsmController,
      ],
      providers: [
        DefinitionRegistry,
        LockerSignals,
        TransitionEngine,
        FsmService,
        TimeoutsWorker,
        LockersService,
        OrdersService,
        PinsService,
        TripsService,
        LockerDeviceService,
      ],
    };
  }
}
