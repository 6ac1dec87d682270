import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { STORE_TYPES, STORES_BY_IDS_MAX, type StoreType, MaxTextLength } from '@platform/contracts';
import { IsDisplayName, PageMetaView } from '@platform/http';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, IsUUID } from 'class-validator';
import { LIMITS } from '../../common/limits';
import { StoreItemView } from '../../items/dto/item.dto';

export class CreateStoreDto {
  @IsDisplayName(LIMITS.storeName, { description: 'Unique' })
  name!: string;

  @ApiPropertyOptional({ maxLength: LIMITS.storeDescription, default: '' })
  @IsOptional()
  @IsString()
  @MaxTextLength(LIMITS.storeDescription)
  description?: string;

  @ApiPropertyOptional({ maxLength: LIMITS.logoUrl, default: '' })
  @IsOptional()
  @IsString()
  @MaxTextLength(LIMITS.logoUrl)
  logo_url?: string;

  @ApiProperty({ enum: STORE_TYPES })
  @IsIn(STORE_TYPES)
  store_type!: StoreType;
}

/** Only the fields given change. */
export class UpdateStoreDto {
  @IsDisplayName(LIMITS.storeName, { optional: true, description: 'Unique' })
  name?: string;

  @ApiPropertyOptional({ maxLength: LIMITS.storeDescription })
  @IsOptional()
  @IsString()
  @MaxTextLength(LIMITS.storeDescription)
  description?: string;

  @ApiPropertyOptional({ maxLength: LIMITS.logoUrl })
  @IsOptional()
  @IsString()
  @MaxTextLength(LIMITS.logoUrl)
  logo_url?: string;

  @ApiPropertyOptional({ enum: STORE_TYPES })
  @IsOptional()
  @IsIn(STORE_TYPES)
  store_type?: StoreType;
}

/** `{ids}`: 0..50 store ids (the seed's limit; none asked, none answered). */
export class StoreIdsDto {
  @ApiProperty({
    type: [String],
    format: 'uuid',
    minItems: 0,
    maxItems: STORES_BY_IDS_MAX,
  })
  @IsArray()
  @ArrayMaxSize(STORES_BY_IDS_MAX)
  @IsUUID('all', { each: true })
  ids!: string[];
}

/** The seed's Store shape. `items` is `[]` in lists, every item when one store is asked for. */
export class StoreView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty()
  description!: string;

  @ApiProperty()
  logo_url!: string;

  @ApiProperty({ enum: STORE_TYPES })
  store_type!: StoreType;

  @ApiProperty({ type: [StoreItemView] })
  items!: StoreItemView[];
}

export class StorePageView extends PageMetaView {
  @ApiProperty({ type: [StoreView] })
  items!: StoreView[];
}
