import { decodeCanFrame, type CanFrameDecoding } from './can-frame';
import { NavtelecomProtocolError } from './errors';
import { emptyTelemetryRecord, type TelemetryRecord } from './telemetry-record';

/**
 * The design note's text format (spec §11.1), still spoken by the existing test clients; real
 * devices never send it. One frame = `~` + content + `~`:
 *   ~A{IMEI},{unix s},{lat °},{lon °},{speed km/h},{course °},{satellites}[,{hdop}]~
 *   ~T{IMEI},{can id hex},{b1 hex},…,{b8 hex}~   (~X: same, extended identifier)
 *   ~E{IMEI},{event type},{unix s},{description, may contain commas}~
 *   ~KA,{IMEI},OK~ keep-alive
 * Accepted frames are acknowledged `~{type}ACK,{IMEI}~`; keep-alives are not.
 */
export const TEXT_FRAME_DELIMITER = 0x7e;
export const TEXT_MAX_FRAME_BYTES = 512;

export type TextFrame =
  | { readonly type: 'position'; readonly imei: string; readonly record: TelemetryRecord }
  | {
      readonly type: 'can';
      readonly frameType: 'T' | 'X';
      readonly imei: string;
      readonly can: CanFrameDecoding;
    }
  | {
      readonly type: 'event';
      readonly imei: string;
      readonly eventType: string;
      readonly eventTime: Date;
      readonly description: string;
    }
  | { readonly type: 'keep-alive'; readonly imei: string };

const IMEI = /^\d{15}$/;
/** What the test clients' number formatting writes: `5`, `-5.5`, `.5`, `5.`, `5.5e1`. */
const DECIMAL = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;
const HEX_ID = /^(0x)?[0-9a-f]{1,8}$/i;
const HEX_BYTE = /^(0x)?[0-9a-f]{1,2}$/i;
/** Printable ASCII, and in an event description printable Unicode (the clients send UTF-8). */
const PRINTABLE = /^[\x20-\x7d\u00a0-\uffff]*$/;

const fail = (message: string): never => {
  throw new NavtelecomProtocolError('text-malformed', message);
};

function imeiOf(text: string): string {
  const imei = text.trim();
  if (!IMEI.test(imei)) fail(`IMEI must be 15 digits, got "${text}"`);
  return imei;
}

function decimal(text: string | undefined, what: string, min: number, max: number): number {
  if (text === undefined || !DECIMAL.test(text.trim())) fail(`${what} is not a number: "${text}"`);
  // DECIMAL admits only finite numbers; Number() ignores the spaces around them
  const value = Number(text);
  if (value < min || value > max) fail(`${what} ${value} outside ${min}…${max}`);
  return value;
}

/** A short ASCII word or number (stored in 32 characters). */
function eventTypeOf(text: string | undefined): string {
  const eventType = text?.trim() ?? '';
  if (!/^[\x20-\x7d]{1,32}$/.test(eventType)) fail('event type must be 1-32 ASCII characters');
  return eventType;
}

/** Unix seconds (fractions allowed) → Date. */
function unixTime(text: string | undefined): Date {
  return new Date(decimal(text, 'timestamp', 0, 0xffffffff) * 1000);
}

/**
 * Parses the content between the two `~` (decoded as UTF-8). Throws NavtelecomProtocolError
 * `text-malformed`. Spaces around fields are ignored; characters beyond ASCII can only be part of
 * an event description, every other field is checked against its ASCII syntax.
 */
export function parseTextFrame(content: string): TextFrame {
  if (!PRINTABLE.test(content)) fail('text frame contains non-printable characters');
  if (content.startsWith('KA,')) {
    const [, imei, status] = content.split(',');
    if (status !== 'OK') fail('keep-alive must end with ",OK"');
    return { type: 'keep-alive', imei: imeiOf(imei ?? '') };
  }
  const frameType = content[0];
  const parts = content.slice(1).split(',');
  const imei = imeiOf(parts[0]);
  switch (frameType) {
    case 'A':
      return { type: 'position', imei, record: parsePosition(parts, Buffer.from(`~${content}~`)) };
    case 'T':
    case 'X':
      return { type: 'can', frameType, imei, can: parseCan(frameType, parts) };
    case 'E':
      if (parts.length < 4) fail('~E needs IMEI, event type, timestamp and description');
      return {
        type: 'event',
        imei,
        eventType: eventTypeOf(parts[1]),
        eventTime: unixTime(parts[2]),
        description: parts.slice(3).join(','),
      };
    default:
      return fail(`unknown text frame type "${frameType ?? ''}"`);
  }
}

function parsePosition(parts: readonly string[], raw: Buffer): TelemetryRecord {
  if (parts.length < 7 || parts.length > 8) {
    fail('~A needs IMEI, timestamp, lat, lon, speed, course, satellites[, hdop]');
  }
  const time = unixTime(parts[1]);
  const satellites = decimal(parts[6], 'satellites', 0, 255);
  if (!Number.isInteger(satellites)) fail('satellites must be an integer');
  return {
    ...emptyTelemetryRecord('text', raw),
    eventTime: time,
    fixTime: time,
    latitude: decimal(parts[2], 'latitude', -90, 90),
    longitude: decimal(parts[3], 'longitude', -180, 180),
    speedKmh: decimal(parts[4], 'speed', 0, 1000),
    course: decimal(parts[5], 'course', 0, 360),
    satellites,
    hdop: parts[7] === undefined || parts[7] === '' ? null : decimal(parts[7], 'hdop', 0, 100),
  };
}

function parseCan(frameType: 'T' | 'X', parts: readonly string[]): CanFrameDecoding {
  const [, idField, ...byteFields] = parts;
  const idText = idField?.trim();
  if (idText === undefined || !HEX_ID.test(idText)) fail(`CAN id is not hex: "${idField}"`);
  if (byteFields.length > 8) fail('a CAN frame carries at most 8 data bytes');
  const data = byteFields.map((field) => {
    const text = field.trim();
    if (!HEX_BYTE.test(text)) fail(`CAN data byte is not hex: "${field}"`);
    return parseInt(text.replace(/^0x/i, ''), 16);
  });
  const canId = parseInt(idText.replace(/^0x/i, ''), 16);
  const extended = frameType === 'X' || canId > 0x7ff;
  if (canId > 0x1fffffff) fail(`CAN id 0x${idText} does not fit 29 bits`);
  return decodeCanFrame(canId, Buffer.from(data), extended);
}

const frameTypeOf = (frame: TextFrame): string => {
  switch (frame.type) {
    case 'position':
      return 'A';
    case 'can':
      return frame.frameType;
    case 'event':
      return 'E';
    case 'keep-alive':
      return 'KA';
  }
};

/** `~{type}ACK,{IMEI}~` for accepted frames; null for keep-alives. */
export function textFrameAck(frame: TextFrame): Buffer | null {
  if (frame.type === 'keep-alive') return null;
  return Buffer.from(`~${frameTypeOf(frame)}ACK,${frame.imei}~`, 'latin1');
}

export interface TextPositionInput {
  readonly imei: string;
  readonly time: Date;
  readonly latitude: number;
  readonly longitude: number;
  readonly speedKmh: number;
  readonly course: number;
  readonly satellites: number;
  readonly hdop?: number;
}

/** A decimal without an exponent (`1e-7` would be refused), at most 7 decimals. */
const plainDecimal = (value: number): string => value.toFixed(7).replace(/\.?0+$/, '');

export function encodeTextPosition(input: TextPositionInput): Buffer {
  const fields = [
    input.imei,
    plainDecimal(input.time.getTime() / 1000),
    plainDecimal(input.latitude),
    plainDecimal(input.longitude),
    input.speedKmh.toFixed(1),
    input.course.toFixed(1),
    input.satellites,
    ...(input.hdop === undefined ? [] : [input.hdop.toFixed(1)]),
  ];
  return Buffer.from(`~A${fields.join(',')}~`, 'latin1');
}

export function encodeTextCan(
  frameType: 'T' | 'X',
  imei: string,
  canId: number,
  data: Uint8Array,
): Buffer {
  const bytes = Array.from(data, (byte) => byte.toString(16).toUpperCase().padStart(2, '0'));
  const id = canId.toString(16).toUpperCase();
  return Buffer.from(`~${frameType}${[imei, id, ...bytes].join(',')}~`, 'latin1');
}

export function encodeTextEvent(
  imei: string,
  eventType: string,
  time: Date,
  description: string,
): Buffer {
  if (`${eventType}${description}`.includes('~')) throw new RangeError('~ ends a text frame');
  const seconds = Math.floor(time.getTime() / 1000);
  return Buffer.from(`~E${imei},${eventType},${seconds},${description}~`, 'utf8');
}
