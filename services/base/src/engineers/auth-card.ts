import { createHmac } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { BaseConfig } from '../config/service.config';

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

/** HMAC-SHA-256 (hex) of the normalised key under a secret; the UID itself is never stored. */
export function hashCardKey(secret: string, key: string): string {
  return createHmac('sha256', secret).update(normaliseCardKey(key), 'utf8').digest('hex');
}

/**
 * Card keys are hashed with a server secret (AUTH_CARD_SECRET) because a 4-byte UID has only
 * 2^32 values: a plain hash in a leaked table would give every UID back in seconds.
 */
@Injectable()
export class CardKeyHasher {
  constructor(private readonly config: BaseConfig) {}

  hash(key: string): string {
    return hashCardKey(this.config.authCardSecret, key);
  }
}
