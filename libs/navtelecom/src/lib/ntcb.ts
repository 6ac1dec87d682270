import { xorChecksum } from './checksums';
import { NavtelecomProtocolError } from './errors';
import { FLEX_VERSION_1_0, FLEX_VERSIONS, isFlexVersion, type FlexVersion } from './flex-fields';
import { buildFlexLayout, flexBitfieldLength, type FlexLayout } from './flex-layout';
import { decodeLegacyRecords } from './legacy-record';
import type { TelemetryRecord } from './telemetry-record';

/**
 * NTCB transport (spec §3): 16-byte header `preamble · IDr U32 · IDs U32 · n U16 · CSd · CSp`,
 * little-endian, then n body bytes. CSd = XOR of the body, CSp = XOR of header bytes 0..14.
 * Replies keep the request's preamble and swap its ids.
 */
export const NTCB_HEADER_LENGTH = 16;
export const NTCB_MAX_BODY_LENGTH = 0xffff;
export const NTCB_DEFAULT_PREAMBLE = Buffer.from('@NTC', 'latin1');
export const NTCB_PREAMBLE_START = 0x40;

export interface NtcbHeader {
  /** 4 bytes, `@NTC` by default (fixed in FLEX mode, configurable for plain NTCB). */
  readonly preamble: Buffer;
  /** IDr: device→server = the server id (default 1). */
  readonly receiverId: number;
  /** IDs: device→server = the device/object id (default 0). */
  readonly senderId: number;
  readonly bodyLength: number;
  readonly bodyChecksum: number;
  readonly headerChecksum: number;
}

/** Reads a header without validating it (see isNtcbHeaderChecksumValid). */
export function decodeNtcbHeader(bytes: Uint8Array): NtcbHeader {
  if (bytes.length < NTCB_HEADER_LENGTH) {
    throw new RangeError(`NTCB header needs ${NTCB_HEADER_LENGTH} bytes, got ${bytes.length}`);
  }
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, NTCB_HEADER_LENGTH);
  return {
    preamble: Buffer.from(view.subarray(0, 4)),
    receiverId: view.readUInt32LE(4),
    senderId: view.readUInt32LE(8),
    bodyLength: view.readUInt16LE(12),
    bodyChecksum: view[14],
    headerChecksum: view[15],
  };
}

export function isNtcbHeaderChecksumValid(bytes: Uint8Array): boolean {
  return bytes.length >= NTCB_HEADER_LENGTH && xorChecksum(bytes, 0, 15) === bytes[15];
}

export interface NtcbAddress {
  readonly preamble?: Uint8Array;
  readonly receiverId: number;
  readonly senderId: number;
}

/** Header + body with both checksums computed. */
export function encodeNtcbPacket(address: NtcbAddress, body: Uint8Array): Buffer {
  if (body.length > NTCB_MAX_BODY_LENGTH) throw new RangeError('NTCB body longer than 65535');
  const preamble = address.preamble ?? NTCB_DEFAULT_PREAMBLE;
  if (preamble.length !== 4) throw new RangeError('NTCB preamble is 4 bytes');
  const packet = Buffer.alloc(NTCB_HEADER_LENGTH + body.length);
  packet.set(preamble, 0);
  packet.writeUInt32LE(address.receiverId, 4);
  packet.writeUInt32LE(address.senderId, 8);
  packet.writeUInt16LE(body.length, 12);
  packet[14] = xorChecksum(body);
  packet[15] = xorChecksum(packet, 0, 15);
  packet.set(body, NTCB_HEADER_LENGTH);
  return packet;
}

/** A reply to `request`: same preamble, ids swapped (the device drops packets with wrong ids). */
export function encodeNtcbReply(request: NtcbHeader, body: Uint8Array): Buffer {
  return encodeNtcbPacket(
    { preamble: request.preamble, receiverId: request.senderId, senderId: request.receiverId },
    body,
  );
}

/** A server→device command such as `*!SETOUT 1Y` or `*?V` (answers come back as `*@…`/`*#…`). */
export function encodeNtcbCommand(
  device: { preamble?: Uint8Array; deviceId: number; serverId: number },
  command: string,
): Buffer {
  return encodeNtcbPacket(
    { preamble: device.preamble, receiverId: device.deviceId, senderId: device.serverId },
    Buffer.from(command, 'latin1'),
  );
}

/** FLEX negotiation request: `*>FLEX` · protocol · protocol version · struct version · data size · mask. */
export interface FlexNegotiationRequest {
  /** 0xB0 = FLEX, the only value. */
  readonly protocol: number;
  readonly protocolVersion: number;
  readonly structVersion: number;
  /** Number of mask bits. */
  readonly dataSize: number;
  readonly bitfield: Buffer;
}

export const FLEX_PROTOCOL = 0xb0;

export type NtcbMessage =
  | { readonly type: 'keep-alive' }
  | { readonly type: 'handshake'; readonly identifier: string }
  | { readonly type: 'flex-negotiation'; readonly request: FlexNegotiationRequest }
  /**
   * Legacy (pre-FLEX) `*>T`: one record in a static format F1…F6. `records` is empty when the
   * format has no known layout or the body does not match it (the packet is still answered).
   */
  | {
      readonly type: 'legacy-single';
      readonly format: number;
      readonly eventIndex: number;
      readonly records: readonly TelemetryRecord[];
    }
  /** Legacy `*>A`: `count` records in static formats, decoded all or none like `*>T`. */
  | {
      readonly type: 'legacy-array';
      readonly count: number;
      readonly records: readonly TelemetryRecord[];
    }
  /** Command answers (`*@…`, `*#…`), `*Z:` refusals, peripherals: no reply. */
  | { readonly type: 'other'; readonly prefix: string; readonly body: Buffer };

const HANDSHAKE = '*>S';
const NEGOTIATION = '*>FLEX';
const LEGACY_SINGLE = '*>T';
const LEGACY_ARRAY = '*>A';
const NEGOTIATION_FIXED_LENGTH = NEGOTIATION.length + 4;

const startsWith = (body: Buffer, prefix: string): boolean =>
  body.length >= prefix.length && body.toString('latin1', 0, prefix.length) === prefix;
const isUpperAscii = (byte: number | undefined): boolean =>
  byte !== undefined && byte >= 0x41 && byte <= 0x5a;

/** Classifies a verified NTCB body. Throws NavtelecomProtocolError for malformed known bodies. */
export function parseNtcbBody(body: Buffer): NtcbMessage {
  if (body.length === 0) return { type: 'keep-alive' };
  if (startsWith(body, NEGOTIATION)) return parseNegotiation(body);
  if (startsWith(body, HANDSHAKE)) {
    const rest = body.toString('latin1', HANDSHAKE.length);
    return { type: 'handshake', identifier: rest.startsWith(':') ? rest.slice(1) : rest };
  }
  // `*>TMKEY` and other peripheral messages share the prefix; legacy formats are small numbers.
  if (startsWith(body, LEGACY_SINGLE) && !isUpperAscii(body[3])) {
    const wideFormat = body[3] === 0;
    const indexAt = wideFormat ? 5 : 4;
    if (body.length < indexAt + 4) {
      throw new NavtelecomProtocolError('ntcb-malformed-body', '*>T shorter than its header');
    }
    return {
      type: 'legacy-single',
      format: wideFormat ? body.readUInt16LE(3) : body[3],
      eventIndex: body.readUInt32LE(indexAt),
      records: decodeLegacyRecords(body.subarray(LEGACY_SINGLE.length), 1) ?? [],
    };
  }
  if (startsWith(body, LEGACY_ARRAY)) {
    if (body.length < 4) {
      throw new NavtelecomProtocolError('ntcb-malformed-body', '*>A without a record count');
    }
    const count = body[3] as number;
    return {
      type: 'legacy-array',
      count,
      records: decodeLegacyRecords(body.subarray(LEGACY_ARRAY.length + 1), count) ?? [],
    };
  }
  return {
    type: 'other',
    prefix: body.toString('latin1', 0, Math.min(body.length, 3)),
    body: Buffer.from(body),
  };
}

function parseNegotiation(body: Buffer): NtcbMessage {
  if (body.length < NEGOTIATION_FIXED_LENGTH) {
    throw new NavtelecomProtocolError('ntcb-malformed-body', '*>FLEX shorter than 10 bytes');
  }
  const at = NEGOTIATION.length;
  const dataSize = body[at + 3];
  const maskLength = flexBitfieldLength(dataSize);
  if (body.length < NEGOTIATION_FIXED_LENGTH + maskLength) {
    throw new NavtelecomProtocolError(
      'ntcb-malformed-body',
      `*>FLEX announces ${dataSize} mask bits but carries ${body.length - NEGOTIATION_FIXED_LENGTH} mask bytes`,
    );
  }
  return {
    type: 'flex-negotiation',
    request: {
      protocol: body[at],
      protocolVersion: body[at + 1],
      structVersion: body[at + 2],
      dataSize,
      bitfield: Buffer.from(
        body.subarray(NEGOTIATION_FIXED_LENGTH, NEGOTIATION_FIXED_LENGTH + maskLength),
      ),
    },
  };
}

export function encodeFlexNegotiation(request: FlexNegotiationRequest): Buffer {
  return Buffer.concat([
    Buffer.from(NEGOTIATION, 'latin1'),
    Buffer.from([
      request.protocol,
      request.protocolVersion,
      request.structVersion,
      request.dataSize,
    ]),
    request.bitfield,
  ]);
}

export interface FlexNegotiationResult {
  /** True when the device's proposal is used as is (the layout applies from now on). */
  readonly accepted: boolean;
  /** The versions the reply offers; the device re-negotiates with them when they differ. */
  readonly protocolVersion: FlexVersion;
  readonly structVersion: FlexVersion;
  readonly layout: FlexLayout | null;
}

/** Highest supported version not above the proposal (1.0 when the proposal is below 1.0). */
function supportedVersionFor(proposed: number): FlexVersion {
  let best: FlexVersion = FLEX_VERSION_1_0;
  for (const version of FLEX_VERSIONS) if (version <= proposed) best = version;
  return best;
}

/**
 * Server policy: FLEX 1.0/2.0/3.0 are accepted as proposed (protocol and struct version may
 * differ), whatever the protocol byte: 0xB0 is the only one defined, and the reply (which always
 * says 0xB0) echoes the versions, so a device that got them back sends FLEX in the layout it
 * proposed; refusing its mask then would refuse every message. Anything else (e.g. the
 * unpublished FLEX 1.1 = 11) is answered with the highest supported version below it and no
 * layout, so the device re-negotiates.
 */
export function negotiateFlex(request: FlexNegotiationRequest): FlexNegotiationResult {
  const { protocolVersion, structVersion } = request;
  if (isFlexVersion(protocolVersion) && isFlexVersion(structVersion)) {
    return {
      accepted: true,
      protocolVersion,
      structVersion,
      layout: buildFlexLayout({
        protocolVersion,
        structVersion,
        dataSize: request.dataSize,
        bitfield: request.bitfield,
      }),
    };
  }
  return {
    accepted: false,
    protocolVersion: supportedVersionFor(protocolVersion),
    structVersion: supportedVersionFor(structVersion),
    layout: null,
  };
}

/** Reply body `*<FLEX` · 0xB0 · protocol version · struct version. */
export function flexNegotiationReplyBody(result: {
  protocolVersion: number;
  structVersion: number;
}): Buffer {
  return Buffer.concat([
    Buffer.from('*<FLEX', 'latin1'),
    Buffer.from([FLEX_PROTOCOL, result.protocolVersion, result.structVersion]),
  ]);
}

export function encodeHandshake(identifier: string): Buffer {
  return Buffer.from(`${HANDSHAKE}:${identifier}`, 'latin1');
}

export const HANDSHAKE_REPLY_BODY = Buffer.from('*<S', 'latin1');

/** Body of the legacy `*>T` reply: `*<T` + the same U32 index. */
export function legacySingleReplyBody(eventIndex: number): Buffer {
  const body = Buffer.from('*<T\0\0\0\0', 'latin1');
  body.writeUInt32LE(eventIndex, 3);
  return body;
}

/** Body of the legacy `*>A` reply: `*<A` + the same U8 count. */
export function legacyArrayReplyBody(count: number): Buffer {
  return Buffer.concat([Buffer.from('*<A', 'latin1'), Buffer.from([count])]);
}

export function encodeLegacySingle(
  format: number,
  eventIndex: number,
  payload: Uint8Array,
): Buffer {
  const head = Buffer.alloc(8);
  head.write(LEGACY_SINGLE, 0, 'latin1');
  head[3] = format;
  head.writeUInt32LE(eventIndex, 4);
  return Buffer.concat([head, payload]);
}

export function encodeLegacyArray(count: number, payload: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from(LEGACY_ARRAY, 'latin1'), Buffer.from([count]), payload]);
}
