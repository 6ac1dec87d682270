import {
  encodeTextCan,
  encodeTextEvent,
  encodeTextPosition,
  parseTextFrame,
  textFrameAck,
} from './text-format';

const IMEI = '123456789012345';
const content = (frame: Buffer): string => frame.toString('latin1').slice(1, -1);

describe('design-note text format', () => {
  it('parses the design note examples', () => {
    expect(parseTextFrame(`A${IMEI},1758122293,55.7558,37.6176,30.0,90.0,8,2.0`)).toMatchObject({
      type: 'position',
      imei: IMEI,
      record: {
        latitude: 55.7558,
        longitude: 37.6176,
        speedKmh: 30,
        course: 90,
        satellites: 8,
        hdop: 2,
      },
    });
    expect(parseTextFrame(`T${IMEI},180,01,E9,41,B2,35,90,CF,DF`)).toMatchObject({
      type: 'can',
      frameType: 'T',
      can: { canId: 0x180, extended: false, data: Buffer.from('01e941b23590cfdf', 'hex') },
    });
    expect(parseTextFrame(`E${IMEI},1,1234567890,Event description`)).toEqual({
      type: 'event',
      imei: IMEI,
      eventType: '1',
      eventTime: new Date(1234567890 * 1000),
      description: 'Event description',
    });
  });

  it('hdop is optional; the ACK names the frame type and IMEI', () => {
    const frame = parseTextFrame(`A${IMEI},1758122293,-33.9,151.2,0,0,0`);
    expect(frame).toMatchObject({ record: { hdop: null, latitude: -33.9 } });
    expect(textFrameAck(frame)?.toString()).toBe(`~AACK,${IMEI}~`);
    expect(textFrameAck(parseTextFrame(`KA,${IMEI},OK`))).toBeNull();
  });

  it.each([
    [
      'position',
      encodeTextPosition({
        imei: IMEI,
        time: new Date(1758122293000),
        latitude: 1.5,
        longitude: -2.25,
        speedKmh: 12.5,
        course: 359,
        satellites: 7,
        hdop: 1.1,
      }),
    ],
    ['can', encodeTextCan('X', IMEI, 0x18fef100, Buffer.from('0400321000', 'hex'))],
    ['event', encodeTextEvent(IMEI, 'door', new Date(1758122293000), 'opened, then closed')],
  ])('%s frames round-trip through the encoders', (type, frame) => {
    expect(parseTextFrame(content(frame)).type).toBe(type);
  });

  it('takes what the test clients write: spaces around fields, 0x bytes, .5, UTF-8 descriptions', () => {
    expect(parseTextFrame(`A${IMEI} , 1758122293.5, .5,37.,3e1,90,8`)).toMatchObject({
      imei: IMEI,
      record: { latitude: 0.5, longitude: 37, speedKmh: 30 },
    });
    const can = parseTextFrame(`T${IMEI}, 7E8, 0x03,0x41, 0D ,12`);
    expect(can.type === 'can' && can.can.data.toString('hex')).toBe('03410d12');
    expect(parseTextFrame(`E${IMEI},1,1234567890,Дверь открыта`)).toMatchObject({
      description: 'Дверь открыта',
    });
  });

  it('writes coordinates and fractional seconds its parser takes back', () => {
    const frame = parseTextFrame(
      content(
        encodeTextPosition({
          imei: IMEI,
          time: new Date(1758122293500),
          latitude: 1e-7,
          longitude: -0.0000003,
          speedKmh: 0,
          course: 0,
          satellites: 0,
        }),
      ),
    );
    expect(frame).toMatchObject({ record: { latitude: 1e-7, longitude: -3e-7 } });
    expect(frame.type === 'position' && frame.record.eventTime?.getTime()).toBe(1758122293500);
    expect(() => encodeTextEvent(IMEI, '1', new Date(0), 'a~b')).toThrow(RangeError);
  });

  it.each([
    ['an unknown type', `Q${IMEI},1`],
    ['a 14-digit IMEI', 'A12345678901234,1758122293,1,1,1,1,1'],
    ['latitude 123.45 (design note example)', `A${IMEI},1758122293,123.45,37.6,30,90,8`],
    ['longitude -181', `A${IMEI},1758122293,1,-181,30,90,8`],
    ['a missing field', `A${IMEI},1758122293,1,1,30,90`],
    ['a fractional satellite count', `A${IMEI},1758122293,1,1,30,90,7.5`],
    ['a word as a number', `A${IMEI},soon,1,1,30,90,7`],
    ['nine CAN bytes', `T${IMEI},180,1,2,3,4,5,6,7,8,9`],
    ['a 30-bit CAN id', `X${IMEI},3FFFFFFF,01`],
    ['an event without a description', `E${IMEI},1,1234567890`],
    ['a control byte', `E${IMEI},1,1234567890,a\x01b`],
    ['an empty event type', `E${IMEI},,1234567890,x`],
    ['an event type beyond ASCII', `E${IMEI},дверь,1234567890,x`],
    ['a C1 control character', `E${IMEI},1,1234567890,a\u0085b`],
    ['a letter beyond ASCII outside a description', `A${IMEI},1758122293,5б,1,30,90,8`],
    ['a keep-alive without OK', `KA,${IMEI},NO`],
  ])('refuses %s', (_name, text) => {
    expect(() => parseTextFrame(text)).toThrow(
      expect.objectContaining({ reason: 'text-malformed' }),
    );
  });
});
