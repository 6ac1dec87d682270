import { appendFlexCrc8, flexCrc8 } from './checksums';
import { NavtelecomProtocolError } from './errors';
import { decodeExtraRecord } from './flex-extra-record';
import type { FlexLayout } from './flex-layout';
import { decodeFlexRecord, unixSecondsToDate } from './flex-record';
import type { TelemetryRecord } from './telemetry-record';

/**
 * FLEX messages (spec §6). They have no length field: the length follows from the type, the
 * record length R of the negotiated mask, and for `~E`/`~X` the U16LE L of each extra record.
 * Every message ends with a CRC-8 over all preceding bytes including `~`; so does every reply.
 */
export const FLEX_MESSAGE_START = 0x7e;
export const FLEX_PING = 0x7f;

export const FLEX_MESSAGE_TYPES = ['A', 'T', 'C', 'E', 'X', 'N', 'P'] as const;
export type FlexMessageType = (typeof FLEX_MESSAGE_TYPES)[number];

const TYPE_BY_BYTE = new Map<number, FlexMessageType>(
  FLEX_MESSAGE_TYPES.map((type) => [type.charCodeAt(0), type]),
);

/** `~N` photo notice: `~N` module id time crc. */
const PHOTO_NOTICE_LENGTH = 9;

export type FlexMessage =
  | { readonly type: 'A'; readonly records: readonly TelemetryRecord[] }
  | { readonly type: 'T'; readonly eventIndex: number; readonly record: TelemetryRecord }
  | { readonly type: 'C'; readonly record: TelemetryRecord }
  | { readonly type: 'E'; readonly records: readonly TelemetryRecord[] }
  | { readonly type: 'X'; readonly eventIndex: number; readonly record: TelemetryRecord }
  | {
      readonly type: 'N';
      readonly module: number;
      readonly photoId: number;
      readonly time: Date;
    }
  | { readonly type: 'P'; readonly module: number; readonly putId: number; readonly data: Buffer };

/**
 * How long the message at the start of `available` is:
 * - `known`: its total length (which may exceed what is available yet);
 * - `need-more`: not determinable before `atLeast` bytes are available;
 * - `unknown-type` / `needs-layout`: cannot be framed at all (no negotiated mask for A/T/C).
 */
export type FlexFrameLength =
  | { readonly status: 'known'; readonly length: number }
  | { readonly status: 'need-more'; readonly atLeast: number }
  | { readonly status: 'unknown-type'; readonly typeByte: number }
  | { readonly status: 'needs-layout'; readonly type: FlexMessageType };

export function flexMessageType(typeByte: number): FlexMessageType | undefined {
  return TYPE_BY_BYTE.get(typeByte);
}

export function flexFrameLength(available: Buffer, recordLength: number | null): FlexFrameLength {
  if (available.length < 2) return { status: 'need-more', atLeast: 2 };
  const type = flexMessageType(available[1]);
  if (!type) return { status: 'unknown-type', typeByte: available[1] };
  switch (type) {
    case 'A':
      if (recordLength === null) return { status: 'needs-layout', type };
      if (available.length < 3) return { status: 'need-more', atLeast: 3 };
      return { status: 'known', length: 3 + available[2] * recordLength + 1 };
    case 'T':
      if (recordLength === null) return { status: 'needs-layout', type };
      return { status: 'known', length: 2 + 4 + recordLength + 1 };
    case 'C':
      if (recordLength === null) return { status: 'needs-layout', type };
      return { status: 'known', length: 2 + recordLength + 1 };
    case 'X':
      if (available.length < 8) return { status: 'need-more', atLeast: 8 };
      return { status: 'known', length: 2 + 4 + 2 + available.readUInt16LE(6) + 1 };
    case 'E': {
      if (available.length < 3) return { status: 'need-more', atLeast: 3 };
      let offset = 3;
      for (let record = 0; record < available[2]; record++) {
        if (available.length < offset + 2) return { status: 'need-more', atLeast: offset + 2 };
        offset += 2 + available.readUInt16LE(offset);
      }
      return { status: 'known', length: offset + 1 };
    }
    case 'N':
      return { status: 'known', length: PHOTO_NOTICE_LENGTH };
    case 'P':
      if (available.length < 6) return { status: 'need-more', atLeast: 6 };
      return { status: 'known', length: 6 + available.readUInt16LE(4) + 1 };
  }
}

/**
 * Decodes one complete message (exactly its bytes, CRC last). Throws NavtelecomProtocolError
 * `flex-crc` on a CRC mismatch and `flex-malformed` when the bytes do not frame as the type says.
 */
export function decodeFlexMessage(frame: Buffer, layout: FlexLayout | null): FlexMessage {
  const framing = flexFrameLength(frame, layout?.recordLength ?? null);
  if (framing.status !== 'known' || framing.length !== frame.length || frame[0] !== 0x7e) {
    throw new NavtelecomProtocolError('flex-malformed', 'bytes do not frame as one FLEX message');
  }
  const crc = flexCrc8(frame, 0, frame.length - 1);
  if (crc !== frame[frame.length - 1]) {
    throw new NavtelecomProtocolError(
      'flex-crc',
      `FLEX CRC8 is ${hexByte(frame[frame.length - 1])}, computed ${hexByte(crc)}`,
    );
  }
  const type = flexMessageType(frame[1]) as FlexMessageType;
  const recordLength = layout?.recordLength ?? 0;
  const recordAt = (offset: number): TelemetryRecord =>
    decodeFlexRecord(frame.subarray(offset, offset + recordLength), layout as FlexLayout);
  switch (type) {
    case 'A':
      return {
        type,
        records: Array.from({ length: frame[2] }, (_, i) => recordAt(3 + i * recordLength)),
      };
    case 'T': {
      const eventIndex = frame.readUInt32LE(2);
      return { type, eventIndex, record: withIndex(recordAt(6), eventIndex) };
    }
    case 'C':
      return { type, record: recordAt(2) };
    case 'E': {
      const records: TelemetryRecord[] = [];
      let offset = 3;
      for (let i = 0; i < frame[2]; i++) {
        const end = offset + 2 + frame.readUInt16LE(offset);
        records.push(decodeExtraRecord(frame.subarray(offset, end)));
        offset = end;
      }
      return { type, records };
    }
    case 'X': {
      const eventIndex = frame.readUInt32LE(2);
      const record = decodeExtraRecord(frame.subarray(6, frame.length - 1));
      return { type, eventIndex, record: withIndex(record, eventIndex) };
    }
    case 'N':
      return {
        type,
        module: frame[2],
        photoId: frame[3],
        time: unixSecondsToDate(frame.readUInt32LE(4)),
      };
    case 'P':
      return {
        type,
        module: frame[2],
        putId: frame[3],
        data: Buffer.from(frame.subarray(6, frame.length - 1)),
      };
  }
}

/**
 * `~T`/`~X` carry the event index in the header and normally in the record too (spec §6); a record
 * without one (mask lacking field 1, unknown extra struct version) takes the header's.
 */
const withIndex = (record: TelemetryRecord, eventIndex: number): TelemetryRecord =>
  record.index === null ? { ...record, index: eventIndex } : record;

const hexByte = (value: number | undefined): string =>
  `0x${(value ?? 0).toString(16).padStart(2, '0')}`;

/** The reply the spec mandates for a message, or null when none is sent (`~N`). */
export function flexReplyFor(message: FlexMessage): Buffer | null {
  switch (message.type) {
    case 'A':
    case 'E':
      return flexCountReply(message.type, message.records.length);
    case 'T':
    case 'X':
      return flexIndexReply(message.type, message.eventIndex);
    case 'C':
      return appendFlexCrc8(Buffer.from('~C', 'latin1'));
    case 'N':
      return null;
    case 'P':
      return appendFlexCrc8(Buffer.from([0x7e, 0x4d, message.module, message.putId]));
  }
}

/** `~A`/`~E` reply: type · count U8 · crc8. */
export function flexCountReply(type: 'A' | 'E', count: number): Buffer {
  return appendFlexCrc8(Buffer.from([0x7e, type.charCodeAt(0), count]));
}

/** `~T`/`~X` reply: type · event index U32LE (from the message header) · crc8. */
export function flexIndexReply(type: 'T' | 'X', eventIndex: number): Buffer {
  const reply = Buffer.from([0x7e, type.charCodeAt(0), 0, 0, 0, 0]);
  reply.writeUInt32LE(eventIndex, 2);
  return appendFlexCrc8(reply);
}

function frame(type: FlexMessageType, ...parts: Uint8Array[]): Buffer {
  return appendFlexCrc8(Buffer.concat([Buffer.from([0x7e, type.charCodeAt(0)]), ...parts]));
}

function u32(value: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32LE(value);
  return bytes;
}

/** `~A` from encoded records (all of the session's record length). */
export function encodeFlexArray(records: readonly Uint8Array[]): Buffer {
  if (records.length > 0xff) throw new RangeError('~A carries at most 255 records');
  return frame('A', Buffer.from([records.length]), ...records);
}

export function encodeFlexAlarm(eventIndex: number, record: Uint8Array): Buffer {
  return frame('T', u32(eventIndex), record);
}

export function encodeFlexCurrent(record: Uint8Array): Buffer {
  return frame('C', record);
}

/** `~E` from encoded extra records (each starting with its L, see encodeExtraRecord). */
export function encodeFlexExtraArray(records: readonly Uint8Array[]): Buffer {
  if (records.length > 0xff) throw new RangeError('~E carries at most 255 records');
  return frame('E', Buffer.from([records.length]), ...records);
}

export function encodeFlexExtraAlarm(eventIndex: number, record: Uint8Array): Buffer {
  return frame('X', u32(eventIndex), record);
}

export function encodeFlexPhotoNotice(module: number, photoId: number, time: Date): Buffer {
  return frame('N', Buffer.from([module, photoId]), u32(Math.floor(time.getTime() / 1000)));
}

export function encodeFlexTransparentData(module: number, putId: number, data: Uint8Array): Buffer {
  const length = Buffer.alloc(2);
  length.writeUInt16LE(data.length);
  return frame('P', Buffer.from([module, putId]), length, data);
}
