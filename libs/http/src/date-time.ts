import { buildMessage, ValidateBy, type ValidationOptions } from 'class-validator';

/** RFC 3339 §5.6 `date-time`, with the year, month and day captured for the calendar check. */
const RFC3339_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt]([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)$/;

/** Whether `value` is an RFC 3339 date-time on a day the calendar has, from year 1 (see below). */
export function isDateTime(value: unknown): value is string {
  const match = typeof value === 'string' ? RFC3339_DATE_TIME.exec(value) : null;
  if (!match) return false;
  const [year, month, day] = match.slice(1, 4).map(Number) as [number, number, number];
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day); // Date.UTC would read years below 100 as 19xx
  return (
    year >= 1 &&
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day
  );
}

/**
 * An RFC 3339 date-time, what OpenAPI's `format: date-time` means (`2026-12-04T10:00:00Z`,
 * `...+03:00`, fractions allowed). ISO 8601's other forms (a bare date, week and ordinal dates,
 * the basic format) are refused, and so are 2026-02-30 (which `Date` would quietly move to March),
 * a leap second and year 0 (Postgres has none). Documented as `format: date-time` by the runtime.
 */
export function IsDateTime(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isDateTime',
      validator: {
        validate: isDateTime,
        defaultMessage: buildMessage(
          (each) => `${each}$property must be an RFC 3339 date-time, e.g. 2026-12-04T10:00:00Z`,
          options,
        ),
      },
    },
    options,
  );
}
