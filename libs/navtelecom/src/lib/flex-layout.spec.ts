import {
  FLEX_FIELDS,
  FLEX_FIELD_COUNT,
  flexFieldDefinition,
  type FlexVersion,
} from './flex-fields';
import { buildFlexLayout, enabledFlexFields, flexBitfieldFor, flexLayoutFor } from './flex-layout';

const sizeOf = (first: number, last: number): number =>
  FLEX_FIELDS.filter((field) => field.id >= first && field.id <= last).reduce(
    (sum, field) => sum + field.size,
    0,
  );

describe('FLEX field table', () => {
  it('has 255 fields numbered 1…255 in order', () => {
    expect(FLEX_FIELDS).toHaveLength(255);
    FLEX_FIELDS.forEach((field, index) => expect(field.id).toBe(index + 1));
  });

  it.each([
    [10, 69, 146],
    [20, 122, 404],
    [30, 255, 734],
  ] as const)('FLEX %i.0: %i fields, %i bytes in total', (version, count, bytes) => {
    expect(FLEX_FIELD_COUNT[version as FlexVersion]).toBe(count);
    expect(sizeOf(1, count)).toBe(bytes);
  });

  it('uses the v6.1 sizes where old tables differ (field 100 = 2 bytes)', () => {
    expect(flexFieldDefinition(100)).toMatchObject({ size: 2, name: 'tachographFlags' });
  });

  it.each([
    [1, 'recordIndex', 4, 'u32'],
    [10, 'latitude', 4, 'i32'],
    [13, 'speed', 4, 'f32'],
    [28, 'analogInput8', 2, 'u16'],
    [52, 'temperature8', 1, 'i8'],
    [56, 'canCoolantTemperature', 1, 'i8'],
    [68, 'canDistanceToService', 2, 'i16'],
    [77, 'lbs', 37, 'bytes'],
    [93, 'rs485FuelSensor16', 3, 'bytes'],
    [127, 'pulseCounter3', 4, 'u32'],
    [138, 'frequencyInput8', 2, 'u16'],
    [204, 'canMalfunction', 5, 'bytes'],
    [255, 'user8Byte3', 8, 'u64'],
  ])('field %i is %s (%i bytes, %s)', (id, name, size, kind) => {
    expect(flexFieldDefinition(id)).toEqual(expect.objectContaining({ name, size, kind }));
  });

  it('names are unique', () => {
    expect(new Set(FLEX_FIELDS.map((field) => field.name)).size).toBe(FLEX_FIELDS.length);
  });
});

describe('FLEX mask', () => {
  it('is MSB first: F2 00 20 selects fields 1, 2, 3, 4, 7, 19 (spec A.3)', () => {
    const bitfield = Buffer.from('f2002000000000000000000000000000', 'hex');
    expect(enabledFlexFields(bitfield, 122, 20)).toEqual([1, 2, 3, 4, 7, 19]);
    expect(
      buildFlexLayout({ protocolVersion: 20, structVersion: 20, dataSize: 122, bitfield }),
    ).toMatchObject({ recordLength: 14 });
  });

  it('navtrack v1 mask → 14 fields, 39 bytes', () => {
    const layout = buildFlexLayout({
      protocolVersion: 10,
      structVersion: 10,
      dataSize: 69,
      bitfield: Buffer.from('f3ec30000800000000', 'hex'),
    });
    expect(layout.fields.map((field) => field.definition.id)).toEqual([
      1, 2, 3, 4, 7, 8, 9, 10, 11, 13, 14, 19, 20, 37,
    ]);
    expect(layout.fields.map((field) => field.offset)).toEqual([
      0, 4, 6, 10, 11, 12, 13, 17, 21, 25, 29, 31, 33, 35,
    ]);
    expect(layout.recordLength).toBe(39);
  });

  it('ignores bits beyond data_size and beyond the struct version', () => {
    const all = Buffer.alloc(32, 0xff);
    expect(enabledFlexFields(all, 69, 10)).toHaveLength(69);
    expect(enabledFlexFields(all, 255, 10)).toHaveLength(69);
    expect(enabledFlexFields(all, 100, 30)).toHaveLength(100);
    expect(enabledFlexFields(Buffer.alloc(2, 0xff), 255, 30)).toHaveLength(16);
  });

  it.each([10, 20, 30] as const)('FLEX %i: all fields → full record length', (version) => {
    const count = FLEX_FIELD_COUNT[version];
    const layout = flexLayoutFor(
      Array.from({ length: count }, (_, index) => index + 1),
      version,
    );
    expect(layout.recordLength).toBe(sizeOf(1, count));
    expect(layout.bitfield).toHaveLength(Math.ceil(count / 8));
  });

  it('flexBitfieldFor refuses fields the version does not have', () => {
    expect(flexBitfieldFor([1, 69], 10).bitfield.toString('hex')).toBe('800000000000000008');
    expect(() => flexBitfieldFor([70], 10)).toThrow(RangeError);
    expect(() => flexBitfieldFor([0], 30)).toThrow(RangeError);
  });
});
