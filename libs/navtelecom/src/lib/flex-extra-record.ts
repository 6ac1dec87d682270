import { NavtelecomProtocolError } from './errors';
import { FLEX_COORDINATE_SCALE, roundFloat32, unixSecondsToDate } from './flex-record';
import {
  emptyTelemetryRecord,
  type ExtraRecordDynamicPart,
  type PositionInput,
  type TelemetryRecord,
} from './telemetry-record';

/**
 * FLEX 2.0 extra records (`~E`, `~X`; spec A.2), self-describing:
 *   L U16 (bytes after L) · struct version U8 (0x0A) · static length U8 (37) · static part ·
 *   dynamic part = repeated {type U8, len U8, data[len]}.
 * Static part 1.0: index U32, event code U16, event time U32, nav state U8, fix time U32,
 * latitude I32, longitude I32, altitude I32 (dm), speed F32 (km/h), course U16, odometer F32 (km).
 */
export const EXTRA_RECORD_STRUCT_VERSION_1_0 = 0x0a;
export const EXTRA_RECORD_STATIC_LENGTH_1_0 = 37;

const DYNAMIC_PART_NAMES: Readonly<Record<number, string>> = {
  0x01: 'touchMemoryKey',
  0x02: 'tachographCardNumber',
  0x03: 'rfidTag',
};
const U64_DYNAMIC_TYPES = new Set([0x01, 0x03]);

/**
 * Decodes one extra record, `bytes` starting at its L. A record whose parts do not fit its L
 * (no version and static length, a static part or a dynamic sub-packet running past the end, a
 * 1.0 static part shorter than 37 bytes) is malformed: the whole message is rejected unacknowledged
 * (spec §4), so the device sends it again instead of the server storing an empty record. A struct
 * version other than 1.0 frames correctly but has no known static layout: it is acknowledged and
 * kept as `raw` only.
 */
export function decodeExtraRecord(bytes: Buffer): TelemetryRecord {
  const raw = Buffer.from(bytes);
  if (raw.length < 4) throw malformed(`L = ${raw.length - 2} leaves no struct version and length`);
  const structVersion = raw[2];
  const staticLength = raw[3];
  const staticStart = 4;
  const dynamicStart = staticStart + staticLength;
  if (dynamicStart > raw.length) {
    throw malformed(`static part of ${staticLength} bytes runs past L = ${raw.length - 2}`);
  }
  const record = emptyTelemetryRecord('flex-extra', raw);
  if (structVersion !== EXTRA_RECORD_STRUCT_VERSION_1_0) return record;
  if (staticLength < EXTRA_RECORD_STATIC_LENGTH_1_0) {
    throw malformed(`struct 1.0 static part of ${staticLength} bytes, 37 expected`);
  }
  const at = staticStart;
  const navigationState = raw.readUInt8(at + 10);
  return {
    ...record,
    index: raw.readUInt32LE(at),
    eventCode: raw.readUInt16LE(at + 4),
    eventTime: unixSecondsToDate(raw.readUInt32LE(at + 6)),
    valid: (navigationState & 0b10) !== 0,
    satellites: navigationState >> 2,
    fixTime: unixSecondsToDate(raw.readUInt32LE(at + 11)),
    latitude: raw.readInt32LE(at + 15) / FLEX_COORDINATE_SCALE,
    longitude: raw.readInt32LE(at + 19) / FLEX_COORDINATE_SCALE,
    altitudeM: raw.readInt32LE(at + 23) / 10,
    speedKmh: roundFloat32(raw.readFloatLE(at + 27)),
    course: raw.readUInt16LE(at + 31),
    odometerKm: roundFloat32(raw.readFloatLE(at + 33)),
    dynamic: decodeDynamicParts(raw.subarray(dynamicStart)),
  };
}

const malformed = (detail: string): NavtelecomProtocolError =>
  new NavtelecomProtocolError('flex-malformed', `malformed extra record: ${detail}`);

function decodeDynamicParts(bytes: Buffer): ExtraRecordDynamicPart[] {
  const parts: ExtraRecordDynamicPart[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    if (offset + 2 > bytes.length) throw malformed('a dynamic part header runs past L');
    const type = bytes[offset];
    const length = bytes[offset + 1];
    const end = offset + 2 + length;
    if (end > bytes.length) throw malformed(`dynamic part 0x${type.toString(16)} runs past L`);
    const data = bytes.subarray(offset + 2, end);
    parts.push({
      type,
      name: DYNAMIC_PART_NAMES[type] ?? 'unknown',
      data,
      value:
        U64_DYNAMIC_TYPES.has(type) && length === 8 ? data.readBigUInt64LE(0).toString() : null,
    });
    offset = end;
  }
  return parts;
}

export interface ExtraRecordInput extends PositionInput {
  readonly index: number;
  readonly eventCode: number;
  readonly eventTime: Date;
  /** Nav state byte as field 8: b0 receiver on, b1 valid, b2–7 satellites. */
  readonly navigationState?: number;
  readonly dynamic?: readonly { readonly type: number; readonly data: Uint8Array }[];
}

const seconds = (date: Date | undefined): number => (date ? Math.floor(date.getTime() / 1000) : 0);

/** One extra record including its leading L. */
export function encodeExtraRecord(input: ExtraRecordInput): Buffer {
  const staticPart = Buffer.alloc(EXTRA_RECORD_STATIC_LENGTH_1_0);
  staticPart.writeUInt32LE(input.index, 0);
  staticPart.writeUInt16LE(input.eventCode, 4);
  staticPart.writeUInt32LE(seconds(input.eventTime), 6);
  staticPart.writeUInt8(input.navigationState ?? 0, 10);
  staticPart.writeUInt32LE(seconds(input.fixTime), 11);
  staticPart.writeInt32LE(Math.round((input.latitude ?? 0) * FLEX_COORDINATE_SCALE), 15);
  staticPart.writeInt32LE(Math.round((input.longitude ?? 0) * FLEX_COORDINATE_SCALE), 19);
  staticPart.writeInt32LE(Math.round((input.altitudeM ?? 0) * 10), 23);
  staticPart.writeFloatLE(input.speedKmh ?? 0, 27);
  staticPart.writeUInt16LE(input.course ?? 0, 31);
  staticPart.writeFloatLE(input.odometerKm ?? 0, 33);
  const dynamic = (input.dynamic ?? []).map((part) => {
    if (part.data.length > 0xff) throw new RangeError('dynamic part longer than 255 bytes');
    return Buffer.concat([Buffer.from([part.type, part.data.length]), part.data]);
  });
  const body = Buffer.concat([
    Buffer.from([EXTRA_RECORD_STRUCT_VERSION_1_0, EXTRA_RECORD_STATIC_LENGTH_1_0]),
    staticPart,
    ...dynamic,
  ]);
  if (body.length > 0xffff) throw new RangeError('extra record longer than 65535 bytes');
  const length = Buffer.alloc(2);
  length.writeUInt16LE(body.length);
  return Buffer.concat([length, body]);
}
