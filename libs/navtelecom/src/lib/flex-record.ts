import type { FlexFieldDefinition, FlexValueKind } from './flex-fields';
import type { FlexFieldPlacement, FlexLayout } from './flex-layout';
import {
  type FlexFieldValue,
  type PositionInput,
  type TelemetryRecord,
  type VehicleBusValue,
} from './telemetry-record';

/** FLEX coordinates are 1/10000 arc-minute: degrees = raw / 600000. */
export const FLEX_COORDINATE_SCALE = 600_000;

/**
 * A float32 as the shortest decimal that reads back as the same float32 (12.5 stays 12.5, 0.1f
 * becomes 0.1, odometer 19304.423828125 becomes 19304.424): what the device meant, nothing lost.
 * Float32 needs at most 9 significant digits for that.
 */
export function roundFloat32(value: number): number {
  if (!Number.isFinite(value)) return value;
  const single = Math.fround(value);
  for (let digits = 1; digits < 9; digits++) {
    const shortest = Number(single.toPrecision(digits));
    if (Math.fround(shortest) === single) return shortest;
  }
  return Number(single.toPrecision(9));
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

/**
 * What decoding a layout's records needs, worked out once per layout (a session decodes every
 * record with the same one): where each field is, and which vehicle-bus values it yields, in
 * the order they are reported (by field number).
 */
interface RecordPlan {
  readonly placements: readonly FlexFieldPlacement[];
  /** Field number → index in `placements`, -1 when the layout does not have it. */
  readonly indexById: Int16Array;
  readonly vehicleBus: readonly VehicleBusProducer[];
}

type VehicleBusProducer =
  | {
      readonly kind: 'level';
      readonly index: number;
      readonly field: number;
      readonly stem: string;
    }
  | { readonly kind: 'rule'; readonly index: number; readonly rule: VehicleBusRule }
  | { readonly kind: 'malfunction'; readonly offset: number };

const plans = new WeakMap<FlexLayout, RecordPlan>();

function planOf(layout: FlexLayout): RecordPlan {
  const known = plans.get(layout);
  if (known) return known;
  const indexById = new Int16Array(256).fill(-1);
  layout.fields.forEach(({ definition }, index) => {
    indexById[definition.id] = index;
  });
  const producers: { field: number; producer: VehicleBusProducer }[] = [];
  const present = (field: number): boolean => indexById[field] >= 0;
  for (const [field, stem] of LEVEL_FIELDS) {
    if (present(field))
      producers.push({ field, producer: { kind: 'level', index: indexById[field], field, stem } });
  }
  for (const rule of VEHICLE_BUS_RULES) {
    if (present(rule.field))
      producers.push({
        field: rule.field,
        producer: { kind: 'rule', index: indexById[rule.field], rule },
      });
  }
  if (present(204)) {
    const offset = (layout.fields[indexById[204]] as FlexFieldPlacement).offset;
    producers.push({ field: 204, producer: { kind: 'malfunction', offset } });
  }
  producers.sort((a, b) => a.field - b.field);
  const plan: RecordPlan = {
    placements: layout.fields,
    indexById,
    vehicleBus: producers.map(({ producer }) => producer),
  };
  plans.set(layout, plan);
  return plan;
}

/**
 * Decodes one record of exactly `layout.recordLength` bytes. `fields` (every field with its raw
 * bytes, which the ingest does not use) is built when first read, and then kept.
 */
export function decodeFlexRecord(bytes: Buffer, layout: FlexLayout): TelemetryRecord {
  if (bytes.length !== layout.recordLength) {
    throw new RangeError(
      `FLEX record is ${bytes.length} bytes, layout needs ${layout.recordLength}`,
    );
  }
  const raw = Buffer.from(bytes);
  const plan = planOf(layout);
  const { placements, indexById } = plan;
  const values: (number | string | null)[] = new Array<number | string | null>(placements.length);
  for (let i = 0; i < placements.length; i += 1) {
    const { definition, offset } = placements[i] as FlexFieldPlacement;
    values[i] = readFlexValue(raw, offset, definition.kind);
  }
  const numberOf = (id: number): number | null => {
    const index = indexById[id];
    if (index < 0) return null;
    const value = values[index];
    return typeof value === 'number' ? value : null;
  };
  const eventTime = numberOf(3);
  const navigationState = numberOf(8);
  const fixTime = numberOf(9);
  const latitude = numberOf(10);
  const longitude = numberOf(11);
  const altitude = numberOf(12);
  const speed = numberOf(13);
  const odometer = numberOf(15);
  const mainPower = numberOf(19);
  const backupBattery = numberOf(20);
  const dopIndex = indexById[71];
  let fields: FlexFieldValue[] | null = null;
  return {
    source: 'flex',
    index: numberOf(1),
    eventCode: numberOf(2),
    eventTime: eventTime === null ? null : unixSecondsToDate(eventTime),
    fixTime: fixTime === null ? null : unixSecondsToDate(fixTime),
    valid: navigationState === null ? null : (navigationState & 0b10) !== 0,
    satellites: navigationState === null ? null : navigationState >> 2,
    latitude: latitude === null ? null : latitude / FLEX_COORDINATE_SCALE,
    longitude: longitude === null ? null : longitude / FLEX_COORDINATE_SCALE,
    altitudeM: altitude === null ? null : altitude / 10,
    speedKmh: speed === null ? null : roundFloat32(speed),
    course: numberOf(14),
    odometerKm: odometer === null ? null : roundFloat32(odometer),
    hdop:
      dopIndex < 0
        ? null
        : (raw[(placements[dopIndex] as FlexFieldPlacement).offset] as number) / 10,
    gsmLevel: numberOf(7),
    deviceStatus: numberOf(4),
    mainPowerV: mainPower === null ? null : mainPower / 1000,
    backupBatteryV: backupBattery === null ? null : backupBattery / 1000,
    digitalInputs: combineBytes(numberOf(29), numberOf(30), numberOf(126)),
    digitalOutputs: combineBytes(numberOf(31), numberOf(32), null),
    vehicleBus: flexVehicleBusValues(plan.vehicleBus, values, raw),
    get fields(): readonly FlexFieldValue[] {
      fields ??= placements.map(({ definition, offset }, i) => ({
        id: definition.id,
        name: definition.name,
        unit: definition.unit,
        value: values[i] as number | string | null,
        raw: raw.subarray(offset, offset + definition.size),
      }));
      return fields;
    },
    dynamic: [],
    raw,
  };
}

/** Bit masks spread over up to three byte fields → one number; null when none is present. */
function combineBytes(
  first: number | null,
  second: number | null,
  third: number | null,
): number | null {
  if (first === null && second === null && third === null) return null;
  return (first ?? 0) + (second ?? 0) * 0x100 + (third ?? 0) * 0x10000;
}

interface VehicleBusRule {
  readonly field: number;
  readonly name: string;
  readonly unit: string | null;
  readonly source: string;
  readonly convert: (value: number) => number | null;
}

const unless =
  (notAvailable: number, scale = 1) =>
  (value: number): number | null =>
    value === notAvailable ? null : value * scale;
const nonNegativeFloat = (value: number): number | null => (value < 0 ? null : roundFloat32(value));
const asIs = (value: number): number => value;

const rule = (
  field: number,
  name: string,
  unit: string | null,
  convert: (value: number) => number | null,
): VehicleBusRule => ({ field, name, unit, source: `flex:${field}`, convert });

/** FLEX fields 53–69, 98–103 and 201–204: what the tracker read from the vehicle bus (spec §9). */
const VEHICLE_BUS_RULES: readonly VehicleBusRule[] = [
  rule(54, 'totalFuelUsed', 'L', nonNegativeFloat),
  rule(55, 'engineSpeed', 'rpm', unless(0xffff)),
  rule(56, 'coolantTemperature', '°C', unless(-128)),
  rule(57, 'totalDistance', 'km', nonNegativeFloat),
  ...[58, 59, 60, 61, 62].map((field, axle) =>
    rule(field, `axleLoad${axle + 1}`, 'kg', unless(0xffff)),
  ),
  rule(63, 'acceleratorPedalPosition', '%', unless(0xff)),
  rule(64, 'brakePedalPosition', '%', unless(0xff)),
  rule(65, 'engineLoadPercent', '%', unless(0xff)),
  rule(67, 'engineHours', 's', asIs),
  rule(68, 'distanceToService', 'km', unless(-1, 5)),
  rule(69, 'vehicleSpeed', 'km/h', unless(0xff)),
  rule(101, 'tachographVehicleSpeed', 'km/h', unless(0xff)),
  rule(102, 'tachographOdometer', 'km', unless(0xffffffff, 0.1)),
  rule(201, 'securityFlags', null, asIs),
  rule(202, 'securityLastEvent', null, asIs),
  rule(203, 'dashboardIndicators', null, asIs),
];

/** Fields 53 (fuel) and 66 (AdBlue), reported in % or litres (see {@link levelValue}). */
const LEVEL_FIELDS: readonly (readonly [number, string])[] = [
  [53, 'fuelLevel'],
  [66, 'adBlueLevel'],
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

function flexVehicleBusValues(
  producers: readonly VehicleBusProducer[],
  values: readonly (number | string | null)[],
  raw: Buffer,
): VehicleBusValue[] {
  const out: VehicleBusValue[] = [];
  for (const producer of producers) {
    if (producer.kind === 'malfunction') {
      out.push({
        name: 'malfunctionLamps',
        value: raw[producer.offset] as number,
        unit: null,
        source: 'flex:204',
      });
      out.push({
        name: 'diagnosticTroubleCode',
        value: raw.readUInt32LE(producer.offset + 1),
        unit: null,
        source: 'flex:204',
      });
      continue;
    }
    const value = values[producer.index];
    if (typeof value !== 'number') continue;
    if (producer.kind === 'level') {
      out.push(levelValue(producer.field, producer.stem, value));
      continue;
    }
    const { rule } = producer;
    const converted = rule.convert(value);
    out.push({
      name: rule.name,
      value: converted === null ? null : Math.round(converted * 1e6) / 1e6,
      unit: rule.unit,
      source: rule.source,
    });
  }
  return out;
}

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
export interface FlexPositionInput extends PositionInput {
  readonly index?: number;
  readonly eventCode?: number;
  readonly eventTime?: Date;
  readonly valid?: boolean;
  readonly satellites?: number;
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
