import { IsCanonicalUuid } from '@platform/http';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { TextLength, MaxTextLength } from '@platform/contracts';
import { LIMITS } from '../../common/limits';
import { IsInstantString } from '../../common/validators';
import { SeatDto } from './ticket-limits';

/** POST /admin/ticket, the seed's body. */
export class CreateTicketDto extends SeatDto {
  @ApiProperty({ format: 'uuid' })
  @IsCanonicalUuid()
  user_id!: string;

  @ApiProperty({ minimum: 1 })
  @IsInt()
  @Min(1)
  @Max(LIMITS.int32Max)
  train_number!: number;

  @ApiProperty({ maxLength: LIMITS.stationId, example: 'MOSCOW' })
  @IsString()
  @TextLength(1, LIMITS.stationId)
  station_id!: string;

  @ApiProperty({ maxLength: LIMITS.destinationId, example: 'SPB' })
  @IsString()
  @TextLength(1, LIMITS.destinationId)
  destination!: string;

  @ApiProperty({
    description: 'Departure, ISO-8601; without an offset it is Moscow time',
    example: '2026-11-22T09:00:00+03:00',
  })
  @IsString()
  @MaxTextLength(LIMITS.dateText)
  @IsInstantString()
  date!: string;

  @ApiPropertyOptional({ description: 'Accepted for compatibility and ignored (= date)' })
  @IsOptional()
  @IsString()
  @MaxTextLength(LIMITS.dateText)
  @IsInstantString()
  start_date?: string;
}
