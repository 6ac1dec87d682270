import { Body, Controller, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentDevice, DeviceAuth, type DevicePrincipal } from '@platform/auth';
import { UuidParam } from '@platform/http';
import { type Response } from 'express';
import { actorOfLocker } from '../fsm/actor';
import { requestIdOf } from '../fsm/fsm.controller';
import { TransitionView } from '../fsm/views';
import { PinsService } from '../pins/pins.service';
import {
  CommandAckDto,
  CommandAckView,
  CommandPollQueryDto,
  LockerCommandsView,
  PinEntryDto,
} from './locker-device.dto';
import { LockerDeviceService } from './locker-device.service';

/** The locker controller (a device of kind `locker` logged in through base; its id is the locker's). */
@ApiTags('locker controller')
@Controller('locker')
@DeviceAuth('locker')
export class LockerDeviceController {
  constructor(
    private readonly device: LockerDeviceService,
    private readonly pins: PinsService,
  ) {}

  @Get('commands')
  @ApiOperation({
    summary: "Long-poll the locker's command queue",
    description:
      'Returns pending commands at once, or waits up to wait_seconds (≤ 25) for one. One poll ' +
      'at a time: a newer poll of the same locker ends this one at once with no commands.',
  })
  @ApiOkResponse({ type: LockerCommandsView })
  commands(
    @CurrentDevice() locker: DevicePrincipal,
    @Query() query: CommandPollQueryDto,
    @Req() req: { id?: unknown },
    @Res({ passthrough: true }) res: Response,
  ): Promise<LockerCommandsView> {
    return this.device.poll(
      locker.deviceId,
      query.wait_seconds ?? 20,
      requestIdOf(req),
      abandonedSignal(res),
    );
  }

  @Post('commands/:id/ack')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Acknowledge a command with what the door and the sensor saw',
    description:
      'Fires the cell action the result means; its cascade moves the order when the order ' +
      'takes it from the controller (an order in staff hands stays there). door_closed and ' +
      'failed_to_open finish the command. A sensor report the open cell does not move on (the ' +
      'same one again) changes nothing: 200 with cell_action null.',
  })
  @ApiOkResponse({ type: CommandAckView })
  @ApiNotFoundResponse({ description: 'COMMAND_NOT_FOUND (not this locker’s)' })
  @ApiConflictResponse({
    description:
      'COMMAND_CLOSED, RESULT_NOT_APPLICABLE (door_closed or failed_to_open in a cell state that takes neither)',
  })
  ack(
    @CurrentDevice() locker: DevicePrincipal,
    @UuidParam('id') id: string,
    @Body() body: CommandAckDto,
    @Req() req: { id?: unknown },
  ): Promise<CommandAckView> {
    return this.device.ack(actorOfLocker(locker), id, body, requestIdOf(req));
  }

  @Post('pin')
  @HttpCode(200)
  @ApiOperation({
    summary: 'A one-time PIN typed at the keypad: opens the cell for its holder',
    description:
      'Fires order_client_deliv_post1 (sender, locker A) or order_pickup_poluchatel (recipient, locker B).',
  })
  @ApiOkResponse({ type: TransitionView })
  @ApiForbiddenResponse({ description: 'PIN_INVALID (attempts_left), PIN_EXPIRED, PIN_LOCKED' })
  @ApiConflictResponse({
    description:
      'TRANSITION_NOT_FOUND (details: entity_type, current_state): the order or its cell cannot be opened now',
  })
  enterPin(
    @CurrentDevice() locker: DevicePrincipal,
    @Body() body: PinEntryDto,
    @Req() req: { id?: unknown },
  ): Promise<TransitionView> {
    return this.pins.enter(locker.deviceId, body.order_id, body.pin, requestIdOf(req));
  }
}

/**
 * Aborted when the connection closes before the answer was sent: the controller gave up on this
 * poll (its own time-out, a network cut) and will poll again, so this one must claim nothing.
 */
function abandonedSignal(res: Response): AbortSignal {
  const abandoned = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) abandoned.abort();
  });
  return abandoned.signal;
}
