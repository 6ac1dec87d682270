import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { type DeviceKind } from '@platform/device-auth';
import { type RateBucket, RateLimiter } from '@platform/rate-limit';
import { DEVICE_AUTH_SETTINGS, type DeviceAuthSettings } from './device-auth.settings';

export const RATE_WINDOW_MS = 60_000;

/** Login string → a fixed-length, Redis-safe bucket id that does not spell the login out. */
function digest(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 32);
}

/**
 * Rate limits of the device-auth endpoints: only the policy (which buckets, which limits); the
 * counting is @platform/rate-limit's (Redis, shared by every replica, fixed one-minute windows,
 * keys `rate:base:device-auth:<bucket>`):
 * - `/login`, `/login_code`, `/nonce`, `/login_signature`: per client address;
 * - `/login`, `/nonce`: also per device id, whether or not the id exists (no oracle). The answer
 *   steps need no per-device bucket: each answers a single-use challenge that was counted there;
 * - `/new_login`: per client address and per engineer login (before the password is checked).
 * The address is checked first: a caller over its address limit does not use up a device's.
 */
@Injectable()
export class DeviceAuthRateLimiter {
  constructor(
    private readonly limiter: RateLimiter,
    @Inject(DEVICE_AUTH_SETTINGS) private readonly settings: DeviceAuthSettings,
  ) {}

  /** `/login` and `/nonce`. */
  issue(address: string, kind: DeviceKind, deviceId: string): Promise<void> {
    return this.check([
      {
        key: `device-auth:login-address:${address}`,
        limit: this.settings.loginPerAddressPerMinute,
      },
      {
        key: `device-auth:login-device:${kind}:${deviceId}`,
        limit: this.settings.loginPerDevicePerMinute,
      },
    ]);
  }

  /** `/login_code` and `/login_signature`. */
  answer(address: string): Promise<void> {
    return this.check([
      {
        key: `device-auth:login-address:${address}`,
        limit: this.settings.loginPerAddressPerMinute,
      },
    ]);
  }

  /** `/new_login`. */
  register(address: string, engineerLogin: string): Promise<void> {
    return this.check([
      { key: `device-auth:register-address:${address}`, limit: this.settings.registerPerMinute },
      {
        key: `device-auth:register-engineer:${digest(engineerLogin)}`,
        limit: this.settings.registerPerMinute,
      },
    ]);
  }

  private check(buckets: RateBucket[]): Promise<void> {
    return this.limiter.check(buckets, RATE_WINDOW_MS);
  }
}
