import { telemetryError } from './telemetry.errors';

/**
 * Keyset cursors: the sort key of the last row of a page, opaque to clients (base64url JSON).
 * Telemetry pages on (event_time, record_index), CAN data on (event_time, record_index, name),
 * raw frames on (received_at, id): each unique per device, each backed by an index.
 */
export type CursorKey = readonly [time: string, index: string, name?: string];

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(cursor: string | undefined, withName = false): CursorKey | null {
  if (cursor === undefined) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = null;
  }
  const length = withName ? 3 : 2;
  if (
    !Array.isArray(parsed) ||
    parsed.length !== length ||
    typeof parsed[0] !== 'string' ||
    Number.isNaN(Date.parse(parsed[0])) ||
    typeof parsed[1] !== 'string' ||
    !/^-?\d{1,19}$/.test(parsed[1]) ||
    (withName && (typeof parsed[2] !== 'string' || parsed[2].length > 64))
  ) {
    throw telemetryError('INVALID_CURSOR', 'cursor is not one this API returned');
  }
  return parsed as unknown as CursorKey;
}
