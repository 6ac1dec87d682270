import { BUS_VALUE_NAME_PATTERN } from './dto/telemetry.dto';
import { telemetryError } from './telemetry.errors';

/**
 * Keyset cursors: the sort key of the last row of a page, opaque to clients (base64url JSON).
 * Telemetry pages on (event_time, record_index), CAN data on (event_time, record_index, name),
 * raw frames on (received_at, id): each unique per device, each backed by an index.
 */
export type CursorKey = readonly [time: string, index: string, name?: string];

/** How `Date.prototype.toISOString` writes the times this API puts in its cursors. */
const CURSOR_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const INT8_MIN = -(2n ** 63n);
const INT8_MAX = 2n ** 63n - 1n;

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/**
 * Only what {@link encodeCursor} can have written goes back to Postgres: a crafted cursor is a
 * 400 INVALID_CURSOR, never a query error. Times are checked by writing them again (V8 reads
 * 2000-02-30 as March 1st where Postgres refuses it; Postgres has no year 0), indexes against the
 * bigint range, names like the `name` filter.
 */
export function decodeCursor(cursor: string | undefined, withName = false): CursorKey | null {
  if (cursor === undefined) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = null;
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== (withName ? 3 : 2) ||
    !isCursorTime(parsed[0]) ||
    !isBigintText(parsed[1]) ||
    (withName && !(typeof parsed[2] === 'string' && BUS_VALUE_NAME_PATTERN.test(parsed[2])))
  ) {
    throw telemetryError('INVALID_CURSOR', 'cursor is not one this API returned');
  }
  return parsed as unknown as CursorKey;
}

function isCursorTime(value: unknown): value is string {
  if (typeof value !== 'string' || !CURSOR_TIME.test(value)) return false;
  const time = new Date(value);
  // 1 BC is year 0000 in ISO 8601
  return !value.startsWith('0000') && !Number.isNaN(time.getTime()) && time.toISOString() === value;
}

function isBigintText(value: unknown): value is string {
  if (typeof value !== 'string' || !/^-?\d{1,19}$/.test(value)) return false;
  const number = BigInt(value);
  return number >= INT8_MIN && number <= INT8_MAX;
}
