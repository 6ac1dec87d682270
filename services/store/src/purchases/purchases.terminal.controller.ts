import { Body, Controller, Headers, HttpCode, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { CurrentDevice, DeviceAuth, type DevicePrincipal } from '@platform/auth';
import { ApiIdempotencyKey, PURCHASE_ERRORS_DESCRIPTION } from './purchase.openapi';
import { PurchaseCreationDto, PurchaseView } from './dto/purchase.dto';
import { idempotencyKeyOf } from './purchase-request';
import { PurchasesService } from './purchases.service';

/** A store terminal sells at its own counter (the seed's `POST /store/purchase`). */
@ApiTags('store terminal: purchases')
@Controller('store')
@DeviceAuth('store')
export class PurchasesTerminalController {
  constructor(private readonly purchases: PurchasesService) {}

  @Post('purchase')
  @HttpCode(200)
  @ApiOperation({
    summary: 'A purchase in its own store',
    description: PURCHASE_ERRORS_DESCRIPTION,
  })
  @ApiIdempotencyKey()
  @ApiOkResponse({ type: PurchaseView })
  @ApiBadRequestResponse({
    description: 'OUT_OF_STOCK, COUNT_TOO_LARGE, INVALID_IDEMPOTENCY_KEY, invalid input',
  })
  @ApiNotFoundResponse({ description: 'STORE_NOT_FOUND, ITEM_NOT_FOUND, USER_NOT_FOUND' })
  @ApiUnprocessableEntityResponse({ description: 'IDEMPOTENCY_KEY_REUSED' })
  @ApiServiceUnavailableResponse({ description: 'BASE_SERVICE_UNAVAILABLE' })
  purchase(
    @CurrentDevice() store: DevicePrincipal,
    @Body() body: PurchaseCreationDto,
    @Headers('idempotency-key') key: string | undefined,
  ): Promise<PurchaseView> {
    return this.purchases.purchase(
      { deviceId: store.deviceId, storeId: store.deviceId },
      body,
      idempotencyKeyOf(key),
    );
  }
}
