import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { FACE_IMAGE_MAX_LENGTH, TextLength, MaxTextLength } from '@platform/contracts';
import { IsBase64, IsIn, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { LIMITS } from '../../common/limits';
import { IsInstantString } from '../../common/validators';
import { SeatDto } from '../../tickets/dto/ticket-limits';
import { type Station, STATIONS } from '../train-schedule';

/** POST /frontend/tickets: buy a seat on one of the day's four departures. */
export class BuyTicketDto extends SeatDto {
  @ApiPropertyOptional({ description: 'Ignored: the train follows from station and hour' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(LIMITS.int32Max)
  train_number?: number;

  @ApiProperty({ enum: STATIONS, description: 'Boarding station' })
  @IsIn(STATIONS)
  station_id!: Station;

  @ApiProperty({ enum: STATIONS })
  @IsIn(STATIONS)
  destination_id!: Station;

  @ApiProperty({
    description: 'Departure; its hour on a Moscow clock must be 05, 09, 13 or 17',
    example: '2026-11-22T09:00:00+03:00',
  })
  @IsString()
  @MaxTextLength(LIMITS.dateText)
  @IsInstantString()
  date!: string;
}

/** POST /frontend/face: a base64 image enrols (or replaces) the face; null removes it. */
export class PassengerFaceDto {
  @ApiPropertyOptional({ nullable: true, minLength: 1, maxLength: FACE_IMAGE_MAX_LENGTH })
  @IsOptional()
  @IsString()
  @TextLength(1, FACE_IMAGE_MAX_LENGTH)
  @IsBase64()
  face?: string | null;
}
