import { Body, Controller, Delete, Get, HttpCode, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { Roles } from '@platform/auth';
import { toTrainDate } from '../common/instant';
import { OK, OkView, type Page, PageQueryDto, pageWindow, UuidParam } from '@platform/http';
import {
  OptionalTrainRefBody,
  PagedTrainRefQuery,
  StoreIdPageView,
  TrainRefDto,
  TrainRefQuery,
} from './dto/train.dto';
import { trainRefOf } from './train-ref';
import { TrainStoresService } from './train-stores.service';

@ApiTags('admin: train stores')
@ApiBadRequestResponse({ description: 'Invalid input' })
@Controller('admin')
@Roles('admin')
export class TrainStoresAdminController {
  constructor(private readonly trainStores: TrainStoresService) {}

  @Post('store/:store_id/train')
  @HttpCode(200)
  @ApiOperation({ summary: 'Bind a store (checked with the store service) to a train on a day' })
  @ApiOkResponse({ type: OkView })
  @ApiNotFoundResponse({ description: 'STORE_NOT_FOUND' })
  @ApiConflictResponse({ description: 'BINDING_ALREADY_EXISTS' })
  @ApiServiceUnavailableResponse({ description: 'STORE_SERVICE_UNAVAILABLE' })
  async bind(@UuidParam('store_id') storeId: string, @Body() body: TrainRefDto): Promise<OkView> {
    await this.trainStores.bind(storeId, {
      trainNumber: body.train_number,
      trainDate: toTrainDate(body.train_date, 'train_date'),
    });
    return OK;
  }

  @Get('train/stores')
  @ApiOperation({
    summary: 'Ids of the stores bound to a train (query string; a JSON body is still accepted)',
  })
  @ApiOkResponse({ type: StoreIdPageView })
  storeIds(
    @Query() query: PagedTrainRefQuery,
    @Body() body: OptionalTrainRefBody,
  ): Promise<Page<string>> {
    return this.trainStores.storeIdsOf(trainRefOf(query, body), pageWindow(query));
  }

  @Post('train/stores')
  @HttpCode(200)
  @ApiOperation({ summary: 'Ids of the stores bound to a train (POST equivalent)' })
  @ApiOkResponse({ type: StoreIdPageView })
  storeIdsByPost(@Query() query: PageQueryDto, @Body() body: TrainRefDto): Promise<Page<string>> {
    return this.trainStores.storeIdsOf(trainRefOf({}, body), pageWindow(query));
  }

  @Delete('store/:store_id/train/unbind')
  @ApiOperation({ summary: 'Unbind a store from a train (JSON body as in the seed, or query)' })
  @ApiOkResponse({ type: OkView })
  @ApiNotFoundResponse({ description: 'BINDING_NOT_FOUND' })
  async unbind(
    @UuidParam('store_id') storeId: string,
    @Query() query: TrainRefQuery,
    @Body() body: OptionalTrainRefBody,
  ): Promise<OkView> {
    await this.trainStores.unbind(storeId, trainRefOf(query, body));
    return OK;
  }
}
