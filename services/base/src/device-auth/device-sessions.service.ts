import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  type DevicePrincipal,
  devicePrincipalOf,
  type DeviceSessionRecord,
  type DeviceSessionVerifier,
  invalidDeviceSession,
  RedisDeviceSessionVerifier,
} from '@platform/auth';
import {
  createSessionToken,
  type DeviceKind,
  hashSessionToken,
  isWellFormedSessionToken,
  sessionTtlSeconds,
} from '@platform/device-auth';
import { DEVICE_AUTH_SETTINGS, type DeviceAuthSettings } from './device-auth.settings';
import { DEVICE_AUTH_STORE, type DeviceAuthStore } from './device-auth.store';
import { DEVICE_DIRECTORY, type DeviceDirectory } from './device-directory';

export const DEVICE_AUTH_CLOCK = Symbol('DEVICE_AUTH_CLOCK');

/** The device a login proved, as its pending record remembers it. */
export interface LoggedInDevice {
  id: string;
  kind: DeviceKind;
  keyFingerprint: string;
}
export type Clock = () => number;

/**
 * Device sessions: created at login, verified on every @DeviceAuth request (this is base's
 * DEVICE_SESSION_VERIFIER), ended by logout and revoked when the device changes.
 *
 * Verification here is the Redis check every service does (RedisDeviceSessionVerifier) plus one
 * look at base's database: a session of a device that was since disabled, deleted or given
 * another key is refused and deleted, even if its revocation was missed.
 */
@Injectable()
export class DeviceSessionsService implements DeviceSessionVerifier {
  private readonly logger = new Logger('DeviceSessions');
  private readonly redisVerifier: RedisDeviceSessionVerifier;

  constructor(
    @Inject(DEVICE_AUTH_STORE) private readonly store: DeviceAuthStore,
    @Inject(DEVICE_DIRECTORY) private readonly directory: DeviceDirectory,
    @Inject(DEVICE_AUTH_SETTINGS) private readonly settings: DeviceAuthSettings,
    @Inject(DEVICE_AUTH_CLOCK) private readonly now: Clock,
  ) {
    this.redisVerifier = new RedisDeviceSessionVerifier(store, now);
  }

  /**
   * A new session for a device that just proved its key. Returns the bearer token (only its hash
   * is stored), or null when the device was revoked (disabled, deleted, given another key) since
   * the login read its generation, before it read the device (DeviceAuthStore: the generation).
   */
  async create(device: LoggedInDevice, generation: string): Promise<string | null> {
    const token = createSessionToken();
    const tokenHash = hashSessionToken(token);
    const createdAt = this.now();
    const record: DeviceSessionRecord = {
      sessionId: randomUUID(),
      deviceId: device.id,
      kind: device.kind,
      privileges: 0,
      createdAt,
      idleSeconds: this.settings.sessionIdleSeconds,
      absoluteSeconds: this.settings.sessionAbsoluteSeconds,
      keyFingerprint: device.keyFingerprint,
    };
    const ttl = sessionTtlSeconds({
      createdAtMs: createdAt,
      nowMs: createdAt,
      idleSeconds: record.idleSeconds,
      absoluteSeconds: record.absoluteSeconds,
    });
    const ended = await this.store.createSession(
      tokenHash,
      record,
      ttl,
      this.settings.maxSessionsPerDevice,
      generation,
    );
    if (ended === null) return null;
    if (ended > 0) {
      this.logger.log(
        { event: 'device.sessions.evicted', deviceId: device.id, kind: device.kind, ended },
        'oldest device sessions ended (too many live sessions)',
      );
    }
    this.logger.log(
      {
        event: 'device.session.created',
        deviceId: device.id,
        kind: device.kind,
        sessionId: record.sessionId,
      },
      'device logged in',
    );
    return token;
  }

  async verify(token: string): Promise<DevicePrincipal> {
    const session = await this.redisVerifier.touch(token);
    if (!session) throw invalidDeviceSession();
    const { record, tokenHash } = session;
    const device = await this.directory.findActive(record.kind as DeviceKind, record.deviceId);
    if (device?.key.fingerprint !== record.keyFingerprint) {
      await this.store.deleteSession(tokenHash, record.deviceId);
      throw invalidDeviceSession();
    }
    return devicePrincipalOf(record);
  }

  /** Ends the session of `token` (logout). */
  async end(token: string, principal: DevicePrincipal): Promise<void> {
    if (!isWellFormedSessionToken(token)) return;
    await this.store.deleteSession(hashSessionToken(token), principal.deviceId);
    this.logger.log(
      {
        event: 'device.session.ended',
        deviceId: principal.deviceId,
        sessionId: principal.sessionId,
      },
      'device logged out',
    );
  }

  /** Ends every session of the device; returns how many were live. */
  revokeAll(deviceId: string): Promise<number> {
    return this.store.revokeDeviceSessions(deviceId);
  }
}
