import { appendFlexCrc8, flexCrc8, xorChecksum } from './checksums';

describe('checksums', () => {
  it('FLEX CRC-8 has the catalogue check value 0xF7', () => {
    expect(flexCrc8(Buffer.from('123456789', 'latin1'))).toBe(0xf7);
  });

  it.each([
    ['7e43', 0xb9],
    ['7e4101', 0xdf],
    ['7e4103', 0xbd],
    ['7e4501', 0x5c],
    ['7e4503', 0x3e],
  ])('CRC8(%s) = %i (spec §6.1 constants)', (hex, crc) => {
    expect(flexCrc8(Buffer.from(hex, 'hex'))).toBe(crc);
  });

  it('the table starts 00 31 62 53 C4 F5 A6 97 (CRC of one byte with init cancelled)', () => {
    const first = [0, 1, 2, 3, 4, 5, 6, 7].map((value) => flexCrc8(Buffer.from([value ^ 0xff])));
    expect(first).toEqual([0x00, 0x31, 0x62, 0x53, 0xc4, 0xf5, 0xa6, 0x97]);
  });

  it('appendFlexCrc8 frames bytes whose full CRC residue is then checkable', () => {
    expect(appendFlexCrc8(Buffer.from('7e43', 'hex')).toString('hex')).toBe('7e43b9');
  });

  it('xorChecksum is the plain XOR of a range', () => {
    const header = Buffer.from('404e544300000000010000000300455e', 'hex');
    expect(xorChecksum(header, 0, 15)).toBe(0x5e);
    expect(xorChecksum(Buffer.from('*<S', 'latin1'))).toBe(0x45);
    expect(xorChecksum(Buffer.alloc(0))).toBe(0);
  });
});
