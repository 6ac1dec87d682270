import { ApiProperty } from '@nestjs/swagger';
import { IsDisplayName, IsIntegerOrDigits, PageMetaView, IsCanonicalUuid } from '@platform/http';
import { IsString } from 'class-validator';
import { MaxTextLength } from '@platform/contracts';
import { LIMITS } from '../../common/limits';

/** The seed's item fields, all required (as the seed had them). */
export class ItemFieldsDto {
  @IsDisplayName(LIMITS.itemName)
  name!: string;

  @ApiProperty({ maxLength: LIMITS.itemDescription })
  @IsString()
  @MaxTextLength(LIMITS.itemDescription)
  description!: string;

  @ApiProperty({ maxLength: LIMITS.logoUrl })
  @IsString()
  @MaxTextLength(LIMITS.logoUrl)
  logo_url!: string;

  // the seed's terminal sends these as typed ("15"): see IsIntegerOrDigits
  @IsIntegerOrDigits(LIMITS.balanceMax, 9, 'Stock')
  balance!: number;

  @IsIntegerOrDigits(LIMITS.pricePennyMax, 7, 'Price in kopecks')
  price_penny!: number;

  @ApiProperty({ maxLength: LIMITS.itemCategory })
  @IsString()
  @MaxTextLength(LIMITS.itemCategory)
  category!: string;
}

export class CreateItemDto extends ItemFieldsDto {}

/** The seed's `PUT /store/item`: the whole item, `id` included; every field is overwritten. */
export class UpdateItemDto extends ItemFieldsDto {
  @ApiProperty({ format: 'uuid' })
  @IsCanonicalUuid()
  id!: string;
}

/** The seed's StoreItem shape. */
export class StoreItemView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty()
  description!: string;

  @ApiProperty()
  logo_url!: string;

  @ApiProperty({ type: 'integer', minimum: 0 })
  balance!: number;

  @ApiProperty({ type: 'integer', minimum: 0 })
  price_penny!: number;

  @ApiProperty()
  category!: string;
}

export class StoreItemPageView extends PageMetaView {
  @ApiProperty({ type: [StoreItemView] })
  items!: StoreItemView[];
}
