import { DomainError } from '@platform/errors';
import {
  moscowInstant,
  moscowWallClock,
  parseInstant,
  parseTrainDate,
  toInstant,
  toTrainDate,
} from './instant';

describe('parseInstant', () => {
  it.each([
    ['2026-11-22T06:00:00Z', '2026-11-22T06:00:00.000Z'],
    ['2026-11-22T09:00:00+03:00', '2026-11-22T06:00:00.000Z'],
    ['2026-11-22T09:00:00+0300', '2026-11-22T06:00:00.000Z'],
    ['2026-11-22T09:00+03', '2026-11-22T06:00:00.000Z'],
    ['2026-11-22T01:00:00-05:00', '2026-11-22T06:00:00.000Z'],
    ['2026-11-22 06:00:00.250Z', '2026-11-22T06:00:00.250Z'],
    ['2026-11-22T06:00:00.123456789Z', '2026-11-22T06:00:00.123Z'],
    // Without an offset: Moscow wall-clock time (UTC+3 all year), summer and winter alike.
    ['2026-11-22T09:00:00', '2026-11-22T06:00:00.000Z'],
    ['2026-07-01T09:00:00', '2026-07-01T06:00:00.000Z'],
    ['2028-02-29T00:30', '2028-02-28T21:30:00.000Z'],
  ])('reads %s as %s', (text, iso) => {
    expect(parseInstant(text)?.toISOString()).toBe(iso);
  });

  it('reads naive times before 2014 with the Moscow offset of the day (UTC+4 then)', () => {
    expect(parseInstant('2012-01-10T09:00:00')?.toISOString()).toBe('2012-01-10T05:00:00.000Z');
  });

  it.each([
    '',
    '2026-11-22',
    'tomorrow',
    '2026-13-01T00:00:00Z',
    '2026-02-30T00:00:00Z',
    '2026-04-31T00:00:00Z',
    '2026-11-22T24:00:00Z',
    '2026-11-22T09:60:00Z',
    '2026-11-22T09:00:61Z',
    '2026-11-22T09:00:00+25:00',
    '2026-11-22T09:00:00+03:75',
    '0001-01-01T00:00:00Z',
    '12026-11-22T09:00:00Z',
    // An offset that carries the instant past 9999 (its ISO string would read "+010000-…").
    '9999-12-31T23:00:00-23:59',
    ' 2026-11-22T09:00:00Z',
    '2026-11-22T09:00:00Z; DROP TABLE tickets',
  ])('refuses %p', (text) => {
    expect(parseInstant(text)).toBeNull();
  });

  it('throws a 400 domain error from toInstant', () => {
    expect(() => toInstant('nope', 'date')).toThrow(DomainError);
    expect(toInstant('2026-11-22T06:00:00Z', 'date').toISOString()).toBe(
      '2026-11-22T06:00:00.000Z',
    );
  });
});

describe('parseTrainDate', () => {
  it.each([
    ['2026-11-22', '2026-11-22'],
    ['2026-11-22T09:00:00+03:00', '2026-11-22'],
    ['2026-11-22T00:30:00+03:00', '2026-11-22'],
    // 23:30 UTC is already 02:30 the next day in Moscow.
    ['2026-11-22T23:30:00Z', '2026-11-23'],
    ['2026-11-22T20:59:59Z', '2026-11-22'],
    ['2026-11-22T21:00:00Z', '2026-11-23'],
    ['9999-12-31T20:59:59Z', '9999-12-31'],
  ])('reads %s as the train of %s', (text, date) => {
    expect(parseTrainDate(text)).toBe(date);
  });

  it.each([
    '2026-02-30',
    '2026-11',
    'x',
    '2026-11-22T25:00:00Z',
    // Already 1 January 10000 in Moscow.
    '9999-12-31T22:00:00Z',
  ])('refuses %p', (text) => {
    expect(parseTrainDate(text)).toBeNull();
  });

  it('throws a 400 domain error from toTrainDate', () => {
    expect(() => toTrainDate('2026-02-30', 'train_date')).toThrow(DomainError);
  });
});

describe('Moscow wall clock', () => {
  it('is UTC+3 in winter and in summer', () => {
    expect(moscowWallClock(new Date('2026-01-15T06:00:00Z')).hour).toBe(9);
    expect(moscowWallClock(new Date('2026-07-15T06:00:00Z')).hour).toBe(9);
  });

  it('round-trips a wall clock to an instant', () => {
    const wall = { year: 2026, month: 11, day: 22, hour: 13, minute: 0, second: 0 };
    const instant = moscowInstant(wall);
    expect(instant.toISOString()).toBe('2026-11-22T10:00:00.000Z');
    expect(moscowWallClock(instant)).toEqual(wall);
  });
});
