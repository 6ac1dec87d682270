/**
 * Every way the device-authentication core can refuse an input. Services map these codes to HTTP
 * statuses (all of them are client errors: 400 for malformed input, 422 for a well-formed but
 * unacceptable key) and pass the code through in the error body.
 */
export const DEVICE_AUTH_ERROR_CODES = [
  /** Not a single, well-formed PEM "PUBLIC KEY" (SubjectPublicKeyInfo) block. */
  'INVALID_PUBLIC_KEY',
  /** Longer than MAX_PUBLIC_KEY_PEM_BYTES; refused before any parsing. */
  'PUBLIC_KEY_TOO_LARGE',
  /** A private key was sent where the public key belongs. */
  'PRIVATE_KEY_NOT_ACCEPTED',
  /** A valid public key of a type we do not accept (EC, DSA, X25519, Ed448, RSA-PSS-only, ...). */
  'UNSUPPORTED_KEY_TYPE',
  /** RSA modulus outside 2048..4096 bits. */
  'RSA_KEY_SIZE_OUT_OF_RANGE',
  /** RSA public exponent other than 65537. */
  'RSA_EXPONENT_NOT_ALLOWED',
  /** Challenge mode (RSA-OAEP) asked of a key that cannot decrypt (Ed25519). */
  'CHALLENGE_NOT_SUPPORTED_FOR_KEY',
  /** The device could not decrypt a challenge (wrong key, decoy, corrupted ciphertext). */
  'CHALLENGE_DECRYPTION_FAILED',
  /** A field of the signed login message is empty, too long or contains a line break. */
  'INVALID_LOGIN_MESSAGE_FIELD',
  /** Unknown device kind. */
  'INVALID_DEVICE_KIND',
  /** Unknown engineer privilege name or a bitmask with unknown bits. */
  'INVALID_PRIVILEGE',
] as const;

export type DeviceAuthErrorCode = (typeof DEVICE_AUTH_ERROR_CODES)[number];

export class DeviceAuthError extends Error {
  readonly code: DeviceAuthErrorCode;

  constructor(code: DeviceAuthErrorCode, message: string) {
    super(message);
    this.name = 'DeviceAuthError';
    this.code = code;
  }
}

export function isDeviceAuthError(value: unknown): value is DeviceAuthError {
  return value instanceof DeviceAuthError;
}
