import { type DeviceSessionRecord, deviceSessionKey, deviceSessionsKey } from '@platform/auth';
import {
  type DeviceAuthStore,
  deviceGenerationKey,
  pendingKey,
  type PendingType,
} from '../device-auth.store';

interface Entry {
  value: string | Map<string, number>;
  expiresAt: number | null;
}

/**
 * For specs: the DeviceAuthStore semantics over a Map and a settable clock, so the decision
 * logic can be tested without Redis. It also counts operations per key prefix, so specs can
 * check that decoys touch storage exactly like real answers do.
 */
export class InMemoryDeviceAuthStore implements DeviceAuthStore {
  readonly entries = new Map<string, Entry>();
  readonly operations: string[] = [];
  now = Date.UTC(2026, 10, 1);

  advance(ms: number): void {
    this.now += ms;
  }

  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt !== null && entry.expiresAt <= this.now) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  private setString(key: string, value: string, ttlMs: number): void {
    this.entries.set(key, { value, expiresAt: this.now + ttlMs });
  }

  /** Keys that exist now. */
  keys(): string[] {
    return [...this.entries.keys()].filter((key) => this.live(key) !== undefined);
  }

  /** Remaining TTL in seconds, or undefined for a missing key (null: no TTL). */
  ttlSeconds(key: string): number | null | undefined {
    const entry = this.live(key);
    if (!entry) return undefined;
    return entry.expiresAt === null ? null : (entry.expiresAt - this.now) / 1000;
  }

  stringValue(key: string): string | undefined {
    const value = this.live(key)?.value;
    return typeof value === 'string' ? value : undefined;
  }

  async get(key: string): Promise<string | null> {
    this.operations.push(`get ${key.split(':')[1]}`);
    return this.stringValue(key) ?? null;
  }

  async expire(key: string, seconds: number): Promise<number> {
    const entry = this.live(key);
    if (!entry) return 0;
    entry.expiresAt = this.now + seconds * 1000;
    return 1;
  }

  async del(key: string): Promise<number> {
    return this.live(key) && this.entries.delete(key) ? 1 : 0;
  }

  async deviceGeneration(deviceId: string): Promise<string> {
    this.operations.push('get generation');
    return this.stringValue(deviceGenerationKey(deviceId)) ?? '0';
  }

  async putPending(
    type: PendingType,
    requestId: string,
    value: object,
    ttlSeconds: number,
  ): Promise<void> {
    this.operations.push(`put ${type}`);
    this.setString(pendingKey(type, requestId), JSON.stringify(value), ttlSeconds * 1000);
  }

  async takePending(type: PendingType, requestId: string): Promise<unknown> {
    this.operations.push(`take ${type}`);
    const key = pendingKey(type, requestId);
    const text = this.stringValue(key);
    this.entries.delete(key);
    return text === undefined ? null : (JSON.parse(text) as unknown);
  }

  private zset(key: string): Map<string, number> {
    const entry = this.live(key);
    if (entry && entry.value instanceof Map) return entry.value;
    const created = new Map<string, number>();
    this.entries.set(key, { value: created, expiresAt: null });
    return created;
  }

  async createSession(
    tokenHash: string,
    record: DeviceSessionRecord,
    ttlSeconds: number,
    maxSessions: number,
    generation: string,
  ): Promise<number | null> {
    this.operations.push('create session');
    if ((this.stringValue(deviceGenerationKey(record.deviceId)) ?? '0') !== generation) return null;
    this.setString(deviceSessionKey(tokenHash), JSON.stringify(record), ttlSeconds * 1000);
    const setKey = deviceSessionsKey(record.deviceId);
    const members = this.zset(setKey);
    members.set(tokenHash, record.createdAt);
    const live = [...members.entries()]
      .sort(([a, x], [b, y]) => x - y || a.localeCompare(b))
      .map(([member]) => member)
      .filter((member) => {
        const alive = this.live(deviceSessionKey(member)) !== undefined;
        if (!alive) members.delete(member);
        return alive;
      });
    let excess = live.length - maxSessions;
    let ended = 0;
    for (const member of live) {
      if (excess <= 0) break;
      if (member === tokenHash) continue;
      this.entries.delete(deviceSessionKey(member));
      members.delete(member);
      excess--;
      ended++;
    }
    const entry = this.entries.get(setKey);
    const wanted = this.now + record.absoluteSeconds * 1000;
    if (entry && (entry.expiresAt === null || entry.expiresAt < wanted)) entry.expiresAt = wanted;
    return ended;
  }

  async deleteSession(tokenHash: string, deviceId: string): Promise<boolean> {
    this.live(deviceSessionsKey(deviceId));
    const set = this.entries.get(deviceSessionsKey(deviceId))?.value;
    if (set instanceof Map) set.delete(tokenHash);
    return (await this.del(deviceSessionKey(tokenHash))) === 1;
  }

  async revokeDeviceSessions(deviceId: string): Promise<number> {
    const generationKey = deviceGenerationKey(deviceId);
    const generation = Number(this.stringValue(generationKey) ?? '0') + 1;
    this.entries.set(generationKey, { value: String(generation), expiresAt: null });
    const setKey = deviceSessionsKey(deviceId);
    const set = this.live(setKey)?.value;
    let ended = 0;
    if (set instanceof Map) {
      for (const member of set.keys()) ended += await this.del(deviceSessionKey(member));
    }
    this.entries.delete(setKey);
    return ended;
  }
}
