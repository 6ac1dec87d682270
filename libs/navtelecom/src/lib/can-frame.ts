import { decodeJ1939Frame, J1939_MAX_ID, type J1939Decoding } from './j1939';
import { decodeObdFrame, isObdRequestId, isObdResponseId, type ObdDecoding } from './obd2';
import type { VehicleBusValue } from './telemetry-record';

/** Largest 11-bit (CAN 2.0A) identifier. */
export const CAN_MAX_STANDARD_ID = 0x7ff;

export interface CanFrameDecoding {
  readonly canId: number;
  /** 29-bit identifier (CAN 2.0B). */
  readonly extended: boolean;
  readonly data: Buffer;
  readonly protocol: 'j1939' | 'obd2' | 'unknown';
  readonly j1939: J1939Decoding | null;
  readonly obd2: ObdDecoding | null;
  readonly values: readonly VehicleBusValue[];
}

/**
 * Routes a raw CAN frame: OBD-II request/response identifiers → OBD-II mode 01, other 29-bit
 * identifiers → J1939, other 11-bit identifiers → unknown (kept raw).
 */
export function decodeCanFrame(
  canId: number,
  data: Uint8Array,
  extended: boolean,
): CanFrameDecoding {
  if (
    !Number.isInteger(canId) ||
    canId < 0 ||
    canId > (extended ? J1939_MAX_ID : CAN_MAX_STANDARD_ID)
  ) {
    throw new RangeError(
      `CAN identifier 0x${canId.toString(16)} does not fit ${extended ? 29 : 11} bits`,
    );
  }
  const base = { canId, extended, data: Buffer.from(data), j1939: null, obd2: null };
  if (isObdRequestId(canId, extended) || isObdResponseId(canId, extended)) {
    const obd2 = decodeObdFrame(data);
    if (obd2) return { ...base, protocol: 'obd2', obd2, values: obd2.values };
  }
  if (extended) {
    const j1939 = decodeJ1939Frame(canId, data);
    return { ...base, protocol: 'j1939', j1939, values: j1939.values };
  }
  return { ...base, protocol: 'unknown', values: [] };
}
