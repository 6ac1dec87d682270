/**
 * The two integrity checks of the protocol: the NTCB header uses plain byte-wise XOR (CSd over the
 * body, CSp over header bytes 0..14); every FLEX message ends with a CRC-8 (poly 0x31, init 0xFF,
 * no reflection, xorout 0 — catalogue name CRC-8/NRSC-5, check("123456789") = 0xF7).
 */

/** XOR of `bytes[start..end)`, start value 0. */
export function xorChecksum(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let sum = 0;
  for (let i = start; i < end; i++) sum ^= bytes[i];
  return sum;
}

const CRC8_POLYNOMIAL = 0x31;
const CRC8_INIT = 0xff;

const CRC8_TABLE: Uint8Array = (() => {
  const table = new Uint8Array(256);
  for (let value = 0; value < 256; value++) {
    let crc = value;
    for (let bit = 0; bit < 8; bit++) {
      crc = crc & 0x80 ? ((crc << 1) ^ CRC8_POLYNOMIAL) & 0xff : (crc << 1) & 0xff;
    }
    table[value] = crc;
  }
  return table;
})();

/** FLEX CRC-8 of `bytes[start..end)` (from the leading `~` up to the byte before the CRC). */
export function flexCrc8(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let crc = CRC8_INIT;
  for (let i = start; i < end; i++) crc = CRC8_TABLE[crc ^ bytes[i]];
  return crc;
}

/** `bytes` followed by their FLEX CRC-8. */
export function appendFlexCrc8(bytes: Uint8Array): Buffer {
  const framed = Buffer.alloc(bytes.length + 1);
  framed.set(bytes);
  framed[bytes.length] = flexCrc8(bytes);
  return framed;
}
