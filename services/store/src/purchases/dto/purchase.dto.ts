import { IsCanonicalUuid } from '@platform/http';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsInt,
  IsObject,
  IsOptional,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { LIMITS } from '../../common/limits';
import { MaxJsonLength } from '../../common/max-json-length';

export class PurchaseLineDto {
  @ApiProperty({ format: 'uuid' })
  @IsCanonicalUuid()
  item_id!: string;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: LIMITS.countMax })
  @IsInt()
  @Min(1)
  @Max(LIMITS.countMax)
  count!: number;
}

/** The seed's PurchaseCreation. */
export class PurchaseCreationDto {
  /** The passenger; must exist in base. */
  @ApiProperty({ format: 'uuid', description: 'The passenger (base user id); must exist' })
  @IsCanonicalUuid()
  user_id!: string;

  @ApiProperty({
    type: [PurchaseLineDto],
    minItems: 1,
    maxItems: LIMITS.linesMax,
    description: `Lines of the same item are added up; at most ${LIMITS.countMax} units per item`,
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(LIMITS.linesMax)
  @ValidateNested({ each: true })
  @Type(() => PurchaseLineDto)
  items!: PurchaseLineDto[];

  @ApiProperty({ description: 'The kitchen task is created ready (a robot hands the item over)' })
  @IsBoolean()
  is_default_ready!: boolean;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    default: {},
    description: `Free JSON object for the kitchen, at most ${LIMITS.additionalDataMaxChars} characters as JSON; the keys __proto__, constructor and prototype are refused at any depth (400 VALIDATION_FAILED), and U+0000 in any key or string (400 INVALID_CHARACTER), as in every body`,
  })
  @IsOptional()
  @IsObject()
  @MaxJsonLength(LIMITS.additionalDataMaxChars)
  additional_data?: Record<string, unknown>;
}

export class PurchaseLineView {
  @ApiProperty({ format: 'uuid' })
  item_id!: string;

  @ApiProperty({ type: 'integer', minimum: 1 })
  count!: number;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'new: price of one unit when bought' })
  unit_price_penny!: number;
}

/** The seed's Purchase shape, with the prices and the task it created. */
export class PurchaseView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  store_id!: string;

  @ApiProperty({ format: 'uuid' })
  user_id!: string;

  @ApiProperty({ type: [PurchaseLineView] })
  items!: PurchaseLineView[];

  @ApiProperty({ type: 'integer', minimum: 0, description: 'new: the total in kopecks' })
  total_penny!: number;

  @ApiProperty({ format: 'uuid', description: 'new: the kitchen task this purchase created' })
  task_id!: string;

  @ApiProperty({ format: 'date-time' })
  date!: string;
}
