import { FLEX_COORDINATE_SCALE, roundFloat32 } from './flex-record';
import { emptyTelemetryRecord, type PositionInput, type TelemetryRecord } from './telemetry-record';

/**
 * Legacy (pre-FLEX) NTCB telemetry records, the static formats F1.0…F6.0 of `*>T` and `*>A`
 * (spec §3.2: "no longer used"; the layouts are those public decoders read, cross-checked
 * against their test packets). Every record starts with
 *   format U8 (U16LE when the first byte is 0) · index U32 · event code U16 · event time (6) ·
 *   armed U8 · status U8 · GSM level U8,
 * then the parts its format has, in this order: outputs, inputs, main power U16 mV, backup
 * battery U16 mV, a temperature I16, analog inputs U16 each, two pulse counters U32, the F6.0
 * sensor block, navigation, the F5.1/F5.2 block, four temperatures I8. Times are six bytes
 * `hh mm ss DD MM YY` with a 0-based month, UTC.
 */
interface LegacyFormat {
  readonly name: string;
  /** `u16`: 16 outputs; `u8`: outputs 1-4 in bits 0-3; `u8-satellites`: outputs 1-2 and satellites in bits 2-7. */
  readonly outputs: 'u16' | 'u8' | 'u8-satellites';
  /** F4.0's U16 carries 4 digital inputs in bits 0-3 and analog states above them. */
  readonly inputs: 'u16' | 'u16-4-digital' | 'u8';
  readonly temperature: boolean;
  readonly analogInputs: 0 | 2 | 3;
  readonly pulseCounters: boolean;
  /** F6.0: fuel sensors, 4 temperatures, axle load, engine speed (38 bytes). */
  readonly sensorBlock: boolean;
  /** `radians`: F32 latitude/longitude; `degrees`: I32 / 600000 and an I32 altitude in dm. */
  readonly navigation: 'none' | 'radians' | 'degrees';
  /** F5.1/F5.2: fuel and CAN summaries (15 bytes). */
  readonly extraBlock: boolean;
  readonly fourTemperatures: boolean;
}

const base = {
  temperature: false,
  analogInputs: 0,
  pulseCounters: false,
  sensorBlock: false,
  navigation: 'none',
  extraBlock: false,
  fourTemperatures: false,
} as const;

const F5: Omit<LegacyFormat, 'name'> = {
  ...base,
  outputs: 'u8-satellites',
  inputs: 'u8',
  analogInputs: 2,
  pulseCounters: true,
  navigation: 'radians',
};

const LEGACY_FORMATS: ReadonlyMap<number, LegacyFormat> = new Map<number, LegacyFormat>([
  [
    0x01,
    { ...base, name: 'F1.0', outputs: 'u16', inputs: 'u16', temperature: true, analogInputs: 2 },
  ],
  [
    0x02,
    {
      ...base,
      name: 'F2.0',
      outputs: 'u16',
      inputs: 'u16',
      temperature: true,
      analogInputs: 2,
      pulseCounters: true,
      navigation: 'radians',
    },
  ],
  [0x03, { ...base, name: 'F3.0', outputs: 'u16', inputs: 'u16', temperature: true }],
  [0x04, { ...base, name: 'F4.0', outputs: 'u8', inputs: 'u16-4-digital', fourTemperatures: true }],
  [0x05, { ...F5, name: 'F5.0' }],
  [0x15, { ...F5, name: 'F5.1', extraBlock: true }],
  [0x25, { ...F5, name: 'F5.2', extraBlock: true, fourTemperatures: true }],
  [
    0x06,
    {
      ...base,
      name: 'F6.0',
      outputs: 'u8',
      inputs: 'u8',
      analogInputs: 3,
      pulseCounters: true,
      sensorBlock: true,
      navigation: 'degrees',
    },
  ],
]);

export const LEGACY_FORMAT_CODES: readonly number[] = [...LEGACY_FORMATS.keys()];

const COMMON_LENGTH = 1 + 4 + 2 + 6 + 1 + 1 + 1; // format code … GSM level
const SENSOR_BLOCK_LENGTH = 38;
const EXTRA_BLOCK_LENGTH = 15;
const NAVIGATION_LENGTH = { none: 0, radians: 33, degrees: 37 } as const;

/** Temperature, analog inputs, counters, F6.0 sensors: kept in `raw`, stepped over by both ways. */
function unreadSensorBytes(layout: LegacyFormat): number {
  return (
    (layout.temperature ? 2 : 0) +
    2 * layout.analogInputs +
    (layout.pulseCounters ? 8 : 0) +
    (layout.sensorBlock ? SENSOR_BLOCK_LENGTH : 0)
  );
}

/** Bytes of a record of `format`, its format code included; null for a format without a layout. */
export function legacyRecordLength(format: number): number | null {
  const layout = LEGACY_FORMATS.get(format);
  return layout ? recordLength(layout) : null;
}

function recordLength(layout: LegacyFormat): number {
  return (
    COMMON_LENGTH +
    (layout.outputs === 'u16' ? 2 : 1) +
    (layout.inputs === 'u8' ? 1 : 2) +
    4 +
    unreadSensorBytes(layout) +
    NAVIGATION_LENGTH[layout.navigation] +
    (layout.extraBlock ? EXTRA_BLOCK_LENGTH : 0) +
    (layout.fourTemperatures ? 4 : 0)
  );
}

/** `hh mm ss DD MM YY`, month 0-based; null when the bytes are no date (zeros, 0xFF filler). */
function legacyTime(bytes: Buffer, at: number): Date | null {
  const [hour, minute, second, day, month, year] = bytes.subarray(at, at + 6);
  if (hour === undefined || minute === undefined || second === undefined) return null;
  if (day === undefined || month === undefined || year === undefined) return null;
  if (hour > 23 || minute > 59 || second > 59 || day < 1 || day > 31 || month > 11 || year > 99) {
    return null;
  }
  const time = new Date(Date.UTC(2000 + year, month, day, hour, minute, second));
  return time.getUTCDate() === day ? time : null; // 31 November is no date
}

function writeLegacyTime(target: Buffer, at: number, time: Date | undefined): void {
  if (!time) return;
  target.set(
    [
      time.getUTCHours(),
      time.getUTCMinutes(),
      time.getUTCSeconds(),
      time.getUTCDate(),
      time.getUTCMonth(),
      time.getUTCFullYear() - 2000,
    ],
    at,
  );
}

/** F32 radians hold about 1e-5 of a degree; 6 decimals (0.1 m) keep all of it. */
const radiansToDegrees = (radians: number): number =>
  Math.round(((radians * 180) / Math.PI) * 1e6) / 1e6;

/**
 * Decodes the record at `offset` (its format code). Returns null when the format has no known
 * layout or the record runs past the end: the caller keeps the bytes raw.
 */
export function decodeLegacyRecord(
  bytes: Buffer,
  offset: number,
): { record: TelemetryRecord; end: number } | null {
  // A first byte 0 announces a two-byte code (the NTCB body parser reads it): no known format.
  const layout = LEGACY_FORMATS.get(bytes[offset] ?? 0);
  if (!layout) return null;
  const end = offset + recordLength(layout);
  if (end > bytes.length) return null;
  const raw = Buffer.from(bytes.subarray(offset, end));
  let at = 1;
  const next = (size: number): number => {
    const start = at;
    at += size;
    return start;
  };
  const index = raw.readUInt32LE(next(4));
  const eventCode = raw.readUInt16LE(next(2));
  const eventTime = legacyTime(raw, next(6));
  next(1); // armed state: its bits differ between formats and nothing reads them
  const deviceStatus = raw.readUInt8(next(1));
  const gsmLevel = raw.readUInt8(next(1));
  let satellites: number | null = null;
  let digitalOutputs: number;
  if (layout.outputs === 'u16') {
    digitalOutputs = raw.readUInt16LE(next(2));
  } else {
    const outputs = raw.readUInt8(next(1));
    digitalOutputs = layout.outputs === 'u8' ? outputs & 0x0f : outputs & 0x03;
    if (layout.outputs === 'u8-satellites') satellites = outputs >> 2;
  }
  const digitalInputs =
    layout.inputs === 'u8'
      ? raw.readUInt8(next(1))
      : raw.readUInt16LE(next(2)) & (layout.inputs === 'u16' ? 0xffff : 0x0f);
  const mainPowerV = raw.readUInt16LE(next(2)) / 1000;
  const backupBatteryV = raw.readUInt16LE(next(2)) / 1000;
  next(unreadSensorBytes(layout));
  let record: TelemetryRecord = {
    ...emptyTelemetryRecord('ntcb-legacy', raw),
    index,
    eventCode,
    eventTime,
    deviceStatus,
    gsmLevel,
    digitalInputs,
    digitalOutputs,
    mainPowerV,
    backupBatteryV,
    satellites,
  };
  if (layout.navigation !== 'none') {
    const navigationState = raw.readUInt8(next(1));
    const fixTime = legacyTime(raw, next(6));
    const degrees = layout.navigation === 'degrees';
    const latitude = degrees
      ? raw.readInt32LE(next(4)) / FLEX_COORDINATE_SCALE
      : radiansToDegrees(raw.readFloatLE(next(4)));
    const longitude = degrees
      ? raw.readInt32LE(next(4)) / FLEX_COORDINATE_SCALE
      : radiansToDegrees(raw.readFloatLE(next(4)));
    const altitudeM = degrees ? raw.readInt32LE(next(4)) / 10 : null;
    record = {
      ...record,
      valid: (navigationState & 0b10) !== 0,
      satellites: degrees ? navigationState >> 2 : satellites,
      fixTime,
      latitude,
      longitude,
      altitudeM,
      speedKmh: roundFloat32(raw.readFloatLE(next(4))),
      course: raw.readUInt16LE(next(2)),
      odometerKm: roundFloat32(raw.readFloatLE(next(4))),
    };
  }
  return { record, end };
}

/** What `encodeLegacyRecord` writes; every other byte of the format is 0. */
export interface LegacyRecordInput extends PositionInput {
  readonly format: number;
  readonly index: number;
  readonly eventCode: number;
  readonly eventTime?: Date;
  readonly status?: number;
  readonly gsmLevel?: number;
  /** Raw outputs byte/word as the format carries it (F5.x: satellites in bits 2-7). */
  readonly outputs?: number;
  readonly inputs?: number;
  readonly mainPowerV?: number;
  readonly backupBatteryV?: number;
  /** Bit 1 valid; F6.0: satellites in bits 2-7. */
  readonly navigationState?: number;
}

/** One record of a known format, format code included (for tests and simulated devices). */
export function encodeLegacyRecord(input: LegacyRecordInput): Buffer {
  const layout = LEGACY_FORMATS.get(input.format);
  if (!layout) throw new RangeError(`no layout for legacy format ${input.format}`);
  const record = Buffer.alloc(recordLength(layout));
  record[0] = input.format;
  record.writeUInt32LE(input.index, 1);
  record.writeUInt16LE(input.eventCode, 5);
  writeLegacyTime(record, 7, input.eventTime);
  record[14] = input.status ?? 0;
  record[15] = input.gsmLevel ?? 0;
  let at = COMMON_LENGTH;
  if (layout.outputs === 'u16') record.writeUInt16LE(input.outputs ?? 0, at);
  else record[at] = input.outputs ?? 0;
  at += layout.outputs === 'u16' ? 2 : 1;
  if (layout.inputs === 'u8') record[at] = input.inputs ?? 0;
  else record.writeUInt16LE(input.inputs ?? 0, at);
  at += layout.inputs === 'u8' ? 1 : 2;
  record.writeUInt16LE(Math.round((input.mainPowerV ?? 0) * 1000), at);
  record.writeUInt16LE(Math.round((input.backupBatteryV ?? 0) * 1000), at + 2);
  at += 4 + unreadSensorBytes(layout);
  if (layout.navigation !== 'none') {
    record[at] = input.navigationState ?? 0;
    writeLegacyTime(record, at + 1, input.fixTime);
    at += 7;
    if (layout.navigation === 'degrees') {
      record.writeInt32LE(Math.round((input.latitude ?? 0) * FLEX_COORDINATE_SCALE), at);
      record.writeInt32LE(Math.round((input.longitude ?? 0) * FLEX_COORDINATE_SCALE), at + 4);
      record.writeInt32LE(Math.round((input.altitudeM ?? 0) * 10), at + 8);
      at += 12;
    } else {
      record.writeFloatLE(((input.latitude ?? 0) * Math.PI) / 180, at);
      record.writeFloatLE(((input.longitude ?? 0) * Math.PI) / 180, at + 4);
      at += 8;
    }
    record.writeFloatLE(input.speedKmh ?? 0, at);
    record.writeUInt16LE(input.course ?? 0, at + 4);
    record.writeFloatLE(input.odometerKm ?? 0, at + 6);
  }
  return record;
}

/**
 * The records of a legacy body after its `*>T`/`*>A` head, all or nothing: `count` records that
 * fill `bytes` exactly, else null (an unknown format or a length that does not add up; the
 * packet is still acknowledged and kept raw, since it came with a valid checksum and a device
 * whose packet is never answered stops sending).
 */
export function decodeLegacyRecords(bytes: Buffer, count: number): TelemetryRecord[] | null {
  const records: TelemetryRecord[] = [];
  let offset = 0;
  for (let i = 0; i < count; i += 1) {
    const decoded = decodeLegacyRecord(bytes, offset);
    if (!decoded) return null;
    records.push(decoded.record);
    offset = decoded.end;
  }
  return offset === bytes.length ? records : null;
}
