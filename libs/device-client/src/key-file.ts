import { Buffer } from 'node:buffer';
import {
  createCipheriv,
  createPrivateKey,
  pbkdf2Sync,
  randomBytes,
  type KeyObject,
} from 'node:crypto';

/**
 * Device private keys at rest: PKCS#8 "ENCRYPTED PRIVATE KEY" PEM (PBES2: PBKDF2-HMAC-SHA256 with a
 * random 16-byte salt, AES-256-CBC), the standard format OpenSSL, Python's `cryptography` and
 * Node's createPrivateKey({ passphrase }) read. We build the PBES2 structure ourselves only to
 * choose the iteration count: Node's KeyObject.export({ cipher, passphrase }) always uses
 * OpenSSL's default of 2048 PBKDF2 iterations. (The seed used an empty password and empty salt.)
 */

export const DEFAULT_PBKDF2_ITERATIONS = 600_000;
export const MIN_PASSPHRASE_LENGTH = 12;

export class KeyFileError extends Error {
  readonly code: 'WEAK_PASSPHRASE' | 'KEY_NOT_ENCRYPTED' | 'KEY_DECRYPTION_FAILED';

  constructor(code: KeyFileError['code'], message: string) {
    super(message);
    this.name = 'KeyFileError';
    this.code = code;
  }
}

// DER-encoded OBJECT IDENTIFIERs (tag and length included).
const OID_PBES2 = Buffer.from('06092a864886f70d01050d', 'hex'); // 1.2.840.113549.1.5.13
const OID_PBKDF2 = Buffer.from('06092a864886f70d01050c', 'hex'); // 1.2.840.113549.1.5.12
const OID_HMAC_SHA256 = Buffer.from('06082a864886f70d0209', 'hex'); // 1.2.840.113549.2.9
const OID_AES256_CBC = Buffer.from('060960864801650304012a', 'hex'); // 2.16.840.1.101.3.4.1.42
const DER_NULL = Buffer.from('0500', 'hex');

function derLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

const tlv = (tag: number, content: Buffer): Buffer =>
  Buffer.concat([Buffer.from([tag]), derLength(content.length), content]);
const sequence = (...items: Buffer[]): Buffer => tlv(0x30, Buffer.concat(items));
const octetString = (bytes: Buffer): Buffer => tlv(0x04, bytes);

function derPositiveInteger(value: number): Buffer {
  const bytes: number[] = [];
  for (let n = value; n > 0; n = Math.floor(n / 256)) bytes.unshift(n % 256);
  if (bytes.length === 0 || (bytes[0] ?? 0) >= 0x80) bytes.unshift(0);
  return tlv(0x02, Buffer.from(bytes));
}

function toPem(label: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

export function checkPassphrase(passphrase: string | undefined): string {
  if (typeof passphrase !== 'string' || passphrase.length < MIN_PASSPHRASE_LENGTH) {
    throw new KeyFileError(
      'WEAK_PASSPHRASE',
      `The key passphrase must be at least ${MIN_PASSPHRASE_LENGTH} characters`,
    );
  }
  return passphrase;
}

/** PKCS#8 private key → "ENCRYPTED PRIVATE KEY" PEM under `passphrase`. */
export function encryptPrivateKey(
  privateKey: KeyObject,
  passphrase: string,
  iterations: number = DEFAULT_PBKDF2_ITERATIONS,
): string {
  checkPassphrase(passphrase);
  if (!Number.isSafeInteger(iterations) || iterations < 1) {
    throw new RangeError('PBKDF2 iterations must be a positive integer');
  }
  const salt = randomBytes(16);
  const iv = randomBytes(16);
  const key = pbkdf2Sync(Buffer.from(passphrase, 'utf8'), salt, iterations, 32, 'sha256');
  const plain = privateKey.export({ type: 'pkcs8', format: 'der' });
  const cipher = createCipheriv('aes-256-cbc', key, iv);
  const encrypted = Buffer.concat([cipher.update(plain), cipher.final()]);
  plain.fill(0);
  key.fill(0);

  const der = sequence(
    sequence(
      OID_PBES2,
      sequence(
        sequence(
          OID_PBKDF2,
          sequence(
            octetString(salt),
            derPositiveInteger(iterations),
            sequence(OID_HMAC_SHA256, DER_NULL),
          ),
        ),
        sequence(OID_AES256_CBC, octetString(iv)),
      ),
    ),
    octetString(encrypted),
  );
  return toPem('ENCRYPTED PRIVATE KEY', der);
}

/**
 * "ENCRYPTED PRIVATE KEY" PEM + passphrase → private KeyObject. Refuses unencrypted keys: a key
 * that sits on a robot in the clear must be re-generated, not silently accepted.
 */
export function decryptPrivateKey(pem: string, passphrase: string): KeyObject {
  if (!/^\s*-----BEGIN ENCRYPTED PRIVATE KEY-----/.test(pem)) {
    throw new KeyFileError(
      'KEY_NOT_ENCRYPTED',
      'The private key file is not an encrypted PKCS#8 key ("BEGIN ENCRYPTED PRIVATE KEY")',
    );
  }
  try {
    return createPrivateKey({ key: pem, format: 'pem', passphrase });
  } catch {
    throw new KeyFileError(
      'KEY_DECRYPTION_FAILED',
      'Could not decrypt the private key: wrong passphrase or corrupted file',
    );
  }
}
