import { BinaryCopyWriter, uuidBytes } from './binary-copy';

const HEADER = '5047434f50590aff0d0a00' + '00000000' + '00000000';
const TRAILER = 'ffff';

/** The bytes of one row's fields (after the header and the field count). */
function fieldsOf(build: (writer: BinaryCopyWriter) => void, fields = 1): string {
  const writer = new BinaryCopyWriter(64);
  build(writer.row(fields));
  const hex = writer.finish().toString('hex');
  const count = fields.toString(16).padStart(4, '0');
  expect(hex.startsWith(HEADER + count)).toBe(true);
  expect(hex.endsWith(TRAILER)).toBe(true);
  return hex.slice(HEADER.length + 4, -TRAILER.length);
}

describe('BinaryCopyWriter', () => {
  it('writes the signature, flags and header extension, and the trailer', () => {
    expect(new BinaryCopyWriter().finish().toString('hex')).toBe(HEADER + TRAILER);
  });

  it('NULL is length -1 for every type', () => {
    expect(
      fieldsOf(
        (w) =>
          w
            .null()
            .uuid(null)
            .timestamptz(null)
            .int2(null)
            .int4(null)
            .int8(null)
            .float4(null)
            .float8(null)
            .bool(null)
            .text(null)
            .bytea(null),
        11,
      ),
    ).toBe('ffffffff'.repeat(11));
  });

  it('uuid: 16 bytes, from the text (hyphens skipped, upper case accepted) or the bytes', () => {
    const text = '0011AABB-ccdd-4eef-8899-102030405060';
    expect(fieldsOf((w) => w.uuid(text))).toBe('00000010' + '0011aabbccdd4eef8899102030405060');
    expect(uuidBytes(text).toString('hex')).toBe('0011aabbccdd4eef8899102030405060');
    expect(fieldsOf((w) => w.uuid(uuidBytes(text)))).toBe(
      '00000010' + '0011aabbccdd4eef8899102030405060',
    );
    expect(() => new BinaryCopyWriter().row(1).uuid(Buffer.alloc(15))).toThrow(TypeError);
  });

  it.each([
    '',
    '0011aabb',
    '0011aabb-ccdd-4eef-8899-10203040506',
    'g011aabb-ccdd-4eef-8899-102030405060',
    '0011aabb-ccdd-4eef-8899-1020304050600',
  ])('refuses %p as a uuid', (value) => {
    expect(() => new BinaryCopyWriter().row(1).uuid(value)).toThrow(TypeError);
  });

  it('timestamptz: microseconds since 2000-01-01 UTC, before and after it', () => {
    expect(fieldsOf((w) => w.timestamptz(new Date('2000-01-01T00:00:00Z')))).toBe(
      '00000008' + '0000000000000000',
    );
    // 2026-12-04T10:00:00.123Z = 849 693 600 123 ms after the epoch
    expect(fieldsOf((w) => w.timestamptz(new Date('2026-12-04T10:00:00.123Z')))).toBe(
      '00000008' + 849_693_600_123_000n.toString(16).padStart(16, '0'),
    );
    expect(fieldsOf((w) => w.timestamptz(new Date('1999-12-31T23:59:59.999Z')))).toBe(
      '00000008' + 'fffffffffffffc18',
    );
    expect(fieldsOf((w) => w.timestamptz(new Date(Number.NaN)))).toBe('ffffffff');
  });

  it('integers: big-endian two’s complement of their width', () => {
    expect(fieldsOf((w) => w.int2(-2).int4(-2).int8(-2), 3)).toBe(
      '00000002fffe' + '00000004fffffffe' + '00000008fffffffffffffffe',
    );
    expect(fieldsOf((w) => w.int8(2 ** 40 + 5))).toBe('00000008' + '0000010000000005');
    expect(fieldsOf((w) => w.int8(Number.MIN_SAFE_INTEGER))).toBe('00000008' + 'ffe0000000000001');
    expect(() => new BinaryCopyWriter().row(1).int8(2 ** 53)).toThrow(RangeError);
    expect(() => new BinaryCopyWriter().row(1).int8(1.5)).toThrow(RangeError);
  });

  it('floats, booleans, text (UTF-8 byte length) and bytea', () => {
    expect(fieldsOf((w) => w.float4(1.5).float8(-2.25), 2)).toBe(
      '000000043fc00000' + '00000008c002000000000000',
    );
    expect(fieldsOf((w) => w.bool(true).bool(false), 2)).toBe('0000000101' + '0000000100');
    expect(fieldsOf((w) => w.text('°C'))).toBe('00000003' + 'c2b043');
    expect(fieldsOf((w) => w.text('km/h'))).toBe('00000004' + '6b6d2f68');
    expect(fieldsOf((w) => w.text(`${'a'.repeat(70)}é`))).toBe(
      '00000048' + '61'.repeat(70) + 'c3a9',
    );
    expect(fieldsOf((w) => w.text(''))).toBe('00000000');
    expect(fieldsOf((w) => w.bytea(Buffer.from([0, 0x7e, 0xff])))).toBe('00000003' + '007eff');
  });

  it('grows past its initial size without losing what it wrote', () => {
    const writer = new BinaryCopyWriter(64);
    const long = 'x'.repeat(1000);
    for (let i = 0; i < 100; i += 1) writer.row(2).int4(i).text(long);
    const out = writer.finish();
    expect(out.length).toBe(19 + 100 * (2 + 8 + 4 + 1000) + 2);
    expect(out.readInt32BE(19 + 2 + 4 + 99 * 1014)).toBe(99);
  });
});
