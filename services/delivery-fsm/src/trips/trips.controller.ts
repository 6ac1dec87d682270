import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseEnumPipe,
  Post,
  Query,
  Req,
} from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentUser, Roles, type UserPrincipal } from '@platform/auth';
import { type Page, pageViewOf, pageWindow, UuidParam } from '@platform/http';
import { actorOfUser } from '../fsm/actor';
import { FireActionDto } from '../fsm/dto';
import { requestIdOf } from '../fsm/fsm.controller';
import { FsmService } from '../fsm/fsm.service';
import { TransitionView, TripView } from '../fsm/views';
import { TripQueryDto } from '../orders/orders.dto';
import { TripsService } from './trips.service';

/** The trip steps by their everyday names; every other trip action goes by name. */
export const TRIP_STEPS = {
  take: 'trip_vzyat_reis',
  start: 'trip_start_trip',
  arrive: 'trip_end_delivery',
  complete: 'trip_complete_trip',
  cancel: 'trip_cancel',
  reassign: 'trip_reassign_driver',
} as const;

@ApiTags('trips')
@Controller('trips')
@Roles('driver', 'operator', 'admin')
export class TripsController {
  constructor(
    private readonly trips: TripsService,
    private readonly fsm: FsmService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Trips: mine, available to take (activated), or all (staff)' })
  @ApiOkResponse({ type: pageViewOf(TripView) })
  @ApiForbiddenResponse({ description: 'STAFF_ONLY: scope=all by someone who is not staff' })
  list(@CurrentUser() user: UserPrincipal, @Query() query: TripQueryDto): Promise<Page<TripView>> {
    return this.trips.list(actorOfUser(user), query.scope, query.state, pageWindow(query));
  }

  @Get(':id')
  @ApiOperation({ summary: 'One trip with its orders' })
  @ApiOkResponse({ type: TripView })
  @ApiNotFoundResponse({ description: 'TRIP_NOT_FOUND (also when not visible to the caller)' })
  async get(@UuidParam('id') id: string, @CurrentUser() user: UserPrincipal): Promise<TripView> {
    const entity = await this.fsm.read('trip', id);
    if (!entity || !this.fsm.canSee(entity, actorOfUser(user))) {
      return Promise.reject(this.trips.notFound());
    }
    return this.fsm.tripView(id);
  }

  @Post(':id/:step')
  @HttpCode(200)
  @ApiParam({ name: 'step', enum: Object.keys(TRIP_STEPS) })
  @ApiOperation({
    summary: 'take | start | arrive | complete | cancel | reassign (driver_user_id, staff)',
    description:
      'take = trip_vzyat_reis, start = trip_start_trip (fans out order_start_transit), arrive = ' +
      'trip_end_delivery (fans out order_arrive_at_post2), complete = trip_complete_trip, cancel = ' +
      'trip_cancel (staff; orders regrouped), reassign = trip_reassign_driver (staff).',
  })
  @ApiOkResponse({ type: TransitionView })
  @ApiForbiddenResponse({ description: 'ACTOR_NOT_ALLOWED, NOT_OWNER' })
  @ApiNotFoundResponse({
    description: 'TRIP_NOT_FOUND (also when not visible to the caller, except for take)',
  })
  @ApiConflictResponse({ description: 'TRANSITION_NOT_FOUND (with the current state)' })
  step(
    @UuidParam('id') id: string,
    @Param(
      'step',
      new ParseEnumPipe(
        Object.fromEntries(Object.keys(TRIP_STEPS).map((k) => [k, k])) as Record<string, string>,
      ),
    )
    step: keyof typeof TRIP_STEPS,
    @Body() body: FireActionDto,
    @CurrentUser() user: UserPrincipal,
    @Req() req: { id?: unknown },
  ): Promise<TransitionView> {
    return this.fsm.fireAction(
      {
        entityType: 'trip',
        entityId: id,
        action: TRIP_STEPS[step],
        actor: actorOfUser(user),
        ...(body.expected_state_version === undefined
          ? {}
          : { expectedVersion: body.expected_state_version }),
        params: body.driver_user_id ? { driverUserId: body.driver_user_id } : {},
      },
      requestIdOf(req),
    );
  }
}
