import { errorCatalog } from '@platform/errors';
import { IDEMPOTENCY_KEY_MAX } from '@platform/http';
import { LIMITS } from '../common/limits';

/**
 * Every error a purchase answers with besides STORE_NOT_FOUND and ITEM_NOT_FOUND (their
 * features'). Kinds the robot kiosk handles (400/404) where the seed's client may meet them;
 * IDEMPOTENCY_KEY_REUSED is 422, and only a client that sends `Idempotency-Key` can meet it.
 */
const purchaseError = errorCatalog({
  OUT_OF_STOCK: 'invalid_input',
  COUNT_TOO_LARGE: 'invalid_input',
  INVALID_IDEMPOTENCY_KEY: 'invalid_input',
  IDEMPOTENCY_KEY_REUSED: 'unprocessable',
  USER_NOT_FOUND: 'not_found',
});

export const purchaseErrors = {
  /** The seed's 400 "Not enough items", with what is left. */
  outOfStock: (itemId: string, requested: number, available: number) =>
    purchaseError('OUT_OF_STOCK', 'Not enough items', {
      item_id: itemId,
      requested,
      available,
    }),
  countTooLarge: (itemId: string, count: number) =>
    purchaseError(
      'COUNT_TOO_LARGE',
      `At most ${LIMITS.countMax} units of one item per purchase (duplicate lines are added up)`,
      { item_id: itemId, count },
    ),
  invalidKey: () =>
    purchaseError(
      'INVALID_IDEMPOTENCY_KEY',
      `Idempotency-Key must be 1..${IDEMPOTENCY_KEY_MAX} visible ASCII characters`,
    ),
  keyReused: () =>
    purchaseError(
      'IDEMPOTENCY_KEY_REUSED',
      'This Idempotency-Key was used with a different request',
    ),
  userNotFound: () => purchaseError('USER_NOT_FOUND', 'User not found'),
};
