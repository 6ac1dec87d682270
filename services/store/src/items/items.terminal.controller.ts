import { Body, Controller, Delete, Get, HttpCode, Post, Put, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentDevice, DeviceAuth, type DevicePrincipal } from '@platform/auth';
import { OK, OkView, type Page, PageQueryDto, pageWindow, UuidParam } from '@platform/http';
import { CreateItemDto, StoreItemPageView, StoreItemView, UpdateItemDto } from './dto/item.dto';
import { ItemsService } from './items.service';

/**
 * A store terminal's own items. The store is the session's device id (a store terminal is
 * registered under its store id), never a parameter: another store's item is a 404.
 */
@ApiTags('store terminal: items')
@ApiBadRequestResponse({ description: 'Invalid input' })
@Controller('store')
@DeviceAuth('store')
export class ItemsTerminalController {
  constructor(private readonly items: ItemsService) {}

  @Get('items')
  @ApiOperation({ summary: "The terminal's store's items, oldest first" })
  @ApiOkResponse({ type: StoreItemPageView })
  @ApiNotFoundResponse({ description: 'STORE_NOT_FOUND (the store was deleted)' })
  list(
    @CurrentDevice() store: DevicePrincipal,
    @Query() query: PageQueryDto,
  ): Promise<Page<StoreItemView>> {
    return this.items.list(store.deviceId, pageWindow(query));
  }

  @Get('item/:item_id')
  @ApiOperation({ summary: 'One of its own items' })
  @ApiOkResponse({ type: StoreItemView })
  @ApiNotFoundResponse({ description: "ITEM_NOT_FOUND (also another store's item)" })
  get(
    @CurrentDevice() store: DevicePrincipal,
    @UuidParam('item_id') itemId: string,
  ): Promise<StoreItemView> {
    return this.items.get(store.deviceId, itemId);
  }

  @Post('item')
  @HttpCode(200)
  @ApiOperation({ summary: 'Add an item to its store' })
  @ApiOkResponse({ type: StoreItemView })
  @ApiNotFoundResponse({ description: 'STORE_NOT_FOUND (the store was deleted)' })
  create(
    @CurrentDevice() store: DevicePrincipal,
    @Body() body: CreateItemDto,
  ): Promise<StoreItemView> {
    return this.items.create(store.deviceId, body);
  }

  @Put('item')
  @ApiOperation({ summary: 'Overwrite one of its own items (every field, stock included)' })
  @ApiOkResponse({ type: StoreItemView })
  @ApiNotFoundResponse({ description: "ITEM_NOT_FOUND (also another store's item)" })
  update(
    @CurrentDevice() store: DevicePrincipal,
    @Body() body: UpdateItemDto,
  ): Promise<StoreItemView> {
    return this.items.update(store.deviceId, body);
  }

  @Delete('item/:item_id')
  @ApiOperation({ summary: 'Delete one of its own items (purchases keep their lines)' })
  @ApiOkResponse({ type: OkView })
  @ApiNotFoundResponse({ description: "ITEM_NOT_FOUND (also another store's item)" })
  async remove(
    @CurrentDevice() store: DevicePrincipal,
    @UuidParam('item_id') itemId: string,
  ): Promise<OkView> {
    await this.items.remove(store.deviceId, itemId);
    return OK;
  }
}
