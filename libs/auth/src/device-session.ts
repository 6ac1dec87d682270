import {
  hashSessionToken,
  isWellFormedSessionToken,
  sessionTtlSeconds,
} from '@platform/device-auth';
import { DomainError } from '@platform/errors';
import { type DeviceSessionVerifier } from './platform-auth.guard';
import { type DevicePrincipal } from './principal';

/**
 * Device sessions in Redis, as the base service writes them (docs/device-auth.md §5). Any service
 * that shares the Redis instance verifies a device's bearer token with
 * {@link RedisDeviceSessionVerifier}, without base's database: `PlatformCoreModule.forRoot({...,
 * deviceSessions: true})` wires it.
 *
 * Revocation (logout, device disabled, deleted, re-registered, key rotated) deletes the session
 * keys, so a Redis-only verifier sees it at once.
 */

/** `device-auth:session:<sha256(token)>` → JSON {@link DeviceSessionRecord}. */
export function deviceSessionKey(tokenHash: string): string {
  return `device-auth:session:${tokenHash}`;
}

/** `device-auth:device-sessions:<deviceId>` → sorted set of the device's session hashes. */
export function deviceSessionsKey(deviceId: string): string {
  return `device-auth:device-sessions:${deviceId}`;
}

/** The JSON value of a session key. */
export interface DeviceSessionRecord {
  sessionId: string;
  deviceId: string;
  kind: string;
  /** Device privilege bits (none are defined yet: 0). */
  privileges: number;
  /** Login time, ms since the epoch. */
  createdAt: number;
  /** Sliding idle timeout and absolute lifetime the session was created with. */
  idleSeconds: number;
  absoluteSeconds: number;
  /** Fingerprint of the device key that logged in (a rotated key ends the session). */
  keyFingerprint: string;
}

const isString = (value: unknown): value is string => typeof value === 'string' && value !== '';
/**
 * Device ids are issued and read in lower case; a session stored under an upper-case spelling
 * (made before base read every id in lower case) escaped its device's revocation, so it is none.
 */
const isDeviceId = (value: unknown): value is string =>
  isString(value) && value === value.toLowerCase();
const isCount = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

/** The record in a session key's value, or null for anything malformed. */
export function parseDeviceSessionRecord(text: string | null): DeviceSessionRecord | null {
  if (text === null) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const record = value as Record<string, unknown>;
  const valid =
    isString(record['sessionId']) &&
    isDeviceId(record['deviceId']) &&
    isString(record['kind']) &&
    isCount(record['privileges']) &&
    isCount(record['createdAt']) &&
    isCount(record['idleSeconds']) &&
    isCount(record['absoluteSeconds']) &&
    isString(record['keyFingerprint']);
  return valid ? (record as unknown as DeviceSessionRecord) : null;
}

export function devicePrincipalOf(record: DeviceSessionRecord): DevicePrincipal {
  return {
    type: 'device',
    deviceId: record.deviceId,
    kind: record.kind,
    privileges: record.privileges,
    sessionId: record.sessionId,
  };
}

/** The few ioredis calls the verifier makes (an ioredis `Redis` satisfies it). */
export interface DeviceSessionRedis {
  get(key: string): Promise<string | null>;
  expire(key: string, seconds: number): Promise<number>;
  del(key: string): Promise<number>;
}

export const INVALID_SESSION = 'INVALID_SESSION';

export function invalidDeviceSession(): DomainError {
  return new DomainError('unauthenticated', INVALID_SESSION, 'Invalid or expired device session');
}

export interface TouchedDeviceSession {
  tokenHash: string;
  record: DeviceSessionRecord;
}

/**
 * Resolves a device bearer token from Redis alone and slides its idle timeout, never past the
 * session's absolute lifetime. Unknown, malformed, expired or revoked: 401 INVALID_SESSION.
 */
export class RedisDeviceSessionVerifier implements DeviceSessionVerifier {
  constructor(
    private readonly redis: DeviceSessionRedis,
    private readonly now: () => number = Date.now,
  ) {}

  async verify(token: string): Promise<DevicePrincipal> {
    const session = await this.touch(token);
    if (!session) throw invalidDeviceSession();
    return devicePrincipalOf(session.record);
  }

  /** The live session of `token` with its idle timeout refreshed, or null. */
  async touch(token: string): Promise<TouchedDeviceSession | null> {
    if (!isWellFormedSessionToken(token)) return null;
    const tokenHash = hashSessionToken(token);
    const key = deviceSessionKey(tokenHash);
    const record = parseDeviceSessionRecord(await this.redis.get(key));
    if (!record) return null;
    const ttl = sessionTtlSeconds({
      createdAtMs: record.createdAt,
      nowMs: this.now(),
      idleSeconds: record.idleSeconds,
      absoluteSeconds: record.absoluteSeconds,
    });
    if (ttl <= 0) {
      await this.redis.del(key);
      return null;
    }
    // 0: the key went away since the GET (logout or revocation in between).
    if ((await this.redis.expire(key, ttl)) !== 1) return null;
    return { tokenHash, record };
  }
}
