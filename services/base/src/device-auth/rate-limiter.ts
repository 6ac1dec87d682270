import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { type DeviceKind } from '@platform/device-auth';
import { RateLimitedError } from '@platform/errors';
import { DEVICE_AUTH_SETTINGS, type DeviceAuthSettings } from './device-auth.settings';
import { DEVICE_AUTH_STORE, type DeviceAuthStore, type RateBucket } from './device-auth.store';

export const RATE_WINDOW_MS = 60_000;

/** Login string → a fixed-length, Redis-safe bucket id that does not spell the login out. */
function digest(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 32);
}

/**
 * Rate limits of the device-auth endpoints, counted in Redis (shared by every replica) in fixed
 * one-minute windows:
 * - `/login`, `/login_code`, `/nonce`, `/login_signature`: per client address;
 * - `/login`, `/nonce`: also per device id, whether or not the id exists (no oracle). The answer
 *   steps need no per-device bucket: each answers a single-use challenge that was counted there;
 * - `/new_login`: per client address and per engineer login (before the password is checked).
 * The address is checked first: a caller over its address limit does not use up a device's.
 */
@Injectable()
export class DeviceAuthRateLimiter {
  constructor(
    @Inject(DEVICE_AUTH_STORE) private readonly store: DeviceAuthStore,
    @Inject(DEVICE_AUTH_SETTINGS) private readonly settings: DeviceAuthSettings,
  ) {}

  /** `/login` and `/nonce`. */
  issue(address: string, kind: DeviceKind, deviceId: string): Promise<void> {
    return this.check([
      { bucket: `login-address:${address}`, limit: this.settings.loginPerAddressPerMinute },
      { bucket: `login-device:${kind}:${deviceId}`, limit: this.settings.loginPerDevicePerMinute },
    ]);
  }

  /** `/login_code` and `/login_signature`. */
  answer(address: string): Promise<void> {
    return this.check([
      { bucket: `login-address:${address}`, limit: this.settings.loginPerAddressPerMinute },
    ]);
  }

  /** `/new_login`. */
  register(address: string, engineerLogin: string): Promise<void> {
    return this.check([
      { bucket: `register-address:${address}`, limit: this.settings.registerPerMinute },
      {
        bucket: `register-engineer:${digest(engineerLogin)}`,
        limit: this.settings.registerPerMinute,
      },
    ]);
  }

  private async check(buckets: RateBucket[]): Promise<void> {
    const retryMs = await this.store.hit(buckets, RATE_WINDOW_MS);
    if (retryMs > 0) {
      throw new RateLimitedError(Math.max(1, Math.ceil(retryMs / 1000)));
    }
  }
}
