import { Body, Controller, Headers, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentDevice, DeviceAuth, type DevicePrincipal } from '@platform/auth';
import { idempotencyKeyOf } from '@platform/http';
import { ApiPurchase } from './purchase.openapi';
import { purchaseErrors } from './purchase.errors';
import { PurchaseCreationDto, PurchaseView } from './dto/purchase.dto';
import { PurchasesService } from './purchases.service';

/** A store terminal sells at its own counter (the seed's `POST /store/purchase`). */
@ApiTags('store terminal: purchases')
@Controller('store')
@DeviceAuth('store')
export class PurchasesTerminalController {
  constructor(private readonly purchases: PurchasesService) {}

  @Post('purchase')
  @HttpCode(200)
  @ApiPurchase('A purchase in its own store')
  purchase(
    @CurrentDevice() store: DevicePrincipal,
    @Body() body: PurchaseCreationDto,
    @Headers('idempotency-key') key: string | undefined,
  ): Promise<PurchaseView> {
    return this.purchases.purchase(
      { deviceId: store.deviceId, storeId: store.deviceId, robot: false },
      body,
      idempotencyKeyOf(key, purchaseErrors.invalidKey),
    );
  }
}
