import { jobId } from './job-id';

describe('jobId', () => {
  it.each([
    [['order', 'a1b2', 'assigned', 'pickup-timeout'], 'order.a1b2.assigned.pickup-timeout'],
    [['face', 'user:42'], 'face.user%3A42'],
    [['a.b', 'c'], 'a%2Eb.c'],
    [['a', 'b.c'], 'a.b%2Ec'],
    [[42], 'id.42'],
    [['-7'], 'id.-7'],
    [['x y/z'], 'x%20y%2Fz'],
  ])('%j -> %s', (parts, expected) => {
    expect(jobId(...parts)).toBe(expected);
  });

  it('is deterministic and never contains BullMQ key separators', () => {
    const parts = ['delivery:order', '5f0c…', 'state/x', 3] as const;
    expect(jobId(...parts)).toBe(jobId(...parts));
    expect(jobId(...parts)).not.toContain(':');
  });

  it('keeps parts apart: different parts never give the same id', () => {
    expect(jobId('a.b', 'c')).not.toBe(jobId('a', 'b.c'));
  });

  it('refuses no parts', () => {
    expect(() => jobId()).toThrow(/at least one part/);
  });
});
