import { createHash } from 'node:crypto';
import {
  type InboundFrame,
  type SessionEvent,
  type TelemetryRecord,
  type VehicleBusValue,
} from '@platform/navtelecom';

/** A position row as the writer stores it (telematics.positions). */
export interface PositionRow {
  readonly eventTime: Date;
  /** Black-box index; when the source has none, the record's content key (negative). */
  readonly recordIndex: number;
  readonly source: string;
  readonly record: TelemetryRecord;
}

export interface BusValueRow {
  readonly eventTime: Date;
  readonly recordIndex: number;
  readonly value: VehicleBusValue;
}

export interface EventRow {
  readonly eventTime: Date;
  readonly eventIndex: number;
  readonly eventType: string;
  readonly eventCode: number | null;
  readonly description: string | null;
}

/** What a device told us about itself with this frame (applied to its devices row). */
export interface DeviceUpdate {
  readonly protocol: 'ntcb-flex' | 'text';
  readonly ntcbDeviceId: number | null;
  /** Set by an accepted `*>FLEX`: the layout records are decoded with from now on. */
  readonly flex: {
    readonly protocolVersion: number;
    readonly structVersion: number;
    readonly fields: readonly number[];
    readonly recordLength: number;
  } | null;
  /** Set by the first frame of a connection: the device is online from this address. */
  readonly connectedFrom: string | null;
}

/**
 * Everything one received frame asks the writer to store, in one group commit, before its reply
 * (if any) may be sent.
 */
export interface FrameWrite {
  /** The device identifier (IMEI), or null when the frame cannot be attributed (raw frame only). */
  readonly imei: string | null;
  readonly receivedAt: Date;
  readonly device: DeviceUpdate | null;
  readonly positions: readonly PositionRow[];
  readonly busValues: readonly BusValueRow[];
  readonly events: readonly EventRow[];
  /** The frame's bytes and its reply, for raw_frames; null when raw frames are not kept. */
  readonly raw: {
    readonly frameType: string;
    readonly payload: Buffer;
    readonly reply: Buffer | null;
  } | null;
}

/** Records and rows count toward the batch and backpressure bounds; every write counts one. */
export function writeWeight(write: FrameWrite): number {
  return Math.max(1, write.positions.length);
}

export function writeBytes(write: FrameWrite): number {
  return (write.raw?.payload.length ?? 0) + 200 * write.positions.length + 64;
}

/** Identifiers we store devices under: what real IMEIs and the test clients send, nothing else. */
const IDENTIFIER = /^[0-9A-Za-z_.-]{1,32}$/;

export function isAcceptableIdentifier(identifier: string): boolean {
  return IDENTIFIER.test(identifier);
}

/** A short label of the frame, used for metrics and raw_frames.frame_type. */
export function frameTypeOf(frame: InboundFrame): string {
  switch (frame.kind) {
    case 'ntcb':
      return `ntcb-${frame.message.type}`.slice(0, 16);
    case 'flex':
      return `flex-${frame.message.type}`;
    case 'ping':
      return 'ping';
    case 'text':
      return `text-${frame.frame.type}`.slice(0, 16);
  }
}

function sourceOf(frame: InboundFrame): string {
  if (frame.kind === 'flex') return `flex-${frame.message.type}`;
  if (frame.kind === 'ntcb') return 'ntcb-legacy';
  return 'text';
}

/**
 * The time a record is stored under: its event time, else its fix time, else when it arrived.
 * Only the first two make a resend dedupe (the arrival time of a resend differs).
 */
export function storedTimeOf(record: TelemetryRecord, receivedAt: Date): Date {
  const time = record.eventTime ?? record.fixTime;
  return time && !Number.isNaN(time.getTime()) ? time : receivedAt;
}

/**
 * The dedupe key of a record or event that carries no black-box index (text frames, FLEX without
 * field 1): a 48-bit digest of its bytes, negative so that it never meets a real index. A resend
 * (same bytes, same time) is stored once, and two different records of the same second are two
 * rows: with one key (-1) for all, the second was acknowledged and then dropped as a duplicate.
 */
export function contentIndexOf(bytes: Buffer): number {
  return -1 - createHash('sha256').update(bytes).digest().readUIntBE(0, 6);
}

export interface FrameContext {
  readonly imei: string | null;
  readonly ntcbDeviceId: number | null;
  readonly receivedAt: Date;
  readonly storeRaw: boolean;
  /** The connection's address when this is the first frame attributed to a device. */
  readonly connectedFrom: string | null;
}

/** Turns one `frame` event of the session into the rows to store (pure). */
export function frameWriteOf(
  event: Extract<SessionEvent, { type: 'frame' }>,
  context: FrameContext,
): FrameWrite {
  const { frame, records } = event;
  const { receivedAt } = context;
  const positions: PositionRow[] = [];
  const busValues: BusValueRow[] = [];
  const events: EventRow[] = [];
  const source = sourceOf(frame);
  for (const record of records) {
    const eventTime = storedTimeOf(record, receivedAt);
    const recordIndex = record.index ?? contentIndexOf(record.raw);
    positions.push({ eventTime, recordIndex, source, record });
    const values = record.vehicleBus;
    for (let i = 0; i < values.length; i += 1) {
      if (isFirstOfItsName(values, i)) {
        busValues.push({ eventTime, recordIndex, value: values[i] as VehicleBusValue });
      }
    }
  }
  if (frame.kind === 'flex' && (frame.message.type === 'T' || frame.message.type === 'X')) {
    const record = frame.message.record;
    events.push({
      eventTime: storedTimeOf(record, receivedAt),
      eventIndex: frame.message.eventIndex,
      eventType: frame.message.type === 'T' ? 'alarm' : 'extra-alarm',
      eventCode: record.eventCode,
      description: null,
    });
  }
  if (frame.kind === 'text' && frame.frame.type === 'event') {
    events.push({
      eventTime: frame.frame.eventTime,
      eventIndex: contentIndexOf(event.raw),
      eventType: frame.frame.eventType.slice(0, 32),
      eventCode: null,
      description: frame.frame.description,
    });
  }
  if (frame.kind === 'text' && frame.frame.type === 'can') {
    const values = frame.frame.can.values;
    for (let i = 0; i < values.length; i += 1) {
      if (isFirstOfItsName(values, i)) {
        busValues.push({
          eventTime: receivedAt,
          recordIndex: -1,
          value: values[i] as VehicleBusValue,
        });
      }
    }
  }
  const negotiation = frame.kind === 'ntcb' ? frame.negotiation : null;
  const layout = negotiation?.accepted ? negotiation.layout : null;
  const device: DeviceUpdate | null = context.imei
    ? {
        protocol: frame.kind === 'text' ? 'text' : 'ntcb-flex',
        ntcbDeviceId: context.ntcbDeviceId,
        flex: layout
          ? {
              protocolVersion: layout.protocolVersion,
              structVersion: layout.structVersion,
              fields: layout.fields.map((field) => field.definition.id),
              recordLength: layout.recordLength,
            }
          : null,
        connectedFrom: context.connectedFrom,
      }
    : null;
  return {
    imei: context.imei,
    receivedAt,
    device,
    positions: context.imei ? positions : [],
    busValues: context.imei ? busValues : [],
    events: context.imei ? events : [],
    raw:
      context.storeRaw && context.imei !== null && !isKeepAlive(frame)
        ? { frameType: frameTypeOf(frame), payload: event.raw, reply: event.reply }
        : null,
  };
}

/**
 * A keep-alive carries nothing to keep, and frames of a connection that has not said who it is
 * are nobody's: neither is written to raw_frames. Stored, they let one anonymous connection fill
 * the table and the group commit (605 774 keep-alive rows in 3 s, every device's ACK late).
 */
function isKeepAlive(frame: InboundFrame): boolean {
  return frame.kind === 'ping' || (frame.kind === 'ntcb' && frame.message.type === 'keep-alive');
}

/**
 * Whether `values[index]` is the first value of its name (the key stores one per name). A scan,
 * not a Set: a record has a handful of values and this runs for every record.
 */
function isFirstOfItsName(values: readonly VehicleBusValue[], index: number): boolean {
  const name = (values[index] as VehicleBusValue).name;
  for (let i = 0; i < index; i += 1) if ((values[i] as VehicleBusValue).name === name) return false;
  return true;
}

/** A damaged unit kept in raw_frames (no reply, never acknowledged). */
export function damagedWriteOf(imei: string | null, raw: Buffer, receivedAt: Date): FrameWrite {
  return {
    imei,
    receivedAt,
    device: null,
    positions: [],
    busValues: [],
    events: [],
    raw: { frameType: 'damaged', payload: raw, reply: null },
  };
}
