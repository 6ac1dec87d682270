import fc from 'fast-check';
import {
  LEGACY_FORMAT_CODES,
  decodeLegacyRecord,
  decodeLegacyRecords,
  encodeLegacyRecord,
  legacyRecordLength,
  type LegacyRecordInput,
} from './legacy-record';
import { encodeLegacyArray, encodeNtcbPacket, parseNtcbBody } from './ntcb';
import { NavtelecomSession, type SessionEvent } from './session';

const frames = (events: readonly SessionEvent[]) =>
  events.flatMap((event) => (event.type === 'frame' ? [event] : []));
const replyBody = (event: { reply: Buffer | null }): string | null =>
  event.reply?.subarray(16).toString('hex') ?? null;

/**
 * Legacy packets from public test suites (Traccar's NavisProtocolDecoderTest), with what those
 * suites assert: the time and position of the record. Their NTCB lengths fix the record sizes of
 * F5.2 (86 bytes) and F6.0 (111 bytes).
 */
describe('legacy *>T / *>A packets of public test suites', () => {
  const session = (): NavtelecomSession => new NavtelecomSession();

  it('*>T F5.2: answered with its index, one record at 2016-11-11 21:00:04 (53.74336, 87.14437)', () => {
    const [frame] = frames(
      session().push(
        Buffer.from(
          '404e5443010000000000000059009adb2a3e54250000000000ff1500040b0a1008291838001200760ee600000000000000000000000f1500040b0a10ac20703fb1aec23f00000000320149668f430000000000000000000000000000000000000000000000f3808080',
          'hex',
        ),
      ),
    );
    expect(frame && replyBody(frame)).toBe(Buffer.from('*<T\0\0\0\0', 'latin1').toString('hex'));
    expect(frame?.records).toHaveLength(1);
    const record = frame?.records[0];
    expect(record).toMatchObject({
      source: 'ntcb-legacy',
      index: 0,
      eventCode: 0xff00,
      valid: true,
      satellites: 14,
      speedKmh: 0,
      course: 0x132,
      gsmLevel: 0x18,
      deviceStatus: 0x29,
      backupBatteryV: 3.702,
    });
    expect(record?.eventTime?.toISOString()).toBe('2016-11-11T21:00:04.000Z');
    expect(record?.fixTime?.toISOString()).toBe('2016-11-11T21:00:04.000Z');
    expect(record?.latitude).toBeCloseTo(53.74336, 5);
    expect(record?.longitude).toBeCloseTo(87.14437, 5);
    expect(record?.raw).toHaveLength(86);
  });

  it('*>T F6.0: one record at 2019-01-16 22:22:36 (56.318, 44.01523), altitude and satellites from the F6 layout', () => {
    const [frame] = frames(
      session().push(
        Buffer.from(
          '404e544301000000cdfbf5027200852e2a3e5406aa170000c11116162410001310a9110e80996b281003000a0008000000000000000000d207d207ffffff00fbff00fbff00fbff00fbff00fbff00fbff00fbff2d808080ffffffffffff2b161624100013509b0302b0f89201830500000000000037002fb8cf43eed5843a35003500',
          'hex',
        ),
      ),
    );
    expect(frame && replyBody(frame)).toBe('2a3c54aa170000');
    const record = frame?.records[0];
    expect(record).toMatchObject({ index: 0x17aa, eventCode: 0x11c1, valid: true, course: 55 });
    expect(record?.satellites).toBe(0x2b >> 2);
    expect(record?.eventTime?.toISOString()).toBe('2019-01-16T22:22:36.000Z');
    expect(record?.fixTime?.toISOString()).toBe('2019-01-16T22:22:36.000Z');
    expect(record?.latitude).toBeCloseTo(56.318, 5);
    expect(record?.longitude).toBeCloseTo(44.01523, 5);
    expect(record?.altitudeM).toBe(141.1);
  });

  it.each([
    [
      '404e544300000000040000005a00c6812a3e410125e3a60700011705071503011030210c0000fa200910e6000000000000000000000001082106150010ae97643f88a39f3f0000000090001fcc6c450000000000000000000000000000000000000000000000f6808080',
      0x0007a6e3,
    ],
    [
      '404e544301000000000000005a002e6c2a3e410125d7540100001512233a0b0a0f08026300000a000b000b00020000000000000000000c12233b0b0a0f03fd6d3f0fde603f00000000ba0051e0c845000000000000000000000000000000000000000000000080808080',
      0x000154d7,
    ],
    [
      '404E5443010000007B0000005A0050692A3E410125DB0E00000015110707110A0C0880630000AA39A2381600020000000000000000000C110708110A0CB389793F1AEF263F00000000120034F516440000000000000000000000FAFF000000FAFF000000FAFF80808080',
      0x00000edb,
    ],
    [
      '404e54430100000045635902730081972a3e4101060b7e0e000b171328050d00133029110e00bc6141100200000000000000000000000000d207d307ffffff00fbff00fbff00fbff00fbff00fbff00fbff00fbff02808080ffffffffffff4f1328050d001371cd0302c5109101a60300000000000000003d1b37470000000096009600',
      0x000e7e0b,
    ],
  ])(
    '*>A %#: answered with its count, its record decoded with a time and a position',
    (hex, index) => {
      const [frame] = frames(session().push(Buffer.from(hex, 'hex')));
      expect(frame && replyBody(frame)).toBe('2a3c4101');
      expect(frame?.records).toHaveLength(1);
      const record = frame?.records[0];
      expect(record?.index).toBe(index);
      expect(record?.fixTime).toBeInstanceOf(Date);
      expect(record?.fixTime?.getUTCFullYear()).toBeGreaterThanOrEqual(2012);
      // Coordinates of these devices (European Russia and Siberia).
      expect(record?.latitude).toBeGreaterThan(40);
      expect(record?.latitude).toBeLessThan(70);
      expect(record?.longitude).toBeGreaterThan(20);
      expect(record?.longitude).toBeLessThan(100);
    },
  );
});

describe('legacy record layouts', () => {
  it('has the record size of each format (its format byte included)', () => {
    expect(
      Object.fromEntries(LEGACY_FORMAT_CODES.map((code) => [code, legacyRecordLength(code)])),
    ).toEqual({ 1: 30, 2: 71, 3: 26, 4: 27, 5: 67, 0x15: 82, 0x25: 86, 6: 111 });
    expect(legacyRecordLength(0x07)).toBeNull();
  });

  const inputOf = (format: number): fc.Arbitrary<LegacyRecordInput> =>
    fc.record({
      format: fc.constant(format),
      index: fc.integer({ min: 0, max: 0xffffffff }),
      eventCode: fc.integer({ min: 0, max: 0xffff }),
      eventTime: fc
        .integer({ min: 946_684_800, max: 4_102_444_799 })
        .map((s) => new Date(s * 1000)),
      status: fc.integer({ min: 0, max: 0xff }),
      gsmLevel: fc.integer({ min: 0, max: 31 }),
      outputs: fc.integer({ min: 0, max: format <= 3 ? 0xffff : 0xff }),
      inputs: fc.integer({ min: 0, max: format <= 4 ? 0xffff : 0xff }),
      mainPowerV: fc.integer({ min: 0, max: 0xffff }).map((mv) => mv / 1000),
      backupBatteryV: fc.integer({ min: 0, max: 0xffff }).map((mv) => mv / 1000),
      navigationState: fc.integer({ min: 0, max: 0xff }),
      fixTime: fc.integer({ min: 946_684_800, max: 4_102_444_799 }).map((s) => new Date(s * 1000)),
      latitude: fc.integer({ min: -54_000_000, max: 54_000_000 }).map((raw) => raw / 600_000),
      longitude: fc.integer({ min: -108_000_000, max: 108_000_000 }).map((raw) => raw / 600_000),
      altitudeM: fc.integer({ min: -10_000, max: 100_000 }).map((dm) => dm / 10),
      speedKmh: fc.integer({ min: 0, max: 4000 }).map((tenths) => tenths / 10),
      course: fc.integer({ min: 0, max: 359 }),
      odometerKm: fc.integer({ min: 0, max: 1_000_000 }).map((tenths) => tenths / 10),
    });

  it.each(LEGACY_FORMAT_CODES.map((code) => [code]))(
    'format %d: what is encoded decodes back, every record of an *>A too',
    (format) => {
      fc.assert(
        fc.property(fc.array(inputOf(format), { minLength: 1, maxLength: 4 }), (inputs) => {
          const bytes = Buffer.concat(inputs.map(encodeLegacyRecord));
          const records = decodeLegacyRecords(bytes, inputs.length);
          expect(records).toHaveLength(inputs.length);
          inputs.forEach((input, i) => {
            const record = records?.[i];
            expect(record?.index).toBe(input.index);
            expect(record?.eventCode).toBe(input.eventCode);
            expect(record?.eventTime).toEqual(input.eventTime);
            expect(record?.deviceStatus).toBe(input.status);
            expect(record?.gsmLevel).toBe(input.gsmLevel);
            expect(record?.mainPowerV).toBe(input.mainPowerV);
            expect(record?.backupBatteryV).toBe(input.backupBatteryV);
            if (format === 1 || format === 3 || format === 4) {
              expect(record?.latitude).toBeNull();
              expect(record?.fixTime).toBeNull();
              return;
            }
            expect(record?.fixTime).toEqual(input.fixTime);
            expect(record?.valid).toBe(((input.navigationState ?? 0) & 2) !== 0);
            expect(record?.course).toBe(input.course);
            expect(record?.speedKmh).toBeCloseTo(input.speedKmh ?? 0, 4);
            // F32 radians keep about 7 significant digits of a degree; I32 keeps 1/600000.
            const digits = format === 6 ? 6 : 4;
            expect(record?.latitude).toBeCloseTo(input.latitude ?? 0, digits);
            expect(record?.longitude).toBeCloseTo(input.longitude ?? 0, digits);
            if (format === 6) expect(record?.altitudeM).toBe(input.altitudeM);
          });
        }),
        { numRuns: 100 },
      );
    },
  );

  it('reads outputs, inputs and satellites the way each format packs them', () => {
    const decode = (input: LegacyRecordInput) =>
      decodeLegacyRecord(encodeLegacyRecord(input), 0)?.record;
    const common = { index: 1, eventCode: 2 };
    expect(decode({ ...common, format: 0x01, outputs: 0xabcd, inputs: 0x1234 })).toMatchObject({
      digitalOutputs: 0xabcd,
      digitalInputs: 0x1234,
      satellites: null,
    });
    expect(decode({ ...common, format: 0x04, outputs: 0xfa, inputs: 0xfff5 })).toMatchObject({
      digitalOutputs: 0x0a,
      digitalInputs: 0x05,
    });
    expect(
      decode({ ...common, format: 0x25, outputs: (9 << 2) | 0b10, inputs: 0x81 }),
    ).toMatchObject({ digitalOutputs: 0b10, digitalInputs: 0x81, satellites: 9 });
    expect(decode({ ...common, format: 0x06, navigationState: (12 << 2) | 0b10 })).toMatchObject({
      satellites: 12,
      valid: true,
    });
  });

  it('a time that is no date (zeros, 0xFF filler, 31 November) is null, not a wrong date', () => {
    const record = encodeLegacyRecord({ format: 0x02, index: 7, eventCode: 1 });
    expect(decodeLegacyRecord(record, 0)?.record.eventTime).toBeNull();
    record.fill(0xff, 7, 13);
    expect(decodeLegacyRecord(record, 0)?.record.eventTime).toBeNull();
    record.set([0, 0, 0, 31, 10, 20], 7);
    expect(decodeLegacyRecord(record, 0)?.record.eventTime).toBeNull();
    record.set([0, 0, 0, 30, 10, 20], 7);
    expect(decodeLegacyRecord(record, 0)?.record.eventTime?.toISOString()).toBe(
      '2020-11-30T00:00:00.000Z',
    );
  });

  it('an unknown format, a record cut short or bytes left over: no records, still answered', () => {
    const record = encodeLegacyRecord({ format: 0x25, index: 9, eventCode: 1 });
    const bodies = [
      Buffer.concat([Buffer.from('*>T'), Buffer.from([0x07]), record.subarray(1)]),
      Buffer.concat([Buffer.from('*>T'), record.subarray(0, -1)]),
      Buffer.concat([Buffer.from('*>T'), record, Buffer.from([0])]),
      encodeLegacyArray(2, record),
      encodeLegacyArray(1, Buffer.concat([record, record])),
      Buffer.concat([Buffer.from('*>T\0'), Buffer.from([0x25]), record.subarray(1)]),
    ];
    for (const body of bodies) {
      expect(parseNtcbBody(body)).toMatchObject({ records: [] });
      const [frame] = frames(
        new NavtelecomSession().push(encodeNtcbPacket({ receiverId: 1, senderId: 2 }, body)),
      );
      expect(frame?.reply).not.toBeNull();
    }
    expect(parseNtcbBody(encodeLegacyArray(2, Buffer.concat([record, record])))).toMatchObject({
      count: 2,
      records: [{ index: 9 }, { index: 9 }],
    });
  });

  it('decodes random bytes without throwing', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(5), (bytes, count) => {
        decodeLegacyRecords(Buffer.from(bytes), count);
      }),
      { numRuns: 2000 },
    );
  });
});
