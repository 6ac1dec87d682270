/**
 * Encoder of Postgres's binary COPY format (`COPY ... FROM STDIN (FORMAT binary)`), for the few
 * column types the ingest writes. Binary, because the text encodings (of COPY or of array
 * parameters) cost the ingest more CPU than everything else it does per record: numbers and
 * times go out as their bytes, nothing is formatted or escaped.
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

export class BinaryCopyWriter {
  private buffer: Buffer;
  private offset = 0;

  constructor(initialBytes = 64 * 1024) {
    this.buffer = Buffer.allocUnsafe(Math.max(initialBytes, 64));
    SIGNATURE.copy(this.buffer, 0);
    this.buffer.writeInt32BE(0, 11); // flags: no OIDs
    this.buffer.writeInt32BE(0, 15); // no header extension
    this.offset = 19;
  }

  /** Starts a row of `fields` values; exactly that many value calls must follow. */
  row(fields: number): this {
    this.ensure(2);
    this.offset = this.buffer.writeInt16BE(fields, this.offset);
    return this;
  }

  null(): this {
    this.ensure(4);
    this.offset = this.buffer.writeInt32BE(-1, this.offset);
    return this;
  }

  /** A uuid in its text form (hex digits, hyphens skipped). */
  uuid(value: string | null): this {
    if (value === null) return this.null();
    this.ensure(20);
    const start = this.offset;
    const end = start + 20;
    let out = start + 4;
    let high = -1;
    for (let i = 0; i < value.length; i += 1) {
      const code = value.charCodeAt(i);
      if (code === HYPHEN) continue;
      const nibble = hexValue(code);
      if (nibble < 0 || out === end) throw new TypeError(`not a uuid: ${value}`);
      if (high < 0) {
        high = nibble;
      } else {
        this.buffer[out] = (high << 4) | nibble;
        out += 1;
        high = -1;
      }
    }
    if (out !== end || high >= 0) throw new TypeError(`not a uuid: ${value}`);
    this.buffer.writeInt32BE(16, start);
    this.offset = end;
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
    this.buffer.writeInt32BE(2, this.offset);
    this.offset = this.buffer.writeInt16BE(value, this.offset + 4);
    return this;
  }

  int4(value: number | null): this {
    if (value === null) return this.null();
    this.ensure(8);
    this.buffer.writeInt32BE(4, this.offset);
    this.offset = this.buffer.writeInt32BE(value, this.offset + 4);
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
    this.buffer.writeInt32BE(4, this.offset);
    this.offset = this.buffer.writeFloatBE(value, this.offset + 4);
    return this;
  }

  float8(value: number | null): this {
    if (value === null) return this.null();
    this.ensure(12);
    this.buffer.writeInt32BE(8, this.offset);
    this.offset = this.buffer.writeDoubleBE(value, this.offset + 4);
    return this;
  }

  bool(value: boolean | null): this {
    if (value === null) return this.null();
    this.ensure(5);
    this.buffer.writeInt32BE(1, this.offset);
    this.buffer[this.offset + 4] = value ? 1 : 0;
    this.offset += 5;
    return this;
  }

  /** text, varchar: UTF-8 bytes (the server checks the length limit of varchar(n)). */
  text(value: string | null): this {
    if (value === null) return this.null();
    this.ensure(4 + value.length * 3);
    const written = this.buffer.write(value, this.offset + 4, 'utf8');
    this.buffer.writeInt32BE(written, this.offset);
    this.offset += 4 + written;
    return this;
  }

  bytea(value: Uint8Array | null): this {
    if (value === null) return this.null();
    this.ensure(4 + value.length);
    this.buffer.writeInt32BE(value.length, this.offset);
    this.buffer.set(value, this.offset + 4);
    this.offset += 4 + value.length;
    return this;
  }

  /** The whole COPY stream (the writer must not be used afterwards). */
  finish(): Buffer {
    this.ensure(2);
    this.offset = this.buffer.writeInt16BE(-1, this.offset);
    return this.buffer.subarray(0, this.offset);
  }

  private int64Field(value: number): this {
    this.ensure(12);
    const high = Math.floor(value / TWO_32);
    this.buffer.writeInt32BE(8, this.offset);
    this.buffer.writeInt32BE(high, this.offset + 4);
    this.offset = this.buffer.writeUInt32BE(value - high * TWO_32, this.offset + 8);
    return this;
  }

  private ensure(bytes: number): void {
    if (this.offset + bytes <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.offset + bytes));
    this.buffer.copy(grown, 0, 0, this.offset);
    this.buffer = grown;
  }
}

function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48; // 0-9
  if (code >= 97 && code <= 102) return code - 87; // a-f
  if (code >= 65 && code <= 70) return code - 55; // A-F
  return -1;
}
