import type { VehicleBusValue } from './telemetry-record';

/**
 * OBD-II (SAE J1979) mode 01 over CAN (spec §13). Payload: byte 0 = number of following bytes,
 * byte 1 = mode (0x01 request, 0x41 response), byte 2 = PID, then data bytes A, B, C, D.
 * Requests go to 0x7DF / 0x7E0–0x7E7 (29-bit: 0x18DB33F1 / 0x18DA..F1), responses come from
 * 0x7E8–0x7EF (29-bit: 0x18DAF1xx).
 */
export interface ObdPidDefinition {
  readonly pid: number;
  readonly name: string;
  readonly byteCount: number;
  readonly unit: string;
  readonly formula: (a: number, b: number, c: number, d: number) => number;
}

export const OBD_MODE_CURRENT_DATA = 0x01;
export const OBD_RESPONSE_OFFSET = 0x40;

export const OBD_PIDS: readonly ObdPidDefinition[] = [
  {
    pid: 0x04,
    name: 'engineLoadPercent',
    byteCount: 1,
    unit: '%',
    formula: (a) => (a * 100) / 255,
  },
  { pid: 0x05, name: 'coolantTemperature', byteCount: 1, unit: '°C', formula: (a) => a - 40 },
  { pid: 0x0b, name: 'intakeManifoldPressure', byteCount: 1, unit: 'kPa', formula: (a) => a },
  {
    pid: 0x0c,
    name: 'engineSpeed',
    byteCount: 2,
    unit: 'rpm',
    formula: (a, b) => (256 * a + b) / 4,
  },
  { pid: 0x0d, name: 'vehicleSpeed', byteCount: 1, unit: 'km/h', formula: (a) => a },
  { pid: 0x0f, name: 'intakeAirTemperature', byteCount: 1, unit: '°C', formula: (a) => a - 40 },
  {
    pid: 0x10,
    name: 'mafAirFlow',
    byteCount: 2,
    unit: 'g/s',
    formula: (a, b) => (256 * a + b) / 100,
  },
  { pid: 0x11, name: 'throttlePosition', byteCount: 1, unit: '%', formula: (a) => (a * 100) / 255 },
  {
    pid: 0x1f,
    name: 'runTimeSinceEngineStart',
    byteCount: 2,
    unit: 's',
    formula: (a, b) => 256 * a + b,
  },
  { pid: 0x2f, name: 'fuelLevelPercent', byteCount: 1, unit: '%', formula: (a) => (a * 100) / 255 },
  {
    pid: 0x31,
    name: 'distanceSinceCodesCleared',
    byteCount: 2,
    unit: 'km',
    formula: (a, b) => 256 * a + b,
  },
  {
    pid: 0x42,
    name: 'controlModuleVoltage',
    byteCount: 2,
    unit: 'V',
    formula: (a, b) => (256 * a + b) / 1000,
  },
  { pid: 0x46, name: 'ambientAirTemperature', byteCount: 1, unit: '°C', formula: (a) => a - 40 },
  { pid: 0x5c, name: 'engineOilTemperature', byteCount: 1, unit: '°C', formula: (a) => a - 40 },
  {
    pid: 0x5e,
    name: 'fuelRate',
    byteCount: 2,
    unit: 'L/h',
    formula: (a, b) => (256 * a + b) * 0.05,
  },
  {
    pid: 0xa6,
    name: 'totalDistance',
    byteCount: 4,
    unit: 'km',
    formula: (a, b, c, d) => (a * 2 ** 24 + b * 2 ** 16 + c * 2 ** 8 + d) / 10,
  },
];

const PID_BY_NUMBER = new Map(OBD_PIDS.map((definition) => [definition.pid, definition]));

export function isObdRequestId(id: number, extended: boolean): boolean {
  return extended
    ? id === 0x18db33f1 || (id & 0xffff00ff) === 0x18da00f1
    : id === 0x7df || (id >= 0x7e0 && id <= 0x7e7);
}

export function isObdResponseId(id: number, extended: boolean): boolean {
  return extended ? (id & 0xffffff00) === 0x18daf100 : id >= 0x7e8 && id <= 0x7ef;
}

export interface ObdDecoding {
  readonly kind: 'request' | 'response';
  readonly mode: number;
  readonly pid: number;
  /** Empty for requests, unknown PIDs and frames too short for the PID. */
  readonly values: readonly VehicleBusValue[];
}

/** Decodes a mode-01 request or response payload; null when it is not one. */
export function decodeObdFrame(data: Uint8Array): ObdDecoding | null {
  if (data.length < 3) return null;
  const [length, mode, pid] = data;
  if (mode === OBD_MODE_CURRENT_DATA) return { kind: 'request', mode, pid, values: [] };
  if (mode !== OBD_MODE_CURRENT_DATA + OBD_RESPONSE_OFFSET) return null;
  const definition = PID_BY_NUMBER.get(pid);
  const available = Math.min(length - 2, data.length - 3);
  if (!definition || available < definition.byteCount) {
    return { kind: 'response', mode, pid, values: [] };
  }
  const [a = 0, b = 0, c = 0, d = 0] = data.subarray(3, 3 + definition.byteCount);
  const value = Math.round(definition.formula(a, b, c, d) * 1e6) / 1e6;
  const source = `obd2:pid${pid.toString(16).toUpperCase().padStart(2, '0')}`;
  return {
    kind: 'response',
    mode,
    pid,
    values: [{ name: definition.name, value, unit: definition.unit, source }],
  };
}

/** A mode-01 response payload, padded with zeros to 8 bytes. */
export function encodeObdResponse(pid: number, dataBytes: readonly number[]): Buffer {
  const payload = Buffer.alloc(8);
  payload[0] = 2 + dataBytes.length;
  payload[1] = OBD_MODE_CURRENT_DATA + OBD_RESPONSE_OFFSET;
  payload[2] = pid;
  payload.set(dataBytes, 3);
  return payload;
}
