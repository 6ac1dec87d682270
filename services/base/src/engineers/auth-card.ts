import { createHash } from 'node:crypto';

/**
 * An RFID card key as the robot's reader prints it, e.g. `0xDE 0xAD 0xBE 0xEF` (hex bytes, not
 * zero-padded, space separated). Normalised so the same card always gives the same key: white
 * space collapsed, hex bytes written by value in upper case (`0x0a` → `0xA`), anything else upper
 * case. Empty when the key is blank.
 */
export function normaliseCardKey(key: string): string {
  return key
    .trim()
    .split(/\s+/)
    .filter((token) => token.length > 0)
    .map((token) =>
      /^0x[0-9a-f]+$/i.test(token)
        ? `0x${BigInt(token).toString(16).toUpperCase()}`
        : token.toUpperCase(),
    )
    .join(' ');
}

/**
 * SHA-256 (hex) of the normalised key: the UID is never stored. A 4-byte UID has only 2^32
 * values, so this hides it from a casual reader of the table but not from brute force; an HMAC
 * keyed by a server secret would, once the platform has a secret store for base.
 */
export function hashCardKey(key: string): string {
  return createHash('sha256').update(normaliseCardKey(key), 'utf8').digest('hex');
}
