import { IDEMPOTENCY_KEY_MAX, idempotencyKeyOf } from './idempotency-key';

class InvalidKey extends Error {}

describe('idempotencyKeyOf', () => {
  it.each<[string | string[] | undefined, string | undefined | 'invalid']>([
    [undefined, undefined],
    ['k', 'k'],
    ['3f2b8c1e-4d5a-4b6c-8d7e-9f0a1b2c3d4e', '3f2b8c1e-4d5a-4b6c-8d7e-9f0a1b2c3d4e'],
    ['x'.repeat(IDEMPOTENCY_KEY_MAX), 'x'.repeat(IDEMPOTENCY_KEY_MAX)],
    ['', 'invalid'],
    ['x'.repeat(IDEMPOTENCY_KEY_MAX + 1), 'invalid'],
    ['has space', 'invalid'],
    ['ключ', 'invalid'],
    [['a', 'b'], 'invalid'],
  ])('%j → %s', (header, expected) => {
    const read = () => idempotencyKeyOf(header, () => new InvalidKey());
    if (expected === 'invalid') expect(read).toThrow(InvalidKey);
    else expect(read()).toBe(expected);
  });
});
