import { parseEnv } from '@platform/config';
import { DEVICE_AUTH_DEFAULTS } from '@platform/device-auth';
import { z } from 'zod';

const seconds = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const perMinute = z.coerce.number().int().min(1).max(1_000_000);

/**
 * The device-auth part of base's configuration (docs/device-auth.md §12), validated at boot like
 * the platform's own variables: a bad value stops the process with every problem listed.
 */
export const deviceAuthEnvSchema = z.object({
  /** How long a challenge or nonce can be answered (once). */
  DEVICE_CHALLENGE_TTL_SECONDS: seconds(1, 300).default(DEVICE_AUTH_DEFAULTS.challengeTtlSeconds),
  DEVICE_SESSION_IDLE_SECONDS: seconds(60, 7 * 86400).default(
    DEVICE_AUTH_DEFAULTS.sessionIdleSeconds,
  ),
  DEVICE_SESSION_ABSOLUTE_SECONDS: seconds(60, 30 * 86400).default(
    DEVICE_AUTH_DEFAULTS.sessionAbsoluteSeconds,
  ),
  /** Live sessions one device may hold; a login beyond it ends the oldest. */
  DEVICE_MAX_SESSIONS_PER_DEVICE: z.coerce.number().int().min(1).max(1000).default(8),
  /** Login attempts (`/login`, `/nonce`) per device id and minute. */
  DEVICE_LOGIN_RATE_LIMIT_PER_MINUTE: perMinute.default(10),
  /**
   * Requests to `/login`, `/login_code`, `/nonce`, `/login_signature` per client address and
   * minute. 120: a train's robots share its router's address and all log in when it powers up
   * (two requests each; the seed's kiosk does not retry a refused login).
   */
  DEVICE_LOGIN_ADDRESS_RATE_LIMIT_PER_MINUTE: perMinute.default(120),
  /** `/new_login` per client address and minute, and per engineer login and minute. */
  DEVICE_REGISTER_RATE_LIMIT_PER_MINUTE: perMinute.default(5),
});

export interface DeviceAuthSettings {
  challengeTtlSeconds: number;
  sessionIdleSeconds: number;
  sessionAbsoluteSeconds: number;
  maxSessionsPerDevice: number;
  loginPerDevicePerMinute: number;
  loginPerAddressPerMinute: number;
  registerPerMinute: number;
}

export const DEVICE_AUTH_SETTINGS = Symbol('DEVICE_AUTH_SETTINGS');

export function loadDeviceAuthSettings(
  env: Record<string, string | undefined>,
): Readonly<DeviceAuthSettings> {
  const parsed = parseEnv('base', deviceAuthEnvSchema, env);
  return Object.freeze({
    challengeTtlSeconds: parsed.DEVICE_CHALLENGE_TTL_SECONDS,
    sessionIdleSeconds: Math.min(
      parsed.DEVICE_SESSION_IDLE_SECONDS,
      parsed.DEVICE_SESSION_ABSOLUTE_SECONDS,
    ),
    sessionAbsoluteSeconds: parsed.DEVICE_SESSION_ABSOLUTE_SECONDS,
    maxSessionsPerDevice: parsed.DEVICE_MAX_SESSIONS_PER_DEVICE,
    loginPerDevicePerMinute: parsed.DEVICE_LOGIN_RATE_LIMIT_PER_MINUTE,
    loginPerAddressPerMinute: parsed.DEVICE_LOGIN_ADDRESS_RATE_LIMIT_PER_MINUTE,
    registerPerMinute: parsed.DEVICE_REGISTER_RATE_LIMIT_PER_MINUTE,
  });
}
