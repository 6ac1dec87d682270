import fc from 'fast-check';
import { appendFlexCrc8 } from './checksums';
import { NavtelecomProtocolError } from './errors';
import { encodeExtraRecord } from './flex-extra-record';
import { FLEX_FIELDS, FLEX_FIELD_COUNT, type FlexVersion } from './flex-fields';
import { flexLayoutFor, type FlexLayout } from './flex-layout';
import {
  decodeFlexMessage,
  encodeFlexAlarm,
  encodeFlexArray,
  encodeFlexCurrent,
  encodeFlexExtraAlarm,
  encodeFlexExtraArray,
  encodeFlexPhotoNotice,
  encodeFlexTransparentData,
  flexFrameLength,
  flexReplyFor,
} from './flex-messages';
import {
  decodeFlexRecord,
  encodeFlexRecord,
  flexPositionValues,
  type FlexRecordValues,
} from './flex-record';

const position = {
  index: 1234,
  eventCode: 0x1230,
  eventTime: new Date('2024-03-05T06:07:08Z'),
  valid: true,
  satellites: 11,
  fixTime: new Date('2024-03-05T06:07:00Z'),
  latitude: 55.7558,
  longitude: -37.6176,
  altitudeM: 151.3,
  speedKmh: 63.25,
  course: 271,
  odometerKm: 12345.5,
  mainPowerV: 24.123,
  backupBatteryV: 4.05,
};

/** Raw values for every field of a layout, over each kind's whole range (bytes for composites). */
function valuesOf(layout: FlexLayout): fc.Arbitrary<FlexRecordValues> {
  const ofKind = ({ kind, size }: FlexLayout['fields'][number]['definition']) => {
    switch (kind) {
      case 'u8':
        return fc.integer({ min: 0, max: 0xff });
      case 'i8':
        return fc.integer({ min: -0x80, max: 0x7f });
      case 'u16':
        return fc.integer({ min: 0, max: 0xffff });
      case 'i16':
        return fc.integer({ min: -0x8000, max: 0x7fff });
      case 'u32':
        return fc.integer({ min: 0, max: 0xffffffff });
      case 'i32':
        return fc.integer({ min: -0x80000000, max: 0x7fffffff });
      case 'f32':
        return fc.float({ noNaN: true });
      case 'u64':
        return fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
      case 'bytes':
        return fc.uint8Array({ minLength: size, maxLength: size });
    }
  };
  return fc
    .tuple(...layout.fields.map(({ definition }) => ofKind(definition)))
    .map((raw) =>
      Object.fromEntries(layout.fields.map(({ definition }, i) => [definition.id, raw[i]])),
    );
}

describe('FLEX records', () => {
  it.each([10, 20, 30] as const)('FLEX %i: every field round-trips raw', (version) => {
    const layout = flexLayoutFor(
      FLEX_FIELDS.slice(0, FLEX_FIELD_COUNT[version as FlexVersion]).map((field) => field.id),
      version,
    );
    fc.assert(
      fc.property(valuesOf(layout), (values) => {
        const encoded = encodeFlexRecord(layout, values);
        const record = decodeFlexRecord(encoded, layout);
        expect(record.raw.equals(encoded)).toBe(true);
        for (const field of record.fields) {
          const given = values[field.id];
          if (given instanceof Uint8Array) {
            expect(field.value).toBeNull();
            expect(Buffer.from(given).equals(field.raw)).toBe(true);
          } else if (typeof given === 'bigint') {
            expect(field.value).toBe(given.toString());
          } else {
            expect(field.value).toBe(given);
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('builds `fields` once, when first read; copies and JSON include it', () => {
    const layout = flexLayoutFor([1, 3, 55], 20);
    const encoded = encodeFlexRecord(layout, { 1: 7, 3: 1_700_000_000, 55: 1500 });
    const record = decodeFlexRecord(encoded, layout);
    encoded.fill(0); // the record keeps its own bytes
    expect(record.fields).toBe(record.fields);
    expect(record.fields.map((field) => [field.id, field.value])).toEqual([
      [1, 7],
      [3, 1_700_000_000],
      [55, 1500],
    ]);
    expect({ ...record }.fields).toBe(record.fields);
    expect(JSON.parse(JSON.stringify(record)).fields).toHaveLength(3);
  });

  it.each([
    ['FLEX 1.0', 10, 10],
    ['FLEX 2.0', 20, 20],
    ['FLEX 3.0', 30, 30],
    ['protocol 1.0 with struct 2.0', 10, 20],
  ] as const)('%s: position values round-trip in engineering units', (_name, version, struct) => {
    const layout = flexLayoutFor([1, 2, 3, 8, 9, 10, 11, 12, 13, 14, 15, 19, 20], version, struct);
    const record = decodeFlexRecord(encodeFlexRecord(layout, flexPositionValues(position)), layout);
    expect(record).toMatchObject({
      index: 1234,
      eventCode: 0x1230,
      eventTime: position.eventTime,
      fixTime: position.fixTime,
      valid: true,
      satellites: 11,
      altitudeM: 151.3,
      speedKmh: 63.25,
      course: 271,
      odometerKm: 12345.5,
      mainPowerV: 24.123,
      backupBatteryV: 4.05,
    });
    expect(record.latitude).toBeCloseTo(55.7558, 6);
    expect(record.longitude).toBeCloseTo(-37.6176, 6);
  });

  it('vehicle-bus fields become named values with units, n/a as null', () => {
    const layout = flexLayoutFor(
      [29, 30, 31, 53, 54, 55, 56, 57, 58, 63, 66, 67, 68, 69, 71, 126, 204],
      30,
    );
    const malfunction = Buffer.from([0x05, 0x78, 0x56, 0x34, 0x12]);
    const record = decodeFlexRecord(
      encodeFlexRecord(layout, {
        29: 0b101,
        30: 0x01,
        31: 0x80,
        53: 0x8000 | 75,
        54: 1234.5,
        55: 0xffff,
        56: -128,
        57: 98765.5,
        58: 7400,
        63: 0xff,
        66: 0x7fff,
        67: 3600,
        68: 40,
        69: 88,
        71: Buffer.from([12, 20]),
        126: 0x02,
        204: malfunction,
      }),
      layout,
    );
    expect(record.digitalInputs).toBe(0b101 | (0x01 << 8) | (0x02 << 16));
    expect(record.digitalOutputs).toBe(0x80);
    expect(record.hdop).toBe(1.2);
    expect(record.vehicleBus).toEqual([
      { name: 'fuelLevelPercent', value: 75, unit: '%', source: 'flex:53' },
      { name: 'totalFuelUsed', value: 1234.5, unit: 'L', source: 'flex:54' },
      { name: 'engineSpeed', value: null, unit: 'rpm', source: 'flex:55' },
      { name: 'coolantTemperature', value: null, unit: '°C', source: 'flex:56' },
      { name: 'totalDistance', value: 98765.5, unit: 'km', source: 'flex:57' },
      { name: 'axleLoad1', value: 7400, unit: 'kg', source: 'flex:58' },
      { name: 'acceleratorPedalPosition', value: null, unit: '%', source: 'flex:63' },
      { name: 'adBlueLevelLitres', value: null, unit: 'L', source: 'flex:66' },
      { name: 'engineHours', value: 3600, unit: 's', source: 'flex:67' },
      { name: 'distanceToService', value: 200, unit: 'km', source: 'flex:68' },
      { name: 'vehicleSpeed', value: 88, unit: 'km/h', source: 'flex:69' },
      { name: 'malfunctionLamps', value: 5, unit: null, source: 'flex:204' },
      { name: 'diagnosticTroubleCode', value: 0x12345678, unit: null, source: 'flex:204' },
    ]);
  });

  it('fuel level in 0.1 L when bit 15 is clear; distance to service n/a is -1', () => {
    const layout = flexLayoutFor([53, 68], 10);
    const record = decodeFlexRecord(encodeFlexRecord(layout, { 53: 1234, 68: -1 }), layout);
    expect(record.vehicleBus).toEqual([
      { name: 'fuelLevelLitres', value: 123.4, unit: 'L', source: 'flex:53' },
      { name: 'distanceToService', value: null, unit: 'km', source: 'flex:68' },
    ]);
  });
});

describe('FLEX messages', () => {
  const layout = flexLayoutFor([1, 2, 3, 8, 9, 10, 11, 13, 14], 20);
  const record = (index: number): Buffer =>
    encodeFlexRecord(layout, flexPositionValues({ ...position, index }));
  const extra = (index: number): Buffer =>
    encodeExtraRecord({
      index,
      eventCode: 0x2531,
      eventTime: position.eventTime,
      navigationState: 0b00101011,
      fixTime: position.fixTime,
      latitude: 10.5,
      longitude: 20.25,
      altitudeM: 12.3,
      speedKmh: 5.5,
      course: 90,
      odometerKm: 1.5,
      dynamic: [{ type: 1, data: Buffer.from('0102030405060708', 'hex') }],
    });

  it.each([
    ['~A ×3', () => encodeFlexArray([record(1), record(2), record(3)]), '7e4103bd', [1, 2, 3]],
    ['~A ×0', () => encodeFlexArray([]), null, []],
    ['~T', () => encodeFlexAlarm(0xdeadbeef, record(7)), null, [7]],
    ['~C', () => encodeFlexCurrent(record(0xffff)), '7e43b9', [0xffff]],
    ['~E ×3', () => encodeFlexExtraArray([extra(4), extra(5), extra(6)]), '7e45033e', [4, 5, 6]],
    ['~X', () => encodeFlexExtraAlarm(42, extra(9)), null, [9]],
  ] as const)('%s round-trips and frames by length', (_name, build, reply, indexes) => {
    const frame = build();
    expect(flexFrameLength(frame, layout.recordLength)).toEqual({
      status: 'known',
      length: frame.length,
    });
    const message = decodeFlexMessage(frame, layout);
    const records =
      'records' in message ? message.records : 'record' in message ? [message.record] : [];
    expect(records.map((item) => item.index)).toEqual(indexes);
    if (reply) expect(flexReplyFor(message)?.toString('hex')).toBe(reply);
  });

  it('~T/~X replies carry the index of the message header, not of the record', () => {
    const alarm = decodeFlexMessage(encodeFlexAlarm(0x01020304, record(99)), layout);
    expect(flexReplyFor(alarm)?.toString('hex').slice(0, 12)).toBe('7e5404030201');
    const extraAlarm = decodeFlexMessage(encodeFlexExtraAlarm(0x0a0b0c0d, extra(1)), layout);
    expect(flexReplyFor(extraAlarm)?.toString('hex').slice(0, 12)).toBe('7e580d0c0b0a');
  });

  it('a ~T record without field 1 takes the index of the message header', () => {
    const withoutIndex = flexLayoutFor([3, 9, 10, 11], 20);
    const body = encodeFlexRecord(withoutIndex, flexPositionValues(position));
    const message = decodeFlexMessage(encodeFlexAlarm(4242, body), withoutIndex);
    if (message.type !== 'T') throw new Error('expected ~T');
    expect(message.record).toMatchObject({ index: 4242, eventTime: position.eventTime });
    expect(flexReplyFor(message)?.toString('hex').slice(0, 12)).toBe('7e5492100000');
  });

  const extraArrayOf = (record: Buffer): Buffer =>
    appendFlexCrc8(Buffer.concat([Buffer.from('7e4501', 'hex'), record]));
  /** An extra record whose L, version, static length and tail are given (valid CRC around it). */
  const extraBody = (version: number, staticLength: number, tail: Buffer): Buffer => {
    const body = Buffer.concat([Buffer.from([version, staticLength]), tail]);
    const length = Buffer.alloc(2);
    length.writeUInt16LE(body.length);
    return Buffer.concat([length, body]);
  };
  const staticPart = extra(1).subarray(4, 4 + 37);

  it.each([
    ['L = 0', Buffer.from('0000', 'hex')],
    ['L = 1 (no static length)', Buffer.from('01000a', 'hex')],
    ['no static part at all', extraBody(0x0a, 37, Buffer.alloc(0))],
    ['static part longer than L', extraBody(0x0a, 37, staticPart.subarray(0, 30))],
    ['1.0 static part shorter than 37', extraBody(0x0a, 30, staticPart.subarray(0, 30))],
    [
      'dynamic part running past L',
      extraBody(0x0a, 37, Buffer.concat([staticPart, Buffer.from('0108aabb', 'hex')])),
    ],
    [
      'half a dynamic part header',
      extraBody(0x0a, 37, Buffer.concat([staticPart, Buffer.from('01', 'hex')])),
    ],
  ])(
    'a ~E with a valid CRC but a malformed extra record (%s) is refused, not acknowledged',
    (_name, record) => {
      expect(() => decodeFlexMessage(extraArrayOf(record), null)).toThrow(
        expect.objectContaining({ reason: 'flex-malformed' }),
      );
    },
  );

  it('an extra record of an unknown struct version is acknowledged and kept raw', () => {
    const record = extraBody(0x14, 37, staticPart);
    const message = decodeFlexMessage(extraArrayOf(record), null);
    expect(flexReplyFor(message)?.toString('hex')).toBe('7e45015c');
    if (message.type !== 'E') throw new Error('expected ~E');
    expect(message.records[0]).toMatchObject({ index: null, latitude: null, raw: record });
    const alarm = decodeFlexMessage(
      appendFlexCrc8(Buffer.concat([Buffer.from('7e5807000000', 'hex'), record])),
      null,
    );
    expect(alarm).toMatchObject({ type: 'X', eventIndex: 7, record: { index: 7 } });
  });

  it('decodes an extra record with its dynamic part', () => {
    const message = decodeFlexMessage(encodeFlexExtraAlarm(1, extra(3)), null);
    if (message.type !== 'X') throw new Error('expected ~X');
    expect(message.record).toMatchObject({
      index: 3,
      eventCode: 0x2531,
      valid: true,
      satellites: 10,
      latitude: 10.5,
      longitude: 20.25,
      altitudeM: 12.3,
      speedKmh: 5.5,
      course: 90,
      odometerKm: 1.5,
    });
    expect(message.record.dynamic).toEqual([
      {
        type: 1,
        name: 'touchMemoryKey',
        data: Buffer.from('0102030405060708', 'hex'),
        value: 0x0807060504030201n.toString(),
      },
    ]);
  });

  it('~N needs no reply, ~P is answered ~M', () => {
    const notice = decodeFlexMessage(encodeFlexPhotoNotice(0x80, 5, position.eventTime), null);
    expect(notice).toEqual({ type: 'N', module: 0x80, photoId: 5, time: position.eventTime });
    expect(flexReplyFor(notice)).toBeNull();
    const data = decodeFlexMessage(encodeFlexTransparentData(2, 7, Buffer.from('hello')), null);
    expect(data).toMatchObject({ type: 'P', module: 2, putId: 7, data: Buffer.from('hello') });
    expect(flexReplyFor(data)?.subarray(0, 4).toString('hex')).toBe('7e4d0207');
  });

  it.each([
    [Buffer.from('7e', 'hex'), 20, { status: 'need-more', atLeast: 2 }],
    [Buffer.from('7e41', 'hex'), 20, { status: 'need-more', atLeast: 3 }],
    [Buffer.from('7e4102', 'hex'), 20, { status: 'known', length: 44 }],
    [Buffer.from('7e41', 'hex'), null, { status: 'needs-layout', type: 'A' }],
    [Buffer.from('7e54', 'hex'), 20, { status: 'known', length: 27 }],
    [Buffer.from('7e43', 'hex'), 20, { status: 'known', length: 23 }],
    [Buffer.from('7e4502', 'hex'), null, { status: 'need-more', atLeast: 5 }],
    [Buffer.from('7e45020100ff', 'hex'), null, { status: 'need-more', atLeast: 8 }],
    [Buffer.from('7e45020100ff0000', 'hex'), null, { status: 'known', length: 9 }],
    [Buffer.from('7e5801000000', 'hex'), null, { status: 'need-more', atLeast: 8 }],
    [Buffer.from('7e58010000000300', 'hex'), null, { status: 'known', length: 12 }],
    [Buffer.from('7e5a', 'hex'), 20, { status: 'unknown-type', typeByte: 0x5a }],
  ] as const)('flexFrameLength(%s, R=%s)', (bytes, recordLength, expected) => {
    expect(flexFrameLength(bytes, recordLength)).toEqual(expected);
  });

  it('refuses a bad CRC and bytes that do not frame as one message', () => {
    const frame = encodeFlexCurrent(record(1));
    frame[frame.length - 1] ^= 0x01;
    expect(() => decodeFlexMessage(frame, layout)).toThrow(
      expect.objectContaining({ reason: 'flex-crc' }),
    );
    const long = Buffer.concat([encodeFlexCurrent(record(1)), Buffer.from([0])]);
    expect(() => decodeFlexMessage(long, layout)).toThrow(NavtelecomProtocolError);
  });
});
