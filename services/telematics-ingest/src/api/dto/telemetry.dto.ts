import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { FromDecimalText, IsDateTime } from '@platform/http';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { MaxTextLength } from '@platform/contracts';

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;
/** The identifiers the ingest stores devices under (frame-write.ts isAcceptableIdentifier). */
export const IMEI_PATTERN = /^[0-9A-Za-z_.-]{1,32}$/;
/** Vehicle-bus value names (`varchar(64)`): what the `name` filter and CAN-data cursors take. */
export const BUS_VALUE_NAME_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;

/** `?from=&to=&limit=&cursor=`: a time range [from, to), oldest first, keyset pages. */
export class TimeRangeQueryDto {
  @ApiPropertyOptional({
    description: 'Inclusive lower bound; default 24 h before `to`',
  })
  @IsOptional()
  @IsDateTime()
  from?: string;

  @ApiPropertyOptional({ description: 'Exclusive upper bound; default now' })
  @IsOptional()
  @IsDateTime()
  to?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT })
  @IsOptional()
  @FromDecimalText()
  @IsInt()
  @Min(1)
  @Max(MAX_LIMIT)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxTextLength(400)
  @Matches(/^[A-Za-z0-9_-]+$/)
  cursor?: string;
}

export class CanDataQueryDto extends TimeRangeQueryDto {
  @ApiPropertyOptional({ description: 'Only this value, e.g. engineSpeed' })
  @IsOptional()
  @IsString()
  @Matches(BUS_VALUE_NAME_PATTERN)
  name?: string;
}

export class DeviceView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() imei!: string;
  @ApiProperty({ enum: ['ntcb-flex', 'text'] }) protocol!: string;
  @ApiProperty({ type: 'integer', nullable: true }) ntcbDeviceId!: number | null;
  @ApiProperty({ type: 'integer', nullable: true }) flexProtocolVersion!: number | null;
  @ApiProperty({ type: 'integer', nullable: true }) flexStructVersion!: number | null;
  @ApiProperty({ type: 'integer', isArray: true, nullable: true }) flexFields!: number[] | null;
  @ApiProperty({ type: 'integer', nullable: true }) flexRecordLength!: number | null;
  @ApiProperty({ format: 'date-time' }) firstSeenAt!: string;
  @ApiProperty({ format: 'date-time' }) lastSeenAt!: string;
  @ApiProperty({ enum: ['online', 'offline'] }) connectionState!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) connectedAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) disconnectedAt!:
    string | null;
}

export class DevicePageView {
  @ApiProperty({ type: [DeviceView] }) items!: DeviceView[];
  @ApiProperty({ type: 'integer' }) total!: number;
  @ApiProperty({ type: 'integer' }) page!: number;
  @ApiProperty({ type: 'integer' }) size!: number;
  @ApiProperty({ type: 'integer' }) pages!: number;
}

export class PositionView {
  @ApiProperty({ format: 'date-time' }) eventTime!: string;
  @ApiProperty({ type: 'integer', description: 'Black-box index; -1 when the source has none' })
  recordIndex!: number;
  @ApiProperty({ format: 'date-time' }) receivedAt!: string;
  @ApiProperty({
    description: 'flex-A, flex-T, flex-C, flex-E, flex-X, ntcb-legacy (`*>T`/`*>A`) or text',
  })
  source!: string;
  @ApiProperty({ type: 'integer', nullable: true }) eventCode!: number | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) fixTime!: string | null;
  @ApiProperty({ type: Boolean, nullable: true }) valid!: boolean | null;
  @ApiProperty({ type: 'integer', nullable: true }) satellites!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'degrees' }) latitude!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'degrees' }) longitude!: number | null;
  @ApiProperty({ type: Number, nullable: true }) altitudeM!: number | null;
  @ApiProperty({ type: Number, nullable: true }) speedKmh!: number | null;
  @ApiProperty({ type: 'integer', nullable: true }) course!: number | null;
  @ApiProperty({ type: Number, nullable: true }) odometerKm!: number | null;
  @ApiProperty({ type: Number, nullable: true }) hdop!: number | null;
  @ApiProperty({ type: 'integer', nullable: true }) gsmLevel!: number | null;
  @ApiProperty({ type: 'integer', nullable: true }) deviceStatus!: number | null;
  @ApiProperty({ type: Number, nullable: true }) mainPowerV!: number | null;
  @ApiProperty({ type: Number, nullable: true }) backupBatteryV!: number | null;
  @ApiProperty({ type: 'integer', nullable: true }) digitalInputs!: number | null;
  @ApiProperty({ type: 'integer', nullable: true }) digitalOutputs!: number | null;
}

export class PositionPageView {
  @ApiProperty({ type: [PositionView] }) items!: PositionView[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `cursor` for the next page; null at the end',
  })
  nextCursor!: string | null;
}

export class BusValueView {
  @ApiProperty({ format: 'date-time' }) eventTime!: string;
  @ApiProperty({ type: 'integer' }) recordIndex!: number;
  @ApiProperty() name!: string;
  @ApiProperty({ type: Number, nullable: true, description: 'null = not available' }) value!:
    number | null;
  @ApiProperty({ type: String, nullable: true }) unit!: string | null;
  @ApiProperty({ description: 'flex:55, j1939:spn190, obd2:pid0C' }) source!: string;
}

export class BusValuePageView {
  @ApiProperty({ type: [BusValueView] }) items!: BusValueView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class RawFrameView {
  @ApiProperty() id!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) deviceId!: string | null;
  @ApiProperty({ format: 'date-time' }) receivedAt!: string;
  @ApiProperty() frameType!: string;
  @ApiProperty({ description: 'hex' }) payload!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'hex of the reply sent, null when none',
  })
  reply!: string | null;
}

export class RawFramePageView {
  @ApiProperty({ type: [RawFrameView] }) items!: RawFrameView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class IngestStatsView {
  @ApiProperty({ type: 'integer' }) devices!: number;
  @ApiProperty({ type: 'integer' }) devicesOnline!: number;
  @ApiProperty({ type: 'integer' }) connections!: number;
  @ApiProperty({ type: 'integer', description: 'Records received, not yet committed' })
  pendingRecords!: number;
  @ApiProperty({ description: 'Sockets paused by backpressure' }) readingPaused!: boolean;
  @ApiProperty({ type: 'integer' }) positionsLastHour!: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastPositionAt!:
    string | null;
}

export class TelematicsHealthView {
  @ApiProperty({ enum: ['up'] }) status!: 'up';
  @ApiProperty({ type: 'integer' }) connections!: number;
  @ApiProperty({ type: 'integer' }) pendingRecords!: number;
  @ApiProperty() readingPaused!: boolean;
}
