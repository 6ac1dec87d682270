import fc from 'fast-check';
import { roundFloat32 } from './flex-record';

describe('roundFloat32', () => {
  it.each([
    [12.5, 12.5],
    [Math.fround(0.1), 0.1],
    [Math.fround(19304.4238), 19304.424],
    [Math.fround(16777217), 16777216],
    [0, 0],
    [-0.5, -0.5],
  ])('prints %d as %d', (raw, printed) => {
    expect(roundFloat32(raw)).toBe(printed);
  });

  it('keeps non-finite values', () => {
    expect(roundFloat32(Number.NaN)).toBeNaN();
    expect(roundFloat32(Number.POSITIVE_INFINITY)).toBe(Number.POSITIVE_INFINITY);
  });

  it('loses nothing: every float32 reads back as itself, in at most 9 significant digits', () => {
    fc.assert(
      fc.property(fc.float({ noNaN: true, noDefaultInfinity: true }), (single) => {
        const printed = roundFloat32(single);
        expect(Object.is(Math.fround(printed), single) || (printed === 0 && single === 0)).toBe(
          true,
        );
        expect(Number(printed.toPrecision(9))).toBe(printed);
      }),
      { numRuns: 5000 },
    );
  });
});
