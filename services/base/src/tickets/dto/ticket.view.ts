import { ApiProperty } from '@nestjs/swagger';
import { type TicketEntity } from '../entities/ticket.entity';
import { PageMetaView } from '@platform/http';

/**
 * The seed's ticket shape. `destination` (not destination_id) and `date` = `start_date` = the
 * departure instant. `code` is the QR secret only in the answer that created the ticket; it is
 * stored hashed, so everywhere else it is "". `used_at` is new.
 */
export class TicketView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  user_id!: string;

  @ApiProperty({ type: 'integer' })
  train_number!: number;

  @ApiProperty({ type: 'integer' })
  wagon_number!: number;

  @ApiProperty({ type: 'integer' })
  place_number!: number;

  @ApiProperty({ example: 'MOSCOW' })
  station_id!: string;

  @ApiProperty({ example: 'SPB' })
  destination!: string;

  @ApiProperty({ format: 'date-time' })
  date!: string;

  @ApiProperty({ format: 'date-time' })
  start_date!: string;

  @ApiProperty({ description: 'The QR code, only when the ticket is created; "" otherwise' })
  code!: string;

  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'new' })
  used_at!: string | null;
}

export class TicketPageView extends PageMetaView {
  @ApiProperty({ type: [TicketView] })
  items!: TicketView[];
}

export function toTicketView(ticket: TicketEntity, code = ''): TicketView {
  const departure = ticket.departureAt.toISOString();
  return {
    id: ticket.id,
    user_id: ticket.userId,
    train_number: ticket.trainNumber,
    wagon_number: ticket.wagonNumber,
    place_number: ticket.placeNumber,
    station_id: ticket.stationId,
    destination: ticket.destinationId,
    date: departure,
    start_date: departure,
    code,
    used_at: ticket.usedAt ? ticket.usedAt.toISOString() : null,
  };
}
