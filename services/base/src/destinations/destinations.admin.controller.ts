import { Body, Controller, Delete, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Roles } from '@platform/auth';
import { OK, OkView, UuidParam } from '@platform/http';
import { DestinationPlacesController } from './destination-places.controller';
import { CreatePlaceDto, DestinationParams, PlaceView } from './dto/destination.dto';

@ApiTags('admin: destinations')
@ApiBadRequestResponse({ description: 'Invalid input' })
@Controller('admin')
@Roles('admin')
export class DestinationsAdminController extends DestinationPlacesController {
  @Post('destination/:destination_id/hotel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Add a hotel at a destination' })
  @ApiOkResponse({ type: PlaceView })
  addHotel(@Param() params: DestinationParams, @Body() body: CreatePlaceDto): Promise<PlaceView> {
    return this.destinations.create('hotel', params.destination_id, body);
  }

  @Post('destination/:destination_id/attraction')
  @HttpCode(200)
  @ApiOperation({ summary: 'Add an attraction at a destination' })
  @ApiOkResponse({ type: PlaceView })
  addAttraction(
    @Param() params: DestinationParams,
    @Body() body: CreatePlaceDto,
  ): Promise<PlaceView> {
    return this.destinations.create('attraction', params.destination_id, body);
  }

  @Delete('destination_info/hotel/:hotel_id')
  @ApiOperation({ summary: 'Delete a hotel' })
  @ApiOkResponse({ type: OkView })
  @ApiNotFoundResponse({ description: 'HOTEL_NOT_FOUND' })
  async removeHotel(@UuidParam('hotel_id') hotelId: string): Promise<OkView> {
    await this.destinations.remove('hotel', hotelId);
    return OK;
  }

  @Delete('destination_info/attraction/:attraction_id')
  @ApiOperation({ summary: 'Delete an attraction' })
  @ApiOkResponse({ type: OkView })
  @ApiNotFoundResponse({ description: 'ATTRACTION_NOT_FOUND' })
  async removeAttraction(@UuidParam('attraction_id') attractionId: string): Promise<OkView> {
    await this.destinations.remove('attraction', attractionId);
    return OK;
  }
}
