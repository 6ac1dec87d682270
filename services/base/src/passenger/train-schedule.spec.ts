import { DomainError } from '@platform/errors';
import { parseInstant } from '../common/instant';
import { scheduledDeparture, type Station } from './train-schedule';

function departureOf(station: Station, text: string) {
  const requested = parseInstant(text);
  if (!requested) throw new Error(`bad fixture ${text}`);
  const { trainNumber, departureAt } = scheduledDeparture(station, requested);
  return [trainNumber, departureAt.toISOString()];
}

describe('scheduledDeparture (the hour → train rule, Moscow time)', () => {
  it.each([
    ['MOSCOW', '2026-11-22T05:00:00+03:00', 1012, '2026-11-22T02:00:00.000Z'],
    ['MOSCOW', '2026-11-22T09:00:00+03:00', 1013, '2026-11-22T06:00:00.000Z'],
    ['MOSCOW', '2026-11-22T13:00:00+03:00', 1014, '2026-11-22T10:00:00.000Z'],
    ['MOSCOW', '2026-11-22T17:00:00+03:00', 1015, '2026-11-22T14:00:00.000Z'],
    ['SPB', '2026-11-22T05:00:00+03:00', 2012, '2026-11-22T02:00:00.000Z'],
    ['SPB', '2026-11-22T09:00:00+03:00', 2013, '2026-11-22T06:00:00.000Z'],
    ['SPB', '2026-11-22T13:00:00+03:00', 2014, '2026-11-22T10:00:00.000Z'],
    ['SPB', '2026-11-22T17:00:00+03:00', 2015, '2026-11-22T14:00:00.000Z'],
  ] as const)('%s at %s is train %i', (station, text, train, departure) => {
    expect(departureOf(station, text)).toEqual([train, departure]);
  });

  it.each([
    ['2026-11-22T06:00:00Z'],
    ['2026-11-22T09:00:00+03:00'],
    ['2026-11-22T10:00:00+04:00'],
    ['2026-11-22T01:00:00-05:00'],
    ['2026-11-22T11:30:00+05:30'],
    // No offset: Moscow time.
    ['2026-11-22T09:00:00'],
  ])('reads the hour on a Moscow clock whatever the offset: %s is the 09:00 train', (text) => {
    expect(departureOf('MOSCOW', text)).toEqual([1013, '2026-11-22T06:00:00.000Z']);
  });

  it('is the same in summer and winter (Moscow keeps UTC+3, no DST)', () => {
    expect(departureOf('MOSCOW', '2026-01-10T06:00:00Z')).toEqual([
      1013,
      '2026-01-10T06:00:00.000Z',
    ]);
    expect(departureOf('MOSCOW', '2026-07-10T06:00:00Z')).toEqual([
      1013,
      '2026-07-10T06:00:00.000Z',
    ]);
    // 09:00 in Berlin summer time is 07:00Z = 10:00 Moscow: no train.
    expect(() => departureOf('MOSCOW', '2026-07-10T09:00:00+02:00')).toThrow(DomainError);
  });

  it('rounds a time within the hour down to the departure', () => {
    expect(departureOf('SPB', '2026-11-22T13:59:59+03:00')).toEqual([
      2014,
      '2026-11-22T10:00:00.000Z',
    ]);
    expect(departureOf('SPB', '2026-11-22T13:00:00.999+03:00')).toEqual([
      2014,
      '2026-11-22T10:00:00.000Z',
    ]);
  });

  it('takes the Moscow calendar day of the departure', () => {
    // 02:00Z on the 23rd is 05:00 on the 23rd in Moscow; 21:00Z on the 22nd is midnight on the 23rd.
    expect(departureOf('MOSCOW', '2026-11-23T02:00:00Z')).toEqual([
      1012,
      '2026-11-23T02:00:00.000Z',
    ]);
  });

  it.each([
    '2026-11-22T00:00:00+03:00',
    '2026-11-22T04:59:59+03:00',
    '2026-11-22T06:00:00+03:00',
    '2026-11-22T12:00:00+03:00',
    '2026-11-22T18:00:00+03:00',
    '2026-11-22T23:00:00+03:00',
    // 09:00 in the client's own offset is not 09:00 in Moscow.
    '2026-11-22T09:00:00Z',
    '2026-11-22T09:00:00+05:00',
  ])('refuses %s with 400 INVALID_TIME', (text) => {
    let error: unknown;
    try {
      departureOf('MOSCOW', text);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('INVALID_TIME');
    expect((error as DomainError).kind).toBe('invalid_input');
  });
});
