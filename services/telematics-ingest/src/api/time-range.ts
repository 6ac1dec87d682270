/**
 * `[from, to)` over the stored times. Times are stored in whole milliseconds (they come from JS
 * `Date`s), while a bound may carry any number of fraction digits (RFC 3339): for a stored t,
 * t ≥ from ⇔ t ≥ ⌈from⌉ and t < to ⇔ t < ⌈to⌉ in milliseconds, so the bounds are rounded up, not
 * cut (a cut `from` of …20.0005 took in a record at …20.000). Whether from < to is decided on the
 * bounds as sent, so a range within one millisecond is valid and empty, not refused.
 */
export interface Bound {
  /** Milliseconds since the epoch, the fraction cut after three digits (the floor). */
  readonly floorMs: number;
  /** The fraction digits after the third, trailing zeros dropped ('' when none). */
  readonly subMs: string;
}

const FRACTION = /\.(\d+)/;

export function boundOf(text: string): Bound {
  const digits = FRACTION.exec(text)?.[1] ?? '';
  return { floorMs: Date.parse(text), subMs: digits.slice(3).replace(/0+$/, '') };
}

export function boundOfMs(ms: number): Bound {
  return { floorMs: ms, subMs: '' };
}

/** The first whole millisecond at or after the bound. */
export function ceilMs(bound: Bound): Date {
  return new Date(bound.subMs === '' ? bound.floorMs : bound.floorMs + 1);
}

export function isBefore(a: Bound, b: Bound): boolean {
  if (a.floorMs !== b.floorMs) return a.floorMs < b.floorMs;
  const width = Math.max(a.subMs.length, b.subMs.length);
  return a.subMs.padEnd(width, '0') < b.subMs.padEnd(width, '0');
}
