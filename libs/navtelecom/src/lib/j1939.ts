import type { VehicleBusValue } from './telemetry-record';

/**
 * SAE J1939 over 29-bit CAN (spec §12): identifier layout and the common PGNs/SPNs of trucks and
 * the FMS standard. Positions are J1939's 1-based byte and bit numbers; multi-byte values are
 * little-endian. The design note's dictionaries had PGNs swapped (61443 as speed, 65265 as oil
 * pressure, fuel rate on 65263, fuel level on 61452) and every signal at bit 0; this table places
 * each SPN where J1939-71 puts it. Brand packs (Scania, Volvo) have no verifiable public source
 * and are not included.
 */
export interface J1939Identifier {
  readonly priority: number;
  readonly extendedDataPage: number;
  readonly dataPage: number;
  readonly pduFormat: number;
  readonly pduSpecific: number;
  readonly sourceAddress: number;
  readonly pgn: number;
  /** PDU1 (PF < 240): the PS byte is the destination; PDU2 broadcasts have none. */
  readonly destinationAddress: number | null;
}

export const J1939_MAX_ID = 0x1fffffff;

export function parseJ1939Id(id: number): J1939Identifier {
  if (!Number.isInteger(id) || id < 0 || id > J1939_MAX_ID) {
    throw new RangeError(`not a 29-bit CAN identifier: ${id}`);
  }
  const priority = (id >>> 26) & 0x7;
  const extendedDataPage = (id >>> 25) & 0x1;
  const dataPage = (id >>> 24) & 0x1;
  const pduFormat = (id >>> 16) & 0xff;
  const pduSpecific = (id >>> 8) & 0xff;
  const sourceAddress = id & 0xff;
  const pdu1 = pduFormat < 240;
  const pgn =
    (extendedDataPage << 17) | (dataPage << 16) | (pduFormat << 8) | (pdu1 ? 0 : pduSpecific);
  return {
    priority,
    extendedDataPage,
    dataPage,
    pduFormat,
    pduSpecific,
    sourceAddress,
    pgn,
    destinationAddress: pdu1 ? pduSpecific : null,
  };
}

export function encodeJ1939Id(params: {
  priority: number;
  pgn: number;
  sourceAddress: number;
  destinationAddress?: number;
}): number {
  const pduFormat = (params.pgn >>> 8) & 0xff;
  const pduSpecific =
    pduFormat < 240 ? (params.destinationAddress ?? 0xff) & 0xff : params.pgn & 0xff;
  const pages = (params.pgn >>> 16) & 0x3;
  return (
    (((params.priority & 0x7) << 26) |
      (pages << 24) |
      (pduFormat << 16) |
      (pduSpecific << 8) |
      (params.sourceAddress & 0xff)) >>>
    0
  );
}

export interface J1939SpnDefinition {
  readonly spn: number;
  readonly name: string;
  /** 1-based first byte. */
  readonly startByte: number;
  /** 1-based first bit inside startByte (bit 1 = least significant). */
  readonly startBit: number;
  readonly bitLength: number;
  readonly scale: number;
  readonly offset: number;
  readonly unit: string | null;
}

export interface J1939PgnDefinition {
  readonly pgn: number;
  readonly acronym: string;
  readonly label: string;
  readonly spns: readonly J1939SpnDefinition[];
}

const bytes = (
  spn: number,
  name: string,
  startByte: number,
  byteCount: number,
  scale: number,
  offset: number,
  unit: string,
): J1939SpnDefinition => ({
  spn,
  name,
  startByte,
  startBit: 1,
  bitLength: byteCount * 8,
  scale,
  offset,
  unit,
});

/** 2-bit status: 0 off, 1 on, 2 error, 3 not available. */
const status = (
  spn: number,
  name: string,
  startByte: number,
  startBit: number,
): J1939SpnDefinition => ({
  spn,
  name,
  startByte,
  startBit,
  bitLength: 2,
  scale: 1,
  offset: 0,
  unit: null,
});

/** Engine hours are stored in seconds everywhere (0.05 h = 180 s). */
const SECONDS_PER_HOUR = 3600;

export const J1939_PGNS: readonly J1939PgnDefinition[] = [
  {
    pgn: 61444,
    acronym: 'EEC1',
    label: 'Electronic Engine Controller 1',
    spns: [
      bytes(513, 'actualEngineTorquePercent', 3, 1, 1, -125, '%'),
      bytes(190, 'engineSpeed', 4, 2, 0.125, 0, 'rpm'),
    ],
  },
  {
    pgn: 61443,
    acronym: 'EEC2',
    label: 'Electronic Engine Controller 2',
    spns: [
      bytes(91, 'acceleratorPedalPosition', 2, 1, 0.4, 0, '%'),
      bytes(92, 'engineLoadPercent', 3, 1, 1, 0, '%'),
    ],
  },
  {
    pgn: 65265,
    acronym: 'CCVS1',
    label: 'Cruise Control/Vehicle Speed 1',
    spns: [
      status(70, 'parkingBrakeSwitch', 1, 3),
      bytes(84, 'vehicleSpeed', 2, 2, 1 / 256, 0, 'km/h'),
      status(597, 'brakeSwitch', 4, 5),
      status(598, 'clutchSwitch', 4, 7),
    ],
  },
  {
    pgn: 65276,
    acronym: 'DD',
    label: 'Dash Display',
    spns: [bytes(96, 'fuelLevelPercent', 2, 1, 0.4, 0, '%')],
  },
  {
    pgn: 65262,
    acronym: 'ET1',
    label: 'Engine Temperature 1',
    spns: [
      bytes(110, 'coolantTemperature', 1, 1, 1, -40, '°C'),
      bytes(175, 'engineOilTemperature', 3, 2, 0.03125, -273, '°C'),
    ],
  },
  {
    pgn: 65263,
    acronym: 'EFL/P1',
    label: 'Engine Fluid Level/Pressure 1',
    spns: [bytes(100, 'engineOilPressure', 4, 1, 4, 0, 'kPa')],
  },
  {
    pgn: 65248,
    acronym: 'VD',
    label: 'Vehicle Distance',
    spns: [
      bytes(244, 'tripDistance', 1, 4, 0.125, 0, 'km'),
      bytes(245, 'totalDistance', 5, 4, 0.125, 0, 'km'),
    ],
  },
  {
    pgn: 65217,
    acronym: 'VDHR',
    label: 'High Resolution Vehicle Distance',
    spns: [bytes(917, 'totalDistanceHighResolution', 1, 4, 0.005, 0, 'km')],
  },
  {
    pgn: 65253,
    acronym: 'HOURS',
    label: 'Engine Hours, Revolutions',
    spns: [bytes(247, 'engineHours', 1, 4, 0.05 * SECONDS_PER_HOUR, 0, 's')],
  },
  {
    pgn: 65257,
    acronym: 'LFC',
    label: 'Fuel Consumption (Liquid)',
    spns: [
      bytes(182, 'tripFuelUsed', 1, 4, 0.5, 0, 'L'),
      bytes(250, 'totalFuelUsed', 5, 4, 0.5, 0, 'L'),
    ],
  },
  {
    pgn: 65266,
    acronym: 'LFE',
    label: 'Fuel Economy (Liquid)',
    spns: [bytes(183, 'fuelRate', 1, 2, 0.05, 0, 'L/h')],
  },
  {
    pgn: 65271,
    acronym: 'VEP1',
    label: 'Vehicle Electrical Power 1',
    spns: [bytes(168, 'batteryVoltage', 5, 2, 0.05, 0, 'V')],
  },
  {
    pgn: 65269,
    acronym: 'AMB',
    label: 'Ambient Conditions',
    spns: [bytes(171, 'ambientAirTemperature', 4, 2, 0.03125, -273, '°C')],
  },
  {
    pgn: 65270,
    acronym: 'IC1',
    label: 'Inlet/Exhaust Conditions 1',
    spns: [bytes(102, 'boostPressure', 2, 1, 2, 0, 'kPa')],
  },
  {
    pgn: 65110,
    acronym: 'TI1',
    label: 'Aftertreatment 1 Diesel Exhaust Fluid Tank 1 Information',
    spns: [bytes(1761, 'adBlueLevelPercent', 1, 1, 0.4, 0, '%')],
  },
  {
    pgn: 65132,
    acronym: 'TCO1',
    label: 'Tachograph',
    spns: [bytes(1624, 'tachographVehicleSpeed', 7, 2, 1 / 256, 0, 'km/h')],
  },
];

const PGN_BY_NUMBER = new Map(J1939_PGNS.map((definition) => [definition.pgn, definition]));

export function j1939PgnDefinition(pgn: number): J1939PgnDefinition | undefined {
  return PGN_BY_NUMBER.get(pgn);
}

/** Largest valid raw value per size (J1939-71): above it the value means error / not available. */
function maxValidRaw(bitLength: number): number {
  switch (bitLength) {
    case 8:
      return 0xfa;
    case 16:
      return 0xfaff;
    case 32:
      return 0xfaffffff;
    default:
      return 2 ** bitLength - 1;
  }
}

/**
 * One SPN from the data bytes; null when the bytes are missing or the raw value is
 * "error"/"not available" (2-bit status: 0 off, 1 on, 2 error, 3 n/a).
 */
export function decodeJ1939Spn(definition: J1939SpnDefinition, data: Uint8Array): number | null {
  const first = definition.startByte - 1;
  if (definition.bitLength === 2) {
    if (first >= data.length) return null;
    const raw = (data[first] >> (definition.startBit - 1)) & 0b11;
    return raw > 1 ? null : raw;
  }
  const byteCount = definition.bitLength / 8;
  if (first + byteCount > data.length) return null;
  let raw = 0;
  for (let i = byteCount - 1; i >= 0; i--) raw = raw * 256 + data[first + i];
  if (raw > maxValidRaw(definition.bitLength)) return null;
  return Math.round((raw * definition.scale + definition.offset) * 1e6) / 1e6;
}

export interface J1939Decoding {
  readonly identifier: J1939Identifier;
  /** Null for PGNs outside the table (proprietary, transport protocol, …). */
  readonly acronym: string | null;
  readonly values: readonly VehicleBusValue[];
}

export function decodeJ1939Frame(id: number, data: Uint8Array): J1939Decoding {
  const identifier = parseJ1939Id(id);
  const definition = j1939PgnDefinition(identifier.pgn);
  return {
    identifier,
    acronym: definition?.acronym ?? null,
    values: (definition?.spns ?? []).map((spn) => ({
      name: spn.name,
      value: decodeJ1939Spn(spn, data),
      unit: spn.unit,
      source: `j1939:spn${spn.spn}`,
    })),
  };
}
