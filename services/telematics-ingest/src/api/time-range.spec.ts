import { boundOf, ceilMs, isBefore } from './time-range';

describe('time-range bounds over whole-millisecond times', () => {
  const at = '2026-12-04T00:53:20.000Z';
  const stored = Date.parse(at);
  const within = (from: string, to: string, t = stored) =>
    t >= ceilMs(boundOf(from)).getTime() && t < ceilMs(boundOf(to)).getTime();

  it.each([
    ['2026-12-04T00:53:20Z', '2026-12-04T00:53:20.0001Z', true],
    ['2026-12-04T00:53:20.0005Z', '2026-12-04T00:53:21Z', false],
    ['2026-12-04T00:53:19Z', '2026-12-04T00:53:20.0005Z', true],
    ['2026-12-04T00:53:19Z', '2026-12-04T00:53:20Z', false],
    ['2026-12-04T03:53:20+03:00', '2026-12-04T03:53:20.000000001+03:00', true],
    ['2026-12-04T00:53:19.999999Z', '2026-12-04T00:53:20.001Z', true],
  ])('[%s, %s) holds the record at …20.000: %p', (from, to, holds) => {
    expect(within(from, to)).toBe(holds);
  });

  it.each([
    ['2026-12-04T00:53:20Z', '2026-12-04T00:53:20.0001Z', true],
    ['2026-12-04T00:53:20.0005Z', '2026-12-04T00:53:20.0007Z', true],
    ['2026-12-04T00:53:20.00050Z', '2026-12-04T00:53:20.0005Z', false],
    ['2026-12-04T00:53:20.0007Z', '2026-12-04T00:53:20.0005Z', false],
    ['2026-12-04T00:53:20.1Z', '2026-12-04T00:53:20.09999Z', false],
    ['2026-12-04T03:53:20+03:00', '2026-12-04T00:53:20.5Z', true],
    ['1969-12-31T23:59:59.9995Z', '1970-01-01T00:00:00Z', true],
  ])('decides %s < %s exactly: %p', (from, to, before) => {
    expect(isBefore(boundOf(from), boundOf(to))).toBe(before);
  });
});
