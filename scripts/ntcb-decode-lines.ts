// Line protocol of scripts/ntcb-decode: hex lines in, one JSON line out per non-empty line. Uses
// the same NavtelecomSession as the ingest server, one session per connection.
import {
  NavtelecomSession,
  isoUtc,
  telemetryRecordToJson,
  type JsonValue,
  type SessionEvent,
  type TextFrame,
} from '@platform/navtelecom';

export const NTCB_DECODE_HELP = `Usage: scripts/ntcb-decode [--help] < lines-of-hex

Decodes Navtelecom NTCB/FLEX (and design-note text) traffic with the ingest server's session
decoder, as the server would answer it.

Input (stdin): one line of hex per chunk of bytes a device sent, in order. Consecutive non-empty
lines belong to the same TCP connection; an empty line starts a new connection. Whitespace inside
a line and a leading 0x are ignored.

Output (stdout): exactly one JSON line per non-empty input line:
  {"reply": "<hex of every byte the server sends back for this line, '' if none>",
   "records": [{"index", "eventTime", "latitude", "longitude", "speedKmh", "course", ...}],
   "error": "<only when something was wrong>"}
plus "canFrames" / "events" for design-note text CAN and event frames when present.
Times are ISO 8601 UTC, coordinates degrees, speed km/h; fields outside the mask are null.

A line that ends inside a frame is not an error by itself: the rest stays buffered and the next
line of the same connection completes it, as on TCP; its reply appears on the line that completes
the frame. Only when the connection ends (empty line or end of input) with bytes still buffered
does the connection's last line report "truncated". So a line that ends on a unit boundary is
answered at once, and a line that ends inside a frame only once the next line (or the end of
input) is read.

Damaged frames (bad checksum or CRC) get no reply and are reported in "error"; a fatal error
(unknown format, framing lost for good) ends the connection: its further lines only report it.

Exit status: 0 when the input was read (even with protocol errors), 2 on bad usage.`;

export interface DecodedLine {
  reply: string;
  records: JsonValue[];
  canFrames?: JsonValue[];
  events?: JsonValue[];
  error?: string;
}

interface PendingLine {
  readonly result: DecodedLine;
  readonly errors: string[];
}

const HEX = /^(?:[0-9a-fA-F]{2})*$/;

/** Hex text → bytes; null when it is not an even run of hex digits. */
export function parseHexLine(line: string): Buffer | null {
  const compact = line.replace(/\s+/g, '').replace(/^0x/i, '');
  return HEX.test(compact) ? Buffer.from(compact, 'hex') : null;
}

function describe(event: Exclude<SessionEvent, { type: 'frame' }>): string {
  return `${event.type === 'fatal' ? 'fatal' : 'damaged'} ${event.reason}: ${event.message}`;
}

/** Stateful: feed lines with `line()`, then `end()`; each returns the JSON lines now complete. */
export class NtcbLineDecoder {
  private session: NavtelecomSession | null = null;
  private pending: PendingLine | null = null;

  line(text: string): string[] {
    if (text.trim() === '') return this.endConnection();
    const output = this.flush();
    this.session ??= new NavtelecomSession();
    this.pending = this.decode(this.session, text);
    // Only a line that ends inside a unit can still get an error (truncated) from the connection's
    // end; any other line is final now, and a caller waiting for the reply must not hang.
    if (!this.session.insideUnit) output.push(...this.flush());
    return output;
  }

  end(): string[] {
    return this.endConnection();
  }

  private endConnection(): string[] {
    if (this.pending && this.session) {
      for (const event of this.session.end()) {
        if (event.type !== 'frame') this.pending.errors.push(describe(event));
      }
    }
    this.session = null;
    return this.flush();
  }

  private flush(): string[] {
    if (!this.pending) return [];
    const { result, errors } = this.pending;
    this.pending = null;
    if (errors.length > 0) result.error = errors.join('; ');
    return [JSON.stringify(result)];
  }

  private decode(session: NavtelecomSession, text: string): PendingLine {
    const result: DecodedLine = { reply: '', records: [] };
    const errors: string[] = [];
    const fatal = session.state.fatal;
    if (fatal) {
      errors.push(`connection already closed after a fatal error (${fatal}); line ignored`);
      return { result, errors };
    }
    const bytes = parseHexLine(text);
    if (!bytes) {
      errors.push('invalid hex: expected an even number of hex digits');
      return { result, errors };
    }
    const replies: Buffer[] = [];
    for (const event of session.push(bytes)) {
      if (event.type !== 'frame') {
        errors.push(describe(event));
        continue;
      }
      if (event.reply) replies.push(event.reply);
      result.records.push(...event.records.map(telemetryRecordToJson));
      if (event.frame.kind === 'text') addTextExtras(result, event.frame.frame);
    }
    result.reply = Buffer.concat(replies).toString('hex');
    return { result, errors };
  }
}

function addTextExtras(result: DecodedLine, frame: TextFrame): void {
  if (frame.type === 'can') {
    const { can } = frame;
    (result.canFrames ??= []).push({
      imei: frame.imei,
      canId: can.canId,
      extended: can.extended,
      data: can.data.toString('hex'),
      protocol: can.protocol,
      pgn: can.j1939?.identifier.pgn ?? null,
      pid: can.obd2?.pid ?? null,
      values: can.values.map((value) => ({ ...value })),
    });
  } else if (frame.type === 'event') {
    (result.events ??= []).push({
      imei: frame.imei,
      eventType: frame.eventType,
      eventTime: isoUtc(frame.eventTime),
      description: frame.description,
    });
  }
}

/** Whole-input convenience for tests: input text → output lines. */
export function decodeHexTranscript(input: string): string[] {
  const decoder = new NtcbLineDecoder();
  return [...input.split(/\r?\n/).flatMap((line) => decoder.line(line)), ...decoder.end()];
}
