import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';

/** Seats: a train has at most 30 wagons of at most 120 places (the seed had no bounds). */
export const TICKET_LIMITS = {
  wagonMax: 30,
  placeMax: 120,
} as const;

/** A seat in a train, as every ticket-issuing request names it. */
export class SeatDto {
  @ApiProperty({ minimum: 1, maximum: TICKET_LIMITS.wagonMax })
  @IsInt()
  @Min(1)
  @Max(TICKET_LIMITS.wagonMax)
  wagon_number!: number;

  @ApiProperty({ minimum: 1, maximum: TICKET_LIMITS.placeMax })
  @IsInt()
  @Min(1)
  @Max(TICKET_LIMITS.placeMax)
  place_number!: number;
}
