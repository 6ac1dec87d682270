import { Buffer } from 'node:buffer';
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { DeviceAuthError } from './errors';

/** Inputs longer than this are refused before parsing (an RSA-4096 SPKI PEM is about 800 bytes). */
export const MAX_PUBLIC_KEY_PEM_BYTES = 4096;
export const MIN_RSA_BITS = 2048;
export const MAX_RSA_BITS = 4096;
export const RSA_PUBLIC_EXPONENT = 65537n;

export type DeviceKeyAlgorithm = 'rsa' | 'ed25519';

export interface DevicePublicKey {
  readonly keyObject: KeyObject;
  readonly algorithm: DeviceKeyAlgorithm;
  /** RSA modulus length; 256 for Ed25519. */
  readonly bits: number;
  /** Re-encoded SPKI PEM (LF line endings, 64-column base64, trailing newline): store this. */
  readonly spkiPem: string;
  /** SHA-256 of the DER SubjectPublicKeyInfo, base64url without padding (43 chars). */
  readonly fingerprint: string;
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END ([A-Z0-9 ]+)-----/g;
const BASE64_BODY = /^[A-Za-z0-9+/]+={0,2}$/;

function invalid(message: string): DeviceAuthError {
  return new DeviceAuthError('INVALID_PUBLIC_KEY', message);
}

/**
 * Parses and validates a device public key given as PEM SubjectPublicKeyInfo text
 * (`-----BEGIN PUBLIC KEY-----`). Accepts RSA with a 2048..4096-bit modulus and exponent 65537, and
 * Ed25519. Everything else is refused with a DeviceAuthError whose code says why. Surrounding
 * whitespace and CRLF line endings are tolerated; anything else around or inside the block is not.
 */
export function parseDevicePublicKey(pem: string): DevicePublicKey {
  if (typeof pem !== 'string') {
    throw invalid('Public key must be a PEM string');
  }
  if (
    pem.length > MAX_PUBLIC_KEY_PEM_BYTES ||
    Buffer.byteLength(pem, 'utf8') > MAX_PUBLIC_KEY_PEM_BYTES
  ) {
    throw new DeviceAuthError(
      'PUBLIC_KEY_TOO_LARGE',
      `Public key PEM is longer than ${MAX_PUBLIC_KEY_PEM_BYTES} bytes`,
    );
  }
  const text = pem.replace(/\r\n/g, '\n').trim();
  const blocks = [...text.matchAll(PEM_BLOCK)];
  if (/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(text)) {
    throw new DeviceAuthError(
      'PRIVATE_KEY_NOT_ACCEPTED',
      'A private key was supplied; send only the public key (PEM "BEGIN PUBLIC KEY")',
    );
  }
  if (blocks.length === 0) {
    throw invalid('Public key is not PEM: expected a "-----BEGIN PUBLIC KEY-----" block');
  }
  if (blocks.length > 1) {
    throw invalid(`Expected exactly one PEM block, found ${blocks.length}`);
  }
  const [block] = blocks;
  if (block === undefined || block[0] !== text) {
    throw invalid('Unexpected text before or after the PEM block');
  }
  const [, beginLabel, rawBody = '', endLabel] = block;
  if (beginLabel !== endLabel) {
    throw invalid(`PEM labels do not match ("${beginLabel}" / "${endLabel}")`);
  }
  if (beginLabel !== 'PUBLIC KEY') {
    throw invalid(
      `Expected a SubjectPublicKeyInfo PEM ("BEGIN PUBLIC KEY"), got "BEGIN ${beginLabel}"`,
    );
  }
  const body = rawBody.replace(/[ \t]*\n[ \t]*/g, '');
  if (body.length === 0 || body.length % 4 !== 0 || !BASE64_BODY.test(body)) {
    throw invalid('PEM body is not valid base64');
  }
  const der = Buffer.from(body, 'base64');
  if (der.toString('base64') !== body) {
    throw invalid('PEM body is not canonical base64');
  }

  let keyObject: KeyObject;
  try {
    keyObject = createPublicKey({ key: der, format: 'der', type: 'spki' });
  } catch {
    throw invalid('PEM body is not a DER SubjectPublicKeyInfo structure');
  }
  const canonicalDer = keyObject.export({ type: 'spki', format: 'der' });
  if (!canonicalDer.equals(der)) {
    // Trailing bytes or a non-DER (BER) encoding: refuse, so one key has exactly one stored form.
    throw invalid('PEM body is not a canonical DER SubjectPublicKeyInfo structure');
  }

  const { algorithm, bits } = checkKeyType(keyObject);
  return {
    keyObject,
    algorithm,
    bits,
    spkiPem: keyObject.export({ type: 'spki', format: 'pem' }).toString(),
    fingerprint: createHash('sha256').update(canonicalDer).digest('base64url'),
  };
}

function checkKeyType(keyObject: KeyObject): { algorithm: DeviceKeyAlgorithm; bits: number } {
  const type = keyObject.asymmetricKeyType;
  if (type === 'ed25519') {
    return { algorithm: 'ed25519', bits: 256 };
  }
  if (type === 'rsa') {
    const { modulusLength, publicExponent } = keyObject.asymmetricKeyDetails ?? {};
    if (
      modulusLength === undefined ||
      modulusLength < MIN_RSA_BITS ||
      modulusLength > MAX_RSA_BITS
    ) {
      throw new DeviceAuthError(
        'RSA_KEY_SIZE_OUT_OF_RANGE',
        `RSA key is ${String(modulusLength)} bits; accepted sizes are ${MIN_RSA_BITS} to ${MAX_RSA_BITS} bits`,
      );
    }
    if (publicExponent !== RSA_PUBLIC_EXPONENT) {
      throw new DeviceAuthError(
        'RSA_EXPONENT_NOT_ALLOWED',
        `RSA public exponent is ${String(publicExponent)}; only 65537 is accepted`,
      );
    }
    return { algorithm: 'rsa', bits: modulusLength };
  }
  throw new DeviceAuthError(
    'UNSUPPORTED_KEY_TYPE',
    `Unsupported key type "${String(type)}"; accepted are RSA (${MIN_RSA_BITS}-${MAX_RSA_BITS} bits) and Ed25519`,
  );
}

/** Anything the server-side functions accept as a device public key. */
export type PublicKeyInput = KeyObject | DevicePublicKey;

export function toPublicKeyObject(key: PublicKeyInput): KeyObject {
  return 'keyObject' in key ? key.keyObject : key;
}

/**
 * Parsed device keys by fingerprint, the oldest dropped beyond `size`: a login should not re-parse
 * a stored PEM every time. For keys the platform stored itself (their fingerprint computed when
 * they were registered), never for keys a caller sends.
 */
export class DevicePublicKeyCache {
  private readonly keys = new Map<string, DevicePublicKey>();

  constructor(private readonly size = 1024) {}

  parse(fingerprint: string, spkiPem: string): DevicePublicKey {
    const cached = this.keys.get(fingerprint);
    if (cached) return cached;
    const key = parseDevicePublicKey(spkiPem);
    if (this.keys.size >= this.size) {
      const oldest = this.keys.keys().next();
      if (!oldest.done) this.keys.delete(oldest.value);
    }
    this.keys.set(key.fingerprint, key);
    return key;
  }
}
