import { IsCanonicalUuid } from '@platform/http';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { FACE_IMAGE_MAX_LENGTH, TextLength, MaxTextLength } from '@platform/contracts';
import { IsBase64, IsBoolean, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { LIMITS } from '../../common/limits';
import { IsInstantString } from '../../common/validators';

export class IdentificationDto {
  @ApiProperty({ maxLength: FACE_IMAGE_MAX_LENGTH, description: 'Base64 camera frame' })
  @IsString()
  @TextLength(1, FACE_IMAGE_MAX_LENGTH)
  @IsBase64()
  image!: string;
}

/** POST /robot/ticket_validation: the robot's door, and a face or a QR code. */
export class TicketValidationDto {
  @ApiProperty({ maxLength: LIMITS.stationId, example: 'MOSCOW' })
  @IsString()
  @TextLength(1, LIMITS.stationId)
  station_id!: string;

  @ApiProperty({ minimum: 1 })
  @IsInt()
  @Min(1)
  @Max(LIMITS.int32Max)
  train_number!: number;

  @ApiProperty({ minimum: 1 })
  @IsInt()
  @Min(1)
  @Max(LIMITS.int32Max)
  wagon_number!: number;

  @ApiProperty({
    description: 'Departure instant; any offset (none: Moscow time)',
    example: '2026-11-22T09:00:00+03:00',
  })
  @IsString()
  @MaxTextLength(LIMITS.dateText)
  @IsInstantString()
  date!: string;

  @ApiPropertyOptional({ nullable: true, description: 'Base64 camera frame; wins over code' })
  @IsOptional()
  @IsString()
  @TextLength(1, FACE_IMAGE_MAX_LENGTH)
  @IsBase64()
  face?: string | null;

  @ApiPropertyOptional({ nullable: true, maxLength: LIMITS.ticketCode, description: 'QR code' })
  @IsOptional()
  @IsString()
  @TextLength(1, LIMITS.ticketCode)
  code?: string | null;

  @ApiProperty({ description: 'Use the ticket up (open the door)' })
  @IsBoolean()
  mark_as_used!: boolean;
}

export class CurrentTicketDto {
  @ApiProperty({ format: 'uuid' })
  @IsCanonicalUuid()
  user_id!: string;

  @ApiProperty({ minimum: 1, description: 'The train number' })
  @IsInt()
  @Min(1)
  @Max(LIMITS.int32Max)
  train_id!: number;

  @ApiProperty({ description: 'Departure instant', example: '2026-11-22T09:00:00+03:00' })
  @IsString()
  @MaxTextLength(LIMITS.dateText)
  @IsInstantString()
  start_date!: string;
}

export class DetermineDestinationDto {
  @ApiProperty({ format: 'uuid' })
  @IsCanonicalUuid()
  user_id!: string;

  @ApiProperty({ minimum: 1 })
  @IsInt()
  @Min(1)
  @Max(LIMITS.int32Max)
  train_number!: number;

  @ApiProperty({ description: 'Departure instant', example: '2026-11-22T09:00:00+03:00' })
  @IsString()
  @MaxTextLength(LIMITS.dateText)
  @IsInstantString()
  start_date!: string;
}

export class DestinationView {
  @ApiProperty({ description: 'Destination id', example: 'SPB' })
  id!: string;
}

export class AdminAccessDto {
  @ApiProperty({ maxLength: LIMITS.authCardKey, example: '0xDE 0xAD 0xBE 0xEF' })
  @IsString()
  @TextLength(1, LIMITS.authCardKey)
  key!: string;
}
