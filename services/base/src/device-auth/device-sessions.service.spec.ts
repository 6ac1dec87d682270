import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { type DevicePrincipal } from '@platform/auth';
import { hashSessionToken, parseDevicePublicKey } from '@platform/device-auth';
import { type LoggedInDevice } from './device-sessions.service';
import { deviceAuthTestbed, type DeviceAuthTestbed } from './testing/device-auth-testbed';

const INVALID_SESSION = { kind: 'unauthenticated', code: 'INVALID_SESSION' };

describe('DeviceSessionsService', () => {
  let bed: DeviceAuthTestbed;
  let device: LoggedInDevice;
  const pem = () =>
    generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();

  beforeAll(() => Logger.overrideLogger(false));

  beforeEach(async () => {
    // a day, not the 30-day default: the lifetime arithmetic below walks it hour by hour
    bed = deviceAuthTestbed({ sessionAbsoluteSeconds: 86400 });
    const { device: row } = await bed.devices.register({
      kind: 'robot',
      newId: randomUUID(),
      externalId: 'SN-1',
      displayName: 'R',
      key: parseDevicePublicKey(pem()),
      engineerId: randomUUID(),
    });
    device = { id: row.id, kind: 'robot', keyFingerprint: row.keyFingerprint };
  });

  async function login(): Promise<string> {
    const token = await bed.sessions.create(device, await bed.store.deviceGeneration(device.id));
    if (!token) throw new Error('no session');
    return token;
  }

  const sessionKey = (token: string) => `device-auth:session:${hashSessionToken(token)}`;
  const setKey = () => `device-auth:device-sessions:${device.id}`;

  it('stores the session under the hash of its token, never the token', async () => {
    const token = await login();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const stored = JSON.parse(bed.store.stringValue(sessionKey(token)) ?? 'null') as object;
    expect(stored).toEqual({
      sessionId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      deviceId: device.id,
      kind: 'robot',
      privileges: 0,
      createdAt: bed.store.now,
      idleSeconds: 3600,
      absoluteSeconds: 86400,
      keyFingerprint: device.keyFingerprint,
    });
    expect(bed.store.keys().join()).not.toContain(token);
    expect(bed.store.ttlSeconds(sessionKey(token))).toBe(3600);
    expect(bed.store.ttlSeconds(setKey())).toBe(86400);
  });

  it('slides the idle timeout on use, never past the absolute lifetime', async () => {
    const token = await login();
    bed.store.advance(1800_000);
    await bed.sessions.verify(token);
    expect(bed.store.ttlSeconds(sessionKey(token))).toBe(3600);
    bed.store.advance(-1800_000);
    for (let i = 0; i < 24; i++) {
      bed.store.advance(3599_000);
      await bed.sessions.verify(token);
    }
    // 24 × 3599 s = 86376 s after login: 24 s of the absolute lifetime are left.
    expect(bed.store.ttlSeconds(sessionKey(token))).toBe(24);
  });

  it('ends a session after the idle timeout', async () => {
    const token = await login();
    bed.store.advance(3600_000);
    await expect(bed.sessions.verify(token)).rejects.toMatchObject(INVALID_SESSION);
  });

  it('ends a session at its absolute lifetime, however active', async () => {
    const token = await login();
    for (let i = 0; i < 24; i++) {
      bed.store.advance(3599_000);
      await bed.sessions.verify(token).catch(() => undefined);
    }
    bed.store.advance(60_000);
    await expect(bed.sessions.verify(token)).rejects.toMatchObject(INVALID_SESSION);
  });

  it('logout ends only that session', async () => {
    const [a, b] = [await login(), await login()];
    const principal = await bed.sessions.verify(a);
    await bed.sessions.end(a, principal);
    await expect(bed.sessions.verify(a)).rejects.toMatchObject(INVALID_SESSION);
    await expect(bed.sessions.verify(b)).resolves.toMatchObject({ deviceId: device.id });
  });

  it('revokeAll ends every session of the device and only of that device', async () => {
    const tokens = [await login(), await login(), await login()];
    const other = await bed.devices.register({
      kind: 'robot',
      newId: randomUUID(),
      externalId: 'SN-2',
      displayName: 'R',
      key: parseDevicePublicKey(pem()),
      engineerId: randomUUID(),
    });
    const otherToken = await bed.sessions.create(
      { id: other.device.id, kind: 'robot', keyFingerprint: other.device.keyFingerprint },
      '0',
    );
    expect(await bed.sessions.revokeAll(device.id)).toBe(3);
    for (const token of tokens) {
      await expect(bed.sessions.verify(token)).rejects.toMatchObject(INVALID_SESSION);
    }
    await expect(bed.sessions.verify(otherToken ?? '')).resolves.toMatchObject({
      deviceId: other.device.id,
    });
    expect(bed.store.keys()).not.toContain(setKey());
  });

  it('keeps at most 8 live sessions per device, ending the oldest', async () => {
    const tokens: string[] = [];
    for (let i = 0; i < 10; i++) {
      tokens.push(await login());
      bed.store.advance(1000);
    }
    const live = await Promise.all(
      tokens.map((t) =>
        bed.sessions.verify(t).then(
          () => true,
          () => false,
        ),
      ),
    );
    expect(live).toEqual([false, false, true, true, true, true, true, true, true, true]);
  });

  it('forgets expired sessions in the device set', async () => {
    await login();
    bed.store.advance(3600_000);
    await login();
    const members = bed.store.entries.get(setKey())?.value as Map<string, number>;
    expect(members.size).toBe(1);
  });

  it.each<[string, () => Promise<unknown>]>([
    ['disabled', () => bed.devices.setDisabled(device.id, true)],
    ['deleted', () => bed.devices.remove(device.id)],
    ['given another key', () => bed.devices.replaceKey(device.id, parseDevicePublicKey(pem()))],
  ])(
    'refuses and deletes a session whose device was %s, even if revocation missed it',
    async (_name, change) => {
      const token = await login();
      await change();
      await expect(bed.sessions.verify(token)).rejects.toMatchObject(INVALID_SESSION);
      expect(bed.store.keys()).not.toContain(sessionKey(token));
    },
  );

  it('refuses a session of another kind claiming the same id', async () => {
    const token = await login();
    const record = JSON.parse(bed.store.stringValue(sessionKey(token)) ?? '{}') as Record<
      string,
      unknown
    >;
    bed.store.entries.set(sessionKey(token), {
      value: JSON.stringify({ ...record, kind: 'store' }),
      expiresAt: bed.store.now + 1000_000,
    });
    await expect(bed.sessions.verify(token)).rejects.toMatchObject(INVALID_SESSION);
  });

  it('returns the principal the guard hands to @CurrentDevice', async () => {
    const token = await login();
    const principal: DevicePrincipal = await bed.sessions.verify(token);
    expect(principal).toEqual({
      type: 'device',
      deviceId: device.id,
      kind: 'robot',
      privileges: 0,
      sessionId: expect.any(String),
    });
  });
});
