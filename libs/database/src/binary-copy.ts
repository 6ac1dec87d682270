/**
 * Encoder of Postgres's binary COPY format (`COPY ... FROM STDIN (FORMAT binary)`), for the
 * column types the tracker ingest writes (and its benchmark's floor). Binary, because the text
 * encodings (of COPY or of array parameters) cost the ingest more CPU than everything else it
 * does per record: numbers and times go out as their bytes, nothing is formatted or escaped.
 *
 * Format (PostgreSQL docs, "COPY", "Binary Format"): an 11-byte signature, int32 flags, int32
 * header extension length; per row an int16 field count, then per field an int32 byte length
 * (-1 = NULL) and the type's binary send representation; an int16 -1 trailer. All big-endian.
 */

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
/** 2000-01-01T00:00:00Z, the Postgres epoch, in Unix milliseconds. */
const POSTGRES_EPOCH_MS = 946_684_800_000;
const TWO_32 = 4_294_967_296;
const HYPHEN = 45;
/** Strings up to this long are tried as ASCII first. */
const SHORT_TEXT = 64;

export class BinaryCopyWriter {
  private buffer: Buffer;
  /** The same bytes: DataView's big-endian stores compile to a few instructions. */
  private view: DataView;
  private offset = 0;

  constructor(initialBytes = 64 * 1024) {
    this.buffer = Buffer.allocUnsafe(Math.max(initialBytes, 64));
    this.view = viewOf(this.buffer);
    SIGNATURE.copy(this.buffer, 0);
    this.view.setInt32(11, 0); // flags: no OIDs
    this.view.setInt32(15, 0); // no header extension
    this.offset = 19;
  }

  /** Starts a row of `fields` values; exactly that many value calls must follow. */
  row(fields: number): this {
    this.ensure(2);
    this.view.setInt16(this.offset, fields);
    this.offset += 2;
    return this;
  }

  null(): this {
    this.ensure(4);
    this.view.setInt32(this.offset, -1);
    this.offset += 4;
    return this;
  }

  /** A uuid: its 16 bytes ({@link uuidBytes}), or its text form. */
  uuid(value: Uint8Array | string | null): this {
    if (value === null) return this.null();
    const bytes = typeof value === 'string' ? uuidBytes(value) : value;
    if (bytes.length !== 16) throw new TypeError('a uuid is 16 bytes');
    this.ensure(20);
    this.view.setInt32(this.offset, 16);
    this.buffer.set(bytes, this.offset + 4);
    this.offset += 20;
    return this;
  }

  /** Microseconds since the Postgres epoch; a Date has milliseconds, so this is exact. */
  timestamptz(value: Date | null): this {
    if (value === null) return this.null();
    const ms = value.getTime();
    if (Number.isNaN(ms)) return this.null();
    return this.int64Field((ms - POSTGRES_EPOCH_MS) * 1000);
  }

  int2(value: number | null): this {
    if (value === null) return this.null();
    this.ensure(6);
    this.view.setInt32(this.offset, 2);
    this.view.setInt16(this.offset + 4, value);
    this.offset += 6;
    return this;
  }

  int4(value: number | null): this {
    if (value === null) return this.null();
    this.ensure(8);
    this.view.setInt32(this.offset, 4);
    this.view.setInt32(this.offset + 4, value);
    this.offset += 8;
    return this;
  }

  /** A safe integer (|value| < 2^53): what JavaScript numbers hold exactly. */
  int8(value: number | null): this {
    if (value === null) return this.null();
    if (!Number.isSafeInteger(value)) throw new RangeError(`not a safe integer: ${value}`);
    return this.int64Field(value);
  }

  float4(value: number | null): this {
    if (value === null) return this.null();
    this.ensure(8);
    this.view.setInt32(this.offset, 4);
    this.view.setFloat32(this.offset + 4, value);
    this.offset += 8;
    return this;
  }

  float8(value: number | null): this {
    if (value === null) return this.null();
    this.ensure(12);
    this.view.setInt32(this.offset, 8);
    this.view.setFloat64(this.offset + 4, value);
    this.offset += 12;
    return this;
  }

  bool(value: boolean | null): this {
    if (value === null) return this.null();
    this.ensure(5);
    this.view.setInt32(this.offset, 1);
    this.buffer[this.offset + 4] = value ? 1 : 0;
    this.offset += 5;
    return this;
  }

  /** text, varchar: UTF-8 bytes (the server checks the length limit of varchar(n)). */
  text(value: string | null): this {
    if (value === null) return this.null();
    this.ensure(4 + value.length * 3);
    const start = this.offset + 4;
    let written = 0;
    // Short ASCII (names, units, sources) byte by byte: cheaper than a call into the encoder.
    if (value.length <= SHORT_TEXT) {
      while (written < value.length) {
        const code = value.charCodeAt(written);
        if (code >= 0x80) break;
        this.buffer[start + written] = code;
        written += 1;
      }
    }
    if (written < value.length) written = this.buffer.write(value, start, 'utf8');
    this.view.setInt32(this.offset, written);
    this.offset = start + written;
    return this;
  }

  bytea(value: Uint8Array | null): this {
    if (value === null) return this.null();
    this.ensure(4 + value.length);
    this.view.setInt32(this.offset, value.length);
    this.buffer.set(value, this.offset + 4);
    this.offset += 4 + value.length;
    return this;
  }

  /** The whole COPY stream (the writer must not be used afterwards). */
  finish(): Buffer {
    this.ensure(2);
    this.view.setInt16(this.offset, -1);
    this.offset += 2;
    return this.buffer.subarray(0, this.offset);
  }

  private int64Field(value: number): this {
    this.ensure(12);
    const high = Math.floor(value / TWO_32);
    this.view.setInt32(this.offset, 8);
    this.view.setInt32(this.offset + 4, high);
    this.view.setUint32(this.offset + 8, value - high * TWO_32);
    this.offset += 12;
    return this;
  }

  private ensure(bytes: number): void {
    if (this.offset + bytes <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.offset + bytes));
    this.buffer.copy(grown, 0, 0, this.offset);
    this.buffer = grown;
    this.view = viewOf(grown);
  }
}

function viewOf(buffer: Buffer): DataView {
  return new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/** The 16 bytes of a uuid in its text form (hex digits; hyphens are skipped). */
export function uuidBytes(text: string): Buffer {
  const bytes = Buffer.allocUnsafe(16);
  let out = 0;
  let high = -1;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code === HYPHEN) continue;
    const nibble = hexValue(code);
    if (nibble < 0 || out === 16) throw new TypeError(`not a uuid: ${text}`);
    if (high < 0) {
      high = nibble;
    } else {
      bytes[out] = (high << 4) | nibble;
      out += 1;
      high = -1;
    }
  }
  if (out !== 16 || high >= 0) throw new TypeError(`not a uuid: ${text}`);
  return bytes;
}

function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48; // 0-9
  if (code >= 97 && code <= 102) return code - 87; // a-f
  if (code >= 65 && code <= 70) return code - 55; // A-F
  return -1;
}
