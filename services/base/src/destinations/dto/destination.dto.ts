import { ApiProperty } from '@nestjs/swagger';
import { IsString } from 'class-validator';
import { TextLength } from '@platform/contracts';
import { LIMITS } from '../../common/limits';
import { IsDisplayName, PageMetaView } from '@platform/http';

export class DestinationParams {
  @ApiProperty({ maxLength: LIMITS.destinationId, example: 'SPB' })
  @IsString()
  @TextLength(1, LIMITS.destinationId)
  destination_id!: string;
}

/** A hotel or an attraction, as the admin creates it. */
export class CreatePlaceDto {
  @IsDisplayName(LIMITS.placeName)
  name!: string;

  @ApiProperty({ maxLength: LIMITS.placeDescription })
  @IsString()
  @TextLength(0, LIMITS.placeDescription)
  description!: string;

  @ApiProperty({ maxLength: LIMITS.logoUrl, example: '/static/logos/hotels/1.png' })
  @IsString()
  @TextLength(0, LIMITS.logoUrl)
  logo_url!: string;
}

/** The seed's hotel/attraction shape. */
export class PlaceView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty()
  description!: string;

  @ApiProperty()
  logo_url!: string;
}

export class PlacePageView extends PageMetaView {
  @ApiProperty({ type: [PlaceView] })
  items!: PlaceView[];
}
