import { generateKeyPairSync } from 'node:crypto';
import {
  LOGIN_SIGNATURE_DOMAIN,
  RSA_2048_CIPHERTEXT_BASE64_LENGTH,
  hashSecret,
  parseDevicePublicKey,
  verifyLoginSignature,
  type DeviceKind,
  type LoginMessageFields,
} from '@platform/device-auth';
import {
  DeviceClient,
  DeviceClientError,
  buildRegisterBody,
  type DeviceKeyPair,
  type DeviceKeyType,
  type FetchLike,
  type RegisterInput,
} from './device-client';
import { FakePlatform } from './testing/fake-platform';

const BASE_URL = 'http://gateway.test';

async function caught(promise: Promise<unknown>): Promise<DeviceClientError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DeviceClientError) return error;
    throw error;
  }
  throw new Error('expected a DeviceClientError');
}

describe('DeviceClient', () => {
  let rsa2048: DeviceKeyPair;
  let ed25519: DeviceKeyPair;
  let platform: FakePlatform;

  beforeAll(async () => {
    rsa2048 = await DeviceClient.generateKeyPair('rsa-2048');
    ed25519 = await DeviceClient.generateKeyPair('ed25519');
  });

  beforeEach(() => {
    platform = new FakePlatform();
  });

  const clientFor = (kind: DeviceKind, fetch: FetchLike = platform.fetch) =>
    new DeviceClient({ baseUrl: `${BASE_URL}/`, kind, fetch });

  const registration = (pair: DeviceKeyPair): RegisterInput => ({
    engineerLogin: 'eng',
    engineerPassword: 'engineer-password',
    publicKeyPem: pair.publicKeyPem,
    robotModelId: 'SERIAL-0001',
    robotModelName: 'TestRobot:0.1.0:001',
    storeId: '11111111-1111-4111-8111-111111111111',
    lockerId: '22222222-2222-4222-8222-222222222222',
  });

  describe('generateKeyPair', () => {
    it.each<[DeviceKeyType, 'rsa' | 'ed25519', number]>([
      ['ed25519', 'ed25519', 256],
      ['rsa-2048', 'rsa', 2048],
      ['rsa-3072', 'rsa', 3072],
      ['rsa-4096', 'rsa', 4096], // slow: the only RSA-4096 in this file
    ])('%s gives a key the server accepts', async (type, algorithm, bits) => {
      const pair = await DeviceClient.generateKeyPair(type);
      expect(pair.type).toBe(type);
      expect(pair.privateKey.type).toBe('private');
      const parsed = parseDevicePublicKey(pair.publicKeyPem);
      expect(parsed).toMatchObject({ algorithm, bits, spkiPem: pair.publicKeyPem });
      if (algorithm === 'rsa') {
        expect(pair.privateKey.asymmetricKeyDetails?.publicExponent).toBe(65537n);
      }
    });

    it('refuses an unknown type', async () => {
      await expect(DeviceClient.generateKeyPair('rsa-1024' as DeviceKeyType)).rejects.toMatchObject(
        {
          code: 'INVALID_ARGUMENT',
        },
      );
    });
  });

  describe('constructor', () => {
    it.each(['not a url', 'ftp://gateway.test', ''])('refuses base URL %j', (baseUrl) => {
      expect(() => new DeviceClient({ baseUrl, kind: 'robot' })).toThrow(
        expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
      );
    });

    it('refuses an unknown kind', () => {
      expect(() => new DeviceClient({ baseUrl: BASE_URL, kind: 'drone' as DeviceKind })).toThrow(
        expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
      );
    });
  });

  describe('register', () => {
    it.each<[DeviceKind, string, Record<string, string>]>([
      [
        'robot',
        '/base_api/v1/auth/robot/new_login',
        { robot_model_id: 'SERIAL-0001', robot_model_name: 'TestRobot:0.1.0:001' },
      ],
      [
        'store',
        '/base_api/v1/auth/store/new_login',
        { store_id: '11111111-1111-4111-8111-111111111111' },
      ],
      [
        'locker',
        '/base_api/v1/auth/locker/new_login',
        { locker_id: '22222222-2222-4222-8222-222222222222' },
      ],
    ])('%s: POST %s with the seed body', async (kind, path, kindFields) => {
      const result = await clientFor(kind).register(registration(rsa2048));
      expect(platform.requests).toHaveLength(1);
      const [request] = platform.requests;
      expect(request).toMatchObject({ method: 'POST', url: `${BASE_URL}${path}` });
      expect(request?.headers['content-type']).toBe('application/json');
      expect(request?.headers['authorization']).toBeUndefined();
      expect(request?.body).toEqual({
        login: 'eng',
        password: 'engineer-password',
        public_key: rsa2048.publicKeyPem,
        ...kindFields,
      });
      expect(result.deviceId).toBe(result.response['id']);
      if (kind === 'robot') {
        expect(result.response).toEqual({
          id: expect.any(String),
          robot_model_id: 'SERIAL-0001',
          robot_model_name: 'TestRobot:0.1.0:001',
        });
      } else {
        expect(result.deviceId).toBe(kindFields[`${kind}_id`]);
      }
    });

    it.each<[DeviceKind, keyof RegisterInput]>([
      ['robot', 'robotModelId'],
      ['robot', 'robotModelName'],
      ['store', 'storeId'],
      ['locker', 'lockerId'],
    ])('%s without %s fails before any request', async (kind, missing) => {
      const input = { ...registration(rsa2048), [missing]: undefined };
      const error = await caught(clientFor(kind).register(input));
      expect(error).toMatchObject({ status: 0, code: 'INVALID_ARGUMENT' });
      expect(error.message).toContain(missing);
      expect(platform.requests).toHaveLength(0);
    });

    it('sends only the fields of its kind', () => {
      expect(Object.keys(buildRegisterBody('store', registration(rsa2048))).sort()).toEqual([
        'login',
        'password',
        'public_key',
        'store_id',
      ]);
    });

    it('surfaces wrong engineer credentials as a typed 401', async () => {
      platform.engineer.password = 'other';
      const error = await caught(clientFor('robot').register(registration(rsa2048)));
      expect(error).toMatchObject({
        status: 401,
        code: 'INVALID_CREDENTIALS',
        message: 'Invalid credentials',
      });
      expect(error.requestId).toMatch(/^[0-9a-f-]{36}$/);
    });
  });

  describe('loginWithChallenge', () => {
    it('does /login then /login_code with the decrypted challenge', async () => {
      const client = clientFor('robot');
      const { deviceId } = await client.register(registration(rsa2048));
      const token = await client.loginWithChallenge(deviceId, rsa2048.privateKey);

      const [register, login, loginCode, ...rest] = platform.requests;
      expect(register?.path).toBe('/base_api/v1/auth/robot/new_login');
      expect(rest).toHaveLength(0);
      expect(login).toMatchObject({
        method: 'POST',
        path: '/base_api/v1/auth/robot/login',
        body: { id: deviceId },
      });
      expect(loginCode).toMatchObject({
        method: 'POST',
        path: '/base_api/v1/auth/robot/login_code',
      });
      const sent = loginCode?.body as { request_id: string; data: string };
      expect(Object.keys(sent).sort()).toEqual(['data', 'request_id']);
      expect(sent.data).toHaveLength(100);
      // The answer is the plaintext whose hash the server stored under that request id.
      expect(platform.pending.has(sent.request_id)).toBe(false); // consumed
      expect(platform.sessions.size).toBe(1);
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(client.token).toBe(token);
    });

    it('the answer matches the server-side hash (round trip through the lib)', async () => {
      const client = clientFor('store');
      const { deviceId } = await client.register(registration(rsa2048));
      const spy = jest.spyOn(platform.pending, 'set');
      await client.loginWithChallenge(deviceId, rsa2048.privateKey);
      const stored = spy.mock.calls[0]?.[1];
      const answer = (platform.bodiesTo('/login_code')[0] as { data: string }).data;
      expect(stored?.secretHash).toBe(hashSecret(answer));
      expect(stored).toMatchObject({ kind: 'store', deviceId });
    });

    it('an unknown device id gets a decoy: fails locally, never sends /login_code', async () => {
      const client = clientFor('robot');
      const error = await caught(client.loginWithChallenge('no-such-robot', rsa2048.privateKey));
      expect(error).toMatchObject({ status: 0, code: 'CHALLENGE_DECRYPTION_FAILED' });
      expect(error.message).toContain('no-such-robot');
      const decoy = (platform.requests.length === 1 && platform.requests[0]) || undefined;
      expect(decoy?.path).toBe('/base_api/v1/auth/robot/login');
      expect(client.token).toBeUndefined();
    });

    it('decoy and real challenge look alike on the wire (344 chars)', async () => {
      const seen: string[] = [];
      const recording: FetchLike = async (url, init) => {
        const response = await platform.fetch(url, init);
        if (url.endsWith('/robot/login')) {
          seen.push(((await response.clone().json()) as { data: string }).data);
        }
        return response;
      };
      const client = clientFor('robot', recording);
      const { deviceId } = await client.register(registration(rsa2048));
      await client.loginWithChallenge(deviceId, rsa2048.privateKey);
      await client.loginWithChallenge('unknown', rsa2048.privateKey).catch(() => undefined);
      expect(seen.map((data) => data.length)).toEqual([
        RSA_2048_CIPHERTEXT_BASE64_LENGTH,
        RSA_2048_CIPHERTEXT_BASE64_LENGTH,
      ]);
      expect(seen.map((data) => data.endsWith('='))).toEqual([true, true]);
    });

    it('refuses an Ed25519 key before any request', async () => {
      const error = await caught(clientFor('robot').loginWithChallenge('id', ed25519.privateKey));
      expect(error.code).toBe('CHALLENGE_NOT_SUPPORTED_FOR_KEY');
      expect(platform.requests).toHaveLength(0);
    });

    it('a wrong key cannot decrypt the real challenge', async () => {
      const client = clientFor('robot');
      const { deviceId } = await client.register(registration(rsa2048));
      const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
      await expect(client.loginWithChallenge(deviceId, other)).rejects.toMatchObject({
        code: 'CHALLENGE_DECRYPTION_FAILED',
      });
    });

    it.each<[string, unknown]>([
      ['no request_id', { data: 'x' }],
      ['no data', { request_id: 'r' }],
      ['an array', []],
      ['a number as data', { request_id: 'r', data: 5 }],
    ])('rejects a /login response with %s', async (_name, body) => {
      platform.overrides.set('/base_api/v1/auth/robot/login', () => Response.json(body));
      await expect(
        clientFor('robot').loginWithChallenge('id', rsa2048.privateKey),
      ).rejects.toMatchObject({
        code: 'UNEXPECTED_RESPONSE',
      });
    });
  });

  describe('loginWithSignature', () => {
    it.each<[DeviceKind, 'rsa-2048' | 'ed25519']>([
      ['robot', 'ed25519'],
      ['robot', 'rsa-2048'],
      ['store', 'ed25519'],
      ['locker', 'rsa-2048'],
    ])('%s with %s: /nonce then /login_signature', async (kind, keyType) => {
      const pair = keyType === 'ed25519' ? ed25519 : rsa2048;
      const client = clientFor(kind);
      const { deviceId } = await client.register(registration(pair));
      const token = await client.loginWithSignature(deviceId, pair.privateKey);

      const [, nonceRequest, signatureRequest] = platform.requests;
      expect(nonceRequest).toMatchObject({
        path: `/base_api/v1/auth/${kind}/nonce`,
        body: { id: deviceId },
      });
      expect(signatureRequest?.path).toBe(`/base_api/v1/auth/${kind}/login_signature`);
      const sent = signatureRequest?.body as { request_id: string; signature: string };
      expect(Object.keys(sent).sort()).toEqual(['request_id', 'signature']);
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(client.token).toBe(token);
      expect(LOGIN_SIGNATURE_DOMAIN).toBe('platform-device-login:v1');
    });

    it('the signature binds kind, device id, request id and nonce', async () => {
      const client = clientFor('robot');
      const { deviceId } = await client.register(registration(ed25519));
      const nonce = 'fixed-nonce';
      platform.overrides.set('/base_api/v1/auth/robot/nonce', () =>
        Response.json({ request_id: 'req-1', nonce }),
      );
      platform.overrides.set('/base_api/v1/auth/robot/login_signature', () =>
        Response.json({ token: 't' }),
      );
      await client.loginWithSignature(deviceId, ed25519.privateKey);
      const { signature } = platform.bodiesTo('/login_signature')[0] as { signature: string };
      const fields = { kind: 'robot', deviceId, requestId: 'req-1', nonce } as const;
      const verifies = (changed: Partial<LoginMessageFields>) =>
        verifyLoginSignature(ed25519.publicKey, { ...fields, ...changed }, signature);
      await expect(verifies({})).resolves.toBe(true);
      await expect(verifies({ kind: 'store' })).resolves.toBe(false);
      await expect(verifies({ deviceId: 'x' })).resolves.toBe(false);
      await expect(verifies({ requestId: 'req-2' })).resolves.toBe(false);
      await expect(verifies({ nonce: 'other' })).resolves.toBe(false);
    });

    it('a device registered with another key is refused (401)', async () => {
      const client = clientFor('robot');
      const { deviceId } = await client.register(registration(rsa2048));
      const error = await caught(client.loginWithSignature(deviceId, ed25519.privateKey));
      expect(error).toMatchObject({ status: 401, code: 'INVALID_CREDENTIALS' });
      expect(client.token).toBeUndefined();
    });

    it('refuses to sign with an unsupported key', async () => {
      const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
      await expect(clientFor('robot').loginWithSignature('id', ec)).rejects.toMatchObject({
        status: 0,
        code: 'UNSUPPORTED_KEY_TYPE',
      });
    });
  });

  describe('authenticated requests and logout', () => {
    async function loggedIn(kind: DeviceKind = 'robot') {
      const client = clientFor(kind);
      const { deviceId } = await client.register(registration(ed25519));
      await client.loginWithSignature(deviceId, ed25519.privateKey);
      return { client, deviceId };
    }

    it('request sends the bearer token and JSON body', async () => {
      const { client, deviceId } = await loggedIn();
      const result = await client.request(
        'post',
        '/store_api/v1/robot/store/5709e000-0000-4000-8000-000000000002/make_purchase',
        { items: [1] },
      );
      const last = platform.requests.at(-1);
      expect(last).toMatchObject({
        method: 'POST',
        url: `${BASE_URL}/store_api/v1/robot/store/5709e000-0000-4000-8000-000000000002/make_purchase`,
      });
      expect(last?.headers['authorization']).toBe(`Bearer ${client.token}`);
      expect(result).toEqual({
        method: 'POST',
        path: '/store_api/v1/robot/store/5709e000-0000-4000-8000-000000000002/make_purchase',
        body: { items: [1] },
        kind: 'robot',
        deviceId,
      });
    });

    it('GET without a body sends no content-type and no body', async () => {
      const { client } = await loggedIn();
      await client.request('GET', '/base_api/v1/robot/destination/MOSCOW/hotels');
      const last = platform.requests.at(-1);
      expect(last?.body).toBeUndefined();
      expect(last?.headers['content-type']).toBeUndefined();
    });

    it('request before login fails locally', async () => {
      await expect(clientFor('robot').request('GET', '/x')).rejects.toMatchObject({
        code: 'NOT_LOGGED_IN',
      });
      expect(platform.requests).toHaveLength(0);
    });

    it('request needs an absolute path', async () => {
      const { client } = await loggedIn();
      await expect(client.request('GET', 'base_api/v1/x')).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
      });
    });

    it('logout posts the bearer, ends the session and forgets the token', async () => {
      const { client } = await loggedIn('locker');
      const token = client.token;
      await client.logout();
      const last = platform.requests.at(-1);
      expect(last).toMatchObject({ method: 'POST', path: '/base_api/v1/auth/locker/logout' });
      expect(last?.headers['authorization']).toBe(`Bearer ${token}`);
      expect(platform.sessions.size).toBe(0);
      expect(client.token).toBeUndefined();
      await expect(client.request('GET', '/x')).rejects.toMatchObject({ code: 'NOT_LOGGED_IN' });
    });

    it('logout without a session does nothing', async () => {
      await clientFor('robot').logout();
      expect(platform.requests).toHaveLength(0);
    });

    it('a revoked token surfaces as 401', async () => {
      const { client } = await loggedIn();
      platform.sessions.clear();
      await expect(client.request('GET', '/x')).rejects.toMatchObject({ status: 401 });
    });

    it('token can be set from an earlier session', async () => {
      const { client } = await loggedIn();
      const again = new DeviceClient({
        baseUrl: BASE_URL,
        kind: 'robot',
        fetch: platform.fetch,
        token: client.token,
      });
      await expect(again.request('GET', '/x')).resolves.toMatchObject({ path: '/x' });
    });
  });

  describe('errors', () => {
    const respond =
      (response: () => Response): FetchLike =>
      async () =>
        response();

    it.each<[string, () => Response, Partial<DeviceClientError>]>([
      [
        'the platform error body',
        () =>
          Response.json(
            {
              statusCode: 403,
              code: 'INSUFFICIENT_PRIVILEGES',
              message: 'Insufficient privileges',
              requestId: 'rid-1',
            },
            { status: 403 },
          ),
        {
          status: 403,
          code: 'INSUFFICIENT_PRIVILEGES',
          message: 'Insufficient privileges',
          requestId: 'rid-1',
        },
      ],
      [
        'a validation error with a message list',
        () =>
          Response.json(
            {
              statusCode: 400,
              code: 'VALIDATION_FAILED',
              message: ['id must be a UUID', 'data is too long'],
            },
            { status: 400, headers: { 'x-request-id': 'rid-2' } },
          ),
        {
          status: 400,
          code: 'VALIDATION_FAILED',
          message: 'id must be a UUID; data is too long',
          requestId: 'rid-2',
        },
      ],
      [
        "the seed's FastAPI body",
        () => Response.json({ detail: 'Invalid credentials' }, { status: 401 }),
        { status: 401, code: 'HTTP_401', message: 'Invalid credentials', requestId: undefined },
      ],
      [
        'a gateway HTML page',
        () =>
          new Response('<html>502 Bad Gateway</html>', { status: 502, statusText: 'Bad Gateway' }),
        { status: 502, code: 'HTTP_502', message: '<html>502 Bad Gateway</html>' },
      ],
      [
        'an empty 429',
        () => new Response(null, { status: 429, statusText: 'Too Many Requests' }),
        { status: 429, code: 'HTTP_429', message: 'HTTP 429 Too Many Requests' },
      ],
      [
        'invalid JSON in a 200',
        () =>
          new Response('{oops', { status: 200, headers: { 'content-type': 'application/json' } }),
        { status: 200, code: 'UNEXPECTED_RESPONSE' },
      ],
    ])('parses %s', async (_name, response, expected) => {
      const client = clientFor('robot', respond(response));
      const error = await caught(client.loginWithSignature('id', ed25519.privateKey));
      expect(error).toBeInstanceOf(DeviceClientError);
      expect(error).toMatchObject(expected);
    });

    it('a network failure is NETWORK_ERROR (status 0)', async () => {
      const client = clientFor('robot', async () => {
        throw new TypeError('fetch failed');
      });
      await expect(client.loginWithSignature('id', ed25519.privateKey)).rejects.toMatchObject({
        status: 0,
        code: 'NETWORK_ERROR',
        message: expect.stringContaining('fetch failed'),
      });
    });

    it('a hung server is TIMEOUT', async () => {
      const hang: FetchLike = (_url, init) =>
        new Promise((_resolve, reject) => {
          init.signal?.addEventListener('abort', () => reject(init.signal?.reason));
        });
      const client = new DeviceClient({
        baseUrl: BASE_URL,
        kind: 'robot',
        fetch: hang,
        timeoutMs: 50,
      });
      await expect(client.loginWithSignature('id', ed25519.privateKey)).rejects.toMatchObject({
        status: 0,
        code: 'TIMEOUT',
      });
    });
  });
});
