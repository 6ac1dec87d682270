/**
 * Default lifetimes for the server side of the protocol (services may configure their own).
 */
export const DEVICE_AUTH_DEFAULTS = {
  /** A challenge or nonce is answerable for this long, once. */
  challengeTtlSeconds: 30,
  /** A session expires after this long without use (sliding). The seed used 3600 s. */
  sessionIdleSeconds: 3600,
  /**
   * A session never outlives this, however active (the seed had no limit). 30 days, the most
   * base allows: the seed's kiosks, in the field, log in at boot only and never again, so a
   * shorter limit silenced every robot running longer (401 on every call until a restart).
   */
  sessionAbsoluteSeconds: 30 * 24 * 3600,
} as const;

export interface SessionLifetime {
  /** When the session was created (ms since epoch). */
  readonly createdAtMs: number;
  readonly nowMs: number;
  readonly idleSeconds: number;
  readonly absoluteSeconds: number;
}

/**
 * The TTL (whole seconds) to set on a session key when it is created or used: the idle timeout,
 * capped by what is left of the absolute lifetime. 0 means the session is over (delete it).
 */
export function sessionTtlSeconds({
  createdAtMs,
  nowMs,
  idleSeconds,
  absoluteSeconds,
}: SessionLifetime): number {
  const remainingMs = createdAtMs + absoluteSeconds * 1000 - nowMs;
  if (!Number.isFinite(remainingMs) || remainingMs <= 0 || idleSeconds <= 0) return 0;
  return Math.max(0, Math.min(Math.floor(idleSeconds), Math.floor(remainingMs / 1000)));
}
