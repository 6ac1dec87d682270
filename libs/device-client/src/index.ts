// Public API of the reference device client, for e2e tests (see docs/device-auth.md §9).
export {
  DEVICE_KEY_TYPES,
  DeviceClient,
  DeviceClientError,
  buildRegisterBody,
  isDeviceKeyType,
  type DeviceClientOptions,
  type DeviceKeyPair,
  type DeviceKeyType,
  type FetchLike,
  type RegisterInput,
  type RegisterResult,
} from './device-client';
