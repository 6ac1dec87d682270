import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RemoteServicesModule } from '../common/remote/remote-services.module';
import { TicketEntity } from './entities/ticket.entity';
import { TicketQueries } from './ticket-queries';
import { TICKET_LOOKUP, TicketValidationService } from './ticket-validation.service';
import { TicketsAdminController } from './tickets.admin.controller';
import { TicketsService } from './tickets.service';

@Module({
  imports: [TypeOrmModule.forFeature([TicketEntity]), RemoteServicesModule],
  controllers: [TicketsAdminController],
  providers: [
    TicketsService,
    TicketQueries,
    { provide: TICKET_LOOKUP, useExisting: TicketQueries },
    TicketValidationService,
  ],
  exports: [TicketsService, TicketValidationService],
})
export class TicketsModule {}
