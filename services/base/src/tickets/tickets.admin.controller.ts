import { Body, Controller, Delete, Get, HttpCode, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Roles } from '@platform/auth';
import { toInstant } from '../common/instant';
import { OK, OkView, type Page, PageQueryDto, pageWindow, UuidParam } from '@platform/http';
import { CreateTicketDto } from './dto/create-ticket.dto';
import { TicketPageView, TicketView, toTicketView } from './dto/ticket.view';
import { TicketsService } from './tickets.service';

@ApiTags('admin: tickets')
@ApiBadRequestResponse({ description: 'Invalid input' })
@Controller('admin')
@Roles('admin')
export class TicketsAdminController {
  constructor(private readonly tickets: TicketsService) {}

  @Post('ticket')
  @HttpCode(200)
  @ApiOperation({ summary: 'Issue a ticket; the answer carries its QR code, shown this once' })
  @ApiOkResponse({ type: TicketView })
  @ApiNotFoundResponse({ description: 'USER_NOT_FOUND' })
  @ApiConflictResponse({ description: 'SEAT_TAKEN' })
  async create(@Body() body: CreateTicketDto): Promise<TicketView> {
    const { ticket, code } = await this.tickets.issue({
      userId: body.user_id,
      trainNumber: body.train_number,
      wagonNumber: body.wagon_number,
      placeNumber: body.place_number,
      stationId: body.station_id,
      destinationId: body.destination,
      departureAt: toInstant(body.date, 'date'),
    });
    return toTicketView(ticket, code);
  }

  @Get('tickets')
  @ApiOperation({ summary: 'List tickets, oldest first; codes are never shown ("")' })
  @ApiOkResponse({ type: TicketPageView })
  list(@Query() query: PageQueryDto): Promise<Page<TicketView>> {
    return this.tickets.list(pageWindow(query));
  }

  @Delete('ticket/:ticket_id')
  @ApiOperation({ summary: 'Delete a ticket' })
  @ApiOkResponse({ type: OkView })
  @ApiNotFoundResponse({ description: 'TICKET_NOT_FOUND' })
  async remove(@UuidParam('ticket_id') ticketId: string): Promise<OkView> {
    await this.tickets.remove(ticketId);
    return OK;
  }
}
