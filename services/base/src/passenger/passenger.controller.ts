import { Body, Controller, Get, HttpCode, Post, Query, UploadedFile } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import { CurrentUser, Roles, type UserPrincipal } from '@platform/auth';
import { FACE_IMAGE_MAX_LENGTH } from '@platform/contracts';
import { OK, OkView, type Page, PageQueryDto, pageWindow } from '@platform/http';
import { MULTIPART_MEDIA_TYPE, MultipartFileUpload } from '@platform/runtime';
import { ApiFaceEnrolmentRefusals } from '../common/remote/face-enrolment.openapi';
import { TicketPageView, TicketView, toTicketView } from '../tickets/dto/ticket.view';
import { BuyTicketDto, PassengerFaceDto } from './dto/passenger.dto';
import { FACE_ENROLMENTS_PER_PASSENGER_PER_HOUR, PassengerService } from './passenger.service';

/** The 429 of a passenger's face routes ({@link PassengerService.setFace}). */
const ApiFacePhotoLimit = (): MethodDecorator =>
  ApiTooManyRequestsResponse({
    description: `RATE_LIMITED: more than ${FACE_ENROLMENTS_PER_PASSENGER_PER_HOUR} face photos from this passenger in an hour (Retry-After)`,
  });

/** The bytes whose base64 form is the longest image `face` takes ({@link FACE_IMAGE_MAX_LENGTH}). */
const FACE_UPLOAD_MAX_BYTES = (FACE_IMAGE_MAX_LENGTH / 4) * 3;

@ApiTags('passenger')
@Controller('frontend')
@Roles('passenger')
export class PassengerController {
  constructor(private readonly passenger: PassengerService) {}

  @Get('tickets')
  @ApiOperation({ summary: 'My tickets, latest departure first (codes are never shown)' })
  @ApiOkResponse({ type: TicketPageView })
  myTickets(
    @CurrentUser() principal: UserPrincipal,
    @Query() query: PageQueryDto,
  ): Promise<Page<TicketView>> {
    return this.passenger.myTickets(principal, pageWindow(query));
  }

  @Get('get_ticket')
  @ApiOperation({ summary: 'My ticket with the latest departure' })
  @ApiOkResponse({ type: TicketView })
  @ApiNotFoundResponse({ description: 'TICKET_NOT_FOUND' })
  async latestTicket(@CurrentUser() principal: UserPrincipal): Promise<TicketView> {
    return toTicketView(await this.passenger.myLatestTicket(principal));
  }

  @Post('tickets')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Buy a ticket; the answer carries its QR code, shown this once',
    description:
      'The train follows from the boarding station and the departure hour on a Moscow clock: ' +
      'MOSCOW 05→1012, 09→1013, 13→1014, 17→1015; SPB 05→2012, 09→2013, 13→2014, 17→2015.',
  })
  @ApiOkResponse({ type: TicketView })
  @ApiBadRequestResponse({
    description: 'INVALID_TIME, SAME_STATION_AND_DESTINATION, DEPARTURE_IN_PAST, invalid input',
  })
  @ApiConflictResponse({ description: 'SEAT_TAKEN' })
  async buy(
    @CurrentUser() principal: UserPrincipal,
    @Body() body: BuyTicketDto,
  ): Promise<TicketView> {
    const { ticket, code } = await this.passenger.buy(principal, body);
    return toTicketView(ticket, code);
  }

  @Post('face')
  @HttpCode(200)
  @ApiOperation({ summary: 'Enrol or replace my face (base64 image); null removes it' })
  @ApiOkResponse({ type: OkView })
  @ApiFaceEnrolmentRefusals()
  @ApiFacePhotoLimit()
  async setFace(
    @CurrentUser() principal: UserPrincipal,
    @Body() body: PassengerFaceDto,
  ): Promise<OkView> {
    await this.passenger.setFace(principal, body.face);
    return OK;
  }

  /**
   * The dev-branch SPA's upload (robot-platform.md appendix A): multipart `file`, base64-encoded
   * here; no file (or an empty one, as a browser sends for an empty file input) removes the face.
   * One part at most, no other fields, the image within what `face` takes as base64.
   */
  @Post('faces')
  @HttpCode(200)
  @MultipartFileUpload('file', FACE_UPLOAD_MAX_BYTES)
  @ApiOperation({ summary: 'Enrol or replace my face from an uploaded image; no file removes it' })
  @ApiConsumes(MULTIPART_MEDIA_TYPE)
  @ApiBody({
    required: false,
    schema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        file: {
          type: 'string',
          format: 'binary',
          maxLength: FACE_UPLOAD_MAX_BYTES,
          description: 'A JPEG or PNG photo; absent or empty: remove my face',
        },
      },
    },
  })
  @ApiOkResponse({ type: OkView })
  @ApiFaceEnrolmentRefusals()
  @ApiFacePhotoLimit()
  async uploadFace(
    @CurrentUser() principal: UserPrincipal,
    @UploadedFile() file: { buffer: Buffer } | undefined,
  ): Promise<OkView> {
    const image = file?.buffer.length ? file.buffer.toString('base64') : null;
    await this.passenger.setFace(principal, image);
    return OK;
  }

  @Get('faces')
  @ApiOperation({ summary: 'Whether I have a face enrolled: OK, or 404 FACE_NOT_FOUND' })
  @ApiOkResponse({ type: OkView })
  @ApiNotFoundResponse({ description: 'FACE_NOT_FOUND' })
  @ApiServiceUnavailableResponse({ description: 'FACE_SERVICE_UNAVAILABLE' })
  async faceStatus(@CurrentUser() principal: UserPrincipal): Promise<OkView> {
    await this.passenger.assertFaceEnrolled(principal);
    return OK;
  }
}
