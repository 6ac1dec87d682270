import { DomainError, errorCatalog } from '@platform/errors';
import { IDEMPOTENCY_KEY_MAX } from '@platform/http';
import { type FsmError } from '../state-machine';

/** Every error code of the delivery service besides the engine's refusals (fsm-errors.ts). */
const deliveryError = errorCatalog({
  ORDER_NOT_FOUND: 'not_found',
  TRIP_NOT_FOUND: 'not_found',
  CELL_NOT_FOUND: 'not_found',
  LOCKER_NOT_FOUND: 'not_found',
  LOCKER_MODEL_NOT_FOUND: 'not_found',
  COMMAND_NOT_FOUND: 'not_found',
  LOCKER_CODE_TAKEN: 'conflict',
  LOCKER_MODEL_NAME_TAKEN: 'conflict',
  CELL_CODE_TAKEN: 'conflict',
  LOCKER_IN_USE: 'conflict',
  NO_FREE_CELL: 'conflict',
  CELL_NOT_HELD: 'conflict',
  STATE_VERSION_MISMATCH: 'conflict',
  COMMAND_CLOSED: 'conflict',
  RESULT_NOT_APPLICABLE: 'conflict',
  COURIER_REQUIRED: 'invalid_input',
  DRIVER_REQUIRED: 'invalid_input',
  SAME_LOCKER: 'invalid_input',
  LOCKER_NOT_ACTIVE: 'conflict',
  INVALID_IDEMPOTENCY_KEY: 'invalid_input',
  IDEMPOTENCY_KEY_REUSED: 'unprocessable',
  PIN_NOT_ISSUABLE: 'conflict',
  PIN_INVALID: 'forbidden',
  PIN_EXPIRED: 'forbidden',
  PIN_LOCKED: 'forbidden',
  STAFF_ONLY: 'forbidden',
  RESERVATION_LIMIT_REACHED: 'conflict',
});

export const deliveryErrors = {
  orderNotFound: () => deliveryError('ORDER_NOT_FOUND', 'Order not found'),
  tripNotFound: () => deliveryError('TRIP_NOT_FOUND', 'Trip not found'),
  cellNotFound: () => deliveryError('CELL_NOT_FOUND', 'Cell not found'),
  lockerNotFound: () => deliveryError('LOCKER_NOT_FOUND', 'Locker not found'),
  lockerModelNotFound: () => deliveryError('LOCKER_MODEL_NOT_FOUND', 'Locker model not found'),
  commandNotFound: () => deliveryError('COMMAND_NOT_FOUND', 'Command not found for this locker'),
  lockerCodeTaken: () => deliveryError('LOCKER_CODE_TAKEN', 'A locker with this code exists'),
  lockerModelNameTaken: () =>
    deliveryError('LOCKER_MODEL_NAME_TAKEN', 'A locker model with this name exists'),
  cellCodeTaken: () => deliveryError('CELL_CODE_TAKEN', 'This locker has a cell with this code'),
  lockerInUse: () =>
    deliveryError(
      'LOCKER_IN_USE',
      'The locker (or model) is still referenced and cannot be deleted',
    ),
  noFreeCell: (side: string, lockerId: string, size: string) =>
    deliveryError('NO_FREE_CELL', `No free ${size} cell in the ${side} locker`, {
      side,
      locker_id: lockerId,
      size,
    }),
  cellNotHeld: (side: string) =>
    deliveryError('CELL_NOT_HELD', `The order holds no ${side} cell`, { side }),
  /** Carries what every state-machine refusal carries (docs/api/delivery.md). */
  stateVersionMismatch: (
    current: { entityType: string; state: string; stateVersion: number },
    action: string,
  ) =>
    deliveryError('STATE_VERSION_MISMATCH', 'The entity changed since it was read', {
      entity_type: current.entityType,
      current_state: current.state,
      action,
      state_version: current.stateVersion,
    }),
  staffOnly: (what: string) => deliveryError('STAFF_ONLY', `${what} is for staff only`),
  commandClosed: (status: string) =>
    deliveryError('COMMAND_CLOSED', `The command is already ${status}`, { status }),
  resultNotApplicable: (result: string, cellState: string) =>
    deliveryError(
      'RESULT_NOT_APPLICABLE',
      `Result ${result} does not apply to a cell in ${cellState}`,
      {
        result,
        current_state: cellState,
      },
    ),
  courierRequired: () =>
    deliveryError('COURIER_REQUIRED', 'Staff assigning a leg must name courier_user_id'),
  driverRequired: () =>
    deliveryError('DRIVER_REQUIRED', 'Staff assigning a trip must name driver_user_id'),
  sameLocker: () => deliveryError('SAME_LOCKER', 'The source and destination lockers must differ'),
  lockerNotActive: (lockerId: string) =>
    deliveryError('LOCKER_NOT_ACTIVE', 'The locker does not take orders now', {
      locker_id: lockerId,
    }),
  invalidKey: () =>
    deliveryError(
      'INVALID_IDEMPOTENCY_KEY',
      `Idempotency-Key must be 1..${IDEMPOTENCY_KEY_MAX} visible ASCII characters`,
    ),
  keyReused: () =>
    deliveryError(
      'IDEMPOTENCY_KEY_REUSED',
      'This Idempotency-Key was used with a different request',
    ),
  pinNotIssuable: (state: string) =>
    deliveryError('PIN_NOT_ISSUABLE', `No PIN can be issued for an order in ${state}`, {
      current_state: state,
    }),
  pinInvalid: (attemptsLeft: number) =>
    deliveryError('PIN_INVALID', 'Wrong PIN', { attempts_left: attemptsLeft }),
  pinExpired: () => deliveryError('PIN_EXPIRED', 'The PIN has expired; ask for a new one'),
  pinLocked: () => deliveryError('PIN_LOCKED', 'Too many wrong attempts; ask for a new PIN'),
  reservationLimitReached: (limit: number, lockerId: string) =>
    deliveryError(
      'RESERVATION_LIMIT_REACHED',
      `You have ${limit} orders holding a cell at this locker that are not under way (waiting for the drop-off, or for staff); drop one off or cancel one first`,
      { limit, locker_id: lockerId },
    ),
};

/** An engine refusal as the HTTP answer: its kind (400/403/409) and where the entity stands. */
export function refusalError(error: FsmError, stateVersion?: number): DomainError {
  return new DomainError(error.kind, error.code, error.message, {
    entity_type: error.entityType,
    current_state: error.currentState,
    action: error.action,
    ...(stateVersion === undefined ? {} : { state_version: stateVersion }),
  });
}
