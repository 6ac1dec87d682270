import { Body, Controller, Delete, Get, HttpCode, Post, Put, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { CurrentUser, Roles, type UserPrincipal } from '@platform/auth';
import { OK, OkView, type Page, PageQueryDto, pageWindow, UuidParam } from '@platform/http';
import { DeviceAdminService } from './device-admin.service';
import {
  DeviceListQueryDto,
  DevicePageView,
  DeviceView,
  PublicKeyDto,
  RobotAdoptionDto,
  RobotPageView,
  RobotView,
} from './dto/device-auth.dto';

function actorOf(user: UserPrincipal): string {
  return user.username ?? user.subject;
}

@ApiTags('admin: devices')
@ApiBadRequestResponse({ description: 'Invalid input' })
@Controller('admin')
@Roles('admin')
export class DevicesAdminController {
  constructor(private readonly devices: DeviceAdminService) {}

  @Get('devices')
  @ApiOperation({ summary: 'List devices (robots, store terminals, lockers), oldest first' })
  @ApiOkResponse({ type: DevicePageView })
  list(@Query() query: DeviceListQueryDto): Promise<Page<DeviceView>> {
    return this.devices.list(query.kind, pageWindow(query));
  }

  @Get('devices/:device_id')
  @ApiOperation({ summary: 'One device' })
  @ApiOkResponse({ type: DeviceView })
  @ApiNotFoundResponse({ description: 'DEVICE_NOT_FOUND' })
  get(@UuidParam('device_id') id: string): Promise<DeviceView> {
    return this.devices.get(id);
  }

  @Get('robots')
  @ApiOperation({ summary: 'List robots in the seed shape, oldest first' })
  @ApiOkResponse({ type: RobotPageView })
  robots(@Query() query: PageQueryDto): Promise<Page<RobotView>> {
    return this.devices.listRobots(pageWindow(query));
  }

  @Put('robots/:robot_id')
  @ApiOperation({
    summary: 'Take over a robot of the system we replace, under its id and with its key',
    description:
      'For the kiosks in the field: they keep their robot id and key and log in as before. ' +
      'Idempotent: the same robot again answers the same; anything else holding the id or ' +
      "the robot_model_id (or this robot with another key), or a store's id, is 409.",
  })
  @ApiOkResponse({ type: RobotView })
  @ApiConflictResponse({ description: 'DEVICE_ID_TAKEN' })
  @ApiServiceUnavailableResponse({ description: 'STORE_SERVICE_UNAVAILABLE' })
  @ApiBadRequestResponse({
    description: 'INVALID_PUBLIC_KEY, PUBLIC_KEY_TOO_LARGE, PRIVATE_KEY_NOT_ACCEPTED',
  })
  @ApiUnprocessableEntityResponse({
    description: 'UNSUPPORTED_KEY_TYPE, RSA_KEY_SIZE_OUT_OF_RANGE, RSA_EXPONENT_NOT_ALLOWED',
  })
  adoptRobot(
    @UuidParam('robot_id') id: string,
    @Body() body: RobotAdoptionDto,
    @CurrentUser() user: UserPrincipal,
  ): Promise<RobotView> {
    return this.devices.adoptRobot(id, body, actorOf(user));
  }

  @Delete('robots/:robot_id')
  @ApiOperation({ summary: 'Delete a robot and end its sessions' })
  @ApiOkResponse({ type: OkView })
  @ApiNotFoundResponse({ description: 'ROBOT_NOT_FOUND' })
  async removeRobot(
    @UuidParam('robot_id') id: string,
    @CurrentUser() user: UserPrincipal,
  ): Promise<OkView> {
    await this.devices.remove(id, actorOf(user), 'robot');
    return OK;
  }

  @Delete('devices/:device_id')
  @ApiOperation({ summary: 'Delete a device of any kind and end its sessions' })
  @ApiOkResponse({ type: OkView })
  @ApiNotFoundResponse({ description: 'DEVICE_NOT_FOUND' })
  async remove(
    @UuidParam('device_id') id: string,
    @CurrentUser() user: UserPrincipal,
  ): Promise<OkView> {
    await this.devices.remove(id, actorOf(user));
    return OK;
  }

  @Post('devices/:device_id/disable')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Disable a device: its sessions end and its logins get decoys until enabled',
  })
  @ApiOkResponse({ type: DeviceView })
  @ApiNotFoundResponse({ description: 'DEVICE_NOT_FOUND' })
  disable(
    @UuidParam('device_id') id: string,
    @CurrentUser() user: UserPrincipal,
  ): Promise<DeviceView> {
    return this.devices.disable(id, actorOf(user));
  }

  @Post('devices/:device_id/enable')
  @HttpCode(200)
  @ApiOperation({ summary: 'Enable a disabled device (it must log in again)' })
  @ApiOkResponse({ type: DeviceView })
  @ApiNotFoundResponse({ description: 'DEVICE_NOT_FOUND' })
  enable(
    @UuidParam('device_id') id: string,
    @CurrentUser() user: UserPrincipal,
  ): Promise<DeviceView> {
    return this.devices.enable(id, actorOf(user));
  }

  @Put('devices/:device_id/public_key')
  @ApiOperation({ summary: "Replace a device's public key; every session of the old key ends" })
  @ApiOkResponse({ type: DeviceView })
  @ApiNotFoundResponse({ description: 'DEVICE_NOT_FOUND' })
  @ApiUnprocessableEntityResponse({
    description: 'UNSUPPORTED_KEY_TYPE, RSA_KEY_SIZE_OUT_OF_RANGE, RSA_EXPONENT_NOT_ALLOWED',
  })
  rotateKey(
    @UuidParam('device_id') id: string,
    @Body() body: PublicKeyDto,
    @CurrentUser() user: UserPrincipal,
  ): Promise<DeviceView> {
    return this.devices.rotateKey(id, body.public_key, actorOf(user));
  }
}
