import { generateKeyPairSync, type KeyObject, randomUUID } from 'node:crypto';
import {
  decryptChallenge,
  type DeviceKind,
  RSA_2048_CIPHERTEXT_BASE64_LENGTH,
  signLoginNonce,
} from '@platform/device-auth';
import { deviceAuthTestbed, type DeviceAuthTestbed } from './testing/device-auth-testbed';

type Pair = { publicKey: KeyObject; privateKey: KeyObject; pem: string };

function pair(type: 'rsa' | 'ed25519'): Pair {
  const keys =
    type === 'rsa'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : generateKeyPairSync('ed25519');
  return { ...keys, pem: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

const ADDRESS = '203.0.113.7';
const LOGIN_FAILED = { kind: 'unauthenticated', code: 'INVALID_CREDENTIALS' };

describe('DeviceLoginService', () => {
  let rsa: Pair;
  let otherRsa: Pair;
  let ed: Pair;
  let bed: DeviceAuthTestbed;
  let robotId: string;
  let edRobotId: string;
  let storeId: string;

  beforeAll(() => {
    rsa = pair('rsa');
    otherRsa = pair('rsa');
    ed = pair('ed25519');
  });

  beforeEach(async () => {
    bed = deviceAuthTestbed();
    bed.engineers.engineers.push({
      id: randomUUID(),
      login: 'eng',
      password: 'engineer-password',
      privileges: 1 | 2 | 8,
    });
    const credentials = { login: 'eng', password: 'engineer-password' };
    robotId = (
      await bed.registration.registerRobot(
        { ...credentials, public_key: rsa.pem, robot_model_id: 'SN-1', robot_model_name: 'R' },
        ADDRESS,
      )
    ).id;
    edRobotId = (
      await bed.registration.registerRobot(
        { ...credentials, public_key: ed.pem, robot_model_id: 'SN-2', robot_model_name: 'R' },
        ADDRESS,
      )
    ).id;
    // A store terminal registers only for a store the store service knows.
    bed.stores.available = true;
    storeId = bed.stores.add({ description: 'Wagon 5', logoUrl: 'bistro.png' });
    await bed.registration.registerStore(
      { ...credentials, public_key: otherRsa.pem, store_id: storeId },
      ADDRESS,
    );
  });

  async function challengeLogin(kind: DeviceKind, id: string, key: KeyObject) {
    const { request_id, data } = await bed.login.issueChallenge(kind, id, ADDRESS);
    return bed.login.answerChallenge(kind, request_id, decryptChallenge(key, data), ADDRESS);
  }

  async function signatureLogin(kind: DeviceKind, id: string, key: KeyObject) {
    const { request_id, nonce } = await bed.login.issueNonce(kind, id, ADDRESS);
    const signature = signLoginNonce(key, { kind, deviceId: id, requestId: request_id, nonce });
    return bed.login.answerSignature(kind, request_id, signature, ADDRESS);
  }

  describe('challenge mode', () => {
    it('logs an RSA robot in with a session the verifier accepts', async () => {
      const { token } = await challengeLogin('robot', robotId, rsa.privateKey);
      await expect(bed.sessions.verify(token)).resolves.toMatchObject({
        type: 'device',
        deviceId: robotId,
        kind: 'robot',
        privileges: 0,
      });
    });

    it('stores only the hash of the challenge, under device-auth:challenge:<id>, for the TTL', async () => {
      const { request_id, data } = await bed.login.issueChallenge('robot', robotId, ADDRESS);
      const key = `device-auth:challenge:${request_id}`;
      expect(bed.store.ttlSeconds(key)).toBe(30);
      const stored = JSON.parse(bed.store.stringValue(key) ?? '{}') as Record<string, string>;
      expect(Object.keys(stored).sort()).toEqual([
        'device_id',
        'generation',
        'key_fingerprint',
        'kind',
        'secret_hash',
      ]);
      expect(stored['generation']).toBe(await bed.store.deviceGeneration(robotId));
      expect(stored['secret_hash']).toMatch(/^[0-9a-f]{64}$/);
      expect(bed.store.stringValue(key)).not.toContain(decryptChallenge(rsa.privateKey, data));
    });

    it('burns the challenge: a replay is refused', async () => {
      const { request_id, data } = await bed.login.issueChallenge('robot', robotId, ADDRESS);
      const answer = decryptChallenge(rsa.privateKey, data);
      await bed.login.answerChallenge('robot', request_id, answer, ADDRESS);
      await expect(
        bed.login.answerChallenge('robot', request_id, answer, ADDRESS),
      ).rejects.toMatchObject(LOGIN_FAILED);
    });

    it('burns the challenge on a wrong answer: the right one afterwards is refused', async () => {
      const { request_id, data } = await bed.login.issueChallenge('robot', robotId, ADDRESS);
      await expect(
        bed.login.answerChallenge('robot', request_id, 'A'.repeat(100), ADDRESS),
      ).rejects.toMatchObject(LOGIN_FAILED);
      await expect(
        bed.login.answerChallenge(
          'robot',
          request_id,
          decryptChallenge(rsa.privateKey, data),
          ADDRESS,
        ),
      ).rejects.toMatchObject(LOGIN_FAILED);
    });

    it('refuses an expired challenge', async () => {
      const { request_id, data } = await bed.login.issueChallenge('robot', robotId, ADDRESS);
      bed.store.advance(30_000);
      await expect(
        bed.login.answerChallenge(
          'robot',
          request_id,
          decryptChallenge(rsa.privateKey, data),
          ADDRESS,
        ),
      ).rejects.toMatchObject(LOGIN_FAILED);
    });

    it('uses the configured TTL', async () => {
      bed = deviceAuthTestbed({ challengeTtlSeconds: 3 });
      const { request_id } = await bed.login.issueChallenge('robot', randomUUID(), ADDRESS);
      expect(bed.store.ttlSeconds(`device-auth:challenge:${request_id}`)).toBe(3);
    });

    it("refuses (and burns) a challenge answered at another kind's endpoint", async () => {
      const { request_id, data } = await bed.login.issueChallenge('robot', robotId, ADDRESS);
      const answer = decryptChallenge(rsa.privateKey, data);
      await expect(
        bed.login.answerChallenge('store', request_id, answer, ADDRESS),
      ).rejects.toMatchObject(LOGIN_FAILED);
      await expect(
        bed.login.answerChallenge('robot', request_id, answer, ADDRESS),
      ).rejects.toMatchObject(LOGIN_FAILED);
    });

    it('refuses a nonce request id at login_code', async () => {
      const { request_id } = await bed.login.issueNonce('robot', robotId, ADDRESS);
      await expect(
        bed.login.answerChallenge('robot', request_id, 'A'.repeat(100), ADDRESS),
      ).rejects.toMatchObject(LOGIN_FAILED);
    });

    it('refuses an answer to a challenge issued to a key that was replaced since', async () => {
      const { request_id, data } = await bed.login.issueChallenge('robot', robotId, ADDRESS);
      await bed.admin.rotateKey(robotId, otherRsa.pem, 'admin');
      await expect(
        bed.login.answerChallenge(
          'robot',
          request_id,
          decryptChallenge(rsa.privateKey, data),
          ADDRESS,
        ),
      ).rejects.toMatchObject(LOGIN_FAILED);
    });

    describe('decoys', () => {
      const cases: Array<[string, () => [DeviceKind, string]]> = [
        ['an unknown id', () => ['robot', randomUUID()]],
        ['an Ed25519 device', () => ['robot', edRobotId]],
        ['a device of another kind', () => ['robot', storeId]],
        ['a disabled device', () => ['robot', robotId]],
      ];

      it.each(cases)('answers %s exactly like a real RSA-2048 device', async (name, target) => {
        if (name === 'a disabled device') await bed.admin.disable(robotId, 'admin');
        const [kind, id] = target();
        const real = await bed.login.issueChallenge('store', storeId, ADDRESS);
        bed.store.operations.length = 0;
        const decoy = await bed.login.issueChallenge(kind, id, ADDRESS);
        expect(Object.keys(decoy)).toEqual(Object.keys(real));
        expect(decoy.request_id).toHaveLength(real.request_id.length);
        expect(decoy.data).toHaveLength(real.data.length);
        expect(decoy.data).toHaveLength(RSA_2048_CIPHERTEXT_BASE64_LENGTH);
        // The same storage behaviour: one pending record, same TTL, same fields and lengths.
        expect(bed.store.operations).toEqual(['get generation', 'put challenge']);
        const key = (requestId: string) => `device-auth:challenge:${requestId}`;
        expect(bed.store.ttlSeconds(key(decoy.request_id))).toBe(
          bed.store.ttlSeconds(key(real.request_id)),
        );
        const shape = (requestId: string) =>
          Object.entries(
            JSON.parse(bed.store.stringValue(key(requestId)) ?? '{}') as Record<string, string>,
          ).map(([field, value]) => [field, field === 'kind' ? 'k' : value.length]);
        expect(shape(decoy.request_id)).toEqual(shape(real.request_id));
        // And nothing can answer it.
        await expect(
          bed.login.answerChallenge(kind, decoy.request_id, 'A'.repeat(100), ADDRESS),
        ).rejects.toMatchObject(LOGIN_FAILED);
      });

      it('cannot be decrypted by the device key', async () => {
        const { data } = await bed.login.issueChallenge('robot', edRobotId, ADDRESS);
        expect(() => decryptChallenge(rsa.privateKey, data)).toThrow(
          expect.objectContaining({ code: 'CHALLENGE_DECRYPTION_FAILED' }),
        );
      });
    });
  });

  describe('signature mode', () => {
    it.each<[string, () => [string, KeyObject]]>([
      ['RSA', () => [robotId, rsa.privateKey]],
      ['Ed25519', () => [edRobotId, ed.privateKey]],
    ])('logs an %s robot in', async (_name, target) => {
      const [id, key] = target();
      const { token } = await signatureLogin('robot', id, key);
      await expect(bed.sessions.verify(token)).resolves.toMatchObject({ deviceId: id });
    });

    it('stores the nonce under device-auth:nonce:<id> for the TTL, single use', async () => {
      const { request_id, nonce } = await bed.login.issueNonce('robot', edRobotId, ADDRESS);
      expect(nonce).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(bed.store.ttlSeconds(`device-auth:nonce:${request_id}`)).toBe(30);
      const signature = signLoginNonce(ed.privateKey, {
        kind: 'robot',
        deviceId: edRobotId,
        requestId: request_id,
        nonce,
      });
      await bed.login.answerSignature('robot', request_id, signature, ADDRESS);
      await expect(
        bed.login.answerSignature('robot', request_id, signature, ADDRESS),
      ).rejects.toMatchObject(LOGIN_FAILED);
    });

    it.each<[string, (fields: { requestId: string; nonce: string }) => [KeyObject, object]]>([
      ['another key', (f) => [otherRsa.privateKey, { ...f, kind: 'robot', deviceId: robotId }]],
      [
        'another nonce',
        (f) => [rsa.privateKey, { ...f, nonce: 'x'.repeat(43), kind: 'robot', deviceId: robotId }],
      ],
      [
        'another request id',
        (f) => [
          rsa.privateKey,
          { ...f, requestId: randomUUID(), kind: 'robot', deviceId: robotId },
        ],
      ],
      ['another kind', (f) => [rsa.privateKey, { ...f, kind: 'store', deviceId: robotId }]],
    ])('refuses a signature made with %s, and burns the nonce', async (_name, forge) => {
      const { request_id, nonce } = await bed.login.issueNonce('robot', robotId, ADDRESS);
      const [key, fields] = forge({ requestId: request_id, nonce });
      const signature = signLoginNonce(key, fields as Parameters<typeof signLoginNonce>[1]);
      await expect(
        bed.login.answerSignature('robot', request_id, signature, ADDRESS),
      ).rejects.toMatchObject(LOGIN_FAILED);
      const good = signLoginNonce(rsa.privateKey, {
        kind: 'robot',
        deviceId: robotId,
        requestId: request_id,
        nonce,
      });
      await expect(
        bed.login.answerSignature('robot', request_id, good, ADDRESS),
      ).rejects.toMatchObject(LOGIN_FAILED);
    });

    it('answers an unknown id like a known one, and stores the same record', async () => {
      const real = await bed.login.issueNonce('robot', robotId, ADDRESS);
      const unknownId = randomUUID();
      const decoy = await bed.login.issueNonce('robot', unknownId, ADDRESS);
      expect(Object.keys(decoy)).toEqual(Object.keys(real));
      expect(decoy.nonce).toHaveLength(real.nonce.length);
      const fields = (requestId: string) =>
        Object.keys(
          JSON.parse(bed.store.stringValue(`device-auth:nonce:${requestId}`) ?? '{}') as object,
        );
      expect(fields(decoy.request_id)).toEqual(fields(real.request_id));
      const signature = signLoginNonce(rsa.privateKey, {
        kind: 'robot',
        deviceId: unknownId,
        requestId: decoy.request_id,
        nonce: decoy.nonce,
      });
      await expect(
        bed.login.answerSignature('robot', decoy.request_id, signature, ADDRESS),
      ).rejects.toMatchObject(LOGIN_FAILED);
    });

    it('refuses a disabled device', async () => {
      const { request_id, nonce } = await bed.login.issueNonce('robot', edRobotId, ADDRESS);
      await bed.admin.disable(edRobotId, 'admin');
      const signature = signLoginNonce(ed.privateKey, {
        kind: 'robot',
        deviceId: edRobotId,
        requestId: request_id,
        nonce,
      });
      await expect(
        bed.login.answerSignature('robot', request_id, signature, ADDRESS),
      ).rejects.toMatchObject(LOGIN_FAILED);
    });

    it('refuses a malformed signature without throwing anything else', async () => {
      const { request_id } = await bed.login.issueNonce('robot', robotId, ADDRESS);
      await expect(
        bed.login.answerSignature('robot', request_id, '!!!', ADDRESS),
      ).rejects.toMatchObject(LOGIN_FAILED);
    });
  });

  describe('a device changed while it logs in', () => {
    it('gets no session when it is disabled after its device was read, before the session', async () => {
      const { request_id, data } = await bed.login.issueChallenge('robot', robotId, ADDRESS);
      const create = bed.store.createSession.bind(bed.store);
      bed.store.createSession = async (...args) => {
        // The admin's disable commits and revokes (bumping the generation) right here.
        await bed.admin.disable(robotId, 'admin');
        return create(...args);
      };
      await expect(
        bed.login.answerChallenge(
          'robot',
          request_id,
          decryptChallenge(rsa.privateKey, data),
          ADDRESS,
        ),
      ).rejects.toMatchObject(LOGIN_FAILED);
      expect(bed.store.keys().filter((k) => k.startsWith('device-auth:session:'))).toEqual([]);
    });

    it('loses the session it got when it is disabled right after the session was created', async () => {
      const { request_id, nonce } = await bed.login.issueNonce('robot', edRobotId, ADDRESS);
      const create = bed.store.createSession.bind(bed.store);
      bed.store.createSession = async (...args) => {
        const result = await create(...args);
        await bed.admin.disable(edRobotId, 'admin');
        return result;
      };
      const signature = signLoginNonce(ed.privateKey, {
        kind: 'robot',
        deviceId: edRobotId,
        requestId: request_id,
        nonce,
      });
      const { token } = await bed.login.answerSignature('robot', request_id, signature, ADDRESS);
      await expect(bed.sessions.verify(token)).rejects.toMatchObject({ code: 'INVALID_SESSION' });
      expect(bed.store.keys().filter((k) => k.startsWith('device-auth:session:'))).toEqual([]);
    });
  });

  describe('rate limits', () => {
    it('refuses the 11th login attempt of a device in a minute with 429 and a retry time', async () => {
      const id = randomUUID();
      for (let i = 0; i < 10; i++) {
        await bed.login.issueNonce('robot', id, `198.51.100.${i}`);
      }
      await expect(bed.login.issueChallenge('robot', id, '198.51.100.99')).rejects.toMatchObject({
        kind: 'rate_limited',
        code: 'RATE_LIMITED',
        retryAfterSeconds: 60,
      });
      bed.store.advance(45_000);
      await expect(bed.login.issueNonce('robot', id, ADDRESS)).rejects.toMatchObject({
        retryAfterSeconds: 15,
      });
      bed.store.advance(15_000);
      await expect(bed.login.issueNonce('robot', id, ADDRESS)).resolves.toBeDefined();
    });

    it('counts unknown and known ids alike (no oracle)', async () => {
      const attempts = async (id: string) => {
        let ok = 0;
        for (let i = 0; i < 12; i++) {
          ok += await bed.login.issueNonce('robot', id, `198.51.100.${i}`).then(
            () => 1,
            () => 0,
          );
        }
        return ok;
      };
      expect(await attempts(robotId)).toBe(await attempts(randomUUID()));
    });

    it('limits a client address to its requests a minute over every login endpoint', async () => {
      for (let i = 0; i < bed.settings.loginPerAddressPerMinute; i++) {
        await bed.login.answerChallenge('robot', randomUUID(), 'x', ADDRESS).catch(() => undefined);
      }
      await expect(bed.login.issueNonce('robot', randomUUID(), ADDRESS)).rejects.toMatchObject({
        code: 'RATE_LIMITED',
      });
      await expect(
        bed.login.issueNonce('robot', randomUUID(), '198.51.100.1'),
      ).resolves.toBeDefined();
    });

    it('does not use up a device’s budget for a caller over its address limit', async () => {
      for (let i = 0; i < bed.settings.loginPerAddressPerMinute; i++) {
        await bed.login.issueNonce('robot', randomUUID(), ADDRESS);
      }
      for (let i = 0; i < 20; i++) {
        await bed.login.issueNonce('robot', robotId, ADDRESS).catch(() => undefined);
      }
      await expect(
        signatureLogin('robot', robotId, rsa.privateKey).then(() => 'ok'),
      ).rejects.toMatchObject({
        code: 'RATE_LIMITED',
      });
      const other = '198.51.100.200';
      await expect(bed.login.issueNonce('robot', robotId, other)).resolves.toBeDefined();
    });
  });
});
