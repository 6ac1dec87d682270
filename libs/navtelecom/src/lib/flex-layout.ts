import {
  FLEX_FIELD_COUNT,
  flexFieldDefinition,
  type FlexFieldDefinition,
  type FlexVersion,
} from './flex-fields';

/**
 * The record layout of one FLEX session, computed from the `*>FLEX` bit mask: which fields are
 * present, at which offset, and the record length R that drives the framing of `~A`/`~T`/`~C`.
 */
export interface FlexLayout {
  readonly protocolVersion: FlexVersion;
  readonly structVersion: FlexVersion;
  /** Number of mask bits the device sent (69 / 122 / 255 normally). */
  readonly dataSize: number;
  readonly bitfield: Buffer;
  /** Enabled fields in record order. */
  readonly fields: readonly FlexFieldPlacement[];
  /** R: bytes per record. */
  readonly recordLength: number;
}

export interface FlexFieldPlacement {
  readonly definition: FlexFieldDefinition;
  readonly offset: number;
}

export function flexBitfieldLength(dataSize: number): number {
  return Math.ceil(dataSize / 8);
}

/**
 * Field numbers whose bit is set. MSB first: field k is bit 7 − ((k−1) mod 8) of byte (k−1) div 8.
 * Bits beyond `dataSize` or beyond the fields the struct version knows carry no field.
 */
export function enabledFlexFields(
  bitfield: Uint8Array,
  dataSize: number,
  structVersion: FlexVersion,
): number[] {
  const usable = Math.min(dataSize, FLEX_FIELD_COUNT[structVersion], bitfield.length * 8);
  const fields: number[] = [];
  for (let index = 0; index < usable; index++) {
    if (bitfield[index >> 3] & (0x80 >> (index & 7))) fields.push(index + 1);
  }
  return fields;
}

export function buildFlexLayout(params: {
  protocolVersion: FlexVersion;
  structVersion: FlexVersion;
  dataSize: number;
  bitfield: Uint8Array;
}): FlexLayout {
  const fields: FlexFieldPlacement[] = [];
  let offset = 0;
  for (const id of enabledFlexFields(params.bitfield, params.dataSize, params.structVersion)) {
    const definition = flexFieldDefinition(id);
    if (!definition) continue;
    fields.push({ definition, offset });
    offset += definition.size;
  }
  return {
    protocolVersion: params.protocolVersion,
    structVersion: params.structVersion,
    dataSize: params.dataSize,
    bitfield: Buffer.from(params.bitfield),
    fields,
    recordLength: offset,
  };
}

/** The mask a device would send for `fieldIds` with the full field count of `structVersion`. */
export function flexBitfieldFor(
  fieldIds: Iterable<number>,
  structVersion: FlexVersion,
): { dataSize: number; bitfield: Buffer } {
  const dataSize = FLEX_FIELD_COUNT[structVersion];
  const bitfield = Buffer.alloc(flexBitfieldLength(dataSize));
  for (const id of fieldIds) {
    if (!Number.isInteger(id) || id < 1 || id > dataSize) {
      throw new RangeError(`FLEX ${structVersion / 10}: no field ${id} (1…${dataSize})`);
    }
    bitfield[(id - 1) >> 3] |= 0x80 >> ((id - 1) & 7);
  }
  return { dataSize, bitfield };
}

/** Convenience for encoders and tests: the layout for a list of fields. */
export function flexLayoutFor(
  fieldIds: Iterable<number>,
  version: FlexVersion,
  structVersion: FlexVersion = version,
): FlexLayout {
  const { dataSize, bitfield } = flexBitfieldFor(fieldIds, structVersion);
  return buildFlexLayout({ protocolVersion: version, structVersion, dataSize, bitfield });
}
