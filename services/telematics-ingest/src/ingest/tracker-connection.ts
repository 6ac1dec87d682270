import { type Socket } from 'node:net';
import { NavtelecomSession, type SessionEvent } from '@platform/navtelecom';
import { type IngestMetrics } from '../metrics/ingest-metrics';
import {
  damagedWriteOf,
  type FrameWrite,
  frameTypeOf,
  frameWriteOf,
  isAcceptableIdentifier,
} from './frame-write';

/** What a connection needs from the rest of the ingest. */
export interface ConnectionContext {
  readonly maxFrameBytes: number;
  readonly storeRawFrames: boolean;
  readonly metrics: IngestMetrics;
  /** Resolves once the write is committed; rejects when it never will be (shutdown). */
  submit(write: FrameWrite): Promise<void>;
  /** The connection that announced `imei` at `connectedAt` ended, its writes all settled. */
  deviceDisconnected(imei: string, connectedAt: Date): void;
}

/**
 * Frames a connection may send before it says who it is (a device's first frame is its `*>S` or
 * a text frame carrying its IMEI; a negotiation or keep-alive may come first). Past this the
 * connection is closed: nothing of it is stored, so it would only cost the server CPU.
 */
export const MAX_FRAMES_BEFORE_IDENTIFICATION = 8;

/**
 * A device that negotiates FLEX without a `*>S` handshake (the specification's own worked session,
 * App. A.3) is identified by its NTCB sender id, as `ntcb-<id>` (navtelecom.md §15). Id 0, the
 * default every unconfigured tracker sends, names nobody: such a device stays unidentified.
 */
function senderIdentifier(senderId: number | null): string | null {
  return senderId ? `ntcb-${senderId}` : null;
}

interface PendingReply {
  done: boolean;
  reply: Buffer | null;
  receivedAt: number;
}

/**
 * One tracker TCP connection: bytes into its NavtelecomSession, each frame's rows into the group
 * commit, and each reply written only once its frame is committed, in the order the frames
 * arrived (a reply waits for the replies of earlier frames). Nothing is replied to a damaged
 * unit, to records of a device that has not said who it is, or to a refused identifier.
 */
export class TrackerConnection {
  private readonly session: NavtelecomSession;
  private readonly replies: PendingReply[] = [];
  private imei: string | null = null;
  private framesBeforeIdentification = 0;
  private lastArrivalMs = 0;
  /** When the first frame attributed to the device arrived (its write sets connected_at). */
  private connectedAt: Date | null = null;
  private offline = false;
  private closed = false;
  private closing = false;
  /** The connection ends once every pending reply went out (the peer ended, or a fatal unit). */
  private endAfterReplies = false;

  constructor(
    readonly socket: Socket,
    readonly address: string,
    private readonly context: ConnectionContext,
  ) {
    this.session = new NavtelecomSession({ maxFrameBytes: context.maxFrameBytes });
  }

  get identifier(): string | null {
    return this.imei;
  }

  /** Neither closed by either side nor closing. */
  get isOpen(): boolean {
    return !this.closed && !this.closing;
  }

  /** Frames received and not yet replied to (or dropped). */
  get unanswered(): number {
    return this.replies.length;
  }

  receive(chunk: Buffer): void {
    if (this.closed || this.closing) return;
    const receivedAt = performance.now();
    for (const event of this.session.push(chunk)) {
      if (this.closing) return;
      this.handle(event, receivedAt);
    }
  }

  /** The device half-closed: the connection ends once every pending reply went out. */
  endWhenAnswered(): void {
    this.endAfterReplies = true;
    this.flushReplies();
  }

  /**
   * The socket closed: a unit cut short is counted; the device goes offline once every frame
   * received is committed (or abandoned), so that no write of this connection, committing
   * later, marks it online again.
   */
  ended(): void {
    if (this.closed) return;
    this.closed = true;
    for (const event of this.session.end()) {
      if (event.type === 'damaged')
        this.context.metrics.damagedFrames.inc({ reason: event.reason });
    }
    this.flushReplies();
  }

  private handle(event: SessionEvent, receivedAt: number): void {
    const { metrics } = this.context;
    if (event.type === 'fatal') {
      metrics.damagedFrames.inc({ reason: event.reason });
      this.closeAfterReplies(`fatal-${event.reason}`);
      return;
    }
    if (event.type === 'damaged') {
      metrics.damagedFrames.inc({ reason: event.reason });
      if (this.context.storeRawFrames && this.imei !== null) {
        this.context
          .submit(damagedWriteOf(this.imei, event.raw, new Date()))
          .catch(() => undefined);
      }
      return;
    }
    const { frame } = event;
    metrics.frames.inc({ type: frameTypeOf(frame) });
    metrics.lastFrameTimestamp.set(Date.now() / 1000);
    if (!this.imei && this.framesBeforeIdentification++ >= MAX_FRAMES_BEFORE_IDENTIFICATION) {
      metrics.refusedFrames.inc({ reason: 'unidentified' });
      this.close('unidentified');
      return;
    }
    if (frame.kind === 'ping') return;
    const identifier =
      frame.kind === 'ntcb' && frame.message.type === 'handshake'
        ? frame.message.identifier
        : frame.kind === 'text'
          ? frame.frame.imei
          : this.imei === null && frame.kind === 'ntcb' && frame.message.type === 'flex-negotiation'
            ? senderIdentifier(this.session.state.deviceId)
            : null;
    if (identifier !== null) {
      if (!isAcceptableIdentifier(identifier) || (this.imei !== null && identifier !== this.imei)) {
        // Not answering the handshake is how the protocol refuses a device (spec §4).
        metrics.refusedFrames.inc({ reason: 'identifier' });
        this.close('refused-identifier');
        return;
      }
      this.imei = identifier;
    }
    if (!this.imei && event.records.length > 0) {
      // Records of nobody: never acknowledged (the device resends after its handshake).
      metrics.refusedFrames.inc({ reason: 'unidentified' });
      return;
    }
    const now = this.arrivalTime();
    const connectedFrom = this.imei && !this.connectedAt ? this.address : null;
    if (connectedFrom) this.connectedAt = now;
    const write = frameWriteOf(event, {
      imei: this.imei,
      ntcbDeviceId: this.session.state.deviceId,
      receivedAt: now,
      storeRaw: this.context.storeRawFrames,
      connectedFrom,
    });
    const pending: PendingReply = { done: false, reply: event.reply, receivedAt };
    this.replies.push(pending);
    const needsCommit =
      write.positions.length > 0 ||
      write.busValues.length > 0 ||
      write.events.length > 0 ||
      write.device !== null ||
      write.raw !== null;
    if (!needsCommit) {
      pending.done = true;
      this.flushReplies();
      return;
    }
    this.context.submit(write).then(
      () => {
        pending.done = true;
        this.flushReplies();
      },
      () => {
        // Never committed (shutdown): no reply, the device sends it again to whoever is up.
        pending.reply = null;
        pending.done = true;
        this.flushReplies();
      },
    );
  }

  /**
   * When the frame arrived, a millisecond after the previous frame of the connection at the
   * least. Records without a device time are stored under it, and the key (device, time, index,
   * name) made two of one millisecond (a burst of text CAN frames) one row, both acknowledged.
   */
  private arrivalTime(): Date {
    this.lastArrivalMs = Math.max(Date.now(), this.lastArrivalMs + 1);
    return new Date(this.lastArrivalMs);
  }

  private flushReplies(): void {
    while (this.replies.length > 0 && (this.replies[0] as PendingReply).done) {
      const { reply, receivedAt } = this.replies.shift() as PendingReply;
      if (reply && !this.closed && this.socket.writable) {
        this.socket.write(reply);
        this.context.metrics.ackSeconds.observe((performance.now() - receivedAt) / 1000);
      }
    }
    if (this.replies.length > 0) return;
    if (this.closed) {
      if (this.imei && this.connectedAt && !this.offline) {
        this.offline = true;
        this.context.deviceDisconnected(this.imei, this.connectedAt);
      }
    } else if (this.endAfterReplies) {
      // end() flushes what was written; destroy() then does not wait for the peer's FIN
      this.socket.end(() => this.socket.destroy());
    }
  }

  /**
   * Reads nothing more, but the frames decoded before the fatal unit (often in the same chunk)
   * are still committed and acknowledged before the connection ends: the device need not resend
   * what was stored.
   */
  private closeAfterReplies(reason: string): void {
    if (this.closing) return;
    this.closing = true;
    this.context.metrics.connectionsClosed.inc({ reason });
    this.socket.pause();
    this.endAfterReplies = true;
    this.flushReplies();
  }

  /** Ends the connection now, also one that was waiting for its replies (idle, shutdown). */
  close(reason: string): void {
    if (this.socket.destroyed) return;
    if (!this.closing) this.context.metrics.connectionsClosed.inc({ reason });
    this.closing = true;
    this.socket.destroy();
  }
}
