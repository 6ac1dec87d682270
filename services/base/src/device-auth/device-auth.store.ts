import { Inject, Injectable } from '@nestjs/common';
import {
  type DeviceSessionRecord,
  type DeviceSessionRedis,
  deviceSessionKey,
  deviceSessionsKey,
} from '@platform/auth';
import { REDIS_CONNECTION } from '@platform/runtime';
import type Redis from 'ioredis';

/**
 * Everything device-auth keeps in Redis, behind one interface: the services hold the decisions,
 * this holds the storage (the Redis implementation below; an in-memory one for specs).
 *
 * | key                                        | value                          | TTL                       |
 * | ------------------------------------------ | ------------------------------ | ------------------------- |
 * | `device-auth:challenge:<request_id>`       | JSON pending challenge         | challenge TTL, GETDEL     |
 * | `device-auth:nonce:<request_id>`           | JSON pending nonce             | challenge TTL, GETDEL     |
 * | `device-auth:session:<sha256(token)>`      | JSON DeviceSessionRecord       | idle, capped by absolute  |
 * | `device-auth:device-sessions:<device id>`  | zset: session hash → login ms  | ≥ the longest session     |
 * | `device-auth:device-generation:<device id>`| revocations so far (INCR)      | none (one small key each) |
 *
 * The generation closes the race between a login and a revocation without a second database
 * read: a login reads it BEFORE it reads the device row, and its session is created only if it
 * is unchanged (one script). A revocation (disable, delete, key change) commits the device row
 * first and then, in one script, bumps the generation and deletes the sessions. So a revocation
 * either committed before the login's read of the row (the login saw it, and refused), or bumped
 * the generation after the login's read of it (the session is refused), or deleted the session
 * afterwards. A missing key is generation "0".
 *
 * Rate-limit counters are @platform/rate-limit's (`rate:base:device-auth:<bucket>`).
 */

export type PendingType = 'challenge' | 'nonce';

export function pendingKey(type: PendingType, requestId: string): string {
  return `device-auth:${type}:${requestId}`;
}

export function deviceGenerationKey(deviceId: string): string {
  return `device-auth:device-generation:${deviceId}`;
}

export interface DeviceAuthStore extends DeviceSessionRedis {
  /** The device's revocation generation ("0" before its first revocation). */
  deviceGeneration(deviceId: string): Promise<string>;
  /** Stores a pending challenge or nonce for `ttlSeconds`. */
  putPending(
    type: PendingType,
    requestId: string,
    value: object,
    ttlSeconds: number,
  ): Promise<void>;
  /** Takes (reads and deletes, atomically) a pending challenge or nonce: single use. */
  takePending(type: PendingType, requestId: string): Promise<unknown>;
  /**
   * If the device's generation is still `generation`: stores a session for `ttlSeconds` and adds
   * it to its device's set, forgets expired members and ends the oldest sessions beyond
   * `maxSessions`, and returns how many sessions it ended. Otherwise stores nothing: null.
   */
  createSession(
    tokenHash: string,
    record: DeviceSessionRecord,
    ttlSeconds: number,
    maxSessions: number,
    generation: string,
  ): Promise<number | null>;
  /** Deletes one session; false when it was already gone. */
  deleteSession(tokenHash: string, deviceId: string): Promise<boolean>;
  /** Bumps the device's generation and deletes its every session; returns how many were live. */
  revokeDeviceSessions(deviceId: string): Promise<number>;
}

export const DEVICE_AUTH_STORE = Symbol('DEVICE_AUTH_STORE');

const SESSION_PREFIX = deviceSessionKey('');

// KEYS[1] session key, KEYS[2] the device's zset, KEYS[3] its generation. ARGV: json, ttl, token
// hash, created ms, zset ttl, max sessions, session key prefix, expected generation. -1 when the
// generation moved on. Members whose key is gone are forgotten; beyond the maximum the oldest
// sessions (not the new one) are ended.
const CREATE_SESSION = `
if (redis.call('GET', KEYS[3]) or '0') ~= ARGV[8] then return -1 end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[3])
local live = {}
for _, member in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do
  if redis.call('EXISTS', ARGV[7] .. member) == 1 then
    table.insert(live, member)
  else
    redis.call('ZREM', KEYS[2], member)
  end
end
local excess = #live - tonumber(ARGV[6])
local ended = 0
for _, member in ipairs(live) do
  if excess <= 0 then break end
  if member ~= ARGV[3] then
    redis.call('DEL', ARGV[7] .. member)
    redis.call('ZREM', KEYS[2], member)
    excess = excess - 1
    ended = ended + 1
  end
end
redis.call('EXPIRE', KEYS[2], ARGV[5], 'NX')
redis.call('EXPIRE', KEYS[2], ARGV[5], 'GT')
return ended
`;

// KEYS[1] the device's zset, KEYS[2] its generation. ARGV[1] session key prefix.
const REVOKE_DEVICE_SESSIONS = `
redis.call('INCR', KEYS[2])
local ended = 0
for _, member in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  ended = ended + redis.call('DEL', ARGV[1] .. member)
end
redis.call('DEL', KEYS[1])
return ended
`;

/**
 * The Redis implementation. The Lua scripts touch session keys they derive from the zset members
 * (not declared in KEYS): fine on the platform's single Redis, not on a Redis Cluster.
 */
@Injectable()
export class RedisDeviceAuthStore implements DeviceAuthStore {
  constructor(@Inject(REDIS_CONNECTION) private readonly redis: Redis) {}

  get(key: string): Promise<string | null> {
    return this.redis.get(key);
  }

  expire(key: string, seconds: number): Promise<number> {
    return this.redis.expire(key, seconds);
  }

  del(key: string): Promise<number> {
    return this.redis.del(key);
  }

  async deviceGeneration(deviceId: string): Promise<string> {
    return (await this.redis.get(deviceGenerationKey(deviceId))) ?? '0';
  }

  async putPending(
    type: PendingType,
    requestId: string,
    value: object,
    ttlSeconds: number,
  ): Promise<void> {
    await this.redis.set(pendingKey(type, requestId), JSON.stringify(value), 'EX', ttlSeconds);
  }

  async takePending(type: PendingType, requestId: string): Promise<unknown> {
    const text = await this.redis.getdel(pendingKey(type, requestId));
    if (text === null) return null;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return null;
    }
  }

  async createSession(
    tokenHash: string,
    record: DeviceSessionRecord,
    ttlSeconds: number,
    maxSessions: number,
    generation: string,
  ): Promise<number | null> {
    const ended = Number(
      await this.redis.eval(
        CREATE_SESSION,
        3,
        deviceSessionKey(tokenHash),
        deviceSessionsKey(record.deviceId),
        deviceGenerationKey(record.deviceId),
        JSON.stringify(record),
        ttlSeconds,
        tokenHash,
        record.createdAt,
        record.absoluteSeconds,
        maxSessions,
        SESSION_PREFIX,
        generation,
      ),
    );
    return ended < 0 ? null : ended;
  }

  async deleteSession(tokenHash: string, deviceId: string): Promise<boolean> {
    const results = await this.redis
      .multi()
      .del(deviceSessionKey(tokenHash))
      .zrem(deviceSessionsKey(deviceId), tokenHash)
      .exec();
    const [deleted] = results ?? [];
    return deleted?.[1] === 1;
  }

  async revokeDeviceSessions(deviceId: string): Promise<number> {
    const ended = await this.redis.eval(
      REVOKE_DEVICE_SESSIONS,
      2,
      deviceSessionsKey(deviceId),
      deviceGenerationKey(deviceId),
      SESSION_PREFIX,
    );
    return Number(ended);
  }
}
