import { applyDecorators } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { ApiIdempotencyKey } from '@platform/http';
import { PurchaseView } from './dto/purchase.dto';
import { LIMITS } from '../common/limits';
import { IDEMPOTENCY_KEY_TTL_SECONDS } from './purchase.repository';

const PURCHASE_ERRORS_DESCRIPTION =
  "Every item must be this store's (else 404 ITEM_NOT_FOUND) and in stock (else 400 " +
  'OUT_OF_STOCK with details {item_id, requested, available}); duplicate lines are added up ' +
  `(at most ${LIMITS.countMax} units per item: 400 COUNT_TOO_LARGE). The passenger must exist ` +
  '(404 USER_NOT_FOUND). Stock, purchase, lines and task are written in one transaction: all or ' +
  'nothing, and stock never oversold.';

/** The documentation of a purchase route: the robot's and the store terminal's answer alike. */
export const ApiPurchase = (summary: string): MethodDecorator =>
  applyDecorators(
    ApiOperation({ summary, description: PURCHASE_ERRORS_DESCRIPTION }),
    ApiIdempotencyKey(
      `A retry with the same key (same device) within ${IDEMPOTENCY_KEY_TTL_SECONDS / 3600} h ` +
        'gets the first answer and buys nothing; the same key with a different request is 422 ' +
        'IDEMPOTENCY_KEY_REUSED. A refused purchase does not use the key up.',
    ),
    ApiOkResponse({ type: PurchaseView }),
    ApiBadRequestResponse({
      description: 'OUT_OF_STOCK, COUNT_TOO_LARGE, INVALID_IDEMPOTENCY_KEY, invalid input',
    }),
    ApiNotFoundResponse({ description: 'STORE_NOT_FOUND, ITEM_NOT_FOUND, USER_NOT_FOUND' }),
    ApiUnprocessableEntityResponse({ description: 'IDEMPOTENCY_KEY_REUSED' }),
    ApiServiceUnavailableResponse({ description: 'BASE_SERVICE_UNAVAILABLE' }),
  );
