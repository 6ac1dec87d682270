import type { FlexFieldDefinition, FlexValueKind } from './flex-fields';
import type { FlexLayout } from './flex-layout';
import {
  emptyTelemetryRecord,
  type FlexFieldValue,
  type TelemetryRecord,
  type VehicleBusValue,
} from './telemetry-record';

/** FLEX coordinates are 1/10000 arc-minute: degrees = raw / 600000. */
export const FLEX_COORDINATE_SCALE = 600_000;

/** Float32 values printed with the precision they have (12.5 stays 12.5, 0.1f becomes 0.1). */
export function roundFloat32(value: number): number {
  return Number.isFinite(value) ? Number(value.toPrecision(7)) : value;
}

export function readFlexValue(
  bytes: Buffer,
  offset: number,
  kind: FlexValueKind,
): number | string | null {
  switch (kind) {
    case 'u8':
      return bytes.readUInt8(offset);
    case 'i8':
      return bytes.readInt8(offset);
    case 'u16':
      return bytes.readUInt16LE(offset);
    case 'i16':
      return bytes.readInt16LE(offset);
    case 'u32':
      return bytes.readUInt32LE(offset);
    case 'i32':
      return bytes.readInt32LE(offset);
    case 'f32':
      return bytes.readFloatLE(offset);
    case 'u64':
      return bytes.readBigUInt64LE(offset).toString();
    case 'bytes':
      return null;
  }
}

/** Seconds since the Unix epoch → Date. */
export function unixSecondsToDate(seconds: number): Date {
  return new Date(seconds * 1000);
}

/** Decodes one record of exactly `layout.recordLength` bytes. */
export function decodeFlexRecord(bytes: Buffer, layout: FlexLayout): TelemetryRecord {
  if (bytes.length !== layout.recordLength) {
    throw new RangeError(
      `FLEX record is ${bytes.length} bytes, layout needs ${layout.recordLength}`,
    );
  }
  const raw = Buffer.from(bytes);
  const fields: FlexFieldValue[] = layout.fields.map(({ definition, offset }) => ({
    id: definition.id,
    name: definition.name,
    unit: definition.unit,
    value: readFlexValue(raw, offset, definition.kind),
    raw: raw.subarray(offset, offset + definition.size),
  }));
  const byId = new Map(fields.map((field) => [field.id, field]));
  const numberOf = (id: number): number | null => {
    const value = byId.get(id)?.value;
    return typeof value === 'number' ? value : null;
  };
  const map = <T>(id: number, convert: (value: number) => T): T | null => {
    const value = numberOf(id);
    return value === null ? null : convert(value);
  };
  const navigationState = numberOf(8);
  const dop = byId.get(71)?.raw;
  return {
    ...emptyTelemetryRecord('flex', raw),
    index: numberOf(1),
    eventCode: numberOf(2),
    eventTime: map(3, unixSecondsToDate),
    deviceStatus: numberOf(4),
    gsmLevel: numberOf(7),
    valid: navigationState === null ? null : (navigationState & 0b10) !== 0,
    satellites: navigationState === null ? null : navigationState >> 2,
    fixTime: map(9, unixSecondsToDate),
    latitude: map(10, (value) => value / FLEX_COORDINATE_SCALE),
    longitude: map(11, (value) => value / FLEX_COORDINATE_SCALE),
    altitudeM: map(12, (value) => value / 10),
    speedKmh: map(13, roundFloat32),
    course: numberOf(14),
    odometerKm: map(15, roundFloat32),
    mainPowerV: map(19, (value) => value / 1000),
    backupBatteryV: map(20, (value) => value / 1000),
    hdop: dop ? dop[0] / 10 : null,
    digitalInputs: combineBytes([numberOf(29), numberOf(30), numberOf(126)]),
    digitalOutputs: combineBytes([numberOf(31), numberOf(32)]),
    vehicleBus: flexVehicleBusValues(byId),
    fields,
  };
}

/** Bit masks spread over several byte fields → one number; null when none is present. */
function combineBytes(parts: readonly (number | null)[]): number | null {
  if (parts.every((part) => part === null)) return null;
  return parts.reduce<number>((sum, part, index) => sum + (part ?? 0) * 2 ** (8 * index), 0);
}

interface VehicleBusRule {
  readonly field: number;
  readonly name: string;
  readonly unit: string | null;
  readonly convert: (value: number) => number | null;
}

const unless =
  (notAvailable: number, scale = 1) =>
  (value: number): number | null =>
    value === notAvailable ? null : value * scale;
const nonNegativeFloat = (value: number): number | null => (value < 0 ? null : roundFloat32(value));
const asIs = (value: number): number => value;

/** FLEX fields 53–69, 98–103 and 201–204: what the tracker read from the vehicle bus (spec §9). */
const VEHICLE_BUS_RULES: readonly VehicleBusRule[] = [
  { field: 54, name: 'totalFuelUsed', unit: 'L', convert: nonNegativeFloat },
  { field: 55, name: 'engineSpeed', unit: 'rpm', convert: unless(0xffff) },
  { field: 56, name: 'coolantTemperature', unit: '°C', convert: unless(-128) },
  { field: 57, name: 'totalDistance', unit: 'km', convert: nonNegativeFloat },
  ...[58, 59, 60, 61, 62].map((field, axle) => ({
    field,
    name: `axleLoad${axle + 1}`,
    unit: 'kg',
    convert: unless(0xffff),
  })),
  { field: 63, name: 'acceleratorPedalPosition', unit: '%', convert: unless(0xff) },
  { field: 64, name: 'brakePedalPosition', unit: '%', convert: unless(0xff) },
  { field: 65, name: 'engineLoadPercent', unit: '%', convert: unless(0xff) },
  { field: 67, name: 'engineHours', unit: 's', convert: asIs },
  { field: 68, name: 'distanceToService', unit: 'km', convert: unless(-1, 5) },
  { field: 69, name: 'vehicleSpeed', unit: 'km/h', convert: unless(0xff) },
  { field: 101, name: 'tachographVehicleSpeed', unit: 'km/h', convert: unless(0xff) },
  { field: 102, name: 'tachographOdometer', unit: 'km', convert: unless(0xffffffff, 0.1) },
  { field: 201, name: 'securityFlags', unit: null, convert: asIs },
  { field: 202, name: 'securityLastEvent', unit: null, convert: asIs },
  { field: 203, name: 'dashboardIndicators', unit: null, convert: asIs },
];

/** Fields 53 (fuel) and 66 (AdBlue): b15 = 1 → b0–14 in %, else in 0.1 L; 0x7FFF = n/a. */
function levelValue(field: number, stem: string, raw: number): VehicleBusValue {
  const percent = (raw & 0x8000) !== 0;
  const magnitude = raw & 0x7fff;
  const value = magnitude === 0x7fff ? null : percent ? magnitude : magnitude / 10;
  return percent
    ? { name: `${stem}Percent`, value, unit: '%', source: `flex:${field}` }
    : { name: `${stem}Litres`, value, unit: 'L', source: `flex:${field}` };
}

function flexVehicleBusValues(byId: ReadonlyMap<number, FlexFieldValue>): VehicleBusValue[] {
  const values: VehicleBusValue[] = [];
  for (const [field, stem] of [
    [53, 'fuelLevel'],
    [66, 'adBlueLevel'],
  ] as const) {
    const value = byId.get(field)?.value;
    if (typeof value === 'number') values.push(levelValue(field, stem, value));
  }
  for (const rule of VEHICLE_BUS_RULES) {
    const value = byId.get(rule.field)?.value;
    if (typeof value !== 'number') continue;
    const converted = rule.convert(value);
    values.push({
      name: rule.name,
      value: converted === null ? null : Math.round(converted * 1e6) / 1e6,
      unit: rule.unit,
      source: `flex:${rule.field}`,
    });
  }
  const malfunction = byId.get(204)?.raw;
  if (malfunction) {
    values.push({
      name: 'malfunctionLamps',
      value: malfunction[0],
      unit: null,
      source: 'flex:204',
    });
    values.push({
      name: 'diagnosticTroubleCode',
      value: malfunction.readUInt32LE(1),
      unit: null,
      source: 'flex:204',
    });
  }
  return values.sort((a, b) => sourceOrder(a.source) - sourceOrder(b.source));
}

const sourceOrder = (source: string): number => Number(source.slice('flex:'.length));

/** Raw field values by field number: numbers for scalars (bigint allowed for U64), bytes for composites. */
export type FlexRecordValues = Readonly<Record<number, number | bigint | Uint8Array>>;

function writeFlexValue(
  target: Buffer,
  offset: number,
  definition: FlexFieldDefinition,
  value: number | bigint | Uint8Array,
): void {
  if (value instanceof Uint8Array) {
    if (value.length !== definition.size) {
      throw new RangeError(`field ${definition.id} needs ${definition.size} bytes`);
    }
    target.set(value, offset);
    return;
  }
  if (definition.kind === 'u64') {
    target.writeBigUInt64LE(BigInt(value), offset);
    return;
  }
  const number = Number(value);
  switch (definition.kind) {
    case 'u8':
      target.writeUInt8(number, offset);
      return;
    case 'i8':
      target.writeInt8(number, offset);
      return;
    case 'u16':
      target.writeUInt16LE(number, offset);
      return;
    case 'i16':
      target.writeInt16LE(number, offset);
      return;
    case 'u32':
      target.writeUInt32LE(number, offset);
      return;
    case 'i32':
      target.writeInt32LE(number, offset);
      return;
    case 'f32':
      target.writeFloatLE(number, offset);
      return;
    case 'bytes':
      throw new RangeError(
        `field ${definition.id} is composite: give its ${definition.size} bytes`,
      );
  }
}

/** Encodes one record for `layout`; fields without a value are zero. */
export function encodeFlexRecord(layout: FlexLayout, values: FlexRecordValues): Buffer {
  const record = Buffer.alloc(layout.recordLength);
  for (const { definition, offset } of layout.fields) {
    const value = values[definition.id];
    if (value !== undefined) writeFlexValue(record, offset, definition, value);
  }
  return record;
}

/** The everyday telemetry values in engineering units, for simulated devices and tests. */
export interface FlexPositionInput {
  readonly index?: number;
  readonly eventCode?: number;
  readonly eventTime?: Date;
  readonly valid?: boolean;
  readonly satellites?: number;
  readonly fixTime?: Date;
  readonly latitude?: number;
  readonly longitude?: number;
  readonly altitudeM?: number;
  readonly speedKmh?: number;
  readonly course?: number;
  readonly odometerKm?: number;
  readonly mainPowerV?: number;
  readonly backupBatteryV?: number;
}

const toUnixSeconds = (date: Date): number => Math.floor(date.getTime() / 1000);

/** Engineering units → raw FLEX field values (fields 1–3, 8–15, 19, 20). */
export function flexPositionValues(input: FlexPositionInput): Record<number, number> {
  const values: Record<number, number> = {};
  const put = (field: number, value: number | undefined): void => {
    if (value !== undefined) values[field] = value;
  };
  put(1, input.index);
  put(2, input.eventCode);
  put(3, input.eventTime && toUnixSeconds(input.eventTime));
  if (input.valid !== undefined || input.satellites !== undefined) {
    values[8] = 0b1 | (input.valid ? 0b10 : 0) | ((input.satellites ?? 0) << 2);
  }
  put(9, input.fixTime && toUnixSeconds(input.fixTime));
  put(
    10,
    input.latitude === undefined ? undefined : Math.round(input.latitude * FLEX_COORDINATE_SCALE),
  );
  put(
    11,
    input.longitude === undefined ? undefined : Math.round(input.longitude * FLEX_COORDINATE_SCALE),
  );
  put(12, input.altitudeM === undefined ? undefined : Math.round(input.altitudeM * 10));
  put(13, input.speedKmh);
  put(14, input.course);
  put(15, input.odometerKm);
  put(19, input.mainPowerV === undefined ? undefined : Math.round(input.mainPowerV * 1000));
  put(20, input.backupBatteryV === undefined ? undefined : Math.round(input.backupBatteryV * 1000));
  return values;
}
