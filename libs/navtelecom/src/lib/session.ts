import { isUtf8 } from 'node:buffer';
import { ByteQueue } from './byte-queue';
import { xorChecksum } from './checksums';
import { isNavtelecomProtocolError, type NavtelecomDamageReason } from './errors';
import type { FlexLayout } from './flex-layout';
import {
  FLEX_MESSAGE_START,
  FLEX_PING,
  decodeFlexMessage,
  flexFrameLength,
  flexReplyFor,
  type FlexMessage,
} from './flex-messages';
import {
  HANDSHAKE_REPLY_BODY,
  NTCB_DEFAULT_PREAMBLE,
  NTCB_HEADER_LENGTH,
  NTCB_MAX_BODY_LENGTH,
  NTCB_PREAMBLE_START,
  decodeNtcbHeader,
  encodeNtcbReply,
  flexNegotiationReplyBody,
  isNtcbHeaderChecksumValid,
  legacyArrayReplyBody,
  legacySingleReplyBody,
  negotiateFlex,
  parseNtcbBody,
  type FlexNegotiationResult,
  type NtcbHeader,
  type NtcbMessage,
} from './ntcb';
import type { TelemetryRecord } from './telemetry-record';
import {
  TEXT_FRAME_DELIMITER,
  TEXT_MAX_FRAME_BYTES,
  parseTextFrame,
  textFrameAck,
  type TextFrame,
} from './text-format';

/**
 * The per-connection protocol state machine (spec §7, §11.2), with no I/O: feed it the TCP byte
 * stream in whatever chunks arrive, get back events. The first unit decides the mode for the
 * whole connection: `@` → binary NTCB/FLEX, `~` + [ATXE] + digit (or `~KA`, `~PING~`…) →
 * design-note text, 0x7F, whitespace or a bare keep-alive word → still undecided, anything else
 * → fatal. Binary framing is driven by lengths (NTCB header n, FLEX type + negotiated record
 * length, `~E`/`~X` record lengths), never by looking for `~`.
 *
 * Damaged units get no reply (the device resends): a bad CSd or CRC8 drops exactly the unit. A
 * bad NTCB header checksum makes its length untrusted: the session discards bytes until the next
 * NTCB header with a valid checksum (NTCB packets are answered, so the device resends it). A unit
 * whose length cannot be known at all (a byte that starts nothing, an unknown `~?` type, `~A`
 * before a negotiation) is fatal (spec §7.4-5): after the negotiation a device sends only FLEX
 * messages, which cannot be found again in a byte stream, and a new connection (handshake,
 * negotiation) is the device's fastest way back. Giving up resynchronising, an oversized text
 * frame, or an unknown first byte is fatal too: the caller closes the connection.
 *
 * The reply of a frame is returned, not sent: the server sends it once the records are stored.
 */
export interface NavtelecomSessionOptions {
  /** Largest binary unit; larger NTCB/FLEX units are skipped unbuffered. Default 16 + 65535. */
  readonly maxFrameBytes?: number;
  /** Largest text frame including both `~`. Default 512. */
  readonly maxTextFrameBytes?: number;
  /** Bytes discarded while resynchronising before the session gives up. Default maxFrameBytes. */
  readonly maxResyncBytes?: number;
}

export const DEFAULT_MAX_FRAME_BYTES = NTCB_HEADER_LENGTH + NTCB_MAX_BODY_LENGTH;

export type NavtelecomSessionMode = 'undecided' | 'binary' | 'text' | 'closed';

export const NAVTELECOM_FATAL_REASONS = [
  'unknown-format',
  'framing-lost',
  'resync-failed',
  'text-frame-too-large',
  'internal-error',
] as const;
export type NavtelecomFatalReason = (typeof NAVTELECOM_FATAL_REASONS)[number];

export type InboundFrame =
  | {
      readonly kind: 'ntcb';
      readonly header: NtcbHeader;
      readonly message: NtcbMessage;
      /** Set for `*>FLEX`: what was offered back and whether the mask now applies. */
      readonly negotiation: FlexNegotiationResult | null;
    }
  | { readonly kind: 'flex'; readonly message: FlexMessage }
  /** FLEX 0x7F, or a `PING`/`KEEPALIVE` word between text frames. */
  | { readonly kind: 'ping' }
  | { readonly kind: 'text'; readonly frame: TextFrame };

export type SessionEvent =
  | {
      readonly type: 'frame';
      readonly frame: InboundFrame;
      /** The telemetry records the frame carries (empty for service messages). */
      readonly records: readonly TelemetryRecord[];
      /** Exact bytes to send back once the frame is handled; null = send nothing. */
      readonly reply: Buffer | null;
      readonly raw: Buffer;
    }
  | {
      readonly type: 'damaged';
      readonly reason: NavtelecomDamageReason;
      readonly message: string;
      /** The rejected unit when its bounds are known, else the bytes that showed the damage. */
      readonly raw: Buffer;
    }
  | { readonly type: 'fatal'; readonly reason: NavtelecomFatalReason; readonly message: string };

export interface NavtelecomSessionState {
  readonly mode: NavtelecomSessionMode;
  /** From `*>S:` or the text frames. */
  readonly imei: string | null;
  /** IDs of the last valid NTCB packet (the device id) and its IDr (the server id). */
  readonly deviceId: number | null;
  readonly serverId: number | null;
  readonly flex: FlexLayout | null;
  readonly framesDecoded: number;
  readonly damagedFrames: number;
  readonly droppedBytes: number;
  readonly bufferedBytes: number;
  readonly fatal: NavtelecomFatalReason | null;
}

const TEXT_FRAME_TYPES = new Set([0x41, 0x54, 0x58, 0x45]); // A T X E
const isDigit = (byte: number): boolean => byte >= 0x30 && byte <= 0x39;
const TEXT_SEPARATORS = new Set([0x0a, 0x0d, 0x20, 0x09]);
/** Keep-alives of the text test clients, alone or as a frame (`~PING~`); never acknowledged. */
const KEEP_ALIVE_LIST = ['PING', 'KEEPALIVE', 'ALIVE', 'KA'];
const TEXT_KEEP_ALIVE_WORDS = new Set(KEEP_ALIVE_LIST);
/** Longest keep-alive word with its `~`s or line end: what the undecided session reads ahead. */
const KEEP_ALIVE_LOOKAHEAD = 12;
const isLineEnd = (byte: number): boolean => byte === 0x0a || byte === 0x0d;
const hex = (byte: number): string => `0x${byte.toString(16).padStart(2, '0')}`;

export class NavtelecomSession {
  private readonly queue = new ByteQueue();
  private readonly maxFrameBytes: number;
  private readonly maxTextFrameBytes: number;
  private readonly maxResyncBytes: number;
  private mode: NavtelecomSessionMode = 'undecided';
  /** Bytes that must be buffered before the current step can make progress. */
  private need = 1;
  /** Bytes of an oversized unit of known length still to be dropped unbuffered. */
  private skipRemaining = 0;
  private resyncing = false;
  private resyncDropped = 0;
  private preamble: Buffer = NTCB_DEFAULT_PREAMBLE;
  private imei: string | null = null;
  private deviceId: number | null = null;
  private serverId: number | null = null;
  private layout: FlexLayout | null = null;
  private framesDecoded = 0;
  private damagedFrames = 0;
  private droppedBytes = 0;
  private fatalReason: NavtelecomFatalReason | null = null;

  constructor(options: NavtelecomSessionOptions = {}) {
    this.maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
    this.maxTextFrameBytes = options.maxTextFrameBytes ?? TEXT_MAX_FRAME_BYTES;
    this.maxResyncBytes = options.maxResyncBytes ?? this.maxFrameBytes;
  }

  get state(): NavtelecomSessionState {
    return {
      mode: this.mode,
      imei: this.imei,
      deviceId: this.deviceId,
      serverId: this.serverId,
      flex: this.layout,
      framesDecoded: this.framesDecoded,
      damagedFrames: this.damagedFrames,
      droppedBytes: this.droppedBytes,
      bufferedBytes: this.queue.length,
      fatal: this.fatalReason,
    };
  }

  /** Bytes of an unfinished unit are buffered or still being skipped: end() would report them. */
  get insideUnit(): boolean {
    return this.mode !== 'closed' && (this.queue.length > 0 || this.skipRemaining > 0);
  }

  /** Feeds the next bytes of the stream; returns what they completed, in order. */
  push(chunk: Uint8Array): SessionEvent[] {
    const events: SessionEvent[] = [];
    if (this.mode === 'closed') return events;
    this.queue.push(chunk);
    try {
      this.drain(events);
    } catch (error) {
      // A bug must cost one connection, not the server: report it like any fatal error.
      this.fail(events, 'internal-error', error instanceof Error ? error.message : String(error));
    }
    return events;
  }

  /** The connection ended: bytes of an unfinished unit are reported as truncated. */
  end(): SessionEvent[] {
    const events: SessionEvent[] = [];
    if (this.mode === 'closed') return events;
    if (this.queue.length > 0 || this.skipRemaining > 0) {
      const missing = this.skipRemaining > 0 ? this.skipRemaining : this.need - this.queue.length;
      this.damage(
        events,
        'truncated',
        `connection ended inside a unit: ${this.queue.length} bytes buffered, at least ${Math.max(missing, 1)} more expected`,
        this.queue.take(this.queue.length),
      );
    }
    this.mode = 'closed';
    return events;
  }

  private drain(events: SessionEvent[]): void {
    for (;;) {
      if (this.mode === 'closed') {
        this.queue.clear();
        return;
      }
      if (this.skipRemaining > 0) {
        const dropped = Math.min(this.skipRemaining, this.queue.length);
        this.queue.skip(dropped);
        this.droppedBytes += dropped;
        this.skipRemaining -= dropped;
        if (this.skipRemaining > 0) return;
      }
      if (this.queue.length === 0 || this.queue.length < this.need) return;
      if (!this.step(events)) return;
      this.need = 1;
    }
  }

  /** One unit of work; false = waiting for `this.need` bytes. */
  private step(events: SessionEvent[]): boolean {
    switch (this.mode) {
      case 'undecided':
        return this.detectMode(events);
      case 'binary':
        return this.resyncing ? this.resyncStep(events) : this.binaryStep(events);
      case 'text':
        return this.textStep(events);
      case 'closed':
        return false;
    }
  }

  private detectMode(events: SessionEvent[]): boolean {
    const first = this.queue.byteAt(0);
    if (first === FLEX_PING) return this.ping(events);
    if (TEXT_SEPARATORS.has(first)) {
      this.queue.skip(1);
      return true;
    }
    if (first === NTCB_PREAMBLE_START) {
      this.mode = 'binary';
      return true;
    }
    if (first === FLEX_MESSAGE_START) {
      if (this.queue.length < 3) return this.wait(3);
      const type = this.queue.byteAt(1);
      const next = this.queue.byteAt(2);
      if ((TEXT_FRAME_TYPES.has(type) && isDigit(next)) || (type === 0x4b && next === 0x41)) {
        this.mode = 'text';
        return true;
      }
      const word = this.keepAliveAhead();
      if (word === 'wait') return this.wait(this.queue.length + 1);
      if (word) {
        this.mode = 'text';
        return true;
      }
      this.fail(
        events,
        'unknown-format',
        'FLEX message before any NTCB packet: nothing to frame it',
      );
      return true;
    }
    const word = this.keepAliveAhead();
    if (word === 'wait') return this.wait(this.queue.length + 1);
    if (word) {
      this.emit(events, { kind: 'ping' }, [], null, this.queue.take(word));
      return true;
    }
    this.fail(
      events,
      'unknown-format',
      `first byte ${hex(first)} starts neither NTCB (@), a FLEX ping (0x7f) nor a text frame (~)`,
    );
    return true;
  }

  private binaryStep(events: SessionEvent[]): boolean {
    const first = this.queue.byteAt(0);
    if (first === FLEX_PING) return this.ping(events);
    if (first === NTCB_PREAMBLE_START) return this.ntcbStep(events);
    if (first === FLEX_MESSAGE_START) return this.flexStep(events);
    return this.abandonFraming(events, 'unexpected-byte', `byte ${hex(first)} cannot start a unit`);
  }

  private ntcbStep(events: SessionEvent[]): boolean {
    if (this.queue.length < NTCB_HEADER_LENGTH) return this.wait(NTCB_HEADER_LENGTH);
    const headerBytes = this.queue.peek(NTCB_HEADER_LENGTH);
    if (!isNtcbHeaderChecksumValid(headerBytes)) {
      const unit = this.unitDespiteHeaderChecksum(headerBytes);
      if (unit > 0) {
        this.damage(
          events,
          'ntcb-header-checksum',
          `NTCB header checksum is ${hex(headerBytes[15])}, computed ${hex(xorChecksum(headerBytes, 0, 15))}; the unit its length gives is dropped`,
          this.queue.take(unit),
        );
        return true;
      }
      return this.loseFraming(
        events,
        'ntcb-header-checksum',
        `NTCB header checksum is ${hex(headerBytes[15])}, computed ${hex(xorChecksum(headerBytes, 0, 15))}`,
        Buffer.from(headerBytes),
      );
    }
    const header = decodeNtcbHeader(headerBytes);
    this.preamble = header.preamble;
    const total = NTCB_HEADER_LENGTH + header.bodyLength;
    if (total > this.maxFrameBytes) return this.skipOversized(events, total);
    if (this.queue.length < total) return this.wait(total);
    const packet = this.queue.take(total);
    const body = packet.subarray(NTCB_HEADER_LENGTH);
    const bodyChecksum = xorChecksum(body);
    if (bodyChecksum !== header.bodyChecksum) {
      this.damage(
        events,
        'ntcb-body-checksum',
        `NTCB body checksum is ${hex(header.bodyChecksum)}, computed ${hex(bodyChecksum)}`,
        packet,
      );
      return true;
    }
    let message: NtcbMessage;
    try {
      message = parseNtcbBody(body);
    } catch (error) {
      if (!isNavtelecomProtocolError(error)) throw error;
      this.damage(events, error.reason, error.message, packet);
      return true;
    }
    this.deviceId = header.senderId;
    this.serverId = header.receiverId;
    let negotiation: FlexNegotiationResult | null = null;
    let replyBody: Buffer | null = null;
    switch (message.type) {
      case 'handshake':
        this.imei = message.identifier;
        replyBody = HANDSHAKE_REPLY_BODY;
        break;
      case 'flex-negotiation':
        negotiation = negotiateFlex(message.request);
        if (negotiation.accepted) this.layout = negotiation.layout;
        replyBody = flexNegotiationReplyBody(negotiation);
        break;
      case 'legacy-single':
        replyBody = legacySingleReplyBody(message.eventIndex);
        break;
      case 'legacy-array':
        replyBody = legacyArrayReplyBody(message.count);
        break;
      case 'keep-alive':
      case 'other':
        break;
    }
    const reply = replyBody ? encodeNtcbReply(header, replyBody) : null;
    const records =
      message.type === 'legacy-single' || message.type === 'legacy-array' ? message.records : [];
    this.emit(events, { kind: 'ntcb', header, message, negotiation }, records, reply, packet);
    return true;
  }

  private flexStep(events: SessionEvent[]): boolean {
    const available = this.queue.peek(this.queue.length);
    const framing = flexFrameLength(available, this.layout?.recordLength ?? null);
    switch (framing.status) {
      case 'unknown-type':
        return this.abandonFraming(
          events,
          'flex-unknown-type',
          `FLEX type ${hex(framing.typeByte)} has no known length`,
          Buffer.from(available.subarray(0, 2)),
        );
      case 'needs-layout':
        return this.abandonFraming(
          events,
          'flex-before-negotiation',
          `~${framing.type} before a *>FLEX negotiation: record length unknown`,
          Buffer.from(available.subarray(0, 2)),
        );
      case 'need-more':
        if (framing.atLeast > this.maxFrameBytes) {
          return this.abandonFraming(
            events,
            'frame-too-large',
            `FLEX message longer than ${this.maxFrameBytes} bytes`,
          );
        }
        return this.wait(framing.atLeast);
      case 'known':
        break;
    }
    if (framing.length > this.maxFrameBytes) return this.skipOversized(events, framing.length);
    if (this.queue.length < framing.length) return this.wait(framing.length);
    const frame = this.queue.take(framing.length);
    if (!this.layout) {
      // Spec §7.4: FLEX is only valid after a successful *>FLEX. `~E`/`~X`/`~N`/`~P` frame without
      // a mask, so only this unit is dropped (unanswered) and framing goes on.
      this.damage(
        events,
        'flex-before-negotiation',
        `~${String.fromCharCode(frame[1] as number)} before a *>FLEX negotiation`,
        frame,
      );
      return true;
    }
    let message: FlexMessage;
    try {
      message = decodeFlexMessage(frame, this.layout);
    } catch (error) {
      if (!isNavtelecomProtocolError(error)) throw error;
      this.damage(events, error.reason, error.message, frame);
      return true;
    }
    this.emit(events, { kind: 'flex', message }, recordsOf(message), flexReplyFor(message), frame);
    return true;
  }

  /**
   * Looks for the next NTCB header (this session's preamble + valid header checksum); bytes before
   * it are dropped. Binary FLEX messages cannot be recognised without their start, so they are lost
   * too — they were not acknowledged and the device sends them again.
   */
  private resyncStep(events: SessionEvent[]): boolean {
    const available = this.queue.peek(this.queue.length);
    const found = available.indexOf(this.preamble);
    if (found === -1) {
      const keep = Math.min(this.queue.length, this.preamble.length - 1);
      this.dropWhileResyncing(events, this.queue.length - keep);
      return this.mode === 'closed' || this.wait(this.queue.length + 1);
    }
    this.dropWhileResyncing(events, found);
    if (this.mode === 'closed') return true;
    if (this.queue.length < NTCB_HEADER_LENGTH) return this.wait(NTCB_HEADER_LENGTH);
    if (isNtcbHeaderChecksumValid(this.queue.peek(NTCB_HEADER_LENGTH))) {
      this.resyncing = false;
      this.resyncDropped = 0;
    } else {
      this.dropWhileResyncing(events, 1);
    }
    return true;
  }

  private dropWhileResyncing(events: SessionEvent[], count: number): void {
    this.queue.skip(count);
    this.droppedBytes += count;
    this.resyncDropped += count;
    if (this.resyncDropped > this.maxResyncBytes) {
      this.fail(events, 'resync-failed', `no valid NTCB header in ${this.resyncDropped} bytes`);
    }
  }

  /**
   * Whether the undecided stream starts with a keep-alive word, bare up to a line end (`PING`) or
   * between `~`s (`~PING~`): the bytes it takes, 0 if it is none, 'wait' while it may still be one.
   */
  private keepAliveAhead(): number | 'wait' {
    const window = this.queue.peek(Math.min(this.queue.length, KEEP_ALIVE_LOOKAHEAD));
    const framed = window[0] === TEXT_FRAME_DELIMITER;
    const start = framed ? 1 : 0;
    for (let i = start; i < window.length; i += 1) {
      const byte = window[i] as number;
      if (framed ? byte === TEXT_FRAME_DELIMITER : isLineEnd(byte)) {
        const word = window.toString('latin1', start, i);
        return TEXT_KEEP_ALIVE_WORDS.has(word) ? i + (framed ? 1 : 0) : 0;
      }
      const prefix = window.toString('latin1', start, i + 1);
      if (!KEEP_ALIVE_LIST.some((word) => word.startsWith(prefix))) return 0;
    }
    return window.length < KEEP_ALIVE_LOOKAHEAD ? 'wait' : 0;
  }

  private textStep(events: SessionEvent[]): boolean {
    const first = this.queue.byteAt(0);
    if (first === FLEX_PING) return this.ping(events);
    if (TEXT_SEPARATORS.has(first)) {
      this.queue.skip(1);
      return true;
    }
    const window = this.queue.peek(Math.min(this.queue.length, this.maxTextFrameBytes));
    if (first !== TEXT_FRAME_DELIMITER) return this.textWord(events, window);
    if (window.length > 1 && window[1] === TEXT_FRAME_DELIMITER) {
      // `~~`: a stray `~` (or a frame's closing one doubled); the second may open a frame
      this.damage(events, 'text-garbage', 'a ~ with no frame after it', this.queue.take(1));
      return true;
    }
    const end = window.indexOf(TEXT_FRAME_DELIMITER, 1);
    // A frame is one line: a line end before the closing `~` means the `~` was lost. Dropping
    // the frame there keeps the next lines' frames, which would otherwise be framed off by one.
    const lineEnd = window.findIndex(isLineEnd);
    if (lineEnd !== -1 && (end === -1 || lineEnd < end)) {
      const cut = this.queue.take(lineEnd);
      this.damage(events, 'text-malformed', 'text frame ends at a line end before its ~', cut);
      return true;
    }
    if (end === -1) {
      if (this.queue.length >= this.maxTextFrameBytes) {
        this.fail(
          events,
          'text-frame-too-large',
          `no closing ~ within ${this.maxTextFrameBytes} bytes`,
        );
        return true;
      }
      return this.wait(this.queue.length + 1);
    }
    const raw = this.queue.take(end + 1);
    const content = raw.toString('latin1', 1, end).trim();
    if (TEXT_KEEP_ALIVE_WORDS.has(content)) {
      this.emit(events, { kind: 'ping' }, [], null, raw);
      return true;
    }
    if (!isUtf8(raw.subarray(1, end))) {
      this.damage(events, 'text-malformed', 'text frame is not UTF-8', raw);
      return true;
    }
    let frame: TextFrame;
    try {
      frame = parseTextFrame(raw.toString('utf8', 1, end));
    } catch (error) {
      if (!isNavtelecomProtocolError(error)) throw error;
      this.damage(events, error.reason, error.message, raw);
      return true;
    }
    this.imei = frame.imei;
    const records = frame.type === 'position' ? [frame.record] : [];
    this.emit(events, { kind: 'text', frame }, records, textFrameAck(frame), raw);
    return true;
  }

  /** Bytes between text frames up to a newline or `~`: a keep-alive word, else garbage. */
  private textWord(events: SessionEvent[], window: Buffer): boolean {
    let end = window.findIndex((byte) => byte === TEXT_FRAME_DELIMITER || isLineEnd(byte));
    if (end === -1) {
      if (this.queue.length < this.maxTextFrameBytes) return this.wait(this.queue.length + 1);
      end = window.length;
    }
    const raw = this.queue.take(end);
    const word = raw.toString('latin1').trim();
    if (TEXT_KEEP_ALIVE_WORDS.has(word)) {
      this.emit(events, { kind: 'ping' }, [], null, raw);
    } else {
      this.damage(events, 'text-garbage', `${raw.length} bytes outside a text frame`, raw);
    }
    return true;
  }

  private ping(events: SessionEvent[]): boolean {
    this.emit(events, { kind: 'ping' }, [], null, this.queue.take(1));
    return true;
  }

  private wait(bytes: number): false {
    this.need = bytes;
    return false;
  }

  /** A unit of known length over the limit: reported, then dropped as it streams past. */
  private skipOversized(events: SessionEvent[], length: number): boolean {
    const head = Buffer.from(this.queue.peek(Math.min(this.queue.length, NTCB_HEADER_LENGTH)));
    this.damage(
      events,
      'frame-too-large',
      `unit of ${length} bytes exceeds the ${this.maxFrameBytes}-byte limit`,
      head,
    );
    this.skipRemaining = length;
    return true;
  }

  /**
   * The length of a packet whose header checksum is wrong, when everything else vouches for it:
   * the whole packet is here, its body checksum matches, and it ends where the buffer does or where
   * another unit starts. Then only that packet is damaged (spec §7: drop the unit) and the FLEX
   * messages after it, which resynchronising on the next NTCB header would drop as well, are read.
   * 0 when the length cannot be trusted.
   */
  private unitDespiteHeaderChecksum(headerBytes: Uint8Array): number {
    const header = decodeNtcbHeader(headerBytes);
    const total = NTCB_HEADER_LENGTH + header.bodyLength;
    if (total > this.maxFrameBytes || this.queue.length < total) return 0;
    const packet = this.queue.peek(total);
    if (xorChecksum(packet.subarray(NTCB_HEADER_LENGTH)) !== header.bodyChecksum) return 0;
    if (this.queue.length === total) return total;
    const next = this.queue.byteAt(total);
    return next === NTCB_PREAMBLE_START || next === FLEX_MESSAGE_START || next === FLEX_PING
      ? total
      : 0;
  }

  /** A bad NTCB header checksum: its length is untrusted, the next verified header is looked for. */
  private loseFraming(
    events: SessionEvent[],
    reason: NavtelecomDamageReason,
    message: string,
    raw: Buffer,
  ): boolean {
    this.damage(events, reason, `${message}; resynchronising on the next NTCB header`, raw);
    this.resyncing = true;
    this.resyncDropped = 0;
    this.dropWhileResyncing(events, 1);
    return true;
  }

  /** A unit of unknowable length: reported as damaged (its bytes kept), then the session ends. */
  private abandonFraming(
    events: SessionEvent[],
    reason: NavtelecomDamageReason,
    message: string,
    raw: Buffer = Buffer.from(this.queue.peek(Math.min(this.queue.length, NTCB_HEADER_LENGTH))),
  ): boolean {
    this.damage(events, reason, message, raw);
    this.fail(events, 'framing-lost', `${message}: the frame boundaries are lost`);
    return true;
  }

  private emit(
    events: SessionEvent[],
    frame: InboundFrame,
    records: readonly TelemetryRecord[],
    reply: Buffer | null,
    raw: Buffer,
  ): void {
    this.framesDecoded++;
    events.push({ type: 'frame', frame, records, reply, raw });
  }

  private damage(
    events: SessionEvent[],
    reason: NavtelecomDamageReason,
    message: string,
    raw: Buffer,
  ): void {
    this.damagedFrames++;
    events.push({ type: 'damaged', reason, message, raw });
  }

  private fail(events: SessionEvent[], reason: NavtelecomFatalReason, message: string): void {
    this.mode = 'closed';
    this.fatalReason = reason;
    this.droppedBytes += this.queue.length;
    this.queue.clear();
    events.push({ type: 'fatal', reason, message });
  }
}

function recordsOf(message: FlexMessage): readonly TelemetryRecord[] {
  switch (message.type) {
    case 'A':
    case 'E':
      return message.records;
    case 'T':
    case 'C':
    case 'X':
      return [message.record];
    case 'N':
    case 'P':
      return [];
  }
}
