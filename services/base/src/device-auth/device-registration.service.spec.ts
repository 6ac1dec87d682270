import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { signLoginNonce } from '@platform/device-auth';
import { deviceAuthTestbed, type DeviceAuthTestbed } from './testing/device-auth-testbed';

const ADDRESS = '203.0.113.9';
const PASSWORD = 'engineer-password';

function keyPair(type: 'ed25519' | 'rsa' = 'ed25519', options: object = {}) {
  const pair =
    type === 'rsa'
      ? generateKeyPairSync('rsa', { modulusLength: 2048, ...options })
      : generateKeyPairSync('ed25519');
  return { ...pair, pem: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

describe('DeviceRegistrationService', () => {
  let bed: DeviceAuthTestbed;
  const engineerId = randomUUID();

  beforeAll(() => Logger.overrideLogger(false));

  beforeEach(() => {
    bed = deviceAuthTestbed();
    bed.engineers.engineers.push(
      { id: engineerId, login: 'all', password: PASSWORD, privileges: 15 },
      { id: randomUUID(), login: 'robots', password: PASSWORD, privileges: 1 },
      { id: randomUUID(), login: 'nobody', password: PASSWORD, privileges: 4 },
    );
  });

  const robot = (over: Record<string, string> = {}) => ({
    login: 'all',
    password: PASSWORD,
    public_key: keyPair().pem,
    robot_model_id: 'SN-000123',
    robot_model_name: 'TestRobot:0.1.0:001',
    ...over,
  });

  it('registers a robot: seed response shape, row with key, algorithm and fingerprint', async () => {
    const body = robot();
    const view = await bed.registration.registerRobot(body, ADDRESS);
    expect(view).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      robot_model_id: 'SN-000123',
      robot_model_name: 'TestRobot:0.1.0:001',
    });
    expect(bed.devices.rows.get(view.id)).toMatchObject({
      kind: 'robot',
      externalId: 'SN-000123',
      displayName: 'TestRobot:0.1.0:001',
      publicKeySpki: body.public_key,
      keyAlgorithm: 'ed25519',
      keyFingerprint: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      registeredByEngineerId: engineerId,
      disabledAt: null,
      keyRotatedAt: null,
    });
  });

  it('re-registering keeps the id, replaces the key and ends every session of the old key', async () => {
    const first = keyPair();
    const { id } = await bed.registration.registerRobot(robot({ public_key: first.pem }), ADDRESS);
    const { request_id, nonce } = await bed.login.issueNonce('robot', id, ADDRESS);
    const signature = signLoginNonce(first.privateKey, {
      kind: 'robot',
      deviceId: id,
      requestId: request_id,
      nonce,
    });
    const { token } = await bed.login.answerSignature('robot', request_id, signature, ADDRESS);
    await bed.sessions.verify(token);

    const second = keyPair('rsa');
    const again = await bed.registration.registerRobot(
      robot({ public_key: second.pem, robot_model_name: 'TestRobot:0.2.0' }),
      ADDRESS,
    );
    expect(again).toEqual({ id, robot_model_id: 'SN-000123', robot_model_name: 'TestRobot:0.2.0' });
    expect(bed.devices.rows.size).toBe(1);
    expect(bed.devices.rows.get(id)).toMatchObject({
      keyAlgorithm: 'rsa',
      keyRotatedAt: expect.any(Date),
    });
    await expect(bed.sessions.verify(token)).rejects.toMatchObject({ code: 'INVALID_SESSION' });
  });

  it('refuses a wrong password with 401 INVALID_CREDENTIALS before looking at the key', async () => {
    await expect(
      bed.registration.registerRobot(robot({ password: 'wrong', public_key: 'junk' }), ADDRESS),
    ).rejects.toMatchObject({ kind: 'unauthenticated', code: 'INVALID_CREDENTIALS' });
  });

  it.each<[string, string]>([
    ['robot', 'nobody'],
    ['store', 'robots'],
    ['locker', 'robots'],
  ])('refuses a %s from an engineer without its privilege (%s): 403', async (kind, login) => {
    const common = { login, password: PASSWORD, public_key: keyPair().pem };
    const call =
      kind === 'robot'
        ? bed.registration.registerRobot(robot({ login }), ADDRESS)
        : kind === 'store'
          ? bed.registration.registerStore({ ...common, store_id: randomUUID() }, ADDRESS)
          : bed.registration.registerLocker({ ...common, locker_id: randomUUID() }, ADDRESS);
    await expect(call).rejects.toMatchObject({
      kind: 'forbidden',
      code: 'INSUFFICIENT_PRIVILEGES',
    });
    expect(bed.devices.rows.size).toBe(0);
  });

  it.each<[string, () => string, string, string]>([
    ['garbage', () => 'not a key', 'invalid_input', 'INVALID_PUBLIC_KEY'],
    [
      'a private key',
      () =>
        generateKeyPairSync('ed25519')
          .privateKey.export({ type: 'pkcs8', format: 'pem' })
          .toString(),
      'invalid_input',
      'PRIVATE_KEY_NOT_ACCEPTED',
    ],
    ['a huge key', () => 'A'.repeat(5000), 'invalid_input', 'PUBLIC_KEY_TOO_LARGE'],
    [
      'an EC key',
      () =>
        generateKeyPairSync('ec', { namedCurve: 'P-256' })
          .publicKey.export({ type: 'spki', format: 'pem' })
          .toString(),
      'unprocessable',
      'UNSUPPORTED_KEY_TYPE',
    ],
    [
      'RSA-1024',
      () => keyPair('rsa', { modulusLength: 1024 }).pem,
      'unprocessable',
      'RSA_KEY_SIZE_OUT_OF_RANGE',
    ],
    [
      'RSA with exponent 3',
      () => keyPair('rsa', { publicExponent: 3 }).pem,
      'unprocessable',
      'RSA_EXPONENT_NOT_ALLOWED',
    ],
  ])('refuses %s with the lib code', async (_name, pem, kind, code) => {
    await expect(
      bed.registration.registerRobot(robot({ public_key: pem() }), ADDRESS),
    ).rejects.toMatchObject({ kind, code });
    expect(bed.devices.rows.size).toBe(0);
  });

  describe('store terminals', () => {
    const store = (storeId: string) => ({
      login: 'all',
      password: PASSWORD,
      public_key: keyPair().pem,
      store_id: storeId,
    });

    it('answers the store as the store service knows it; the device id is the store id', async () => {
      bed.stores.available = true;
      const storeId = bed.stores.add({ description: 'Wagon 5', logoUrl: 'bistro.png' });
      await expect(bed.registration.registerStore(store(storeId), ADDRESS)).resolves.toEqual({
        id: storeId,
        store_id: storeId,
        name: 'Bistro',
        description: 'Wagon 5',
        logo_url: 'bistro.png',
        store_type: 'RESTAURANT',
      });
      expect(bed.devices.rows.get(storeId)).toMatchObject({ kind: 'store', externalId: storeId });
    });

    it('refuses a store the store service does not know: 404, nothing written', async () => {
      bed.stores.available = true;
      await expect(
        bed.registration.registerStore(store(randomUUID()), ADDRESS),
      ).rejects.toMatchObject({ kind: 'not_found', code: 'STORE_NOT_FOUND' });
      expect(bed.devices.rows.size).toBe(0);
    });

    it('fails closed when the store service does not answer: 503, nothing written', async () => {
      bed.stores.available = false;
      await expect(
        bed.registration.registerStore(store(randomUUID()), ADDRESS),
      ).rejects.toMatchObject({ kind: 'unavailable', code: 'STORE_SERVICE_UNAVAILABLE' });
      expect(bed.devices.rows.size).toBe(0);
    });
  });

  describe('locker controllers', () => {
    const locker = (lockerId: string) => ({
      login: 'all',
      password: PASSWORD,
      public_key: keyPair().pem,
      locker_id: lockerId,
    });

    beforeEach(() => {
      bed.stores.available = true;
    });

    it('registers a locker under its locker id', async () => {
      const lockerId = randomUUID();
      await expect(bed.registration.registerLocker(locker(lockerId), ADDRESS)).resolves.toEqual({
        id: lockerId,
        locker_id: lockerId,
      });
    });

    it("refuses a store's id, which would lock that store's terminal out: 409, nothing written", async () => {
      const storeId = bed.stores.add({ name: 'Buffet' });
      await expect(bed.registration.registerLocker(locker(storeId), ADDRESS)).rejects.toMatchObject(
        { kind: 'conflict', code: 'DEVICE_ID_TAKEN' },
      );
      expect(bed.devices.rows.size).toBe(0);
    });

    it('fails closed when the store service does not answer: 503, nothing written', async () => {
      bed.stores.available = false;
      await expect(
        bed.registration.registerLocker(locker(randomUUID()), ADDRESS),
      ).rejects.toMatchObject({ kind: 'unavailable', code: 'STORE_SERVICE_UNAVAILABLE' });
      expect(bed.devices.rows.size).toBe(0);
    });
  });

  it('limits registrations to 5 a minute per engineer login, before the password check', async () => {
    for (let i = 0; i < 5; i++) {
      await bed.registration
        .registerRobot(robot({ password: 'guess' }), `198.51.100.${i}`)
        .catch(() => undefined);
    }
    await expect(bed.registration.registerRobot(robot(), '198.51.100.50')).rejects.toMatchObject({
      code: 'RATE_LIMITED',
    });
    expect(bed.engineers.calls).toHaveLength(5);
  });

  it('limits registrations to 5 a minute per client address', async () => {
    for (let i = 0; i < 5; i++) {
      await bed.registration
        .registerRobot(robot({ login: `guess-${i}` }), ADDRESS)
        .catch(() => undefined);
    }
    await expect(bed.registration.registerRobot(robot(), ADDRESS)).rejects.toMatchObject({
      code: 'RATE_LIMITED',
    });
  });
});
