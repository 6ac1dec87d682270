import { dateErrors } from './date.errors';

/**
 * Dates and times on the wire. Departures are instants: `2026-11-22T09:00:00+03:00` and
 * `2026-11-22T06:00:00Z` are the same departure (the seed compared the text-level values and
 * missed). A date-time without an offset is read in the railway's time zone, Moscow, which is what
 * a person at a station means by it.
 */
export const RAILWAY_TIME_ZONE = 'Europe/Moscow';

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?$/;
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

const MIN_YEAR = 1970;
const MAX_YEAR = 9999;
/** Years MIN_YEAR..MAX_YEAR at the start of a date or date-time, as the OpenAPI document says. */
export const YEARS_PATTERN = '^(19[7-9][0-9]|[2-9][0-9]{3})-';

/** Calendar fields of an instant as seen on a wall clock somewhere. */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** Parses an ISO-8601 date-time; null when it is not one (or names an impossible date). */
export function parseInstant(text: string): Date | null {
  const match = DATE_TIME.exec(text);
  if (!match) {
    return null;
  }
  const [, y, mo, d, h, mi, s, fraction, zulu, sign, offsetHours, offsetMinutes] = match;
  const wall: WallClock = {
    year: Number(y),
    month: Number(mo),
    day: Number(d),
    hour: Number(h),
    minute: Number(mi),
    second: Number(s ?? '0'),
  };
  if (!isValidWallClock(wall)) {
    return null;
  }
  const millis = fraction ? Math.floor(Number(`0.${fraction}`) * 1000) : 0;
  const asUtc = utcMillisOf(wall) + millis;
  if (zulu) {
    return new Date(asUtc);
  }
  if (sign) {
    const hours = Number(offsetHours);
    const minutes = Number(offsetMinutes ?? '0');
    if (hours > 23 || minutes > 59) {
      return null;
    }
    const offset = (sign === '-' ? -1 : 1) * (hours * 60 + minutes) * 60_000;
    return withinYears(new Date(asUtc - offset));
  }
  return new Date(zonedWallClockToUtc(asUtc, RAILWAY_TIME_ZONE));
}

/**
 * Null for an instant past the year 9999 in UTC (`9999-12-31T23:00:00-05:00`): its ISO string,
 * `+010000-…`, is not the `date-time` the answers promise.
 */
function withinYears(instant: Date): Date | null {
  return instant.getUTCFullYear() > MAX_YEAR ? null : instant;
}

/** Parses a date-time or throws a 400: for values a DTO has already validated. */
export function toInstant(text: string, field: string): Date {
  const instant = parseInstant(text);
  if (!instant) {
    throw dateErrors.invalidDateTime(field);
  }
  return instant;
}

/**
 * A train's departure day as `YYYY-MM-DD`: a bare date is taken as it is; a date-time gives the
 * Moscow calendar day of its instant (`2026-11-22T23:30:00Z` is 02:30 on 23 November in Moscow,
 * so the 23rd). Null when the text is neither.
 */
export function parseTrainDate(text: string): string | null {
  const dateOnly = DATE_ONLY.exec(text);
  if (dateOnly) {
    const [, y, mo, d] = dateOnly;
    const wall = {
      year: Number(y),
      month: Number(mo),
      day: Number(d),
      hour: 0,
      minute: 0,
      second: 0,
    };
    return isValidWallClock(wall) ? text : null;
  }
  const instant = parseInstant(text);
  if (!instant) {
    return null;
  }
  const { year, month, day } = wallClockIn(instant, RAILWAY_TIME_ZONE);
  if (year > MAX_YEAR) {
    return null;
  }
  return `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}`;
}

export function toTrainDate(text: string, field: string): string {
  const date = parseTrainDate(text);
  if (!date) {
    throw dateErrors.invalidDate(field);
  }
  return date;
}

/** The wall clock of `instant` in `timeZone` (IANA name). */
export function wallClockIn(instant: Date, timeZone: string): WallClock {
  const parts = formatterFor(timeZone).formatToParts(instant);
  const field = (type: Intl.DateTimeFormatPartTypes): number =>
    Number(parts.find((part) => part.type === type)?.value);
  return {
    year: field('year'),
    month: field('month'),
    day: field('day'),
    hour: field('hour'),
    minute: field('minute'),
    second: field('second'),
  };
}

/** Moscow wall clock of an instant; Moscow has kept UTC+3 all year round since 2014. */
export function moscowWallClock(instant: Date): WallClock {
  return wallClockIn(instant, RAILWAY_TIME_ZONE);
}

/** The instant at which a Moscow wall clock shows the given fields. */
export function moscowInstant(wall: WallClock): Date {
  return new Date(zonedWallClockToUtc(utcMillisOf(wall), RAILWAY_TIME_ZONE));
}

function isValidWallClock(wall: WallClock): boolean {
  if (wall.year < MIN_YEAR || wall.year > MAX_YEAR) return false;
  if (wall.month < 1 || wall.month > 12) return false;
  if (wall.hour > 23 || wall.minute > 59 || wall.second > 59) return false;
  // Day within the month: Date.UTC rolls 31 April over to 1 May, which the round trip catches.
  const probe = new Date(utcMillisOf(wall));
  return wall.day >= 1 && probe.getUTCDate() === wall.day && probe.getUTCMonth() + 1 === wall.month;
}

function utcMillisOf(wall: WallClock): number {
  const date = new Date(0);
  date.setUTCFullYear(wall.year, wall.month - 1, wall.day);
  date.setUTCHours(wall.hour, wall.minute, wall.second, 0);
  return date.getTime();
}

/** Offset of `timeZone` from UTC at an instant, in milliseconds. */
function offsetAt(instantMillis: number, timeZone: string): number {
  const wall = wallClockIn(new Date(instantMillis), timeZone);
  const wholeSeconds = Math.floor(instantMillis / 1000) * 1000;
  return utcMillisOf(wall) - wholeSeconds;
}

/** `wallAsUtc` is the wall clock's fields read as if they were UTC; returns the real instant. */
function zonedWallClockToUtc(wallAsUtc: number, timeZone: string): number {
  const first = wallAsUtc - offsetAt(wallAsUtc, timeZone);
  const second = wallAsUtc - offsetAt(first, timeZone);
  return second;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

function pad2(value: number): string {
  return String(value).padStart(2, '0');
}
