import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, Matches } from 'class-validator';
import { MaxTextLength } from '@platform/contracts';
import { PageQueryDto, IsCanonicalUuid } from '@platform/http';
import { CELL_SIZES } from '../lockers/lockers.dto';

export class OrderCreationDto {
  @ApiProperty({ format: 'uuid', description: 'Keycloak user id of the recipient' })
  @IsCanonicalUuid()
  recipient_user_id!: string;

  @ApiProperty({
    enum: ['self', 'courier'],
    description: 'self: the sender drops the parcel at locker A',
  })
  @IsIn(['self', 'courier'])
  pickup_type!: 'self' | 'courier';

  @ApiProperty({
    enum: ['self', 'courier'],
    description: 'self: the recipient collects it at locker B',
  })
  @IsIn(['self', 'courier'])
  delivery_type!: 'self' | 'courier';

  @ApiProperty({ enum: CELL_SIZES })
  @IsIn(CELL_SIZES)
  parcel_size!: (typeof CELL_SIZES)[number];

  @ApiProperty({ format: 'uuid', description: 'Locker A' })
  @IsCanonicalUuid()
  source_locker_id!: string;

  @ApiProperty({ format: 'uuid', description: 'Locker B (another locker)' })
  @IsCanonicalUuid()
  dest_locker_id!: string;

  @ApiPropertyOptional({ maxLength: 255 })
  @IsOptional()
  @IsString()
  @MaxTextLength(255)
  description?: string;
}

export const ORDER_ROLES = ['sender', 'recipient', 'courier', 'driver', 'all'] as const;
export type OrderRole = (typeof ORDER_ROLES)[number];

export class OrderQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    enum: ORDER_ROLES,
    description:
      "Whose orders: the caller's as sender, recipient, courier (either leg) or driver (of the " +
      "order's trip); `all` for staff only. Default: sender, or the caller's first role",
  })
  @IsOptional()
  @IsIn(ORDER_ROLES)
  role?: OrderRole;

  @ApiPropertyOptional({ maxLength: 64 })
  @IsOptional()
  @Matches(/^[a-z0-9_]{1,64}$/)
  state?: string;
}

export class PinView {
  @ApiProperty({ pattern: '^[0-9]{6}$', description: 'Shown once; stored hashed' }) pin!: string;
  @ApiProperty({ format: 'uuid' }) order_id!: string;
  @ApiProperty({ format: 'uuid', description: 'The locker whose keypad takes it' })
  locker_id!: string;
  @ApiProperty({ enum: ['source', 'dest'] }) side!: string;
  @ApiProperty() expires_at!: string;
  @ApiProperty() max_attempts!: number;
}

export class TripQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    enum: ['mine', 'available', 'all'],
    description: "mine: the caller's trips; available: offered to drivers; all: staff only",
  })
  @IsOptional()
  @IsIn(['mine', 'available', 'all'])
  scope?: 'mine' | 'available' | 'all';

  @ApiPropertyOptional({ maxLength: 64 })
  @IsOptional()
  @Matches(/^[a-z0-9_]{1,64}$/)
  state?: string;
}

export class ReassignDto {
  @ApiProperty({ format: 'uuid' })
  @IsCanonicalUuid()
  @IsNotEmpty()
  driver_user_id!: string;
}
