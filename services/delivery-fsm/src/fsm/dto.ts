import { IsCanonicalUuid } from '@platform/http';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';

export const ENTITY_PATHS = { orders: 'order', trips: 'trip', cells: 'cell' } as const;
export type EntityPath = keyof typeof ENTITY_PATHS;
/** The path names as an enum for ParseEnumPipe (which checks values). */
export const ENTITY_PATH_ENUM = { orders: 'orders', trips: 'trips', cells: 'cells' } as const;

/** Body of `POST /{entity}/{id}/actions/{action}` (every field optional). */
export class FireActionDto {
  @ApiPropertyOptional({
    format: 'uuid',
    description:
      'Staff assigning a courier leg: the courier (a courier taking a leg is the courier)',
  })
  @IsOptional()
  @IsCanonicalUuid()
  courier_user_id?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Staff assigning a trip: the driver (a driver taking a trip is the driver)',
  })
  @IsOptional()
  @IsCanonicalUuid()
  driver_user_id?: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    maximum: 2_147_483_647,
    description: 'Refuse (409 STATE_VERSION_MISMATCH) unless the entity is still at this version',
  })
  // A JSON number only (no @Type coercion: "1" or true in a body is a type error, as documented).
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(2_147_483_647)
  expected_state_version?: number;
}

export class DiagramQueryDto {
  @ApiPropertyOptional({
    enum: ['order', 'trip', 'cell'],
    description: 'One entity type (default all)',
  })
  @IsOptional()
  @IsIn(['order', 'trip', 'cell'])
  entity?: 'order' | 'trip' | 'cell';
}
