import { createSessionToken, hashSessionToken } from '@platform/device-auth';
import {
  type DeviceSessionRecord,
  type DeviceSessionRedis,
  deviceSessionKey,
  deviceSessionsKey,
  parseDeviceSessionRecord,
  RedisDeviceSessionVerifier,
} from './device-session';

/** Just enough of Redis: string keys with a TTL on a fake clock. */
class FakeRedis implements DeviceSessionRedis {
  readonly values = new Map<string, { value: string; expiresAt: number }>();
  now = Date.UTC(2026, 10, 1);

  set(key: string, value: string, ttlSeconds: number): void {
    this.values.set(key, { value, expiresAt: this.now + ttlSeconds * 1000 });
  }

  ttl(key: string): number | undefined {
    const entry = this.live(key);
    return entry && (entry.expiresAt - this.now) / 1000;
  }

  private live(key: string) {
    const entry = this.values.get(key);
    if (entry && entry.expiresAt <= this.now) this.values.delete(key);
    return this.values.get(key);
  }

  async get(key: string): Promise<string | null> {
    return this.live(key)?.value ?? null;
  }

  async expire(key: string, seconds: number): Promise<number> {
    const entry = this.live(key);
    if (!entry) return 0;
    entry.expiresAt = this.now + seconds * 1000;
    return 1;
  }

  async del(key: string): Promise<number> {
    return this.values.delete(key) ? 1 : 0;
  }
}

describe('RedisDeviceSessionVerifier', () => {
  let redis: FakeRedis;
  let verifier: RedisDeviceSessionVerifier;
  let token: string;
  let key: string;
  const record = (over: Partial<DeviceSessionRecord> = {}): DeviceSessionRecord => ({
    sessionId: 'b0c4b0a0-0000-4000-8000-000000000001',
    deviceId: 'd0c4b0a0-0000-4000-8000-000000000002',
    kind: 'robot',
    privileges: 0,
    createdAt: redis.now,
    idleSeconds: 3600,
    absoluteSeconds: 86400,
    keyFingerprint: 'x'.repeat(43),
    ...over,
  });

  beforeEach(() => {
    redis = new FakeRedis();
    verifier = new RedisDeviceSessionVerifier(redis, () => redis.now);
    token = createSessionToken();
    key = deviceSessionKey(hashSessionToken(token));
  });

  it('names keys as docs/device-auth.md says', () => {
    expect(key).toBe(`device-auth:session:${hashSessionToken(token)}`);
    expect(deviceSessionsKey('abc')).toBe('device-auth:device-sessions:abc');
  });

  it('resolves a live session to a device principal and slides its idle timeout', async () => {
    redis.set(key, JSON.stringify(record()), 3600);
    redis.now += 1800_000;
    await expect(verifier.verify(token)).resolves.toEqual({
      type: 'device',
      deviceId: 'd0c4b0a0-0000-4000-8000-000000000002',
      kind: 'robot',
      privileges: 0,
      sessionId: 'b0c4b0a0-0000-4000-8000-000000000001',
    });
    expect(redis.ttl(key)).toBe(3600);
  });

  it('never extends a session past its absolute lifetime', async () => {
    redis.set(key, JSON.stringify(record()), 3600);
    redis.now += (86400 - 600) * 1000;
    redis.set(key, JSON.stringify(record({ createdAt: redis.now - (86400 - 600) * 1000 })), 3600);
    await verifier.verify(token);
    expect(redis.ttl(key)).toBe(600);
  });

  it('refuses and deletes a session that outlived its absolute lifetime', async () => {
    redis.set(key, JSON.stringify(record({ createdAt: redis.now - 86400_000 })), 3600);
    await expect(verifier.verify(token)).rejects.toMatchObject({
      kind: 'unauthenticated',
      code: 'INVALID_SESSION',
    });
    expect(redis.values.has(key)).toBe(false);
  });

  it.each<[string, () => string]>([
    ['an unknown token', () => createSessionToken()],
    ['a malformed token (uuid4, the seed format)', () => 'b0c4b0a0-0000-4000-8000-000000000001'],
    ['an empty token', () => ''],
  ])('refuses %s with 401 INVALID_SESSION', async (_name, other) => {
    redis.set(key, JSON.stringify(record()), 3600);
    await expect(verifier.verify(other())).rejects.toMatchObject({ code: 'INVALID_SESSION' });
  });

  it('refuses an idle-expired session', async () => {
    redis.set(key, JSON.stringify(record()), 3600);
    redis.now += 3600_000;
    await expect(verifier.verify(token)).rejects.toMatchObject({ code: 'INVALID_SESSION' });
  });

  it('refuses a session revoked between the read and the refresh', async () => {
    redis.set(key, JSON.stringify(record()), 3600);
    const expire = redis.expire.bind(redis);
    redis.expire = async (k, s) => {
      await redis.del(k);
      return expire(k, s);
    };
    await expect(verifier.touch(token)).resolves.toBeNull();
  });

  it('refuses a session stored under an upper-case device id (it escaped revocation)', async () => {
    redis.set(key, JSON.stringify(record({ deviceId: record().deviceId.toUpperCase() })), 3600);
    await expect(verifier.touch(token)).resolves.toBeNull();
  });

  it.each(['not json', '[]', '{}', JSON.stringify({ deviceId: 'x', kind: 'robot' }), 'null'])(
    'treats a malformed value %j as no session',
    (text) => {
      expect(parseDeviceSessionRecord(text)).toBeNull();
    },
  );
});
