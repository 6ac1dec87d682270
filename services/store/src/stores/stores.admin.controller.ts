import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Roles } from '@platform/auth';
import { OK, OkView, type Page, PageQueryDto, pageWindow, UuidParam } from '@platform/http';
import {
  CreateStoreDto,
  StoreIdsDto,
  StorePageView,
  StoreView,
  UpdateStoreDto,
} from './dto/store.dto';
import { StoresService, toStoreView } from './stores.service';

@ApiTags('admin: stores')
@ApiBadRequestResponse({ description: 'Invalid input' })
@Controller('admin')
@Roles('admin')
export class StoresAdminController {
  constructor(private readonly stores: StoresService) {}

  @Post('store')
  @HttpCode(200)
  @ApiOperation({ summary: 'Create a store (no items yet)' })
  @ApiOkResponse({ type: StoreView })
  @ApiConflictResponse({ description: 'STORE_NAME_TAKEN' })
  create(@Body() body: CreateStoreDto): Promise<StoreView> {
    return this.stores.create(body);
  }

  @Get('stores')
  @ApiOperation({ summary: 'List stores, oldest first (items: [])' })
  @ApiOkResponse({ type: StorePageView })
  list(@Query() query: PageQueryDto): Promise<Page<StoreView>> {
    return this.stores.list(pageWindow(query));
  }

  @Get('store/:store_id')
  @ApiOperation({ summary: 'A store with all its items' })
  @ApiOkResponse({ type: StoreView })
  @ApiNotFoundResponse({ description: 'STORE_NOT_FOUND' })
  get(@UuidParam('store_id') storeId: string): Promise<StoreView> {
    return this.stores.withItems(storeId);
  }

  @Patch('store/:store_id')
  @ApiOperation({ summary: 'Change the fields given; answers the store with its items' })
  @ApiOkResponse({ type: StoreView })
  @ApiNotFoundResponse({ description: 'STORE_NOT_FOUND' })
  @ApiConflictResponse({ description: 'STORE_NAME_TAKEN' })
  update(@UuidParam('store_id') storeId: string, @Body() body: UpdateStoreDto): Promise<StoreView> {
    return this.stores.update(storeId, body);
  }

  @Delete('store/:store_id')
  @ApiOperation({
    summary: 'Delete a store with its items, purchases and tasks; refused while tasks are open',
  })
  @ApiOkResponse({ type: OkView })
  @ApiNotFoundResponse({ description: 'STORE_NOT_FOUND' })
  @ApiConflictResponse({ description: 'STORE_HAS_OPEN_TASKS (details.open_tasks)' })
  async remove(@UuidParam('store_id') storeId: string): Promise<OkView> {
    await this.stores.remove(storeId);
    return OK;
  }

  @Get('ids/stores')
  @ApiOperation({
    summary: 'The existing stores among the ids (JSON body, as the seed); POST is the same',
  })
  @ApiOkResponse({ type: [StoreView] })
  byIdsInBody(@Body() body: StoreIdsDto): Promise<StoreView[]> {
    return this.byIds(body);
  }

  @Post('ids/stores')
  @HttpCode(200)
  @ApiOperation({ summary: 'The existing stores among the ids, in the order asked (items: [])' })
  @ApiOkResponse({ type: [StoreView] })
  async byIds(@Body() body: StoreIdsDto): Promise<StoreView[]> {
    return (await this.stores.byIds(body.ids)).map((store) => toStoreView(store));
  }
}
