export {
  DEVICE_AUTH_ERROR_CODES,
  DeviceAuthError,
  isDeviceAuthError,
  type DeviceAuthErrorCode,
} from './lib/errors';
export {
  ALL_ENGINEER_PRIVILEGES_MASK,
  DEVICE_KINDS,
  ENGINEER_PRIVILEGE_NAMES,
  ENGINEER_PRIVILEGES,
  hasPrivileges,
  isDeviceKind,
  isEngineerPrivilege,
  isValidPrivilegeMask,
  maskToPrivileges,
  parseDeviceKind,
  privilegesToMask,
  requiredPrivilegeFor,
  type DeviceKind,
  type EngineerPrivilege,
} from './lib/device-kind';
export {
  MAX_PUBLIC_KEY_PEM_BYTES,
  MAX_RSA_BITS,
  MIN_RSA_BITS,
  RSA_PUBLIC_EXPONENT,
  DevicePublicKeyCache,
  parseDevicePublicKey,
  toPublicKeyObject,
  type DeviceKeyAlgorithm,
  type DevicePublicKey,
  type PublicKeyInput,
} from './lib/public-key';
export {
  CHALLENGE_ALPHABET,
  CHALLENGE_LENGTH,
  RSA_2048_CIPHERTEXT_BASE64_LENGTH,
  createChallenge,
  createDecoyChallenge,
  decryptChallenge,
  encryptChallenge,
  hashSecret,
  isWellFormedChallengeAnswer,
  issueChallenge,
  secretMatches,
  type IssuedChallenge,
} from './lib/challenge';
export {
  LOGIN_SIGNATURE_DOMAIN,
  NONCE_BYTES,
  RSA_PSS_SALT_LENGTH,
  buildLoginMessage,
  createNonce,
  signLoginNonce,
  verifyLoginSignature,
  type LoginMessageFields,
} from './lib/signature';
export {
  SESSION_TOKEN_BYTES,
  createSessionToken,
  hashSessionToken,
  isWellFormedSessionToken,
} from './lib/session-token';
export { DEVICE_AUTH_DEFAULTS, sessionTtlSeconds, type SessionLifetime } from './lib/lifetimes';
