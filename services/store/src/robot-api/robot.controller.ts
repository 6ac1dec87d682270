import { Body, Controller, Get, Headers, HttpCode, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { PASSENGER_NOT_IDENTIFIED_DOC } from '@platform/contracts';
import { CurrentDevice, DeviceAuth, type DevicePrincipal } from '@platform/auth';
import { idempotencyKeyOf, type Page, PageQueryDto, pageWindow, UuidParam } from '@platform/http';
import { purchaseErrors } from '../purchases/purchase.errors';
import { StoreItemPageView, type StoreItemView } from '../items/dto/item.dto';
import { PurchaseCreationDto, PurchaseView } from '../purchases/dto/purchase.dto';
import { BaseUsersClient, passengerNotIdentified } from '../common/remote/base-users.client';
import { ApiPurchase } from '../purchases/purchase.openapi';
import { PurchasesService } from '../purchases/purchases.service';
import { RecommendationsService } from '../recommendations/recommendations.service';
import { StoreIdsDto, StoreView } from '../stores/dto/store.dto';
import { StoresService, toStoreView } from '../stores/stores.service';
import { TaskView } from '../tasks/dto/task.dto';
import { taskErrors } from '../tasks/task.errors';
import { TasksService } from '../tasks/tasks.service';

/**
 * The robot kiosk's store API: every route needs a live robot session. Refusals are 400, 403 or
 * 404 (what the deployed kiosk handles, reading `detail`), except 422 IDEMPOTENCY_KEY_REUSED,
 * which only a client that sends Idempotency-Key can meet, and 503 when base is down.
 */
@ApiTags('robot')
@ApiBadRequestResponse({ description: 'Invalid input' })
@Controller('robot')
@DeviceAuth('robot')
export class RobotController {
  constructor(
    private readonly stores: StoresService,
    private readonly purchases: PurchasesService,
    private readonly recommender: RecommendationsService,
    private readonly tasks: TasksService,
    private readonly users: BaseUsersClient,
  ) {}

  @Get('store/:store_id')
  @ApiOperation({ summary: 'A store with all its items' })
  @ApiOkResponse({ type: StoreView })
  @ApiNotFoundResponse({ description: 'STORE_NOT_FOUND' })
  store(@UuidParam('store_id') storeId: string): Promise<StoreView> {
    return this.stores.withItems(storeId);
  }

  @Post('store/:store_id/make_purchase')
  @HttpCode(200)
  @ApiPurchase('Buy for the passenger this robot identified last')
  @ApiForbiddenResponse({ description: `${PASSENGER_NOT_IDENTIFIED_DOC}; WRONG_DEVICE_KIND` })
  purchase(
    @CurrentDevice() robot: DevicePrincipal,
    @UuidParam('store_id') storeId: string,
    @Body() body: PurchaseCreationDto,
    @Headers('idempotency-key') key: string | undefined,
  ): Promise<PurchaseView> {
    return this.purchases.purchase(
      { deviceId: robot.deviceId, storeId, robot: true },
      body,
      idempotencyKeyOf(key, purchaseErrors.invalidKey),
    );
  }

  @Get('store/:store_id/user/:user_id/recommendations')
  @ApiOperation({
    summary:
      'Up to 8 items for the passenger: 2 bought last, 4 bought most, 2 store best sellers; in stock only',
  })
  @ApiOkResponse({ type: StoreItemPageView })
  @ApiNotFoundResponse({ description: 'STORE_NOT_FOUND' })
  @ApiForbiddenResponse({ description: `${PASSENGER_NOT_IDENTIFIED_DOC}; WRONG_DEVICE_KIND` })
  @ApiServiceUnavailableResponse({ description: 'BASE_SERVICE_UNAVAILABLE' })
  async recommendations(
    @CurrentDevice() robot: DevicePrincipal,
    @UuidParam('store_id') storeId: string,
    @UuidParam('user_id') userId: string,
    @Query() query: PageQueryDto,
  ): Promise<Page<StoreItemView>> {
    // What a passenger bought is theirs: read for the one in front of this robot only.
    if ((await this.users.robotMayActFor(robot.deviceId, userId)) !== 'yes') {
      throw passengerNotIdentified();
    }
    return this.recommender.forUser(storeId, userId, pageWindow(query));
  }

  @Post('stores/list')
  @HttpCode(200)
  @ApiOperation({ summary: 'The existing stores among the ids, in the order asked (items: [])' })
  @ApiOkResponse({ type: [StoreView] })
  async list(@Body() body: StoreIdsDto): Promise<StoreView[]> {
    return (await this.stores.byIds(body.ids)).map((store) => toStoreView(store));
  }

  @Get('store/:store_id/task/:task_id')
  @ApiOperation({
    summary: "A purchase's kitchen task, for the robot serving its passenger: is it ready yet",
  })
  @ApiOkResponse({ type: TaskView })
  @ApiNotFoundResponse({
    description:
      "TASK_NOT_FOUND: unknown, another store's, or a passenger's this robot does not serve",
  })
  @ApiServiceUnavailableResponse({ description: 'BASE_SERVICE_UNAVAILABLE' })
  async task(
    @CurrentDevice() robot: DevicePrincipal,
    @UuidParam('store_id') storeId: string,
    @UuidParam('task_id') taskId: string,
  ): Promise<TaskView> {
    const task = await this.tasks.get(storeId, taskId);
    // An order and its kitchen notes are the passenger's. Another passenger's task is answered
    // like an unknown one (as another store's is): a robot cannot learn which task ids exist.
    if ((await this.users.robotMayActFor(robot.deviceId, task.user_id)) !== 'yes') {
      throw taskErrors.notFound();
    }
    return task;
  }
}
