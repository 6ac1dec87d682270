import { Get, Injectable, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { type Page, PageQueryDto, pageWindow } from '@platform/http';
import { DestinationsService } from './destinations.service';
import { DestinationParams, PlacePageView, type PlaceView } from './dto/destination.dto';

/**
 * The read side of destination info, the same for admins and robots: subclasses set the path
 * and the access policy. @Injectable makes TypeScript emit the constructor's parameter types,
 * which Nest reads when it builds a subclass that declares no constructor of its own.
 */
@Injectable()
export abstract class DestinationPlacesController {
  constructor(protected readonly destinations: DestinationsService) {}

  @Get('destination/:destination_id/hotels')
  @ApiOperation({ summary: 'Hotels at a destination' })
  @ApiOkResponse({ type: PlacePageView })
  hotels(
    @Param() params: DestinationParams,
    @Query() query: PageQueryDto,
  ): Promise<Page<PlaceView>> {
    return this.destinations.list('hotel', params.destination_id, pageWindow(query));
  }

  @Get('destination/:destination_id/attractions')
  @ApiOperation({ summary: 'Attractions at a destination' })
  @ApiOkResponse({ type: PlacePageView })
  attractions(
    @Param() params: DestinationParams,
    @Query() query: PageQueryDto,
  ): Promise<Page<PlaceView>> {
    return this.destinations.list('attraction', params.destination_id, pageWindow(query));
  }
}
