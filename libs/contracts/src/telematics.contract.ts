import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsInt,
  IsISO8601,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { TextLength } from './text-length';

/**
 * Events telematics-ingest publishes (Redis transport `emit`: pub/sub, fire-and-forget, nothing
 * stored or retried). Each stored position is published once, after the transaction holding it
 * committed; resends that were deduplicated are not published again. Positions travel in batches
 * (one message per group commit, at most {@link TELEMATICS_POSITION_BATCH_MAX} each), so a busy
 * ingest costs Redis a few messages per commit instead of one per record. A consumer that missed
 * messages reads the positions back from `GET /telematics_api/v2/devices/{imei}/telemetry`.
 */
export const TELEMATICS_EVENTS = {
  /** {@link TelematicsPositionBatch}. */
  position: 'telematics.position',
} as const;

export const TELEMATICS_POSITION_BATCH_MAX = 500;

export class TelematicsPosition {
  /** The tracker's identifier (IMEI). */
  @IsString()
  @TextLength(1, 32)
  imei!: string;

  /** telematics' device id. */
  @IsUUID()
  deviceId!: string;

  /** ISO-8601 UTC: the record's event time (else fix time, else arrival). */
  @IsISO8601()
  eventTime!: string;

  /** Black-box record index; -1 when the source has none. */
  @IsInt()
  @Min(-1)
  recordIndex!: number;

  @IsOptional()
  @IsNumber()
  @Min(-90)
  @Max(90)
  latitude!: number | null;

  @IsOptional()
  @IsNumber()
  @Min(-180)
  @Max(180)
  longitude!: number | null;

  @IsOptional()
  @IsNumber()
  speedKmh!: number | null;

  @IsOptional()
  @IsInt()
  course!: number | null;

  @IsOptional()
  @IsNumber()
  altitudeM!: number | null;

  @IsOptional()
  @IsBoolean()
  valid!: boolean | null;

  @IsOptional()
  @IsInt()
  satellites!: number | null;
}

export class TelematicsPositionBatch {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(TELEMATICS_POSITION_BATCH_MAX)
  @ValidateNested({ each: true })
  @Type(() => TelematicsPosition)
  positions!: TelematicsPosition[];
}
