import { type DeviceAuthErrorCode, type DeviceKind } from '@platform/device-auth';
import { DomainError, errorCatalog, type ErrorKind } from '@platform/errors';

/** Every error of device provisioning, login and the device back office. */
const deviceAuthError = errorCatalog({
  NOT_FOUND: 'not_found',
  INVALID_CREDENTIALS: 'unauthenticated',
  INSUFFICIENT_PRIVILEGES: 'forbidden',
  STORE_NOT_FOUND: 'not_found',
  DEVICE_ID_TAKEN: 'conflict',
  ROBOT_NOT_FOUND: 'not_found',
  DEVICE_NOT_FOUND: 'not_found',
});

/**
 * The kind of each refusal of `@platform/device-auth` (total: a new code does not compile until it
 * has one). Malformed input is 400; a well-formed key of a type or size we do not take is 422.
 */
const DEVICE_AUTH_CORE_ERROR_KINDS: Readonly<Record<DeviceAuthErrorCode, ErrorKind>> = {
  INVALID_PUBLIC_KEY: 'invalid_input',
  PUBLIC_KEY_TOO_LARGE: 'invalid_input',
  PRIVATE_KEY_NOT_ACCEPTED: 'invalid_input',
  UNSUPPORTED_KEY_TYPE: 'unprocessable',
  RSA_KEY_SIZE_OUT_OF_RANGE: 'unprocessable',
  RSA_EXPONENT_NOT_ALLOWED: 'unprocessable',
  CHALLENGE_NOT_SUPPORTED_FOR_KEY: 'unprocessable',
  CHALLENGE_DECRYPTION_FAILED: 'unauthenticated',
  INVALID_LOGIN_MESSAGE_FIELD: 'invalid_input',
  INVALID_DEVICE_KIND: 'invalid_input',
  INVALID_PRIVILEGE: 'invalid_input',
};

export const deviceAuthErrors = {
  /** A `:kind` that is no device kind: no route at all. */
  noRoute: () => deviceAuthError('NOT_FOUND', 'No route for this path'),
  /** Every login or provisioning failure, whatever the reason: one answer, no oracle. */
  invalidCredentials: () => deviceAuthError('INVALID_CREDENTIALS', 'Invalid credentials'),
  insufficientPrivileges: (kind: DeviceKind, privilege: string) =>
    deviceAuthError(
      'INSUFFICIENT_PRIVILEGES',
      `Provisioning a ${kind} needs the ${privilege} privilege`,
    ),
  storeNotFound: (storeId: string) =>
    deviceAuthError('STORE_NOT_FOUND', `Store ${storeId} not found`),
  idTaken: (id: string) =>
    deviceAuthError('DEVICE_ID_TAKEN', `The id ${id} already belongs to a device of another kind`),
  adoptionConflict: (id: string) =>
    deviceAuthError(
      'DEVICE_ID_TAKEN',
      `The id ${id} or the robot_model_id belongs to another device, or to this one with another key`,
    ),
  idOfAStore: (id: string, kind: DeviceKind) =>
    deviceAuthError('DEVICE_ID_TAKEN', `The id ${id} is a store's id, not a ${kind}'s`),
  deviceNotFound: (id: string, kind?: DeviceKind) =>
    kind === 'robot'
      ? deviceAuthError('ROBOT_NOT_FOUND', `Robot ${id} not found`)
      : deviceAuthError('DEVICE_NOT_FOUND', `Device ${id} not found`),
  /** A refusal of the device-auth core, with the core's code. */
  core: (code: DeviceAuthErrorCode, message: string) =>
    new DomainError(DEVICE_AUTH_CORE_ERROR_KINDS[code], code, message),
};
