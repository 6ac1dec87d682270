import { generateKeyPairSync, randomUUID } from 'node:crypto';
import {
  decryptChallenge,
  type DeviceKind,
  RSA_2048_CIPHERTEXT_BASE64_LENGTH,
  signLoginNonce,
} from '@platform/device-auth';
import { DeviceClient, type DeviceKeyPair } from '@platform/device-client';
import {
  api,
  type ApiResponse,
  fetchFromAddress,
  gatewayUrl,
  keycloakToken,
  uniqueClientAddress,
} from '@platform/testing';
import { type ErrorBody } from '@platform/errors';

/**
 * Device provisioning, login and sessions (docs/device-auth.md) through the Nginx gateway against
 * the real stack, driven by the reference device client as a device in the field would.
 *
 * Every test speaks from its own client address (X-Forwarded-For, which Nginx appends to and base
 * trusts from loopback), so the per-address rate limits of one test do not spill into another.
 * The gateway's own limit (nginx limit_req on /auth, 429 TOO_MANY_REQUESTS, Retry-After 1) is not
 * under test: calls it refuses are paced and retried. Challenge expiry waits for the challenge TTL
 * once, at the end (DEVICE_CHALLENGE_TTL_SECONDS, default 30: set it to the value the stack runs
 * with; a stack started with SERVICE_BASE_ENV="DEVICE_CHALLENGE_TTL_SECONDS=3" keeps this fast).
 */

const V1 = '/base_api/v1';
const CHALLENGE_TTL_SECONDS = Number(process.env['DEVICE_CHALLENGE_TTL_SECONDS'] ?? 30);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('device auth through the gateway', () => {
  let admin: string;
  let passenger: string;
  let rsa: DeviceKeyPair;
  let ed: DeviceKeyPair;
  let address = uniqueClientAddress();
  const fetchHere = fetchFromAddress(() => address);
  const engineers: string[] = [];
  const devices: string[] = [];
  const stores: string[] = [];

  /** Issued at the start, answered at the end: the TTL runs while the other tests do. */
  let expiring: { requestId: string; answer: string; issuedAt: number };

  async function call<T = ErrorBody>(
    method: string,
    path: string,
    options: { token?: string; body?: unknown } = {},
  ): Promise<ApiResponse<T>> {
    const init: RequestInit = {
      method,
      headers: {
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    };
    const response = await fetchHere(`${gatewayUrl()}${V1}${path}`, init);
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: (text ? JSON.parse(text) : null) as T,
    };
  }

  function device(kind: DeviceKind = 'robot', token?: string): DeviceClient {
    return new DeviceClient({ baseUrl: gatewayUrl(), kind, fetch: fetchHere, token });
  }

  async function newEngineer(privileges: string[]) {
    const login = `e2e-dev-eng-${randomUUID().slice(0, 8)}`;
    const password = `pw-${randomUUID()}`;
    const created = await api<{ id: string }>('POST', `${V1}/admin/engineer`, {
      token: admin,
      body: { login, password },
    });
    expect(created.status).toBe(200);
    engineers.push(created.body.id);
    const granted = await api('PUT', `${V1}/admin/engineer_privileges`, {
      token: admin,
      body: { id: created.body.id, privileges },
    });
    expect(granted.status).toBe(200);
    return { engineerLogin: login, engineerPassword: password };
  }

  async function registerRobot(keys: DeviceKeyPair, serial = `SN-${randomUUID().slice(0, 13)}`) {
    const engineer = await newEngineer(['ROBOT_LOGIN']);
    const registered = await device().register({
      ...engineer,
      publicKeyPem: keys.publicKeyPem,
      robotModelId: serial,
      robotModelName: 'TestRobot:0.1.0:001',
    });
    devices.push(registered.deviceId);
    return { ...registered, engineer, serial };
  }

  async function sessionOf(kind: DeviceKind, token: string | undefined) {
    return call<{ id: string; kind: string; session_id: string }>('GET', `/auth/${kind}/session`, {
      token,
    });
  }

  beforeAll(async () => {
    [admin, passenger, rsa, ed] = await Promise.all([
      keycloakToken('dev-admin'),
      keycloakToken('dev-passenger'),
      DeviceClient.generateKeyPair('rsa-2048'),
      DeviceClient.generateKeyPair('ed25519'),
    ]);
    const { deviceId } = await registerRobot(rsa);
    const issued = await call<{ request_id: string; data: string }>('POST', '/auth/robot/login', {
      body: { id: deviceId },
    });
    expect(issued.status).toBe(200);
    expiring = {
      requestId: issued.body.request_id,
      answer: decryptChallenge(rsa.privateKey, issued.body.data),
      issuedAt: Date.now(),
    };
  });

  beforeEach(() => {
    address = uniqueClientAddress();
  });

  afterAll(async () => {
    for (const id of devices) {
      await api('DELETE', `${V1}/admin/devices/${id}`, { token: admin });
    }
    for (const id of engineers) {
      await api('DELETE', `${V1}/admin/engineers/${id}`, { token: admin });
    }
    for (const id of stores) {
      await api('DELETE', `/store_api/v1/admin/store/${id}`, { token: admin });
    }
  });

  describe('provisioning', () => {
    it('registers a robot (seed response) and keeps its id when it is registered again', async () => {
      const { deviceId, response, serial } = await registerRobot(rsa);
      expect(response).toEqual({
        id: deviceId,
        robot_model_id: serial,
        robot_model_name: 'TestRobot:0.1.0:001',
      });
      const again = await registerRobot(ed, serial);
      expect(again.deviceId).toBe(deviceId);
      const listed = await api<{ key_algorithm: string; key_rotated_at: string | null }>(
        'GET',
        `${V1}/admin/devices/${deviceId}`,
        { token: admin },
      );
      expect(listed.body).toMatchObject({
        key_algorithm: 'ed25519',
        key_rotated_at: expect.any(String),
      });
    });

    it('refuses a wrong engineer password (401) and a missing privilege (403)', async () => {
      const engineer = await newEngineer(['STORE_LOGIN']);
      const body = {
        login: engineer.engineerLogin,
        password: engineer.engineerPassword,
        public_key: ed.publicKeyPem,
        robot_model_id: 'SN-NOPE',
        robot_model_name: 'x',
      };
      const wrong = await call('POST', '/auth/robot/new_login', {
        body: { ...body, password: 'not-the-password' },
      });
      expect([wrong.status, wrong.body.code]).toEqual([401, 'INVALID_CREDENTIALS']);
      const unprivileged = await call('POST', '/auth/robot/new_login', { body });
      expect([unprivileged.status, unprivileged.body.code]).toEqual([
        403,
        'INSUFFICIENT_PRIVILEGES',
      ]);
    });

    it.each<[string, () => string, number, string]>([
      ['garbage', () => 'not a key', 400, 'INVALID_PUBLIC_KEY'],
      [
        'a private key',
        () =>
          generateKeyPairSync('ed25519')
            .privateKey.export({ type: 'pkcs8', format: 'pem' })
            .toString(),
        400,
        'PRIVATE_KEY_NOT_ACCEPTED',
      ],
      [
        'an EC key',
        () =>
          generateKeyPairSync('ec', { namedCurve: 'P-256' })
            .publicKey.export({ type: 'spki', format: 'pem' })
            .toString(),
        422,
        'UNSUPPORTED_KEY_TYPE',
      ],
    ])('refuses %s as the public key', async (_name, pem, status, code) => {
      const engineer = await newEngineer(['ROBOT_LOGIN']);
      const response = await call('POST', '/auth/robot/new_login', {
        body: {
          login: engineer.engineerLogin,
          password: engineer.engineerPassword,
          public_key: pem(),
          robot_model_id: 'SN-BAD-KEY',
          robot_model_name: 'x',
        },
      });
      expect([response.status, response.body.code]).toEqual([status, code]);
    });

    it('registers a store terminal under its store id and a locker under its locker id', async () => {
      const engineer = await newEngineer(['STORE_LOGIN', 'LOCKER_LOGIN']);
      // Registration fails closed: the store must exist in the store service.
      const unknown = await call('POST', '/auth/store/new_login', {
        body: {
          login: engineer.engineerLogin,
          password: engineer.engineerPassword,
          public_key: rsa.publicKeyPem,
          store_id: randomUUID(),
        },
      });
      expect([unknown.status, unknown.body.code]).toEqual([404, 'STORE_NOT_FOUND']);
      const storeName = `e2e-dev-store-${randomUUID().slice(0, 8)}`;
      const created = await api<{ id: string }>('POST', '/store_api/v1/admin/store', {
        token: admin,
        body: { name: storeName, description: 'd', logo_url: 'l.png', store_type: 'SHOP' },
      });
      expect(created.status).toBe(200);
      const storeId = created.body.id;
      stores.push(storeId);
      const store = await device('store').register({
        ...engineer,
        publicKeyPem: rsa.publicKeyPem,
        storeId,
      });
      devices.push(storeId);
      // The answer is the store as the store service knows it.
      expect(store).toMatchObject({
        deviceId: storeId,
        response: {
          id: storeId,
          store_id: storeId,
          name: storeName,
          description: 'd',
          logo_url: 'l.png',
          store_type: 'SHOP',
        },
      });
      const lockerId = randomUUID();
      const locker = await device('locker').register({
        ...engineer,
        publicKeyPem: ed.publicKeyPem,
        lockerId,
      });
      devices.push(lockerId);
      expect(locker.response).toEqual({ id: lockerId, locker_id: lockerId });

      const terminal = device('store');
      await terminal.loginWithChallenge(storeId, rsa.privateKey);
      expect((await sessionOf('store', terminal.token)).body).toMatchObject({
        id: storeId,
        kind: 'store',
      });
      const controller = device('locker');
      await controller.loginWithSignature(lockerId, ed.privateKey);
      expect((await sessionOf('locker', controller.token)).body).toMatchObject({ id: lockerId });
    });

    it('reads a locker id and a device id typed in upper case as the lower-case id', async () => {
      const engineer = await newEngineer(['LOCKER_LOGIN']);
      const lockerId = randomUUID();
      // The id was the text of `external_id`, which must equal `id::text`: this was a 500.
      const registered = await call('POST', '/auth/locker/new_login', {
        body: {
          login: engineer.engineerLogin,
          password: engineer.engineerPassword,
          public_key: rsa.publicKeyPem,
          locker_id: lockerId.toUpperCase(),
        },
      });
      devices.push(lockerId);
      expect([registered.status, registered.body]).toEqual([
        200,
        { id: lockerId, locker_id: lockerId },
      ]);
      // A session keyed by the upper-case id outlived the revocation of the device elsewhere.
      const controller = device('locker');
      await controller.loginWithChallenge(lockerId.toUpperCase(), rsa.privateKey);
      expect((await sessionOf('locker', controller.token)).body).toMatchObject({ id: lockerId });
    });
  });

  describe('login', () => {
    it('challenge mode logs an RSA-2048 robot in', async () => {
      const { deviceId } = await registerRobot(rsa);
      const robot = device();
      const token = await robot.loginWithChallenge(deviceId, rsa.privateKey);
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const session = await sessionOf('robot', token);
      expect(session.status).toBe(200);
      expect(session.body).toMatchObject({ id: deviceId, kind: 'robot' });
    });

    it.each<[string, () => DeviceKeyPair]>([
      ['RSA-2048', () => rsa],
      ['Ed25519', () => ed],
    ])('signature mode logs an %s robot in', async (_name, keys) => {
      const { deviceId } = await registerRobot(keys());
      const robot = device();
      await robot.loginWithSignature(deviceId, keys().privateKey);
      expect((await sessionOf('robot', robot.token)).body).toMatchObject({ id: deviceId });
    });

    it('challenge mode gives an Ed25519 robot a decoy: it cannot log in that way', async () => {
      const { deviceId } = await registerRobot(ed);
      await expect(device().loginWithChallenge(deviceId, ed.privateKey)).rejects.toMatchObject({
        code: 'CHALLENGE_NOT_SUPPORTED_FOR_KEY',
      });
      const issued = await call<{ request_id: string; data: string }>('POST', '/auth/robot/login', {
        body: { id: deviceId },
      });
      expect(issued.status).toBe(200);
      expect(issued.body.data).toHaveLength(RSA_2048_CIPHERTEXT_BASE64_LENGTH);
      expect(() => decryptChallenge(rsa.privateKey, issued.body.data)).toThrow();
      const answered = await call('POST', '/auth/robot/login_code', {
        body: { request_id: issued.body.request_id, data: 'A'.repeat(100) },
      });
      expect([answered.status, answered.body.code]).toEqual([401, 'INVALID_CREDENTIALS']);
    });

    it('refuses a replayed challenge answer', async () => {
      const { deviceId } = await registerRobot(rsa);
      const issued = await call<{ request_id: string; data: string }>('POST', '/auth/robot/login', {
        body: { id: deviceId },
      });
      const body = {
        request_id: issued.body.request_id,
        data: decryptChallenge(rsa.privateKey, issued.body.data),
      };
      expect((await call('POST', '/auth/robot/login_code', { body })).status).toBe(200);
      const replay = await call('POST', '/auth/robot/login_code', { body });
      expect([replay.status, replay.body.code]).toEqual([401, 'INVALID_CREDENTIALS']);
    });

    it('burns a challenge on a wrong answer', async () => {
      const { deviceId } = await registerRobot(rsa);
      const issued = await call<{ request_id: string; data: string }>('POST', '/auth/robot/login', {
        body: { id: deviceId },
      });
      const wrong = await call('POST', '/auth/robot/login_code', {
        body: { request_id: issued.body.request_id, data: 'A'.repeat(100) },
      });
      expect(wrong.status).toBe(401);
      const right = await call('POST', '/auth/robot/login_code', {
        body: {
          request_id: issued.body.request_id,
          data: decryptChallenge(rsa.privateKey, issued.body.data),
        },
      });
      expect([right.status, right.body.code]).toEqual([401, 'INVALID_CREDENTIALS']);
    });

    it("refuses a challenge answered at another kind's endpoint, and burns it", async () => {
      const { deviceId } = await registerRobot(rsa);
      const issued = await call<{ request_id: string; data: string }>('POST', '/auth/robot/login', {
        body: { id: deviceId },
      });
      const body = {
        request_id: issued.body.request_id,
        data: decryptChallenge(rsa.privateKey, issued.body.data),
      };
      const foreign = await call('POST', '/auth/store/login_code', { body });
      expect([foreign.status, foreign.body.code]).toEqual([401, 'INVALID_CREDENTIALS']);
      expect((await call('POST', '/auth/robot/login_code', { body })).status).toBe(401);
    });

    it('refuses a signature over another request, and a replayed signature', async () => {
      const { deviceId } = await registerRobot(ed);
      const first = await call<{ request_id: string; nonce: string }>('POST', '/auth/robot/nonce', {
        body: { id: deviceId },
      });
      const second = await call<{ request_id: string; nonce: string }>(
        'POST',
        '/auth/robot/nonce',
        {
          body: { id: deviceId },
        },
      );
      const signature = signLoginNonce(ed.privateKey, {
        kind: 'robot',
        deviceId,
        requestId: first.body.request_id,
        nonce: first.body.nonce,
      });
      const misplaced = await call('POST', '/auth/robot/login_signature', {
        body: { request_id: second.body.request_id, signature },
      });
      expect([misplaced.status, misplaced.body.code]).toEqual([401, 'INVALID_CREDENTIALS']);
      const body = { request_id: first.body.request_id, signature };
      expect((await call('POST', '/auth/robot/login_signature', { body })).status).toBe(200);
      expect((await call('POST', '/auth/robot/login_signature', { body })).status).toBe(401);
    });

    it('answers an unknown, disabled, other-kind or Ed25519 id exactly like a real RSA-2048 device', async () => {
      const real = await registerRobot(rsa);
      const edRobot = await registerRobot(ed);
      const disabled = await registerRobot(rsa);
      await api('POST', `${V1}/admin/devices/${disabled.deviceId}/disable`, { token: admin });
      const shape = (response: ApiResponse<Record<string, string>>) => [
        response.status,
        Object.entries(response.body).map(([key, value]) => [key, value.length]),
      ];
      const ask = (kind: DeviceKind, path: 'login' | 'nonce', id: string) =>
        call<Record<string, string>>('POST', `/auth/${kind}/${path}`, { body: { id } });

      for (const path of ['login', 'nonce'] as const) {
        const expected = shape(await ask('robot', path, real.deviceId));
        expect(expected[0]).toBe(200);
        const others = [
          await ask('robot', path, randomUUID()),
          await ask('robot', path, disabled.deviceId),
          await ask('store', path, real.deviceId),
          await ask('robot', path, edRobot.deviceId),
        ];
        for (const other of others) expect(shape(other)).toEqual(expected);
      }
    });
  });

  describe('sessions', () => {
    it('logout ends the session', async () => {
      const { deviceId } = await registerRobot(ed);
      const robot = device();
      await robot.loginWithSignature(deviceId, ed.privateKey);
      const token = robot.token;
      await robot.logout();
      const after = await sessionOf('robot', token);
      expect([after.status, after.body]).toEqual([
        401,
        expect.objectContaining({ code: 'INVALID_SESSION' }),
      ]);
    });

    it('disabling a device ends its sessions and refuses its logins until it is enabled', async () => {
      const { deviceId } = await registerRobot(ed);
      const robot = device();
      await robot.loginWithSignature(deviceId, ed.privateKey);
      const disabled = await api<{ disabled: boolean }>(
        'POST',
        `${V1}/admin/devices/${deviceId}/disable`,
        {
          token: admin,
        },
      );
      expect([disabled.status, disabled.body.disabled]).toEqual([200, true]);
      expect((await sessionOf('robot', robot.token)).status).toBe(401);
      await expect(robot.loginWithSignature(deviceId, ed.privateKey)).rejects.toMatchObject({
        status: 401,
        code: 'INVALID_CREDENTIALS',
      });
      await api('POST', `${V1}/admin/devices/${deviceId}/enable`, { token: admin });
      await robot.loginWithSignature(deviceId, ed.privateKey);
      expect((await sessionOf('robot', robot.token)).status).toBe(200);
    });

    it('re-registering a device ends the sessions of its old key', async () => {
      const { deviceId, serial } = await registerRobot(ed);
      const robot = device();
      await robot.loginWithSignature(deviceId, ed.privateKey);
      const replacement = await DeviceClient.generateKeyPair('ed25519');
      await registerRobot(replacement, serial);
      expect((await sessionOf('robot', robot.token)).status).toBe(401);
      await expect(robot.loginWithSignature(deviceId, ed.privateKey)).rejects.toMatchObject({
        status: 401,
      });
      await robot.loginWithSignature(deviceId, replacement.privateKey);
      expect((await sessionOf('robot', robot.token)).status).toBe(200);
    });

    it('rotating the key (admin) and deleting the device end the sessions', async () => {
      const { deviceId } = await registerRobot(rsa);
      const robot = device();
      await robot.loginWithChallenge(deviceId, rsa.privateKey);
      const rotated = await api('PUT', `${V1}/admin/devices/${deviceId}/public_key`, {
        token: admin,
        body: { public_key: ed.publicKeyPem },
      });
      expect(rotated.status).toBe(200);
      expect((await sessionOf('robot', robot.token)).status).toBe(401);
      await robot.loginWithSignature(deviceId, ed.privateKey);
      const removed = await api('DELETE', `${V1}/admin/robots/${deviceId}`, { token: admin });
      expect([removed.status, removed.body]).toEqual([200, { status: 'OK' }]);
      expect((await sessionOf('robot', robot.token)).status).toBe(401);
      const again = await api<ErrorBody>('DELETE', `${V1}/admin/robots/${deviceId}`, {
        token: admin,
      });
      expect([again.status, again.body.code]).toEqual([404, 'ROBOT_NOT_FOUND']);
    });

    it('refuses a robot session at a store-only endpoint with 403 WRONG_DEVICE_KIND', async () => {
      const { deviceId } = await registerRobot(ed);
      const robot = device();
      await robot.loginWithSignature(deviceId, ed.privateKey);
      for (const [method, path] of [
        ['GET', '/auth/store/session'],
        ['POST', '/auth/store/logout'],
      ]) {
        const response = await call(method as string, path as string, { token: robot.token });
        expect([response.status, response.body.code]).toEqual([403, 'WRONG_DEVICE_KIND']);
      }
    });
  });

  describe('rate limits', () => {
    it('answers 429 RATE_LIMITED with Retry-After to the 11th login attempt of a device in a minute', async () => {
      const id = randomUUID();
      const statuses: number[] = [];
      for (let i = 0; i < 11; i++) {
        statuses.push((await call('POST', '/auth/robot/nonce', { body: { id } })).status);
      }
      expect(statuses).toEqual([...Array(10).fill(200), 429]);
      const limited = await call('POST', '/auth/robot/login', { body: { id } });
      expect([limited.status, limited.body.code]).toEqual([429, 'RATE_LIMITED']);
      const retryAfter = Number(limited.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(60);
    });
  });

  describe('admin device endpoints', () => {
    it('list devices and robots for an admin', async () => {
      const { deviceId, serial } = await registerRobot(ed);
      const page = await api<{
        items: { id: string }[];
        total: number;
        page: number;
        size: number;
        pages: number;
      }>('GET', `${V1}/admin/devices?kind=robot&page=1&size=100`, { token: admin });
      expect(page.status).toBe(200);
      expect(page.body).toMatchObject({ page: 1, size: 100 });
      const robots = await api<{ items: { id: string; robot_model_id: string }[]; pages: number }>(
        'GET',
        `${V1}/admin/robots?size=100&page=${page.body.pages}`,
        { token: admin },
      );
      expect(robots.body.items).toContainEqual({
        id: deviceId,
        robot_model_id: serial,
        robot_model_name: 'TestRobot:0.1.0:001',
      });
    });

    it('take over a robot of the system we replace: it logs in under its old id with the key it holds', async () => {
      const legacyKeys = await DeviceClient.generateKeyPair('rsa-2048');
      const id = randomUUID(); // the robot's `robot_id` in its private/login_data
      const body = {
        robot_model_id: `SN-LEGACY-${randomUUID().slice(0, 8)}`,
        robot_model_name: 'TestRobot:0.1.0:001',
        public_key: legacyKeys.publicKeyPem,
      };
      const adopted = await api('PUT', `${V1}/admin/robots/${id}`, { token: admin, body });
      devices.push(id);
      expect([adopted.status, adopted.body]).toEqual([
        200,
        { id, robot_model_id: body.robot_model_id, robot_model_name: body.robot_model_name },
      ]);
      // as the seed's kiosk does at boot: POST /auth/robot/login {id}, decrypt, login_code
      const token = await device().loginWithChallenge(id, legacyKeys.privateKey);
      expect((await sessionOf('robot', token)).body).toMatchObject({ id, kind: 'robot' });
      // again: the same answer; another key or serial under this id: 409
      const again = await api('PUT', `${V1}/admin/robots/${id}`, { token: admin, body });
      expect(again.status).toBe(200);
      const other = await api<ErrorBody>('PUT', `${V1}/admin/robots/${id}`, {
        token: admin,
        body: { ...body, public_key: rsa.publicKeyPem },
      });
      expect([other.status, other.body.code]).toEqual([409, 'DEVICE_ID_TAKEN']);
    });

    it('refuse callers without a token (401) and without the admin role (403)', async () => {
      const id = randomUUID();
      for (const [method, path] of [
        ['GET', '/admin/devices'],
        ['GET', '/admin/robots'],
        ['PUT', `/admin/robots/${id}`],
        ['DELETE', `/admin/robots/${id}`],
        ['DELETE', `/admin/devices/${id}`],
        ['POST', `/admin/devices/${id}/disable`],
        ['POST', `/admin/devices/${id}/enable`],
        ['PUT', `/admin/devices/${id}/public_key`],
      ] as const) {
        const anonymous = await api<ErrorBody>(method, `${V1}${path}`);
        expect([path, anonymous.status, anonymous.body.code]).toEqual([
          path,
          401,
          'MISSING_BEARER_TOKEN',
        ]);
        const forbidden = await api<ErrorBody>(method, `${V1}${path}`, { token: passenger });
        expect([path, forbidden.status, forbidden.body.code]).toEqual([
          path,
          403,
          'INSUFFICIENT_ROLE',
        ]);
      }
    });
  });

  describe('challenge expiry', () => {
    it(
      `refuses an answer after the challenge TTL (${CHALLENGE_TTL_SECONDS} s)`,
      async () => {
        const wait = expiring.issuedAt + (CHALLENGE_TTL_SECONDS + 1) * 1000 - Date.now();
        if (wait > 0) await sleep(wait);
        const late = await call('POST', '/auth/robot/login_code', {
          body: { request_id: expiring.requestId, data: expiring.answer },
        });
        expect([late.status, late.body.code]).toEqual([401, 'INVALID_CREDENTIALS']);
      },
      (CHALLENGE_TTL_SECONDS + 30) * 1000,
    );
  });
});
