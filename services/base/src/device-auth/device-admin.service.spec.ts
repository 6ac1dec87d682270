import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { parseDevicePublicKey } from '@platform/device-auth';
import { pageWindow } from '@platform/http';
import { deviceAuthTestbed, type DeviceAuthTestbed } from './testing/device-auth-testbed';

const pem = () =>
  generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();

describe('DeviceAdminService', () => {
  let bed: DeviceAuthTestbed;
  let robotId: string;
  let lockerId: string;

  beforeAll(() => Logger.overrideLogger(false));

  beforeEach(async () => {
    bed = deviceAuthTestbed();
    const register = async (kind: 'robot' | 'locker', externalId: string, newId: string) =>
      (
        await bed.devices.register({
          kind,
          newId,
          externalId,
          displayName: kind === 'robot' ? 'TestRobot' : null,
          key: parseDevicePublicKey(pem()),
          engineerId: randomUUID(),
        })
      ).device.id;
    robotId = await register('robot', 'SN-1', randomUUID());
    lockerId = randomUUID();
    await register('locker', lockerId, lockerId);
  });

  async function sessionOf(id: string): Promise<string> {
    const device = await bed.devices.findById(id);
    const token = await bed.sessions.create(
      { id, kind: device?.kind ?? 'robot', keyFingerprint: device?.keyFingerprint ?? '' },
      await bed.store.deviceGeneration(id),
    );
    return token ?? '';
  }

  it('lists devices of every kind or of one kind, in the page shape', async () => {
    const all = await bed.admin.list(undefined, pageWindow({ page: 1, size: 1 }));
    expect(all).toMatchObject({ total: 2, page: 1, size: 1, pages: 2 });
    expect(all.items[0]).toEqual({
      id: robotId,
      kind: 'robot',
      external_id: 'SN-1',
      name: 'TestRobot',
      key_algorithm: 'ed25519',
      key_fingerprint: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      disabled: false,
      disabled_at: null,
      key_rotated_at: null,
      registered_by_engineer_id: expect.any(String),
      created_at: expect.any(String),
    });
    const lockers = await bed.admin.list('locker', pageWindow());
    expect(lockers.items.map((d) => d.id)).toEqual([lockerId]);
  });

  it('lists robots in the seed shape', async () => {
    await expect(bed.admin.listRobots(pageWindow())).resolves.toEqual({
      items: [{ id: robotId, robot_model_id: 'SN-1', robot_model_name: 'TestRobot' }],
      total: 1,
      page: 1,
      size: 50,
      pages: 1,
    });
  });

  describe('adoptRobot', () => {
    const identity = () => ({
      robot_model_id: 'SEED-7',
      robot_model_name: 'Seed robot',
      public_key: pem(),
    });

    it("takes a seed robot over under its id, once; a store's id is refused", async () => {
      bed.stores.available = true;
      const storeId = bed.stores.add({ name: 'Cafe', storeType: 'SHOP' });
      await expect(bed.admin.adoptRobot(storeId, identity(), 'admin')).rejects.toMatchObject({
        code: 'DEVICE_ID_TAKEN',
      });
      expect(bed.devices.rows.has(storeId)).toBe(false);
      const id = randomUUID();
      const body = identity();
      await expect(bed.admin.adoptRobot(id, body, 'admin')).resolves.toEqual({
        id,
        robot_model_id: 'SEED-7',
        robot_model_name: 'Seed robot',
      });
      await expect(bed.admin.adoptRobot(id, body, 'admin')).resolves.toMatchObject({ id });
    });

    it('fails closed while the store service does not answer', async () => {
      const id = randomUUID();
      await expect(bed.admin.adoptRobot(id, identity(), 'admin')).rejects.toMatchObject({
        code: 'STORE_SERVICE_UNAVAILABLE',
      });
      expect(bed.devices.rows.has(id)).toBe(false);
    });
  });

  it('deletes a device and ends its sessions', async () => {
    const token = await sessionOf(robotId);
    await bed.admin.remove(robotId, 'admin');
    expect(bed.devices.rows.has(robotId)).toBe(false);
    await expect(bed.sessions.verify(token)).rejects.toMatchObject({ code: 'INVALID_SESSION' });
  });

  it('answers 404 for a missing device, and for a non-robot at the robot route', async () => {
    await expect(bed.admin.remove(randomUUID(), 'admin')).rejects.toMatchObject({
      kind: 'not_found',
      code: 'DEVICE_NOT_FOUND',
    });
    await expect(bed.admin.remove(lockerId, 'admin', 'robot')).rejects.toMatchObject({
      kind: 'not_found',
      code: 'ROBOT_NOT_FOUND',
    });
    expect(bed.devices.rows.has(lockerId)).toBe(true);
    for (const call of [
      () => bed.admin.disable(randomUUID(), 'admin'),
      () => bed.admin.enable(randomUUID(), 'admin'),
      () => bed.admin.get(randomUUID()),
      () => bed.admin.rotateKey(randomUUID(), pem(), 'admin'),
    ]) {
      await expect(call()).rejects.toMatchObject({ code: 'DEVICE_NOT_FOUND' });
    }
  });

  it('disabling ends the sessions and blocks logins until enabled', async () => {
    const token = await sessionOf(lockerId);
    const disabled = await bed.admin.disable(lockerId, 'admin');
    expect(disabled).toMatchObject({ disabled: true, disabled_at: expect.any(String) });
    await expect(bed.sessions.verify(token)).rejects.toMatchObject({ code: 'INVALID_SESSION' });
    await expect(bed.devices.findActive('locker', lockerId)).resolves.toBeNull();
    await expect(bed.admin.enable(lockerId, 'admin')).resolves.toMatchObject({
      disabled: false,
      disabled_at: null,
    });
    await expect(bed.devices.findActive('locker', lockerId)).resolves.not.toBeNull();
  });

  it('rotating the key ends the sessions; a bad key is refused with the lib code', async () => {
    const token = await sessionOf(robotId);
    await expect(bed.admin.rotateKey(robotId, 'junk', 'admin')).rejects.toMatchObject({
      code: 'INVALID_PUBLIC_KEY',
    });
    await expect(bed.sessions.verify(token)).resolves.toBeDefined();
    const rotated = await bed.admin.rotateKey(robotId, pem(), 'admin');
    expect(rotated.key_rotated_at).not.toBeNull();
    await expect(bed.sessions.verify(token)).rejects.toMatchObject({ code: 'INVALID_SESSION' });
  });
});
