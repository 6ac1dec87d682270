import { Buffer } from 'node:buffer';
import {
  constants,
  createHash,
  privateDecrypt,
  publicEncrypt,
  randomBytes,
  randomInt,
  timingSafeEqual,
  type KeyObject,
} from 'node:crypto';
import { DeviceAuthError } from './errors';
import { toPublicKeyObject, type PublicKeyInput } from './public-key';

/**
 * Challenge mode, wire-compatible with the seed: the server encrypts a random text to the device's
 * RSA key with RSA-OAEP (SHA-256, MGF1-SHA-256, no label) and the device proves possession of the
 * private key by sending the plaintext back.
 */

/** The seed's 72-symbol alphabet: A-Z a-z 0-9 and `!@#$%^&*()`. */
export const CHALLENGE_ALPHABET =
  'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*()';
export const CHALLENGE_LENGTH = 100;
/** Base64 length of an RSA-2048 ciphertext (256 bytes), which the decoy imitates. */
export const RSA_2048_CIPHERTEXT_BASE64_LENGTH = 344;
const DECOY_BYTES = 256;

const OAEP = { padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' } as const;

/** 100 symbols of the seed alphabet, each drawn with `crypto.randomInt` (CSPRNG, no modulo bias). */
export function createChallenge(): string {
  let text = '';
  for (let i = 0; i < CHALLENGE_LENGTH; i++) {
    text += CHALLENGE_ALPHABET[randomInt(CHALLENGE_ALPHABET.length)];
  }
  return text;
}

/** True when `text` has the shape of a challenge (used to reject junk before hashing it). */
export function isWellFormedChallengeAnswer(text: unknown): text is string {
  if (typeof text !== 'string' || text.length !== CHALLENGE_LENGTH) return false;
  for (const symbol of text) {
    if (!CHALLENGE_ALPHABET.includes(symbol)) return false;
  }
  return true;
}

/**
 * RSA-OAEP (SHA-256, MGF1-SHA-256, empty label) of the UTF-8 text, base64 (344 characters for
 * RSA-2048, 512 for RSA-3072, 684 for RSA-4096). Throws CHALLENGE_NOT_SUPPORTED_FOR_KEY for a
 * non-RSA key: the server must answer such devices with createDecoyChallenge() instead.
 */
export function encryptChallenge(publicKey: PublicKeyInput, text: string): string {
  const key = toPublicKeyObject(publicKey);
  if (key.asymmetricKeyType !== 'rsa') {
    throw new DeviceAuthError(
      'CHALLENGE_NOT_SUPPORTED_FOR_KEY',
      `Challenge mode needs an RSA key, got "${String(key.asymmetricKeyType)}"; use signature mode`,
    );
  }
  return publicEncrypt({ key, ...OAEP }, Buffer.from(text, 'utf8')).toString('base64');
}

/** Device side: base64 ciphertext → plaintext. Throws CHALLENGE_DECRYPTION_FAILED on any failure. */
export function decryptChallenge(privateKey: KeyObject, ciphertextBase64: string): string {
  if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'rsa') {
    throw new DeviceAuthError(
      'CHALLENGE_NOT_SUPPORTED_FOR_KEY',
      'Challenge mode needs the device RSA private key; use signature mode for Ed25519',
    );
  }
  try {
    return privateDecrypt(
      { key: privateKey, ...OAEP },
      Buffer.from(ciphertextBase64, 'base64'),
    ).toString('utf8');
  } catch {
    throw new DeviceAuthError(
      'CHALLENGE_DECRYPTION_FAILED',
      'Could not decrypt the challenge with this key (wrong key, unknown device id or corrupted data)',
    );
  }
}

/**
 * What the server returns for an unknown device id or a device whose key cannot decrypt (Ed25519):
 * 256 random bytes in base64, i.e. exactly the shape and length (344 characters) of a real
 * challenge for RSA-2048, the provisioning default. It cannot tell an enumerating caller whether
 * the id exists. (Real challenges for RSA-3072/4096 devices are longer, so the decoy hides only
 * among RSA-2048 devices: provision with RSA-2048 or use signature mode.)
 */
export function createDecoyChallenge(): string {
  return randomBytes(DECOY_BYTES).toString('base64');
}

export interface IssuedChallenge {
  /** Base64 to send to the device as `data`. */
  readonly data: string;
  /** SHA-256 hex of the plaintext to keep server-side, or null for a decoy (store nothing). */
  readonly secretHash: string | null;
}

/**
 * Server side of `POST /auth/<kind>/login`: a real challenge for an RSA key, a decoy for no key
 * (unknown device) or an Ed25519 key. The plaintext never leaves this function; keep `secretHash`.
 */
export function issueChallenge(publicKey: PublicKeyInput | null | undefined): IssuedChallenge {
  if (publicKey == null || toPublicKeyObject(publicKey).asymmetricKeyType !== 'rsa') {
    return { data: createDecoyChallenge(), secretHash: null };
  }
  const text = createChallenge();
  return { data: encryptChallenge(publicKey, text), secretHash: hashSecret(text) };
}

/** SHA-256 of the UTF-8 text, lower-case hex (64 chars). What the server stores instead of the secret. */
export function hashSecret(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * Constant-time check that `candidate` hashes to `expectedHash` (as produced by hashSecret):
 * both sides are 32-byte digests compared with timingSafeEqual. Returns false (never throws) for a
 * malformed hash or a non-string candidate.
 */
export function secretMatches(expectedHash: string, candidate: string): boolean {
  if (typeof expectedHash !== 'string' || typeof candidate !== 'string') return false;
  if (!SHA256_HEX.test(expectedHash)) return false;
  const expected = Buffer.from(expectedHash, 'hex');
  const actual = createHash('sha256').update(candidate, 'utf8').digest();
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
