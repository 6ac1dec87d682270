import { hashCardKey, normaliseCardKey } from './auth-card';

const SECRET = 'a-test-secret-of-at-least-32-characters';

describe('auth card keys', () => {
  it.each([
    ['0xDE 0xAD 0xBE 0xEF', '0xDE 0xAD 0xBE 0xEF'],
    ['  0xde  0xad\t0xbe 0xef  ', '0xDE 0xAD 0xBE 0xEF'],
    ['0x0A 0x5 0x00 0xFF', '0xA 0x5 0x0 0xFF'],
    ['0xa 0x05', '0xA 0x5'],
    ['card-42', 'CARD-42'],
    ['   ', ''],
  ])('normalises %p to %p', (key, normalised) => {
    expect(normaliseCardKey(key)).toBe(normalised);
  });

  it('hashes the same card to the same value whatever the spelling', () => {
    expect(hashCardKey(SECRET, '0xde 0x0a')).toBe(hashCardKey(SECRET, '0xDE   0xA'));
    expect(hashCardKey(SECRET, '0xDE 0xAD')).not.toBe(hashCardKey(SECRET, '0xAD 0xDE'));
    expect(hashCardKey(SECRET, '0xDE 0xAD')).toMatch(/^[0-9a-f]{64}$/);
  });
  it('depends on the server secret', () => {
    expect(hashCardKey(SECRET, '0xDE 0xAD')).not.toBe(hashCardKey(`${SECRET}-other`, '0xDE 0xAD'));
  });
});
