import { connect, type Socket } from 'node:net';
import {
  FLEX_PROTOCOL,
  FLEX_VERSION_2_0,
  type FlexLayout,
  type FlexPositionInput,
  encodeFlexAlarm,
  encodeFlexArray,
  encodeFlexNegotiation,
  encodeFlexRecord,
  encodeHandshake,
  encodeLegacyArray,
  encodeLegacyRecord,
  encodeNtcbPacket,
  flexLayoutFor,
  flexPositionValues,
  type LegacyRecordInput,
} from '../index';

/** The FLEX fields the simulated tracker negotiates: index, event, times, position, power. */
export const SIMULATED_FIELDS = [1, 2, 3, 4, 7, 8, 9, 10, 11, 12, 13, 14, 15, 19, 20, 55, 56];

export interface TrackerOptions {
  host: string;
  port: number;
  imei: string;
  /** NTCB IDs (the device's object id). */
  deviceId?: number;
}

/**
 * A Navtelecom tracker built from @platform/navtelecom's encoders, for end-to-end tests and the
 * ingest benchmark: handshake, FLEX 2.0 negotiation, `~A` arrays and `~T` alarms (or, as an old
 * device, legacy `*>A` arrays without a negotiation), each reply read by its exact length. It waits for every acknowledgement before sending on, as devices do.
 */
export class SimulatedTracker {
  readonly layout: FlexLayout = flexLayoutFor(SIMULATED_FIELDS, FLEX_VERSION_2_0);
  private socket: Socket | null = null;
  private buffer = Buffer.alloc(0);
  private waiter: (() => void) | null = null;
  private ended = false;

  constructor(readonly options: TrackerOptions) {}

  async connect(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      const socket = connect({ host: this.options.host, port: this.options.port, noDelay: true });
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve();
      });
      socket.once('error', reject);
      socket.on('data', (chunk: Buffer) => {
        this.buffer = Buffer.concat([this.buffer, chunk]);
        this.waiter?.();
      });
      socket.on('close', () => {
        this.ended = true;
        this.waiter?.();
      });
      socket.on('error', () => undefined);
      this.socket = socket;
    });
  }

  get closed(): boolean {
    return this.ended;
  }

  /** Encoded bytes, for tests that cut or repeat them. */
  handshakeBytes(): Buffer {
    return this.ntcb(encodeHandshake(this.options.imei));
  }

  negotiationBytes(): Buffer {
    return this.ntcb(
      encodeFlexNegotiation({
        protocol: FLEX_PROTOCOL,
        protocolVersion: this.layout.protocolVersion,
        structVersion: this.layout.structVersion,
        dataSize: this.layout.dataSize,
        bitfield: this.layout.bitfield,
      }),
    );
  }

  arrayBytes(records: readonly FlexPositionInput[]): Buffer {
    return encodeFlexArray(records.map((record) => this.record(record)));
  }

  alarmBytes(eventIndex: number, record: FlexPositionInput): Buffer {
    return encodeFlexAlarm(eventIndex, this.record(record));
  }

  record(input: FlexPositionInput): Buffer {
    return encodeFlexRecord(this.layout, {
      ...flexPositionValues(input),
      // engine speed 1500 rpm, coolant 85 °C: vehicle-bus values to store
      55: 1500,
      56: 85,
    });
  }

  async handshake(timeoutMs = 5000): Promise<Buffer> {
    this.send(this.handshakeBytes());
    return this.readNtcb(timeoutMs);
  }

  async negotiate(timeoutMs = 5000): Promise<Buffer> {
    this.send(this.negotiationBytes());
    return this.readNtcb(timeoutMs);
  }

  /** Sends `~A` and waits for its 4-byte reply (`~A` count crc). */
  async sendArray(records: readonly FlexPositionInput[], timeoutMs = 5000): Promise<Buffer> {
    this.send(this.arrayBytes(records));
    return this.read(4, timeoutMs);
  }

  legacyArrayBytes(records: readonly LegacyRecordInput[]): Buffer {
    return this.ntcb(
      encodeLegacyArray(records.length, Buffer.concat(records.map(encodeLegacyRecord))),
    );
  }

  /** Sends a legacy `*>A` and waits for its NTCB reply (`*<A` count). */
  async sendLegacyArray(records: readonly LegacyRecordInput[], timeoutMs = 5000): Promise<Buffer> {
    this.send(this.legacyArrayBytes(records));
    return this.readNtcb(timeoutMs);
  }

  send(bytes: Buffer): void {
    this.socket?.write(bytes);
  }

  /** Resolves with the next `length` bytes the server sent; rejects after `timeoutMs`. */
  async read(length: number, timeoutMs: number): Promise<Buffer> {
    const deadline = Date.now() + timeoutMs;
    while (this.buffer.length < length) {
      if (this.ended)
        throw new Error(`connection closed after ${this.buffer.length}/${length} bytes`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no reply within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.waiter = null;
    }
    const out = this.buffer.subarray(0, length);
    this.buffer = this.buffer.subarray(length);
    return Buffer.from(out);
  }

  /** Whether any byte arrived (for "no reply yet" checks), without consuming it. */
  get bufferedReplyBytes(): number {
    return this.buffer.length;
  }

  async readNtcb(timeoutMs: number): Promise<Buffer> {
    const header = await this.read(16, timeoutMs);
    const body = await this.read(header.readUInt16LE(12), timeoutMs);
    return Buffer.concat([header, body]);
  }

  close(): void {
    this.socket?.destroy();
  }

  private ntcb(body: Buffer): Buffer {
    return encodeNtcbPacket({ receiverId: 1, senderId: this.options.deviceId ?? 0 }, body);
  }
}

/**
 * `count` plausible positions (Moscow, 12.5 km/h, good fix), one a second from `base`, indexes
 * from `firstIndex`: what tests send when only the framing, the times or the indexes matter.
 */
export function samplePositions(count: number, base: Date, firstIndex = 1): FlexPositionInput[] {
  return Array.from({ length: count }, (_, i) => ({
    index: firstIndex + i,
    eventCode: 0,
    eventTime: new Date(base.getTime() + i * 1000),
    fixTime: new Date(base.getTime() + i * 1000),
    valid: true,
    satellites: 9,
    latitude: 55.75 + i * 0.001,
    longitude: 37.61 + i * 0.001,
    altitudeM: 150,
    speedKmh: 12.5,
    course: 90,
    odometerKm: 1000,
    mainPowerV: 12.6,
    backupBatteryV: 4.1,
  }));
}
