import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  Query,
  UseInterceptors,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { PASSENGER_NOT_IDENTIFIED_DOC } from '@platform/contracts';
import { CurrentDevice, type DevicePrincipal, DeviceAuth } from '@platform/auth';
import { RateLimiter } from '@platform/rate-limit';
import { toInstant, toTrainDate } from '../common/instant';
import { FaceClient } from '../common/remote/face.client';
import { type Page, pageWindow, UuidParam } from '@platform/http';
import { DestinationPlacesController } from '../destinations/destination-places.controller';
import { AdminAccessView } from '../engineers/dto/engineer.dto';
import { EngineersService } from '../engineers/engineers.service';
import { TicketView, toTicketView } from '../tickets/dto/ticket.view';
import { TicketValidationService } from '../tickets/ticket-validation.service';
import { passengerOfRefusal, ticketErrors } from '../tickets/ticket.errors';
import { TicketsService } from '../tickets/tickets.service';
import {
  OptionalTrainRefBody,
  StoreIdPageView,
  StoreView,
  TrainDayPageQuery,
  TrainNumberParams,
  TrainRefDto,
  TrainRefQuery,
} from '../train-stores/dto/train.dto';
import { trainRefOf } from '../train-stores/train-ref';
import { TrainStoresService } from '../train-stores/train-stores.service';
import { UserView } from '../users/dto/user.dto';
import { toUserView, UsersService } from '../users/users.service';
import {
  AdminAccessDto,
  CurrentTicketDto,
  DestinationView,
  DetermineDestinationDto,
  IdentificationDto,
  TicketValidationDto,
} from './dto/robot.dto';
import { FACE_CHECKS_IN_FLIGHT_PER_ROBOT, FaceChecksInFlight } from './face-checks-in-flight';
import { RobotPassengers } from './robot-passengers';
import { KioskErrorsInterceptor } from './kiosk-errors.interceptor';

/** Card checks a robot may make per minute: far above engineers tapping cards, far below guessing. */
const CARD_CHECKS_PER_ROBOT_PER_MINUTE = 10;
/**
 * Face checks (identification, ticket validation by face) per robot and minute: the kiosk sends a
 * frame every 2 s; a robot sending more is looking people up from a photo collection.
 */
const FACE_CHECKS_PER_ROBOT_PER_MINUTE = 60;
const FACE_CHECKS_DOC = `RATE_LIMITED: ${FACE_CHECKS_IN_FLIGHT_PER_ROBOT} face checks of this robot are in flight, or it made ${FACE_CHECKS_PER_ROBOT_PER_MINUTE} in the last minute`;

/**
 * The robot kiosk's API: every route needs a live robot session. Refusals are answered with the
 * statuses the seed's server gave the deployed kiosk (400, 403, 404, 422; KioskErrorsInterceptor).
 */
@ApiTags('robot')
@ApiBadRequestResponse({ description: 'Invalid input' })
@Controller('robot')
@DeviceAuth('robot')
@UseInterceptors(KioskErrorsInterceptor)
export class RobotController {
  constructor(
    private readonly faces: FaceClient,
    private readonly users: UsersService,
    private readonly tickets: TicketsService,
    private readonly validation: TicketValidationService,
    private readonly engineers: EngineersService,
    private readonly trainStores: TrainStoresService,
    private readonly limiter: RateLimiter,
    private readonly passengers: RobotPassengers,
    private readonly faceChecksInFlight: FaceChecksInFlight,
  ) {}

  @Post('identification')
  @HttpCode(200)
  @ApiOperation({ summary: 'Who is in front of the camera' })
  @ApiOkResponse({ type: UserView })
  @ApiBadRequestResponse({ description: 'IMAGE_*: not a usable image' })
  @ApiUnprocessableEntityResponse({
    description: 'NO_FACE, TOO_MANY_FACES, FACE_*: no usable face; FACE_NOT_MATCHED: nobody known',
  })
  @ApiNotFoundResponse({ description: 'USER_NOT_FOUND' })
  @ApiTooManyRequestsResponse({ description: FACE_CHECKS_DOC })
  @ApiServiceUnavailableResponse({ description: 'FACE_SERVICE_UNAVAILABLE' })
  async identify(
    @CurrentDevice() device: DevicePrincipal,
    @Body() body: IdentificationDto,
  ): Promise<UserView> {
    return this.faceCheck(device.deviceId, async () => {
      const user = await this.users.get(await this.faces.identify(body.image));
      await this.passengers.serve(device.deviceId, user.id);
      return toUserView(user);
    });
  }

  @Post('ticket_validation')
  @HttpCode(200)
  @ApiOperation({
    summary: "Check a passenger's ticket at this door, by face or QR code; opens once",
    description:
      'Face: identify, then (1) a ticket for this door → 200; (2) same train/departure/station, ' +
      'other wagon → 400 WRONG_WAGON; (3) same train/station, later departure → 400 WRONG_DATE; ' +
      '(4) any later ticket → 400 WRONG_TRAIN; else 400 NO_ACTIVE_TICKETS. 400s carry ' +
      '`detail: {message, right_ticket}` (and `details.right_ticket`). Code: a ticket for this ' +
      'door with this code → 200, else 403 INVALID_TICKET_CODE. A used ticket → 400 ' +
      'TICKET_ALREADY_USED with `detail: {message, right_ticket}` (the ticket itself), nothing ' +
      'changes. No usable face on the frame (NO_FACE, TOO_MANY_FACES, FACE_TOO_SMALL, ' +
      'FACE_QUALITY_TOO_LOW) or nobody known (FACE_NOT_MATCHED) → 422, as the seed answered.',
  })
  @ApiOkResponse({ type: TicketView })
  @ApiForbiddenResponse({ description: 'INVALID_TICKET_CODE' })
  @ApiUnprocessableEntityResponse({ description: 'NO_FACE, TOO_MANY_FACES, FACE_*' })
  @ApiTooManyRequestsResponse({ description: `${FACE_CHECKS_DOC} (with \`face\`)` })
  @ApiServiceUnavailableResponse({ description: 'FACE_SERVICE_UNAVAILABLE' })
  async validateTicket(
    @CurrentDevice() device: DevicePrincipal,
    @Body() body: TicketValidationDto,
  ): Promise<TicketView> {
    const validate = () =>
      this.validation.validate(
        {
          stationId: body.station_id,
          trainNumber: body.train_number,
          wagonNumber: body.wagon_number,
          departureAt: toInstant(body.date, 'date'),
          face: body.face,
          code: body.code,
          markAsUsed: body.mark_as_used,
        },
        device.deviceId,
      );
    let ticket: Awaited<ReturnType<typeof validate>>;
    try {
      ticket = body.face ? await this.faceCheck(device.deviceId, validate) : await validate();
    } catch (error) {
      // A refusal that shows the passenger their right ticket (wrong wagon, date or train; used)
      // identified them all the same: the kiosk's refusal screen reads their name next.
      const identified = passengerOfRefusal(error);
      if (identified) await this.passengers.serve(device.deviceId, identified);
      throw error;
    }
    await this.passengers.serve(device.deviceId, ticket.userId);
    return toTicketView(ticket);
  }

  @Post('user/current_ticket')
  @HttpCode(200)
  @ApiOperation({ summary: 'The ticket the passenger boarded this departure with' })
  @ApiOkResponse({ type: TicketView })
  @ApiNotFoundResponse({ description: 'TICKET_NOT_FOUND' })
  @ApiForbiddenResponse({ description: PASSENGER_NOT_IDENTIFIED_DOC })
  async currentTicket(
    @CurrentDevice() device: DevicePrincipal,
    @Body() body: CurrentTicketDto,
  ): Promise<TicketView> {
    await this.passengers.assertServes(device.deviceId, body.user_id);
    const ticket = await this.tickets.boardedTicket(
      body.user_id,
      body.train_id,
      toInstant(body.start_date, 'start_date'),
    );
    return toTicketView(ticket);
  }

  @Post('determine_destination')
  @HttpCode(200)
  @ApiOperation({ summary: 'Where the passenger travels, from the ticket they boarded with' })
  @ApiOkResponse({ type: DestinationView })
  @ApiBadRequestResponse({ description: 'NOT_BOARDED (the kiosk shows no destination)' })
  @ApiForbiddenResponse({ description: PASSENGER_NOT_IDENTIFIED_DOC })
  async determineDestination(
    @CurrentDevice() device: DevicePrincipal,
    @Body() body: DetermineDestinationDto,
  ): Promise<DestinationView> {
    await this.passengers.assertServes(device.deviceId, body.user_id);
    const ticket = await this.tickets.boardedTicket(
      body.user_id,
      body.train_number,
      toInstant(body.start_date, 'start_date'),
      ticketErrors.notBoarded,
    );
    return { id: ticket.destinationId };
  }

  @Get('user/:user_id')
  @ApiOperation({ summary: 'The passenger this robot serves, by id' })
  @ApiOkResponse({ type: UserView })
  @ApiNotFoundResponse({ description: 'USER_NOT_FOUND' })
  @ApiForbiddenResponse({ description: PASSENGER_NOT_IDENTIFIED_DOC })
  async user(
    @CurrentDevice() device: DevicePrincipal,
    @UuidParam('user_id') userId: string,
  ): Promise<UserView> {
    // A passenger's name is theirs; the binding first, so no robot learns which ids exist.
    await this.passengers.assertServes(device.deviceId, userId);
    return toUserView(await this.users.get(userId));
  }

  @Post('engineer/admin_access')
  @HttpCode(200)
  @ApiOperation({ summary: "An engineer's RFID card opens the robot if they hold ROBOT_ADMIN" })
  @ApiOkResponse({ type: AdminAccessView })
  @ApiForbiddenResponse({ description: 'ACCESS_DENIED: unknown card or no ROBOT_ADMIN' })
  @ApiTooManyRequestsResponse({
    description: `RATE_LIMITED: more than ${CARD_CHECKS_PER_ROBOT_PER_MINUTE} card checks by this robot in a minute`,
  })
  async adminAccess(
    @CurrentDevice() robot: DevicePrincipal,
    @Body() body: AdminAccessDto,
  ): Promise<AdminAccessView> {
    // A card key is a 4-byte UID: a robot (or whoever holds its session) must not try them all.
    await this.limiter.check(
      [{ key: `robot-api:card-check:${robot.deviceId}`, limit: CARD_CHECKS_PER_ROBOT_PER_MINUTE }],
      60_000,
    );
    return this.engineers.adminAccess(body.key);
  }

  /** A face check of the robot's, within its limits (FACE_CHECKS_DOC). */
  private async faceCheck<T>(robotId: string, check: () => Promise<T>): Promise<T> {
    return this.faceChecksInFlight.run(robotId, async () => {
      await this.limiter.check(
        [{ key: `robot-api:face-check:${robotId}`, limit: FACE_CHECKS_PER_ROBOT_PER_MINUTE }],
        60_000,
      );
      return check();
    });
  }

  @Get('train/stores')
  @ApiOperation({
    summary: 'Stores serving a train on a day (query string; a JSON body is still accepted)',
  })
  @ApiOkResponse({ type: [StoreView] })
  @ApiServiceUnavailableResponse({ description: 'STORE_SERVICE_UNAVAILABLE' })
  trainStoresByQuery(
    @Query() query: TrainRefQuery,
    @Body() body: OptionalTrainRefBody,
  ): Promise<StoreView[]> {
    return this.trainStores.storesOf(trainRefOf(query, body));
  }

  @Get('train/:train_number/stores')
  @ApiOperation({
    summary: 'Ids of the stores serving a train on a day (default today, Moscow): the kiosk client',
  })
  @ApiOkResponse({ type: StoreIdPageView })
  trainStoreIds(
    @Param() params: TrainNumberParams,
    @Query() query: TrainDayPageQuery,
  ): Promise<Page<string>> {
    const trainDate = toTrainDate(query.train_date ?? new Date().toISOString(), 'train_date');
    return this.trainStores.storeIdsOf(
      { trainNumber: params.train_number, trainDate },
      pageWindow(query),
    );
  }

  @Post('train/stores')
  @HttpCode(200)
  @ApiOperation({ summary: 'Stores serving a train on a day (POST equivalent)' })
  @ApiOkResponse({ type: [StoreView] })
  @ApiServiceUnavailableResponse({ description: 'STORE_SERVICE_UNAVAILABLE' })
  trainStoresByPost(@Body() body: TrainRefDto): Promise<StoreView[]> {
    return this.trainStores.storesOf(trainRefOf({}, body));
  }
}

/** Destination info for the robot's screens (same reads as the back office). */
@ApiTags('robot')
@Controller('robot')
@DeviceAuth('robot')
@UseInterceptors(KioskErrorsInterceptor)
export class RobotDestinationsController extends DestinationPlacesController {}
