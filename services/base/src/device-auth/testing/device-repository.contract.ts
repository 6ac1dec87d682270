import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { type DeviceKind, type DevicePublicKey, parseDevicePublicKey } from '@platform/device-auth';
import { DomainError } from '@platform/errors';
import { type DeviceRepository, type KeyRegistration } from '../device.repository';

/** DeviceRepository's public methods: what the real one and the fake both offer. */
export type DeviceStorage = { [K in keyof DeviceRepository]: DeviceRepository[K] };

export interface DeviceRepositorySubject {
  devices: DeviceStorage;
  /** Two engineers that exist, for `registeredByEngineerId` (a foreign key in Postgres). */
  engineerIds: readonly [string, string];
}

type PageWindow = Parameters<DeviceRepository['list']>[1];

function windowOf(page: number, size: number): PageWindow {
  return { page, size, skip: (page - 1) * size, take: size };
}

function freshKey(): DevicePublicKey {
  const { publicKey } = generateKeyPairSync('ed25519');
  return parseDevicePublicKey(publicKey.export({ type: 'spki', format: 'pem' }).toString());
}

/**
 * What a caller of DeviceRepository sees, whatever stores it: run against the in-memory fake (unit
 * tier) and against the real repository on Postgres after base's migrations (integration tier),
 * so the fake the device-auth specs lean on keeps the SQL's upsert, conflict, ordering and paging
 * rules. `makeSubject` gives an empty devices table for every case.
 */
export function describeDeviceRepositoryContract(
  name: string,
  makeSubject: () => Promise<DeviceRepositorySubject>,
): void {
  describe(`DeviceRepository contract: ${name}`, () => {
    let devices: DeviceStorage;
    let engineerIds: readonly [string, string];

    beforeEach(async () => {
      ({ devices, engineerIds } = await makeSubject());
    });

    /** A robot's registration: a fresh row id, its serial as external id. */
    const robot = (overrides: Partial<KeyRegistration> = {}): KeyRegistration => ({
      kind: 'robot',
      newId: randomUUID(),
      externalId: `SN-${randomUUID().slice(0, 8)}`,
      displayName: 'Courier',
      key: freshKey(),
      engineerId: engineerIds[0],
      ...overrides,
    });

    /** A store's or locker's registration: its row id is its own id. */
    const terminal = (kind: DeviceKind, id: string = randomUUID()): KeyRegistration => ({
      kind,
      newId: id,
      externalId: id,
      displayName: null,
      key: freshKey(),
      engineerId: engineerIds[0],
    });

    const registerAll = async (registrations: KeyRegistration[]) => {
      const ids: string[] = [];
      for (const registration of registrations) {
        ids.push((await devices.register(registration)).device.id);
      }
      return ids;
    };

    describe('register', () => {
      it('creates a device with the given id, key and registering engineer', async () => {
        const registration = robot();
        const { device, replaced } = await devices.register(registration);
        expect(replaced).toBe(false);
        expect(device).toMatchObject({
          id: registration.newId,
          kind: 'robot',
          externalId: registration.externalId,
          displayName: 'Courier',
          publicKeySpki: registration.key.spkiPem,
          keyAlgorithm: registration.key.algorithm,
          keyFingerprint: registration.key.fingerprint,
          disabledAt: null,
          keyRotatedAt: null,
          registeredByEngineerId: engineerIds[0],
        });
        expect(device.createdAt).toBeInstanceOf(Date);
        expect(await devices.findById(registration.newId)).toEqual(device);
      });

      it('keeps the row and id of a device registered again, replacing key, name and engineer', async () => {
        const first = robot();
        await devices.register(first);
        const again = robot({
          externalId: first.externalId,
          displayName: 'Courier 2',
          engineerId: engineerIds[1],
        });
        const { device, replaced } = await devices.register(again);
        expect(replaced).toBe(true);
        expect(device).toMatchObject({
          id: first.newId,
          displayName: 'Courier 2',
          keyFingerprint: again.key.fingerprint,
          registeredByEngineerId: engineerIds[1],
        });
        expect(device.keyRotatedAt).toBeInstanceOf(Date);
        expect(await devices.findById(again.newId)).toBeNull();
        expect((await devices.list(undefined, windowOf(1, 10)))[1]).toBe(1);
      });

      it('tells devices of different kinds with the same external id apart', async () => {
        const storeId = randomUUID();
        await devices.register(terminal('store', storeId));
        const { replaced } = await devices.register(robot({ externalId: storeId }));
        expect(replaced).toBe(false);
        expect((await devices.list(undefined, windowOf(1, 10)))[1]).toBe(2);
      });

      it('refuses an id that a device of another kind holds with 409 DEVICE_ID_TAKEN', async () => {
        const { device } = await devices.register(robot());
        const registering = devices.register(terminal('locker', device.id));
        await expect(registering).rejects.toBeInstanceOf(DomainError);
        await expect(registering).rejects.toMatchObject({
          kind: 'conflict',
          code: 'DEVICE_ID_TAKEN',
          message: expect.stringContaining(device.id),
        });
        expect(await devices.findById(device.id)).toMatchObject({ kind: 'robot' });
      });

      it('makes one row out of concurrent registrations of one device', async () => {
        const externalId = `SN-${randomUUID().slice(0, 8)}`;
        const results = await Promise.all(
          [robot({ externalId }), robot({ externalId }), robot({ externalId })].map((r) =>
            devices.register(r),
          ),
        );
        expect(new Set(results.map((r) => r.device.id)).size).toBe(1);
        expect(results.filter((r) => !r.replaced)).toHaveLength(1);
        expect((await devices.list('robot', windowOf(1, 10)))[1]).toBe(1);
      });

      it('hands out snapshots: a later change does not alter a device already returned', async () => {
        const { device } = await devices.register(robot());
        await devices.setDisabled(device.id, true);
        await devices.replaceKey(device.id, freshKey());
        expect(device.disabledAt).toBeNull();
        expect(device.keyRotatedAt).toBeNull();
      });
    });

    describe('adopt', () => {
      it('inserts a device under the given id, registered by no engineer, and logins find it', async () => {
        const registration = robot();
        const { device, adopted } = await devices.adopt(registration);
        expect(adopted).toBe(true);
        expect(device).toMatchObject({
          id: registration.newId,
          kind: 'robot',
          externalId: registration.externalId,
          keyFingerprint: registration.key.fingerprint,
          registeredByEngineerId: null,
        });
        expect((await devices.findActive('robot', registration.newId))?.key.fingerprint).toBe(
          registration.key.fingerprint,
        );
      });

      it('leaves exactly the same device alone when adopted again', async () => {
        const registration = robot();
        await devices.adopt(registration);
        const again = await devices.adopt(registration);
        expect([again.adopted, again.device.id]).toEqual([false, registration.newId]);
      });

      it('refuses with 409 an id or a serial another device holds, or the same with another key', async () => {
        const held = robot();
        await devices.register(held);
        for (const attempt of [
          robot({ newId: held.newId }),
          robot({ externalId: held.externalId }),
          { ...held, key: freshKey() },
        ]) {
          const error: unknown = await devices.adopt(attempt).catch((e: unknown) => e);
          expect(error).toBeInstanceOf(DomainError);
          expect(error).toMatchObject({ kind: 'conflict', code: 'DEVICE_ID_TAKEN' });
        }
      });
    });

    describe('findActive', () => {
      it('finds an enabled device of the asked kind, with its parsed key', async () => {
        const registration = terminal('store');
        await devices.register(registration);
        const active = await devices.findActive('store', registration.newId);
        expect(active).toMatchObject({ id: registration.newId, kind: 'store' });
        expect(active?.key.fingerprint).toBe(registration.key.fingerprint);
      });

      it('finds nothing of another kind, disabled, or unknown', async () => {
        const { device } = await devices.register(terminal('store'));
        expect(await devices.findActive('locker', device.id)).toBeNull();
        expect(await devices.findActive('robot', randomUUID())).toBeNull();
        await devices.setDisabled(device.id, true);
        expect(await devices.findActive('store', device.id)).toBeNull();
      });
    });

    describe('replaceKey', () => {
      it('replaces the key, records the rotation, and login sees the new key', async () => {
        const { device } = await devices.register(robot());
        const key = freshKey();
        const rotated = await devices.replaceKey(device.id, key);
        expect(rotated).toMatchObject({ id: device.id, keyFingerprint: key.fingerprint });
        expect(rotated?.keyRotatedAt).toBeInstanceOf(Date);
        expect((await devices.findActive('robot', device.id))?.key.fingerprint).toBe(
          key.fingerprint,
        );
      });

      it('answers null for an unknown device', async () => {
        expect(await devices.replaceKey(randomUUID(), freshKey())).toBeNull();
      });
    });

    describe('setDisabled', () => {
      it('keeps the first disabling time, and enabling clears it', async () => {
        const { device } = await devices.register(robot());
        const disabled = await devices.setDisabled(device.id, true);
        expect(disabled?.disabledAt).toBeInstanceOf(Date);
        const again = await devices.setDisabled(device.id, true);
        expect(again?.disabledAt).toEqual(disabled?.disabledAt);
        expect((await devices.setDisabled(device.id, false))?.disabledAt).toBeNull();
        expect(await devices.findActive('robot', device.id)).not.toBeNull();
      });

      it('answers null for an unknown device', async () => {
        expect(await devices.setDisabled(randomUUID(), true)).toBeNull();
      });
    });

    describe('remove', () => {
      it('removes the device when the kind matches or is not given, once', async () => {
        const [storeId, robotId] = await registerAll([terminal('store'), robot()]);
        expect(await devices.remove(storeId as string, 'store')).toMatchObject({ id: storeId });
        expect(await devices.remove(robotId as string)).toMatchObject({ id: robotId });
        expect(await devices.remove(robotId as string)).toBeNull();
        expect(await devices.findById(storeId as string)).toBeNull();
      });

      it('leaves a device of another kind alone', async () => {
        const [lockerId] = await registerAll([terminal('locker')]);
        expect(await devices.remove(lockerId as string, 'store')).toBeNull();
        expect(await devices.findById(lockerId as string)).not.toBeNull();
      });
    });

    describe('list', () => {
      it('pages through the devices oldest first, with the total on every page', async () => {
        const ids = await registerAll([robot(), terminal('store'), robot(), robot(), robot()]);
        const page = async (n: number) => {
          const [rows, total] = await devices.list(undefined, windowOf(n, 2));
          return { ids: rows.map((d) => d.id), total };
        };
        expect(await page(1)).toEqual({ ids: ids.slice(0, 2), total: 5 });
        expect(await page(2)).toEqual({ ids: ids.slice(2, 4), total: 5 });
        expect(await page(3)).toEqual({ ids: ids.slice(4), total: 5 });
        expect(await page(4)).toEqual({ ids: [], total: 5 });
      });

      it('lists one kind only when asked', async () => {
        const ids = await registerAll([robot(), terminal('store'), robot(), terminal('locker')]);
        const [rows, total] = await devices.list('robot', windowOf(1, 10));
        expect(rows.map((d) => d.id)).toEqual([ids[0], ids[2]]);
        expect(total).toBe(2);
        expect(await devices.list('store', windowOf(2, 1))).toEqual([[], 1]);
      });
    });
  });
}
