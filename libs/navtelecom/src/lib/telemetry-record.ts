/**
 * The one record shape every source (FLEX records, FLEX extra records, legacy
 * NTCB records, text frames) is decoded
 * into, plus its JSON form. Units: degrees, metres, km/h, °C, V, L, seconds; "not available" and
 * "not in the mask" are null. Nothing is lost: `raw` keeps the record bytes and `fields` every
 * FLEX field with its raw bytes.
 */

/** A value read from the vehicle bus (FLEX CAN fields, J1939 SPNs, OBD-II PIDs). */
export interface VehicleBusValue {
  /** Canonical name shared by all sources, e.g. engineSpeed, vehicleSpeed, coolantTemperature. */
  readonly name: string;
  /** null = the source says "not available" or "error". */
  readonly value: number | null;
  readonly unit: string | null;
  /** Where it came from: `flex:55`, `j1939:spn190`, `obd2:pid0C`. */
  readonly source: string;
}

/** One enabled FLEX field of a record, as transmitted. */
export interface FlexFieldValue {
  readonly id: number;
  readonly name: string;
  readonly unit: string | null;
  /** Scalar fields: the raw number (U64 as a decimal string); composite fields: null. */
  readonly value: number | string | null;
  readonly raw: Buffer;
}

/** A sub-packet of the dynamic part of a FLEX extra record (`~E`/`~X`). */
export interface ExtraRecordDynamicPart {
  readonly type: number;
  /** touchMemoryKey (0x01), tachographCardNumber (0x02), rfidTag (0x03), unknown otherwise. */
  readonly name: string;
  readonly data: Buffer;
  /** U64 keys as decimal strings; null for other types. */
  readonly value: string | null;
}

export type TelemetrySource = 'flex' | 'flex-extra' | 'ntcb-legacy' | 'text';

export interface TelemetryRecord {
  readonly source: TelemetrySource;
  readonly index: number | null;
  readonly eventCode: number | null;
  readonly eventTime: Date | null;
  readonly fixTime: Date | null;
  readonly valid: boolean | null;
  readonly satellites: number | null;
  readonly latitude: number | null;
  readonly longitude: number | null;
  readonly altitudeM: number | null;
  readonly speedKmh: number | null;
  readonly course: number | null;
  readonly odometerKm: number | null;
  readonly hdop: number | null;
  readonly gsmLevel: number | null;
  readonly deviceStatus: number | null;
  readonly mainPowerV: number | null;
  readonly backupBatteryV: number | null;
  /** Bit i = input i+1 triggered (In1…In24 from FLEX fields 29, 30, 126). */
  readonly digitalInputs: number | null;
  /** Bit i = output i+1 on (FLEX fields 31, 32). */
  readonly digitalOutputs: number | null;
  readonly vehicleBus: readonly VehicleBusValue[];
  readonly fields: readonly FlexFieldValue[];
  readonly dynamic: readonly ExtraRecordDynamicPart[];
  readonly raw: Buffer;
}

/** The position part of what the record encoders take (for simulated devices and tests). */
export interface PositionInput {
  readonly fixTime?: Date;
  readonly latitude?: number;
  readonly longitude?: number;
  readonly altitudeM?: number;
  readonly speedKmh?: number;
  readonly course?: number;
  readonly odometerKm?: number;
}

/** A record with every optional part empty; decoders fill what they know. */
export function emptyTelemetryRecord(source: TelemetrySource, raw: Buffer): TelemetryRecord {
  return {
    source,
    index: null,
    eventCode: null,
    eventTime: null,
    fixTime: null,
    valid: null,
    satellites: null,
    latitude: null,
    longitude: null,
    altitudeM: null,
    speedKmh: null,
    course: null,
    odometerKm: null,
    hdop: null,
    gsmLevel: null,
    deviceStatus: null,
    mainPowerV: null,
    backupBatteryV: null,
    digitalInputs: null,
    digitalOutputs: null,
    vehicleBus: [],
    fields: [],
    dynamic: [],
    raw,
  };
}

/** ISO 8601 UTC; whole seconds (all binary times) are printed without milliseconds. */
export function isoUtc(date: Date | null): string | null {
  if (!date || Number.isNaN(date.getTime())) return null;
  return date.toISOString().replace('.000Z', 'Z');
}

export type JsonValue =
  string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** Plain JSON form: dates as ISO strings, bytes as lower-case hex. */
export function telemetryRecordToJson(record: TelemetryRecord): { [key: string]: JsonValue } {
  return {
    source: record.source,
    index: record.index,
    eventCode: record.eventCode,
    eventTime: isoUtc(record.eventTime),
    fixTime: isoUtc(record.fixTime),
    valid: record.valid,
    satellites: record.satellites,
    latitude: record.latitude,
    longitude: record.longitude,
    altitudeM: record.altitudeM,
    speedKmh: record.speedKmh,
    course: record.course,
    odometerKm: record.odometerKm,
    hdop: record.hdop,
    gsmLevel: record.gsmLevel,
    deviceStatus: record.deviceStatus,
    mainPowerV: record.mainPowerV,
    backupBatteryV: record.backupBatteryV,
    digitalInputs: record.digitalInputs,
    digitalOutputs: record.digitalOutputs,
    vehicleBus: record.vehicleBus.map((item) => ({ ...item })),
    fields: record.fields.map((field) => ({
      id: field.id,
      name: field.name,
      unit: field.unit,
      value: field.value,
      raw: field.raw.toString('hex'),
    })),
    dynamic: record.dynamic.map((part) => ({
      type: part.type,
      name: part.name,
      data: part.data.toString('hex'),
      value: part.value,
    })),
    raw: record.raw.toString('hex'),
  };
}
