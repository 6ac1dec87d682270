import { validateSync } from 'class-validator';
import fc from 'fast-check';
import { IsDateTime } from './date-time';

class Window {
  @IsDateTime()
  from!: unknown;
}

const accepts = (value: unknown): boolean =>
  validateSync(Object.assign(new Window(), { from: value })).length === 0;

describe('IsDateTime', () => {
  it.each([
    '2026-12-04T10:00:00Z',
    '2026-12-04T10:00:00.123456Z',
    '2026-12-04T10:00:00+03:00',
    '2024-02-29T23:59:59-12:00',
    '0001-01-01T00:00:00Z',
  ])('accepts %s', (value) => {
    expect(accepts(value)).toBe(true);
  });

  it.each([
    ['a bare date', '2026-12-04'],
    ['the basic format', '20261204T100000Z'],
    ['a week date', '2026-W49-5'],
    ['an ordinal date', '2026-338'],
    ['no offset', '2026-12-04T10:00:00'],
    ['February 30', '2026-02-30T00:00:00Z'],
    ['a 29 February of a common year', '2025-02-29T00:00:00Z'],
    ['hour 24', '2026-12-04T24:00:00Z'],
    ['second 60', '2026-12-04T10:00:60Z'],
    ['year 0, which Postgres does not have', '0000-06-01T00:00:00Z'],
    ['a six-digit year', '+275760-09-13T00:00:00Z'],
    ['a number', 1_764_842_400_000],
    ['words', 'yesterday'],
  ])('refuses %s', (_, value) => {
    expect(accepts(value)).toBe(false);
  });

  it('accepts every instant as Date writes it, and refuses it cut short', () => {
    const instant = fc.date({
      min: new Date('0001-01-01T00:00:00Z'),
      max: new Date('9999-12-31T23:59:59.999Z'),
      noInvalidDate: true,
    });
    fc.assert(
      fc.property(instant, (date) => {
        const text = date.toISOString();
        expect(accepts(text)).toBe(true);
        expect(accepts(text.slice(0, 10))).toBe(false);
      }),
    );
  });
});
