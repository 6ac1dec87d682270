import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { FromDecimalText, IsCanonicalUuid } from '@platform/http';
import { IsBoolean, IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { ACK_RESULTS, type AckResult } from './locker-protocol';

export class CommandPollQueryDto {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    maximum: 25,
    default: 20,
    description: 'Long-poll: wait up to this many seconds for a command (capped by the service)',
  })
  @IsOptional()
  @FromDecimalText()
  @IsInt()
  @Min(0)
  @Max(25)
  wait_seconds?: number;
}

export class LockerCommandView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['OPEN_CELL'] }) command!: string;
  @ApiProperty({ format: 'uuid' }) cell_id!: string;
  @ApiProperty() cell_code!: string;
  @ApiProperty() issued_at!: string;
}

export class LockerCommandsView {
  @ApiProperty({ type: [LockerCommandView] }) commands!: LockerCommandView[];
}

export class CommandAckDto {
  @ApiProperty({ enum: ACK_RESULTS })
  @IsIn(ACK_RESULTS)
  result!: AckResult;

  @ApiPropertyOptional({
    description:
      'With door_closed: whether the sensor sees a parcel inside. Controllers without a sensor leave it out (the cell is then taken as holding a parcel after a drop-off report, empty after a pickup report)',
  })
  @IsOptional()
  @IsBoolean()
  parcel_present?: boolean | null;
}

export class CommandAckView {
  @ApiProperty({ format: 'uuid' }) command_id!: string;
  @ApiProperty({ enum: ['pending', 'delivered', 'done', 'expired'] }) status!: string;
  @ApiProperty({ nullable: true, type: String, description: 'The cell action fired, if any' })
  cell_action!: string | null;
  @ApiProperty() cell_state!: string;
}

export class PinEntryDto {
  @ApiProperty({ format: 'uuid' })
  @IsCanonicalUuid()
  order_id!: string;

  @ApiProperty({ pattern: '^[0-9]{6}$' })
  @Matches(/^[0-9]{6}$/)
  pin!: string;
}
