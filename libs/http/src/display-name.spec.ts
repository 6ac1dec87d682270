import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { DISPLAY_NAME_PATTERN, IsDisplayName, normalizeDisplayName } from './display-name';

class PlaceBody {
  @IsDisplayName(10)
  name!: string;

  @IsDisplayName(10, { optional: true })
  city?: string;
}

function validated(body: Record<string, unknown>): [string[], PlaceBody] {
  const instance = plainToInstance(PlaceBody, body);
  const messages = validateSync(instance).flatMap((error) =>
    Object.values(error.constraints ?? {}),
  );
  return [messages, instance];
}

describe('IsDisplayName', () => {
  it.each([
    ['Cafe', 'Cafe'],
    ['  Cafe \u00a0', 'Cafe'],
    ['\u200dCafe\u3000', 'Cafe'],
    ['Caf\u0065\u0301', 'Caf\u00e9'],
    ['Вагон 7', 'Вагон 7'],
    ['Cafe Royal', 'Cafe Royal'],
    ['👩\u200d💻', '👩\u200d💻'],
    ['می\u200cخواهم', 'می\u200cخواهم'],
  ])('stores %p as %p', (sent, stored) => {
    const [messages, body] = validated({ name: sent });
    expect([messages, body.name]).toEqual([[], stored]);
  });

  it.each([
    ['', 'name must not be blank'],
    ['   ', 'name must not be blank'],
    ['\u200d\u00a0', 'name must not be blank'],
    [
      'Cafe\n',
      'name must not contain control, line-break, bidirectional-control or invisible characters',
    ],
    [
      'Ca\tfe',
      'name must not contain control, line-break, bidirectional-control or invisible characters',
    ],
    [
      'Ca\u200bfe',
      'name must not contain control, line-break, bidirectional-control or invisible characters',
    ],
    [
      '\u202eefaC',
      'name must not contain control, line-break, bidirectional-control or invisible characters',
    ],
    [
      '\u2066Cafe\u2069',
      'name must not contain control, line-break, bidirectional-control or invisible characters',
    ],
    [
      '\ufeffCafe',
      'name must not contain control, line-break, bidirectional-control or invisible characters',
    ],
    [
      '\u3164',
      'name must not contain control, line-break, bidirectional-control or invisible characters',
    ],
    ['Cafe Royal ', 'name must be at most 10 characters long'],
    [42, 'name must be a string'],
    [null, 'name must be a string'],
  ])('refuses %p: %s', (sent, message) => {
    expect(validated({ name: sent })[0]).toEqual([message]);
  });

  it('leaves an optional name out, and checks it when sent', () => {
    expect(validated({ name: 'Cafe' })[0]).toEqual([]);
    expect(validated({ name: 'Cafe', city: ' ' })[0]).toEqual(['city must not be blank']);
  });

  it('applies the length limit to what was sent, as the documented maxLength does', () => {
    // 10 characters of which 2 are spaces: within the limit, stored without them
    expect(validated({ name: ' Cafe Roy ' })).toEqual([
      [],
      expect.objectContaining({ name: 'Cafe Roy' }),
    ]);
    // 11 characters sent: refused even though trimming would bring it within the limit
    expect(validated({ name: 'Cafe Royal ' })[0]).toHaveLength(1);
  });

  it('counts characters as the document does (code points): 10 emoji are 10, not 20', () => {
    expect(validated({ name: '🚆'.repeat(10) })[0]).toEqual([]);
    expect(validated({ name: '🚆'.repeat(11) })[0]).toEqual([
      'name must be at most 10 characters long',
    ]);
  });

  it('keeps a composition exclusion as sent where NFC would lengthen it', () => {
    // U+0958 (DEVANAGARI LETTER QA) decomposes under NFC into two code points
    expect(normalizeDisplayName('\u0958'.repeat(10), 10)).toBe('\u0958'.repeat(10));
  });

  it('documents exactly what it accepts: the pattern holds for a sent value iff it is valid', () => {
    const samples = [
      'Cafe',
      ' ',
      '\u200d',
      'a\u200bb',
      ' x ',
      '\u00a0\u2003y',
      'x\u202e',
      '\u2028',
    ];
    for (const sample of samples) {
      const accepted = validated({ name: sample })[0].length === 0;
      expect([sample, DISPLAY_NAME_PATTERN.test(sample)]).toEqual([sample, accepted]);
    }
  });
});
