import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsNumber, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { MaxTextLength } from '@platform/contracts';
import { IsDisplayName, PageQueryDto, IsCanonicalUuid } from '@platform/http';

export const CELL_SIZES = ['S', 'M', 'L', 'P'] as const;
export const LOCKER_STATUSES = ['active', 'inactive', 'maintenance'] as const;
const CODE = /^[A-Za-z0-9_.-]{1,50}$/;

export class LockerModelCreationDto {
  @IsDisplayName(100)
  name!: string;

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxTextLength(500)
  description?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 1000, default: 0 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1000)
  cells_s?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 1000, default: 0 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1000)
  cells_m?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 1000, default: 0 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1000)
  cells_l?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 1000, default: 0 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1000)
  cells_p?: number;
}

export class LockerModelView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() description!: string;
  @ApiProperty() cells_s!: number;
  @ApiProperty() cells_m!: number;
  @ApiProperty() cells_l!: number;
  @ApiProperty() cells_p!: number;
}

export class LockerCreationDto {
  @ApiPropertyOptional({
    format: 'uuid',
    description: "The locker's id, which its controller registers under in base (default: new)",
  })
  @IsOptional()
  @IsCanonicalUuid()
  id?: string;

  @ApiProperty({ pattern: CODE.source })
  @Matches(CODE)
  code!: string;

  @ApiProperty({ format: 'uuid' })
  @IsCanonicalUuid()
  model_id!: string;

  @IsDisplayName(100)
  city!: string;

  @IsDisplayName(255)
  address!: string;

  // Numbers, as documented: IsLatitude/IsLongitude also took "45" and refused 1e-7 (a regex on
  // the decimal text). Stored rounded to 6 decimals (numeric(9,6), about 0.1 m).
  @ApiPropertyOptional({ minimum: -90, maximum: 90 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-90)
  @Max(90)
  latitude?: number;

  @ApiPropertyOptional({ minimum: -180, maximum: 180 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-180)
  @Max(180)
  longitude?: number;

  @ApiPropertyOptional({ enum: LOCKER_STATUSES, default: 'active' })
  @IsOptional()
  @IsIn(LOCKER_STATUSES)
  status?: (typeof LOCKER_STATUSES)[number];
}

export class LockerView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() code!: string;
  @ApiProperty({ format: 'uuid' }) model_id!: string;
  @ApiProperty() city!: string;
  @ApiProperty() address!: string;
  @ApiProperty({ nullable: true, type: Number }) latitude!: number | null;
  @ApiProperty({ nullable: true, type: Number }) longitude!: number | null;
  @ApiProperty({ enum: LOCKER_STATUSES }) status!: string;
  @ApiProperty() free_cells!: number;
}

export class LockerQueryDto extends PageQueryDto {
  @IsDisplayName(100, { optional: true, description: 'Only lockers in this city' })
  city?: string;
}

export class CellCreationDto {
  @ApiProperty({ pattern: CODE.source })
  @Matches(CODE)
  code!: string;

  @ApiProperty({ enum: CELL_SIZES })
  @IsIn(CELL_SIZES)
  size!: (typeof CELL_SIZES)[number];
}

export class CellQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Only cells in this state', maxLength: 64 })
  @IsOptional()
  @Matches(/^[a-z0-9_]{1,64}$/)
  state?: string;

  @ApiPropertyOptional({ enum: CELL_SIZES })
  @IsOptional()
  @IsIn(CELL_SIZES)
  cell_size?: string;
}
