import { DEVICE_AUTH_DEFAULTS, sessionTtlSeconds } from './lifetimes';

describe('lifetimes', () => {
  it('defaults: 30 s challenges, 1 h idle, 24 h absolute', () => {
    expect(DEVICE_AUTH_DEFAULTS).toEqual({
      challengeTtlSeconds: 30,
      sessionIdleSeconds: 3600,
      sessionAbsoluteSeconds: 2_592_000,
    });
  });

  const created = Date.UTC(2025, 0, 1);
  const idle = 3600;
  const absolute = 86400;

  it.each<[string, number, number]>([
    ['at creation: the idle timeout', 0, 3600],
    ['mid-life: the idle timeout', 10 * 3600 * 1000, 3600],
    ['30 min before the end: 1800 s', (absolute - 1800) * 1000, 1800],
    ['rounds the remainder down', (absolute - 1.5) * 1000, 1],
    ['under a second left: over', (absolute - 0.5) * 1000, 0],
    ['at the absolute end: over', absolute * 1000, 0],
    ['after the end: over', (absolute + 60) * 1000, 0],
    ['clock before creation: still capped by idle', -60_000, 3600],
  ])('%s', (_name, elapsedMs, expected) => {
    expect(
      sessionTtlSeconds({
        createdAtMs: created,
        nowMs: created + elapsedMs,
        idleSeconds: idle,
        absoluteSeconds: absolute,
      }),
    ).toBe(expected);
  });

  it.each([
    ['zero idle timeout', { idleSeconds: 0 }],
    ['NaN creation time', { createdAtMs: Number.NaN }],
  ])('%s → 0', (_name, override) => {
    expect(
      sessionTtlSeconds({
        createdAtMs: created,
        nowMs: created,
        idleSeconds: idle,
        absoluteSeconds: absolute,
        ...override,
      }),
    ).toBe(0);
  });
});
