import { Module } from '@nestjs/common';
import { RateLimitModule } from '@platform/rate-limit';
import { RemoteServicesModule } from '../common/remote/remote-services.module';
import { TicketsModule } from '../tickets/tickets.module';
import { UsersModule } from '../users/users.module';
import { PassengerController } from './passenger.controller';
import { PassengerService } from './passenger.service';

/** The passenger website's API (`/frontend/*`, Keycloak role `passenger`). */
@Module({
  imports: [UsersModule, TicketsModule, RemoteServicesModule, RateLimitModule],
  controllers: [PassengerController],
  providers: [PassengerService],
})
export class PassengerModule {}
