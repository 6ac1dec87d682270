import { createHash, randomBytes } from 'node:crypto';

/**
 * Opaque bearer session tokens. The server stores only hashSessionToken(token), so a Redis dump
 * does not yield usable tokens.
 */

export const SESSION_TOKEN_BYTES = 32;
const SESSION_TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** 256 random bits, base64url without padding (43 chars). */
export function createSessionToken(): string {
  return randomBytes(SESSION_TOKEN_BYTES).toString('base64url');
}

/** True when `token` has the shape createSessionToken() produces (check before touching Redis). */
export function isWellFormedSessionToken(token: unknown): token is string {
  return typeof token === 'string' && SESSION_TOKEN_SHAPE.test(token);
}

/** SHA-256 of the token, lower-case hex: the server-side lookup key. */
export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
