import {
  applyDecorators,
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Ip,
  Param,
  type PipeTransform,
  Post,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import {
  bearerTokenOf,
  CurrentDevice,
  DeviceAuth,
  type DevicePrincipal,
  Public,
} from '@platform/auth';
import { DEVICE_KINDS, type DeviceKind, isDeviceKind } from '@platform/device-auth';
import { DeviceLoginService } from './device-login.service';
import { DeviceRegistrationService } from './device-registration.service';
import { DeviceSessionsService } from './device-sessions.service';
import {
  ChallengeAnswerDto,
  ChallengeResponseView,
  DeviceIdDto,
  DeviceSessionView,
  LockerDeviceView,
  LockerRegistrationDto,
  NonceResponseView,
  RobotRegistrationDto,
  RobotView,
  SignatureAnswerDto,
  StoreDeviceView,
  StoreRegistrationDto,
  TokenResponseView,
} from './dto/device-auth.dto';
import { deviceAuthErrors } from './device-auth.errors';

/** `:kind` of the login routes: robot, store or locker; anything else is no route at all. */
class DeviceKindPipe implements PipeTransform<string, DeviceKind> {
  transform(value: string): DeviceKind {
    if (!isDeviceKind(value)) {
      throw deviceAuthErrors.noRoute();
    }
    return value;
  }
}

/** The client address: `req.ip`, i.e. X-Forwarded-For as set by our Nginx (trust proxy: loopback). */
function clientAddress(ip: string | undefined): string {
  return ip && ip.length <= 64 ? ip : 'unknown';
}

function sessionView(device: DevicePrincipal): DeviceSessionView {
  return {
    id: device.deviceId,
    kind: device.kind,
    session_id: device.sessionId,
    privileges: device.privileges,
  };
}

const KIND_PARAM = { name: 'kind', enum: DEVICE_KINDS };
const FAILED_LOGIN =
  'INVALID_CREDENTIALS: unknown, expired, used or foreign request id, or a wrong answer (one answer for all)';
const RATE_LIMITED = 'RATE_LIMITED (Retry-After header): per client address and per device id';

/** What every device registration (engineer credentials and a public key in the body) may answer. */
function ApiRegistrationErrors(): MethodDecorator {
  return applyDecorators(
    ApiBadRequestResponse({
      description: 'INVALID_PUBLIC_KEY, PUBLIC_KEY_TOO_LARGE, PRIVATE_KEY_NOT_ACCEPTED',
    }),
    ApiUnauthorizedResponse({ description: 'INVALID_CREDENTIALS (engineer)' }),
    ApiForbiddenResponse({ description: 'INSUFFICIENT_PRIVILEGES' }),
    ApiUnprocessableEntityResponse({
      description: 'UNSUPPORTED_KEY_TYPE, RSA_KEY_SIZE_OUT_OF_RANGE, RSA_EXPONENT_NOT_ALLOWED',
    }),
    ApiTooManyRequestsResponse({
      description: 'RATE_LIMITED: per client address and engineer login',
    }),
  );
}

/**
 * Device provisioning and login (docs/device-auth.md). Everything but logout and session is
 * public at the transport level: the engineer or the device authenticates in the body.
 */
@ApiTags('device auth')
@Controller('auth')
export class DeviceAuthController {
  constructor(
    private readonly registration: DeviceRegistrationService,
    private readonly login: DeviceLoginService,
    private readonly sessions: DeviceSessionsService,
  ) {}

  @Post('robot/new_login')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: "Register a robot's public key (engineer with ROBOT_LOGIN in the body)",
    description:
      'A robot registered again (same robot_model_id) keeps its id; its key is replaced and ' +
      'every session of the old key ends.',
  })
  @ApiOkResponse({ type: RobotView })
  @ApiRegistrationErrors()
  registerRobot(@Body() body: RobotRegistrationDto, @Ip() ip: string): Promise<RobotView> {
    return this.registration.registerRobot(body, clientAddress(ip));
  }

  @Post('store/new_login')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: "Register a store terminal's public key (engineer with STORE_LOGIN in the body)",
    description:
      'The device id is the store id. Answers the store as the store service knows it, or only ' +
      '`{id, store_id}` while the store service does not answer `store.stores.byIds`.',
  })
  @ApiOkResponse({ type: StoreDeviceView })
  @ApiRegistrationErrors()
  @ApiNotFoundResponse({ description: 'STORE_NOT_FOUND' })
  @ApiConflictResponse({ description: 'DEVICE_ID_TAKEN' })
  @ApiServiceUnavailableResponse({ description: 'STORE_SERVICE_UNAVAILABLE' })
  registerStore(@Body() body: StoreRegistrationDto, @Ip() ip: string): Promise<StoreDeviceView> {
    return this.registration.registerStore(body, clientAddress(ip));
  }

  @Post('locker/new_login')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: "Register a locker controller's public key (engineer with LOCKER_LOGIN in the body)",
    description:
      "The device id is the locker id, which must not be a store's (asked of the store service).",
  })
  @ApiOkResponse({ type: LockerDeviceView })
  @ApiRegistrationErrors()
  @ApiConflictResponse({ description: "DEVICE_ID_TAKEN (also a store's id)" })
  @ApiServiceUnavailableResponse({ description: 'STORE_SERVICE_UNAVAILABLE' })
  registerLocker(@Body() body: LockerRegistrationDto, @Ip() ip: string): Promise<LockerDeviceView> {
    return this.registration.registerLocker(body, clientAddress(ip));
  }

  @Post(':kind/login')
  @Public()
  @HttpCode(200)
  @ApiParam(KIND_PARAM)
  @ApiOperation({
    summary: 'Challenge mode, step 1: an RSA-OAEP encrypted challenge for the device (RSA keys)',
    description:
      'Always 200 with the same shape: an unknown, disabled or other-kind id, or an Ed25519 ' +
      'device, gets a decoy nobody can decrypt. Answerable once, within the challenge TTL (30 s).',
  })
  @ApiOkResponse({ type: ChallengeResponseView })
  @ApiTooManyRequestsResponse({ description: RATE_LIMITED })
  challenge(
    @Param('kind', DeviceKindPipe) kind: DeviceKind,
    @Body() body: DeviceIdDto,
    @Ip() ip: string,
  ): Promise<ChallengeResponseView> {
    return this.login.issueChallenge(kind, body.id, clientAddress(ip));
  }

  @Post(':kind/login_code')
  @Public()
  @HttpCode(200)
  @ApiParam(KIND_PARAM)
  @ApiOperation({ summary: 'Challenge mode, step 2: the decrypted challenge for a session token' })
  @ApiOkResponse({ type: TokenResponseView })
  @ApiUnauthorizedResponse({ description: FAILED_LOGIN })
  @ApiTooManyRequestsResponse({ description: RATE_LIMITED })
  challengeAnswer(
    @Param('kind', DeviceKindPipe) kind: DeviceKind,
    @Body() body: ChallengeAnswerDto,
    @Ip() ip: string,
  ): Promise<TokenResponseView> {
    return this.login.answerChallenge(kind, body.request_id, body.data, clientAddress(ip));
  }

  @Post(':kind/nonce')
  @Public()
  @HttpCode(200)
  @ApiParam(KIND_PARAM)
  @ApiOperation({
    summary: 'Signature mode, step 1: a nonce to sign (RSA-PSS or Ed25519)',
    description: 'Always 200 with the same shape, whether or not the device exists.',
  })
  @ApiOkResponse({ type: NonceResponseView })
  @ApiTooManyRequestsResponse({ description: RATE_LIMITED })
  nonce(
    @Param('kind', DeviceKindPipe) kind: DeviceKind,
    @Body() body: DeviceIdDto,
    @Ip() ip: string,
  ): Promise<NonceResponseView> {
    return this.login.issueNonce(kind, body.id, clientAddress(ip));
  }

  @Post(':kind/login_signature')
  @Public()
  @HttpCode(200)
  @ApiParam(KIND_PARAM)
  @ApiOperation({ summary: 'Signature mode, step 2: the signed login message for a session token' })
  @ApiOkResponse({ type: TokenResponseView })
  @ApiUnauthorizedResponse({ description: FAILED_LOGIN })
  @ApiTooManyRequestsResponse({ description: RATE_LIMITED })
  signatureAnswer(
    @Param('kind', DeviceKindPipe) kind: DeviceKind,
    @Body() body: SignatureAnswerDto,
    @Ip() ip: string,
  ): Promise<TokenResponseView> {
    return this.login.answerSignature(kind, body.request_id, body.signature, clientAddress(ip));
  }

  @Post('robot/logout')
  @DeviceAuth('robot')
  @HttpCode(204)
  @ApiOperation({ summary: "End this robot's session" })
  @ApiNoContentResponse()
  @ApiUnauthorizedResponse({ description: 'INVALID_SESSION' })
  @ApiForbiddenResponse({ description: 'WRONG_DEVICE_KIND' })
  logoutRobot(
    @CurrentDevice() device: DevicePrincipal,
    @Headers('authorization') authorization: string,
  ): Promise<void> {
    return this.sessions.end(bearerTokenOf(authorization), device);
  }

  @Post('store/logout')
  @DeviceAuth('store')
  @HttpCode(204)
  @ApiOperation({ summary: "End this store terminal's session" })
  @ApiNoContentResponse()
  @ApiForbiddenResponse({ description: 'WRONG_DEVICE_KIND' })
  logoutStore(
    @CurrentDevice() device: DevicePrincipal,
    @Headers('authorization') authorization: string,
  ): Promise<void> {
    return this.sessions.end(bearerTokenOf(authorization), device);
  }

  @Post('locker/logout')
  @DeviceAuth('locker')
  @HttpCode(204)
  @ApiOperation({ summary: "End this locker controller's session" })
  @ApiNoContentResponse()
  @ApiForbiddenResponse({ description: 'WRONG_DEVICE_KIND' })
  logoutLocker(
    @CurrentDevice() device: DevicePrincipal,
    @Headers('authorization') authorization: string,
  ): Promise<void> {
    return this.sessions.end(bearerTokenOf(authorization), device);
  }

  @Get('robot/session')
  @DeviceAuth('robot')
  @ApiOperation({ summary: 'The calling robot and its session (refreshes the idle timeout)' })
  @ApiOkResponse({ type: DeviceSessionView })
  robotSession(@CurrentDevice() device: DevicePrincipal): DeviceSessionView {
    return sessionView(device);
  }

  @Get('store/session')
  @DeviceAuth('store')
  @ApiOperation({ summary: 'The calling store terminal and its session' })
  @ApiOkResponse({ type: DeviceSessionView })
  storeSession(@CurrentDevice() device: DevicePrincipal): DeviceSessionView {
    return sessionView(device);
  }

  @Get('locker/session')
  @DeviceAuth('locker')
  @ApiOperation({ summary: 'The calling locker controller and its session' })
  @ApiOkResponse({ type: DeviceSessionView })
  lockerSession(@CurrentDevice() device: DevicePrincipal): DeviceSessionView {
    return sessionView(device);
  }
}
