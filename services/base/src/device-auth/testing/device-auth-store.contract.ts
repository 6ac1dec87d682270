import { randomUUID } from 'node:crypto';
import { type DeviceSessionRecord, deviceSessionKey } from '@platform/auth';
import { type DeviceAuthStore } from '../device-auth.store';

export interface DeviceAuthStoreSubject {
  store: DeviceAuthStore;
  /** Lets `ms` of time pass for the store's TTLs: the fake moves its clock, Redis is waited for. */
  advance(ms: number): Promise<void>;
}

/** TTLs are whole seconds: one second, checked well inside and well past it. */
const TTL_SECONDS = 1;
const WELL_INSIDE_TTL_MS = 400;
const PAST_TTL_MS = 1300;

function sessionRecord(deviceId: string, createdAt: number, absoluteSeconds = 60) {
  const record: DeviceSessionRecord = {
    sessionId: randomUUID(),
    deviceId,
    kind: 'robot',
    privileges: 0,
    createdAt,
    idleSeconds: TTL_SECONDS,
    absoluteSeconds,
    keyFingerprint: 'f'.repeat(43),
  };
  return { tokenHash: randomUUID().replaceAll('-', ''), record };
}

/**
 * What a caller of DeviceAuthStore sees, whatever stores it: run against the in-memory fake (unit
 * tier) and against RedisDeviceAuthStore on Redis (integration tier), so the fake the
 * device-auth specs lean on cannot drift from the Lua scripts it stands in for. Every case uses
 * fresh ids, so cases never see each other's keys.
 */
export function describeDeviceAuthStoreContract(
  name: string,
  makeSubject: () => DeviceAuthStoreSubject,
): void {
  describe(`DeviceAuthStore contract: ${name}`, () => {
    let store: DeviceAuthStore;
    let advance: (ms: number) => Promise<void>;

    beforeEach(() => {
      ({ store, advance } = makeSubject());
    });

    const isLive = async (tokenHash: string) =>
      (await store.get(deviceSessionKey(tokenHash))) !== null;

    describe('pending challenges and nonces', () => {
      it('gives back what was put, once', async () => {
        const id = randomUUID();
        await store.putPending('challenge', id, { nonce: 'n-1', kind: 'robot' }, 60);
        expect(await store.takePending('challenge', id)).toEqual({ nonce: 'n-1', kind: 'robot' });
        expect(await store.takePending('challenge', id)).toBeNull();
      });

      it('keeps challenges and nonces of the same request id apart', async () => {
        const id = randomUUID();
        await store.putPending('challenge', id, { which: 'challenge' }, 60);
        await store.putPending('nonce', id, { which: 'nonce' }, 60);
        expect(await store.takePending('nonce', id)).toEqual({ which: 'nonce' });
        expect(await store.takePending('challenge', id)).toEqual({ which: 'challenge' });
      });

      it('answers null for a request id never put', async () => {
        expect(await store.takePending('nonce', randomUUID())).toBeNull();
      });

      it('replaces the value put again under the same request id', async () => {
        const id = randomUUID();
        await store.putPending('nonce', id, { attempt: 1 }, 60);
        await store.putPending('nonce', id, { attempt: 2 }, 60);
        expect(await store.takePending('nonce', id)).toEqual({ attempt: 2 });
      });

      it('keeps a pending value for its TTL and not after', async () => {
        const early = randomUUID();
        const late = randomUUID();
        await store.putPending('challenge', early, { n: 1 }, TTL_SECONDS);
        await store.putPending('challenge', late, { n: 2 }, TTL_SECONDS);
        await advance(WELL_INSIDE_TTL_MS);
        expect(await store.takePending('challenge', early)).toEqual({ n: 1 });
        await advance(PAST_TTL_MS - WELL_INSIDE_TTL_MS);
        expect(await store.takePending('challenge', late)).toBeNull();
      });

      it('lets exactly one of several concurrent takes win', async () => {
        const id = randomUUID();
        await store.putPending('challenge', id, { nonce: 'once' }, 60);
        const taken = await Promise.all(
          Array.from({ length: 8 }, () => store.takePending('challenge', id)),
        );
        expect(taken.filter((value) => value !== null)).toEqual([{ nonce: 'once' }]);
      });
    });

    describe('sessions', () => {
      it('stores the record under the session key and ends nothing below the maximum', async () => {
        const { tokenHash, record } = sessionRecord(randomUUID(), 1000);
        expect(await store.createSession(tokenHash, record, 60, 3, '0')).toBe(0);
        expect(JSON.parse((await store.get(deviceSessionKey(tokenHash))) ?? 'null')).toEqual(
          record,
        );
      });

      it('ends a session at its TTL unless expire slides it', async () => {
        const deviceId = randomUUID();
        const idle = sessionRecord(deviceId, 1000);
        const active = sessionRecord(deviceId, 2000);
        await store.createSession(idle.tokenHash, idle.record, TTL_SECONDS, 5, '0');
        await store.createSession(active.tokenHash, active.record, TTL_SECONDS, 5, '0');
        await advance(WELL_INSIDE_TTL_MS);
        expect(await store.expire(deviceSessionKey(active.tokenHash), 3)).toBe(1);
        await advance(PAST_TTL_MS - WELL_INSIDE_TTL_MS);
        expect(await isLive(idle.tokenHash)).toBe(false);
        expect(await isLive(active.tokenHash)).toBe(true);
        expect(await store.expire(deviceSessionKey(idle.tokenHash), 3)).toBe(0);
      });

      it('ends the oldest sessions beyond the maximum, never the one being created', async () => {
        const deviceId = randomUUID();
        const first = sessionRecord(deviceId, 1000);
        const second = sessionRecord(deviceId, 2000);
        // Logged in "before" the others (a device clock behind): still the one that stays.
        const newest = sessionRecord(deviceId, 500);
        expect(await store.createSession(first.tokenHash, first.record, 60, 2, '0')).toBe(0);
        expect(await store.createSession(second.tokenHash, second.record, 60, 2, '0')).toBe(0);
        expect(await store.createSession(newest.tokenHash, newest.record, 60, 2, '0')).toBe(1);
        expect(await isLive(first.tokenHash)).toBe(false);
        expect(await isLive(second.tokenHash)).toBe(true);
        expect(await isLive(newest.tokenHash)).toBe(true);
      });

      it('does not count sessions that already expired against the maximum', async () => {
        const deviceId = randomUUID();
        const expired = sessionRecord(deviceId, 1000);
        await store.createSession(expired.tokenHash, expired.record, TTL_SECONDS, 2, '0');
        await advance(PAST_TTL_MS);
        const a = sessionRecord(deviceId, 2000);
        const b = sessionRecord(deviceId, 3000);
        expect(await store.createSession(a.tokenHash, a.record, 60, 2, '0')).toBe(0);
        expect(await store.createSession(b.tokenHash, b.record, 60, 2, '0')).toBe(0);
        expect(await store.revokeDeviceSessions(deviceId)).toBe(2);
      });

      it('keeps one session when logins race against a maximum of one', async () => {
        const deviceId = randomUUID();
        const logins = [1000, 2000, 3000].map((at) => sessionRecord(deviceId, at));
        const ended = await Promise.all(
          logins.map(({ tokenHash, record }) => store.createSession(tokenHash, record, 60, 1, '0')),
        );
        expect(ended.reduce<number>((sum, n) => sum + (n ?? 0), 0)).toBe(2);
        const live = await Promise.all(logins.map(({ tokenHash }) => isLive(tokenHash)));
        expect(live.filter(Boolean)).toHaveLength(1);
      });

      it('counts revocations in the generation ("0" before the first)', async () => {
        const deviceId = randomUUID();
        expect(await store.deviceGeneration(deviceId)).toBe('0');
        await store.revokeDeviceSessions(deviceId);
        await store.revokeDeviceSessions(deviceId);
        expect(await store.deviceGeneration(deviceId)).toBe('2');
        expect(await store.deviceGeneration(randomUUID())).toBe('0');
      });

      it('stores nothing for a login whose generation moved on (a revocation came between)', async () => {
        const deviceId = randomUUID();
        const before = await store.deviceGeneration(deviceId);
        await store.revokeDeviceSessions(deviceId);
        const stale = sessionRecord(deviceId, 1000);
        expect(await store.createSession(stale.tokenHash, stale.record, 60, 3, before)).toBeNull();
        expect(await isLive(stale.tokenHash)).toBe(false);
        const fresh = sessionRecord(deviceId, 2000);
        const now = await store.deviceGeneration(deviceId);
        expect(await store.createSession(fresh.tokenHash, fresh.record, 60, 3, now)).toBe(0);
        expect(await isLive(fresh.tokenHash)).toBe(true);
      });

      it('deletes one session, once, leaving the device its others', async () => {
        const deviceId = randomUUID();
        const gone = sessionRecord(deviceId, 1000);
        const kept = sessionRecord(deviceId, 2000);
        await store.createSession(gone.tokenHash, gone.record, 60, 5, '0');
        await store.createSession(kept.tokenHash, kept.record, 60, 5, '0');
        expect(await store.deleteSession(gone.tokenHash, deviceId)).toBe(true);
        expect(await store.deleteSession(gone.tokenHash, deviceId)).toBe(false);
        expect(await isLive(kept.tokenHash)).toBe(true);
        expect(await store.revokeDeviceSessions(deviceId)).toBe(1);
      });

      it("revokes every live session of a device and no other device's", async () => {
        const deviceId = randomUUID();
        const other = sessionRecord(randomUUID(), 1000);
        const mine = [1000, 2000, 3000].map((at) => sessionRecord(deviceId, at));
        for (const { tokenHash, record } of [...mine, other]) {
          await store.createSession(tokenHash, record, 60, 5, '0');
        }
        expect(await store.revokeDeviceSessions(deviceId)).toBe(3);
        for (const { tokenHash } of mine) expect(await isLive(tokenHash)).toBe(false);
        expect(await isLive(other.tokenHash)).toBe(true);
        expect(await store.revokeDeviceSessions(deviceId)).toBe(0);
      });

      it("keeps the device's set as long as its longest-lived session may last", async () => {
        const deviceId = randomUUID();
        const long = sessionRecord(deviceId, 1000, 3);
        const short = sessionRecord(deviceId, 2000, TTL_SECONDS);
        await store.createSession(long.tokenHash, long.record, 3, 5, '0');
        await store.createSession(short.tokenHash, short.record, 3, 5, '0');
        await advance(PAST_TTL_MS);
        expect(await store.revokeDeviceSessions(deviceId)).toBe(2);
      });

      it('deletes a key once with del', async () => {
        const { tokenHash, record } = sessionRecord(randomUUID(), 1000);
        await store.createSession(tokenHash, record, 60, 5, '0');
        expect(await store.del(deviceSessionKey(tokenHash))).toBe(1);
        expect(await store.del(deviceSessionKey(tokenHash))).toBe(0);
        expect(await store.get(deviceSessionKey(tokenHash))).toBeNull();
      });
    });
  });
}
