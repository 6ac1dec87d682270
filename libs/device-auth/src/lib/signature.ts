import { Buffer } from 'node:buffer';
import { constants, randomBytes, sign, verify, type KeyObject } from 'node:crypto';
import { isDeviceKind, type DeviceKind } from './device-kind';
import { DeviceAuthError } from './errors';
import { toPublicKeyObject, type PublicKeyInput } from './public-key';

/**
 * Signature mode (new, not in the seed): the server hands out a random nonce under a request id,
 * the device signs a canonical, domain-separated message binding the protocol version, its kind,
 * its id, the request id and the nonce, and the server verifies the signature with the stored key.
 */

export const LOGIN_SIGNATURE_DOMAIN = 'platform-device-login:v1';
export const NONCE_BYTES = 32;
/** RSA-PSS salt length in bytes (= SHA-256 output length). */
export const RSA_PSS_SALT_LENGTH = 32;
const MAX_FIELD_LENGTH = 256;
const MAX_SIGNATURE_BASE64_LENGTH = 1024; // RSA-4096 signature: 684 chars
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export interface LoginMessageFields {
  readonly kind: DeviceKind;
  readonly deviceId: string;
  readonly requestId: string;
  readonly nonce: string;
}

/** 32 random bytes, base64url without padding (43 chars). */
export function createNonce(): string {
  return randomBytes(NONCE_BYTES).toString('base64url');
}

function fieldProblem(fields: LoginMessageFields): string | null {
  if (!isDeviceKind(fields.kind)) return `unknown device kind ${JSON.stringify(fields.kind)}`;
  for (const name of ['deviceId', 'requestId', 'nonce'] as const) {
    const value: unknown = fields[name];
    if (typeof value !== 'string' || value.length === 0)
      return `${name} must be a non-empty string`;
    if (value.length > MAX_FIELD_LENGTH)
      return `${name} is longer than ${MAX_FIELD_LENGTH} characters`;
    if (/[\r\n\0]/.test(value)) return `${name} must not contain line breaks or NUL`;
  }
  return null;
}

/**
 * The exact bytes that are signed (UTF-8):
 * `platform-device-login:v1\n<kind>\n<deviceId>\n<requestId>\n<nonce>` with no trailing newline.
 * Fields may not contain line breaks, so the encoding is unambiguous.
 */
export function buildLoginMessage(fields: LoginMessageFields): Buffer {
  const problem = fieldProblem(fields);
  if (problem !== null) {
    throw new DeviceAuthError('INVALID_LOGIN_MESSAGE_FIELD', `Invalid login message: ${problem}`);
  }
  return Buffer.from(
    [LOGIN_SIGNATURE_DOMAIN, fields.kind, fields.deviceId, fields.requestId, fields.nonce].join(
      '\n',
    ),
    'utf8',
  );
}

function signatureOptions(key: KeyObject) {
  return { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: RSA_PSS_SALT_LENGTH };
}

/**
 * Device side: signs the login message, base64. Ed25519 (pure, `crypto.sign(null, ...)`) or
 * RSA-PSS with SHA-256, MGF1-SHA-256 and a 32-byte salt.
 */
export function signLoginNonce(privateKey: KeyObject, fields: LoginMessageFields): string {
  const message = buildLoginMessage(fields);
  switch (privateKey.asymmetricKeyType) {
    case 'ed25519':
      return sign(null, message, privateKey).toString('base64');
    case 'rsa':
      return sign('sha256', message, signatureOptions(privateKey)).toString('base64');
    default:
      throw new DeviceAuthError(
        'UNSUPPORTED_KEY_TYPE',
        `Cannot sign with a "${String(privateKey.asymmetricKeyType)}" key; use RSA or Ed25519`,
      );
  }
}

/**
 * Server side: resolves true only for a valid signature of exactly these fields by this key. Never
 * rejects: malformed base64, a signature of the wrong length, bad fields or an unsupported key all
 * give false. The check runs on libuv's thread pool (`crypto.verify` with a callback), not on the
 * event loop: an Ed25519 verification costs about 120 µs of CPU and an RSA-4096 one more, which a
 * burst of logins would otherwise take from every other request of the service.
 */
export function verifyLoginSignature(
  publicKey: PublicKeyInput,
  fields: LoginMessageFields,
  signatureBase64: string,
): Promise<boolean> {
  let check: SignatureCheck | null;
  try {
    check = signatureCheck(publicKey, fields, signatureBase64);
  } catch {
    check = null;
  }
  if (check === null) return Promise.resolve(false);
  const { algorithm, message, key, signature } = check;
  return new Promise((resolve) => {
    try {
      verify(algorithm, message, key, signature, (error, valid) => resolve(!error && valid));
    } catch {
      resolve(false);
    }
  });
}

interface SignatureCheck {
  algorithm: 'sha256' | null;
  message: Buffer;
  key: KeyObject | ReturnType<typeof signatureOptions>;
  signature: Buffer;
}

/** The verification to run, or null when the input cannot be a valid signature. */
function signatureCheck(
  publicKey: PublicKeyInput,
  fields: LoginMessageFields,
  signatureBase64: string,
): SignatureCheck | null {
  if (typeof signatureBase64 !== 'string') return null;
  if (signatureBase64.length > MAX_SIGNATURE_BASE64_LENGTH || !BASE64.test(signatureBase64)) {
    return null;
  }
  if (fieldProblem(fields) !== null) return null;
  const key = toPublicKeyObject(publicKey);
  const signature = Buffer.from(signatureBase64, 'base64');
  const message = buildLoginMessage(fields);
  switch (key.asymmetricKeyType) {
    case 'ed25519':
      return signature.length === 64 ? { algorithm: null, message, key, signature } : null;
    case 'rsa': {
      const bytes = Math.ceil((key.asymmetricKeyDetails?.modulusLength ?? 0) / 8);
      return signature.length === bytes
        ? { algorithm: 'sha256', message, key: signatureOptions(key), signature }
        : null;
    }
    default:
      return null;
  }
}
