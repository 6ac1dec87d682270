import fc from 'fast-check';
import { decodeCursor, encodeCursor } from './cursor';
import { BUS_VALUE_NAME_PATTERN } from './dto/telemetry.dto';

const crafted = (key: unknown): string => Buffer.from(JSON.stringify(key)).toString('base64url');
const codeOf = (run: () => unknown): string | null => {
  try {
    run();
    return null;
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
};

const time = fc
  .date({
    min: new Date('0001-01-01T00:00:00.000Z'),
    max: new Date('9999-12-31T23:59:59.999Z'),
    noInvalidDate: true,
  })
  .map((date) => date.toISOString());
const int8 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String);
const busValueName = fc.stringMatching(BUS_VALUE_NAME_PATTERN);

describe('keyset cursors', () => {
  it('give back every key the API can write', () => {
    fc.assert(
      fc.property(time, int8, (at, index) => {
        expect(decodeCursor(encodeCursor([at, index]))).toEqual([at, index]);
      }),
    );
    fc.assert(
      fc.property(time, int8, busValueName, (at, index, name) => {
        expect(decodeCursor(encodeCursor([at, index, name]), true)).toEqual([at, index, name]);
      }),
    );
  });

  it.each([
    ['a day February does not have', ['2000-02-30T00:00:00.000Z', '1']],
    ['hour 24', ['2024-01-01T24:00:00.000Z', '1']],
    ['year 0, which Postgres does not have', ['0000-06-01T00:00:00.000Z', '1']],
    ['a time Postgres reads another way', ['2024', '1']],
    ['a six-digit year', ['+275760-09-13T00:00:00.000Z', '1']],
    ['an index beyond bigint', ['2024-01-01T00:00:00.000Z', '9223372036854775808']],
    ['a numeric index', ['2024-01-01T00:00:00.000Z', 1]],
    ['a name where none belongs', ['2024-01-01T00:00:00.000Z', '1', 'engineSpeed']],
    ['not an array', { time: '2024-01-01T00:00:00.000Z', index: '1' }],
  ])('refuse %s', (_, key) => {
    expect(codeOf(() => decodeCursor(crafted(key)))).toBe('INVALID_CURSOR');
  });

  it.each([
    ['U+0000 in the name', 'a\u0000b'],
    ['a name longer than the column', 'n'.repeat(65)],
    ['a name with a space', 'engine speed'],
  ])('refuse %s', (_, name) => {
    const key = ['2024-01-01T00:00:00.000Z', '1', name];
    expect(codeOf(() => decodeCursor(crafted(key), true))).toBe('INVALID_CURSOR');
  });

  it('refuse anything else with INVALID_CURSOR, never another error', () => {
    const part = fc.oneof(time, int8, fc.string(), fc.jsonValue({ maxDepth: 2 }));
    const anyCursor = fc.oneof(
      fc.string(),
      fc.array(part, { maxLength: 4 }).map(crafted),
      fc.jsonValue().map(crafted),
    );
    fc.assert(
      fc.property(anyCursor, fc.boolean(), (cursor, withName) => {
        const code = codeOf(() => decodeCursor(cursor, withName));
        if (code !== null) {
          expect(code).toBe('INVALID_CURSOR');
          return;
        }
        // accepted: exactly a key the API could have written, so Postgres takes it as it is
        const key = decodeCursor(cursor, withName) as readonly string[];
        expect(decodeCursor(encodeCursor(key as [string, string]), withName)).toEqual(key);
        expect(new Date(key[0] as string).toISOString()).toBe(key[0]);
      }),
      { numRuns: 2000 },
    );
  });
});
