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
 *
 * Rate-limit counters are @platform/rate-limit's (`rate:base:device-auth:<bucket>`).
 */

export type PendingType = 'challenge' | 'nonce';

export function pendingKey(type: PendingType, requestId: string): string {
  return `device-auth:${type}:${requestId}`;
}

export interface DeviceAuthStore extends DeviceSessionRedis {
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
   * Stores a session for `ttlSeconds` and adds it to its device's set; forgets expired members
   * and ends the oldest sessions beyond `maxSessions`. Returns how many sessions it ended.
   */
  createSession(
    tokenHash: string,
    record: DeviceSessionRecord,
    ttlSeconds: number,
    maxSessions: number,
  ): Promise<number>;
  /** Deletes one session; false when it was already gone. */
  deleteSession(tokenHash: string, deviceId: string): Promise<boolean>;
  /** Deletes every session of the device; returns how many were live. */
  revokeDeviceSessions(deviceId: string): Promise<number>;
}

export const DEVICE_AUTH_STORE = Symbol('DEVICE_AUTH_STORE');

const SESSION_PREFIX = deviceSessionKey('');

// KEYS[1] session key, KEYS[2] the device's zset. ARGV: json, ttl, token hash, created ms,
// zset ttl, max sessions, session key prefix. Members whose key is gone are forgotten; beyond
// the maximum the oldest sessions (not the new one) are ended.
const CREATE_SESSION = `
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

// KEYS[1] the device's zset. ARGV[1] session key prefix.
const REVOKE_DEVICE_SESSIONS = `
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
  ): Promise<number> {
    const ended = await this.redis.eval(
      CREATE_SESSION,
      2,
      deviceSessionKey(tokenHash),
      deviceSessionsKey(record.deviceId),
      JSON.stringify(record),
      ttlSeconds,
      tokenHash,
      record.createdAt,
      record.absoluteSeconds,
      maxSessions,
      SESSION_PREFIX,
    );
    return Number(ended);
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
      1,
      deviceSessionsKey(deviceId),
      SESSION_PREFIX,
    );
    return Number(ended);
  }
}
