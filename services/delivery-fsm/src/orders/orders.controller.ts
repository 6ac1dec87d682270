import { Body, Controller, Get, Headers, HttpCode, Post, Query, Req } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { CurrentUser, Roles, type UserPrincipal } from '@platform/auth';
import {
  ApiIdempotencyKey,
  idempotencyKeyOf,
  type Page,
  PageQueryDto,
  pageViewOf,
  pageWindow,
  UuidParam,
} from '@platform/http';
import { actorOfUser, ANY_PERSON } from '../fsm/actor';
import { requestIdOf } from '../fsm/fsm.controller';
import { OrderView } from '../fsm/views';
import { PinsService } from '../pins/pins.service';
import { OrderCreationDto, OrderQueryDto, PinView } from './orders.dto';
import { deliveryErrors } from '../fsm/delivery.errors';
import { IDEMPOTENCY_KEY_TTL_SECONDS, OrdersService } from './orders.service';

@ApiTags('orders')
@Controller()
export class OrdersController {
  constructor(
    private readonly orders: OrdersService,
    private readonly pins: PinsService,
  ) {}

  @Post('orders')
  @HttpCode(200)
  @Roles('client', 'operator', 'admin')
  @ApiOperation({
    summary: 'Create an order: cells reserved in both lockers, the order on a trip',
    description:
      'One transaction: the order, the reservation step of its pickup type (one free cell of ' +
      'parcel_size in each locker, the trip for the locker pair), the audit rows and the key. The ' +
      'caller is the sender.',
  })
  @ApiIdempotencyKey(
    `A retry within ${IDEMPOTENCY_KEY_TTL_SECONDS / 3600} h gets the first answer; the same key ` +
      'with another body is 422 IDEMPOTENCY_KEY_REUSED',
  )
  @ApiOkResponse({ type: OrderView })
  @ApiBadRequestResponse({ description: 'SAME_LOCKER, INVALID_IDEMPOTENCY_KEY, invalid input' })
  @ApiNotFoundResponse({ description: 'LOCKER_NOT_FOUND' })
  @ApiConflictResponse({
    description:
      'NO_FREE_CELL, LOCKER_NOT_ACTIVE, RESERVATION_LIMIT_REACHED (a sender has MAX_PENDING_ORDERS_PER_LOCKER orders holding a cell at locker A or B that are not under way)',
  })
  @ApiUnprocessableEntityResponse({ description: 'IDEMPOTENCY_KEY_REUSED' })
  create(
    @CurrentUser() user: UserPrincipal,
    @Body() body: OrderCreationDto,
    @Headers('idempotency-key') key: string | undefined,
    @Req() req: { id?: unknown },
  ): Promise<OrderView> {
    return this.orders.create(
      actorOfUser(user),
      body,
      idempotencyKeyOf(key, deliveryErrors.invalidKey),
      requestIdOf(req),
    );
  }

  @Get('orders')
  @Roles(...ANY_PERSON)
  @ApiOperation({ summary: "The caller's orders in one of their roles (paged, newest first)" })
  @ApiOkResponse({ type: pageViewOf(OrderView) })
  @ApiForbiddenResponse({ description: 'STAFF_ONLY: role=all by someone who is not staff' })
  mine(
    @CurrentUser() user: UserPrincipal,
    @Query() query: OrderQueryDto,
  ): Promise<Page<OrderView>> {
    return this.orders.mine(actorOfUser(user), query.role, query.state, pageWindow(query));
  }

  @Get('orders/:id')
  @Roles(...ANY_PERSON)
  @ApiOperation({ summary: 'One order (its participants, couriers on an exchange, staff)' })
  @ApiOkResponse({ type: OrderView })
  @ApiNotFoundResponse({ description: 'ORDER_NOT_FOUND (also when not visible to the caller)' })
  get(@UuidParam('id') id: string, @CurrentUser() user: UserPrincipal): Promise<OrderView> {
    return this.orders.get(id, actorOfUser(user));
  }

  @Get('exchanges/pickup')
  @Roles('courier', 'operator', 'admin')
  @ApiOperation({ summary: 'Pickup legs open for couriers (oldest first)' })
  @ApiOkResponse({ type: pageViewOf(OrderView) })
  pickupExchange(@Query() query: PageQueryDto): Promise<Page<OrderView>> {
    return this.orders.exchange('pickup', pageWindow(query));
  }

  @Get('exchanges/delivery')
  @Roles('courier', 'operator', 'admin')
  @ApiOperation({ summary: 'Delivery legs open for couriers (oldest first)' })
  @ApiOkResponse({ type: pageViewOf(OrderView) })
  deliveryExchange(@Query() query: PageQueryDto): Promise<Page<OrderView>> {
    return this.orders.exchange('delivery', pageWindow(query));
  }

  @Post('orders/:id/pin')
  @HttpCode(200)
  @Roles('client', 'recipient')
  @ApiOperation({
    summary: 'A one-time 6-digit PIN for the locker keypad (sender at A, recipient at B)',
    description: 'Shown once; a new PIN replaces the previous one; it dies with the order’s stay.',
  })
  @ApiOkResponse({ type: PinView })
  @ApiNotFoundResponse({ description: 'ORDER_NOT_FOUND' })
  @ApiConflictResponse({ description: 'PIN_NOT_ISSUABLE (not the caller’s turn at a locker)' })
  pin(
    @UuidParam('id') id: string,
    @CurrentUser() user: UserPrincipal,
    @Req() req: { id?: unknown },
  ): Promise<PinView> {
    return this.pins.issue(id, actorOfUser(user), requestIdOf(req));
  }
}
