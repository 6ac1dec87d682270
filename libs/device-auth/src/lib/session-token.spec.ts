import { createHash } from 'node:crypto';
import {
  SESSION_TOKEN_BYTES,
  createSessionToken,
  hashSessionToken,
  isWellFormedSessionToken,
} from './session-token';

describe('session tokens', () => {
  it('are 256 random bits, base64url (43 chars)', () => {
    const token = createSessionToken();
    expect(SESSION_TOKEN_BYTES).toBe(32);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(new Set(Array.from({ length: 1000 }, createSessionToken)).size).toBe(1000);
  });

  it('hash to lower-case SHA-256 hex, deterministically', () => {
    const token = createSessionToken();
    expect(hashSessionToken(token)).toBe(createHash('sha256').update(token).digest('hex'));
    expect(hashSessionToken(token)).toBe(hashSessionToken(token));
    expect(hashSessionToken(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashSessionToken(token)).not.toBe(hashSessionToken(createSessionToken()));
  });

  it.each<[string, unknown, boolean]>([
    ['a fresh token', createSessionToken(), true],
    ['a seed uuid4 token', '0b6f8a54-1b3e-4a2f-8f7c-5d2e9a1c3b4d', false],
    ['42 chars', 'A'.repeat(42), false],
    ['44 chars', 'A'.repeat(44), false],
    ['base64 (not url) alphabet', `${'A'.repeat(42)}+`, false],
    ['padding', `${'A'.repeat(42)}=`, false],
    ['whitespace', ` ${'A'.repeat(42)}`, false],
    ['a non-string', 42, false],
  ])('isWellFormedSessionToken: %s → %s', (_name, token, expected) => {
    expect(isWellFormedSessionToken(token)).toBe(expected);
  });
});
