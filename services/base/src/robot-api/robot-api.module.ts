import { Module } from '@nestjs/common';
import { RateLimitModule } from '@platform/rate-limit';
import { RemoteServicesModule } from '../common/remote/remote-services.module';
import { DestinationsModule } from '../destinations/destinations.module';
import { EngineersModule } from '../engineers/engineers.module';
import { TicketsModule } from '../tickets/tickets.module';
import { TrainStoresModule } from '../train-stores/train-stores.module';
import { UsersModule } from '../users/users.module';
import { FaceChecksInFlight } from './face-checks-in-flight';
import { RobotPassengers } from './robot-passengers';
import { RobotPassengersRpcController } from './robot-passengers.rpc.controller';
import { RobotController, RobotDestinationsController } from './robot.controller';

/** The robot kiosk's API (`/robot/*`, robot sessions only). */
@Module({
  imports: [
    RemoteServicesModule,
    UsersModule,
    TicketsModule,
    DestinationsModule,
    EngineersModule,
    TrainStoresModule,
    RateLimitModule,
  ],
  controllers: [RobotController, RobotDestinationsController, RobotPassengersRpcController],
  providers: [RobotPassengers, FaceChecksInFlight],
})
export class RobotApiModule {}
