import { decodeCanFrame } from './can-frame';
import { decodeJ1939Frame, encodeJ1939Id, j1939PgnDefinition, parseJ1939Id } from './j1939';
import { decodeObdFrame, encodeObdResponse } from './obd2';

describe('J1939 identifier', () => {
  it.each([
    [0x0cf00400, 3, 61444, 0x00, null],
    [0x18fef100, 6, 65265, 0x00, null],
    [0x18ff72e0, 6, 0xff72, 0xe0, null],
    [0x18ea00f9, 6, 0xea00, 0xf9, 0x00],
    [0x1cebff00, 7, 0xeb00, 0x00, 0xff],
  ])('0x%s → priority %i, PGN %i, SA %i, DA %s', (id, priority, pgn, source, destination) => {
    expect(parseJ1939Id(id)).toMatchObject({
      priority,
      pgn,
      sourceAddress: source,
      destinationAddress: destination,
    });
    expect(
      encodeJ1939Id({
        priority,
        pgn,
        sourceAddress: source,
        destinationAddress: destination ?? undefined,
      }),
    ).toBe(id);
  });

  it('refuses identifiers wider than 29 bits', () => {
    expect(() => parseJ1939Id(0x20000000)).toThrow(RangeError);
  });
});

describe('J1939 SPNs (spec §12.2)', () => {
  const values = (id: number, hex: string) =>
    Object.fromEntries(
      decodeJ1939Frame(id, Buffer.from(hex.replace(/ /g, ''), 'hex')).values.map((v) => [
        v.name,
        v.value,
      ]),
    );

  it.each<[string, number, string, Record<string, number>]>([
    [
      'EEC1 (Thomson MEC-310 example)',
      0x0cf00400,
      'ff7d7de015fff0ff',
      { engineSpeed: 700, actualEngineTorquePercent: 0 },
    ],
    [
      'EEC2 is pedal and load, not speed',
      0x0cf00300,
      'ff fa 32 ff ff ff ff ff',
      { acceleratorPedalPosition: 100, engineLoadPercent: 50 },
    ],
    [
      'CCVS1 is speed and switches, not oil pressure',
      0x18fef100,
      '04 00 32 10 ff ff ff ff',
      { vehicleSpeed: 50, parkingBrakeSwitch: 1, brakeSwitch: 1, clutchSwitch: 0 },
    ],
    [
      'DD fuel level (not PGN 61452)',
      0x18fefc00,
      'ff c8 ff ff ff ff ff ff',
      { fuelLevelPercent: 80 },
    ],
    [
      'ET1',
      0x18feee00,
      '6e ff 20 2a ff ff ff ff',
      { coolantTemperature: 70, engineOilTemperature: 64 },
    ],
    ['EFL/P1 oil pressure', 0x18feef00, 'ff ff ff 64 ff ff ff ff', { engineOilPressure: 400 }],
    ['VD', 0x18fee000, '08 00 00 00 40 42 0f 00', { tripDistance: 1, totalDistance: 125000 }],
    ['VDHR', 0x18fec100, 'c8 00 00 00 ff ff ff ff', { totalDistanceHighResolution: 1 }],
    ['HOURS in seconds', 0x18fee500, '14 00 00 00 ff ff ff ff', { engineHours: 3600 }],
    ['LFC', 0x18fee900, '02 00 00 00 e8 03 00 00', { tripFuelUsed: 1, totalFuelUsed: 500 }],
    ['LFE fuel rate on 65266', 0x18fef200, 'c8 00 ff ff ff ff ff ff', { fuelRate: 10 }],
    ['VEP1', 0x18fef700, 'ff ff ff ff 30 02 ff ff', { batteryVoltage: 28 }],
    ['AMB', 0x18fef500, 'ff ff ff 20 25 ff ff ff', { ambientAirTemperature: 24 }],
    ['IC1', 0x18fef600, 'ff 64 ff ff ff ff ff ff', { boostPressure: 200 }],
    ['TI1', 0x18fe5600, 'fa ff ff ff ff ff ff ff', { adBlueLevelPercent: 100 }],
    ['TCO1', 0x0cfe6c00, 'ff ff ff ff ff ff 00 3c', { tachographVehicleSpeed: 60 }],
  ])('%s', (_name, id, hex, expected) => {
    expect(values(id, hex)).toEqual(expect.objectContaining(expected));
  });

  it('not-available and error values decode to null; missing bytes too', () => {
    expect(values(0x0cf00400, 'ffffffffff')).toMatchObject({
      engineSpeed: null,
      actualEngineTorquePercent: null,
    });
    expect(values(0x18fef100, 'ff')).toMatchObject({
      vehicleSpeed: null,
      parkingBrakeSwitch: null,
    });
    // The design note's own example (payload 00 80 on 0x18F00400) has no engine speed bytes at all.
    expect(values(0x18f00400, '0080')).toMatchObject({ engineSpeed: null });
  });

  it('knows no invented brand PGNs and keeps unknown frames raw', () => {
    expect(j1939PgnDefinition(61452)).toBeUndefined();
    expect(decodeJ1939Frame(0x18ff72e0, Buffer.alloc(8))).toMatchObject({
      acronym: null,
      values: [],
    });
  });
});

describe('OBD-II mode 01 (spec §13)', () => {
  it.each([
    [0x04, [0xff], 'engineLoadPercent', 100, '%'],
    [0x05, [0x7b], 'coolantTemperature', 83, '°C'],
    [0x0b, [0x65], 'intakeManifoldPressure', 101, 'kPa'],
    [0x0c, [0x1a, 0xf8], 'engineSpeed', 1726, 'rpm'],
    [0x0d, [0x12], 'vehicleSpeed', 18, 'km/h'],
    [0x0f, [0x3c], 'intakeAirTemperature', 20, '°C'],
    [0x10, [0x01, 0x2c], 'mafAirFlow', 3, 'g/s'],
    [0x11, [0x33], 'throttlePosition', 20, '%'],
    [0x1f, [0x01, 0x00], 'runTimeSinceEngineStart', 256, 's'],
    [0x2f, [0x80], 'fuelLevelPercent', 50.196078, '%'],
    [0x31, [0x00, 0x64], 'distanceSinceCodesCleared', 100, 'km'],
    [0x42, [0x36, 0xb0], 'controlModuleVoltage', 14, 'V'],
    [0x46, [0x32], 'ambientAirTemperature', 10, '°C'],
    [0x5c, [0x82], 'engineOilTemperature', 90, '°C'],
    [0x5e, [0x00, 0xc8], 'fuelRate', 10, 'L/h'],
    [0xa6, [0x00, 0x01, 0xe2, 0x40], 'totalDistance', 12345.6, 'km'],
  ])('PID %i → %s', (pid, data, name, value, unit) => {
    expect(decodeObdFrame(encodeObdResponse(pid, data))?.values).toEqual([
      expect.objectContaining({ name, value, unit }),
    ]);
  });

  it('requests, unknown PIDs, short frames and other modes decode without values', () => {
    expect(decodeObdFrame(Buffer.from('02010d0000000000', 'hex'))).toMatchObject({
      kind: 'request',
      pid: 0x0d,
    });
    expect(decodeObdFrame(Buffer.from('03417f01', 'hex'))?.values).toEqual([]);
    expect(decodeObdFrame(Buffer.from('03410c1a', 'hex'))?.values).toEqual([]);
    expect(decodeObdFrame(Buffer.from('0243', 'hex'))).toBeNull();
    expect(decodeObdFrame(Buffer.from('024300', 'hex'))).toBeNull();
  });
});

describe('CAN frame routing', () => {
  it.each([
    [0x7e8, false, '03410d12', 'obd2'],
    [0x7df, false, '02010d', 'obd2'],
    [0x18daf110, true, '03410d12', 'obd2'],
    [0x0cf00400, true, 'ff7d7de015fff0ff', 'j1939'],
    [0x180, false, '01e941b23590cfdf', 'unknown'],
  ])('0x%s (extended %s) → %s', (id, extended, hex, protocol) => {
    expect(decodeCanFrame(id, Buffer.from(hex, 'hex'), extended).protocol).toBe(protocol);
  });

  it('refuses an identifier that does not fit', () => {
    expect(() => decodeCanFrame(0x800, Buffer.alloc(0), false)).toThrow(RangeError);
  });
});
