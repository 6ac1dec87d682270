import { randomUUID } from 'node:crypto';
import { Controller, Global, type INestApplication, Logger, Module, Post } from '@nestjs/common';
import { Test, type TestingModuleBuilder } from '@nestjs/testing';
import { getRepositoryToken } from '@nestjs/typeorm';
import { DEVICE_SESSION_VERIFIER, DeviceAuth, RedisDeviceSessionVerifier } from '@platform/auth';
import { DeviceClient, type DeviceKeyPair } from '@platform/device-client';
import { RateLimiter } from '@platform/rate-limit';
import { configureHttp } from '@platform/runtime';
import {
  createTestJwtIssuer,
  testAuthProviders,
  type TestJwtIssuer,
  untouched,
} from '@platform/testing';
import { FaceClient } from '../common/remote/face.client';
import { StoreDirectoryClient } from '../common/remote/store-directory.client';
import { CardKeyHasher } from '../engineers/auth-card';
import { EngineerCredentialsService } from '../engineers/engineer-credentials.service';
import { AuthCardEntity } from '../engineers/entities/auth-card.entity';
import { EngineerEntity } from '../engineers/entities/engineer.entity';
import { DeviceAuthModule } from './device-auth.module';
import { DEVICE_AUTH_STORE } from './device-auth.store';
import { DeviceRepository } from './device.repository';
import { DEVICE_AUTH_CLOCK } from './device-sessions.service';
import { DeviceEntity } from './entities/device.entity';
import { deviceAuthTestbed, type DeviceAuthTestbed } from './testing/device-auth-testbed';

/**
 * The device-auth controllers over real HTTP, behind the platform's real guard, validation pipe
 * and error filter, driven by the reference device client. What is compiled is the production
 * DeviceAuthModule (its providers, its imports, the global verifier it exports); only its
 * external ports are replaced: Redis (the store and the rate limiter) and Postgres (the device
 * repository) by the in-memory fakes that the contract specs hold to the real ones, the engineers'
 * credentials and the store service by the test bed's fakes, and the clock by the fakes' clock.
 * The TypeORM repositories behind them must stay unused. As in production, the guard is
 * registered by one module (as the global AuthModule does) and the verifier comes from another.
 */
function overrideDeviceAuthPorts(bed: DeviceAuthTestbed) {
  return (builder: TestingModuleBuilder): TestingModuleBuilder =>
    builder
      .overrideProvider(DEVICE_AUTH_STORE)
      .useValue(bed.store)
      .overrideProvider(RateLimiter)
      .useValue(bed.rateLimiter)
      .overrideProvider(DEVICE_AUTH_CLOCK)
      .useValue(() => bed.store.now)
      .overrideProvider(DeviceRepository)
      .useValue(bed.devices)
      .overrideProvider(EngineerCredentialsService)
      .useValue(bed.engineers)
      .overrideProvider(StoreDirectoryClient)
      .useValue(bed.stores)
      .overrideProvider(FaceClient)
      .useValue(untouched('FaceClient'))
      .overrideProvider(CardKeyHasher)
      .useValue(untouched('CardKeyHasher'))
      .overrideProvider(getRepositoryToken(DeviceEntity))
      .useValue(untouched('Repository<DeviceEntity>'))
      .overrideProvider(getRepositoryToken(EngineerEntity))
      .useValue(untouched('Repository<EngineerEntity>'))
      .overrideProvider(getRepositoryToken(AuthCardEntity))
      .useValue(untouched('Repository<AuthCardEntity>'));
}

function guardModule(issuer: TestJwtIssuer) {
  // The verifier comes from another, global module, as in production.
  @Module({ providers: testAuthProviders({ keycloak: issuer, deviceSessions: false }) })
  class GuardModule {}
  return GuardModule;
}

async function start(
  imports: NonNullable<Parameters<typeof Module>[0]>['imports'],
  controllers: NonNullable<Parameters<typeof Module>[0]>['controllers'] = [],
  override: (builder: TestingModuleBuilder) => TestingModuleBuilder = (builder) => builder,
) {
  const moduleRef = await override(Test.createTestingModule({ imports, controllers })).compile();
  const app: INestApplication = moduleRef.createNestApplication({ logger: false });
  (app.getHttpAdapter().getInstance() as { set(name: string, value: string): void }).set(
    'trust proxy',
    'loopback',
  );
  configureHttp(app, { apiPrefix: 'base_api' });
  await app.listen(0, '127.0.0.1');
  return { app, url: await app.getUrl() };
}

describe('device auth over HTTP', () => {
  let issuer: TestJwtIssuer;
  let bed: DeviceAuthTestbed;
  let app: INestApplication;
  let url: string;
  let rsa: DeviceKeyPair;
  let ed: DeviceKeyPair;
  let address = 0;
  /** Every test comes from its own client address (X-Forwarded-For behind a loopback proxy). */
  let from: string;

  const engineer = { engineerLogin: 'eng', engineerPassword: 'engineer-password' };

  beforeAll(async () => {
    Logger.overrideLogger(false);
    [issuer, rsa, ed] = await Promise.all([
      createTestJwtIssuer(),
      DeviceClient.generateKeyPair('rsa-2048'),
      DeviceClient.generateKeyPair('ed25519'),
    ]);
    bed = deviceAuthTestbed({ registerPerMinute: 1000 });
    bed.engineers.engineers.push({
      id: randomUUID(),
      login: engineer.engineerLogin,
      password: engineer.engineerPassword,
      privileges: 15,
    });
    ({ app, url } = await start(
      [guardModule(issuer), DeviceAuthModule.forRoot(bed.settings)],
      [],
      overrideDeviceAuthPorts(bed),
    ));
  });

  afterAll(async () => {
    await app.close();
  });

  beforeEach(() => {
    address++;
    from = `198.51.100.${address}`;
  });

  function client(kind: 'robot' | 'store' | 'locker' = 'robot'): DeviceClient {
    return new DeviceClient({
      baseUrl: url,
      kind,
      fetch: (input, init) =>
        fetch(input, {
          ...init,
          headers: { ...(init.headers as Record<string, string>), 'x-forwarded-for': from },
        }),
    });
  }

  async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(`${url}/base_api/v1${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': from, ...headers },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: (text ? JSON.parse(text) : {}) as Record<string, unknown>,
    };
  }

  async function registerRobot(keys: DeviceKeyPair, serial = `SN-${randomUUID()}`) {
    return client().register({
      ...engineer,
      publicKeyPem: keys.publicKeyPem,
      robotModelId: serial,
      robotModelName: 'TestRobot:0.1.0',
    });
  }

  it('provisions an RSA robot and logs it in with a challenge; logout ends the session', async () => {
    const { deviceId, response } = await registerRobot(rsa, 'SN-HTTP-1');
    expect(response).toEqual({
      id: deviceId,
      robot_model_id: 'SN-HTTP-1',
      robot_model_name: 'TestRobot:0.1.0',
    });
    const robot = client();
    await robot.loginWithChallenge(deviceId, rsa.privateKey);
    await expect(robot.request('GET', '/base_api/v1/auth/robot/session')).resolves.toEqual({
      id: deviceId,
      kind: 'robot',
      session_id: expect.any(String),
      privileges: 0,
    });
    const token = robot.token;
    await robot.logout();
    const after = new DeviceClient({ baseUrl: url, kind: 'robot', token });
    await expect(after.request('GET', '/base_api/v1/auth/robot/session')).rejects.toMatchObject({
      status: 401,
      code: 'INVALID_SESSION',
    });
  });

  it('logs an Ed25519 robot in with a signature; challenge mode gets a decoy', async () => {
    const { deviceId } = await registerRobot(ed);
    const robot = client();
    await robot.loginWithSignature(deviceId, ed.privateKey);
    await expect(robot.request('GET', '/base_api/v1/auth/robot/session')).resolves.toMatchObject({
      id: deviceId,
    });
    const decoy = await post('/auth/robot/login', { id: deviceId });
    expect(decoy.status).toBe(200);
    expect(Object.keys(decoy.body)).toEqual(['request_id', 'data']);
    expect(decoy.body['data']).toHaveLength(344);
  });

  it('refuses a robot session at a store-only route with 403 WRONG_DEVICE_KIND', async () => {
    const { deviceId } = await registerRobot(ed);
    const robot = client();
    await robot.loginWithSignature(deviceId, ed.privateKey);
    await expect(robot.request('GET', '/base_api/v1/auth/store/session')).rejects.toMatchObject({
      status: 403,
      code: 'WRONG_DEVICE_KIND',
    });
    await expect(robot.request('POST', '/base_api/v1/auth/store/logout')).rejects.toMatchObject({
      status: 403,
      code: 'WRONG_DEVICE_KIND',
    });
  });

  it('answers every failed login step with the same 401 INVALID_CREDENTIALS body', async () => {
    const { deviceId } = await registerRobot(rsa);
    const issued = await post('/auth/robot/login', { id: deviceId });
    const wrong = await post('/auth/robot/login_code', {
      request_id: issued.body['request_id'],
      data: 'A'.repeat(100),
    });
    const unknown = await post('/auth/robot/login_signature', {
      request_id: randomUUID(),
      signature: 'AAAA',
    });
    for (const failure of [wrong, unknown]) {
      expect(failure.status).toBe(401);
      expect(Object.keys(failure.body).sort()).toEqual([
        'code',
        'detail',
        'message',
        'requestId',
        'statusCode',
      ]);
      expect(failure.body).toMatchObject({
        code: 'INVALID_CREDENTIALS',
        message: 'Invalid credentials',
      });
    }
  });

  it('answers 429 RATE_LIMITED with Retry-After once a device id is over its limit', async () => {
    const id = randomUUID();
    for (let i = 0; i < 10; i++) {
      expect((await post('/auth/robot/nonce', { id })).status).toBe(200);
    }
    const limited = await post('/auth/robot/nonce', { id });
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({
      code: 'RATE_LIMITED',
      details: { retryAfterSeconds: 60 },
    });
    expect(limited.headers.get('retry-after')).toBe('60');
  });

  it('counts a device id in either letter case against one per-device limit', async () => {
    const id = randomUUID();
    for (let i = 0; i < 10; i++) {
      const spelled = i % 2 === 0 ? id.toUpperCase() : id;
      expect((await post('/auth/robot/nonce', { id: spelled })).status).toBe(200);
    }
    expect((await post('/auth/robot/nonce', { id: id.toUpperCase() })).status).toBe(429);
  });

  it('registers a locker whose id is typed in upper case under its lower-case id', async () => {
    const lockerId = randomUUID();
    bed.stores.available = true; // asked whether the id is a store's
    const registered = await post('/auth/locker/new_login', {
      login: engineer.engineerLogin,
      password: engineer.engineerPassword,
      public_key: ed.publicKeyPem,
      locker_id: lockerId.toUpperCase(),
    });
    expect([registered.status, registered.body]).toEqual([
      200,
      { id: lockerId, locker_id: lockerId },
    ]);
  });

  it('keys the address limit on X-Forwarded-For as the trusted proxy passes it', async () => {
    for (let i = 0; i < bed.settings.loginPerAddressPerMinute; i++) {
      await post('/auth/locker/nonce', { id: randomUUID() });
    }
    expect((await post('/auth/locker/nonce', { id: randomUUID() })).status).toBe(429);
    from = '198.51.100.250';
    expect((await post('/auth/locker/nonce', { id: randomUUID() })).status).toBe(200);
  });

  it.each<[string, string, unknown, number, string]>([
    ['an unknown kind', '/auth/drone/login', { id: randomUUID() }, 404, 'NOT_FOUND'],
    ['a non-UUID device id', '/auth/robot/login', { id: 'robot-1' }, 400, 'VALIDATION_FAILED'],
    ['an extra field', '/auth/robot/nonce', { id: randomUUID(), x: 1 }, 400, 'VALIDATION_FAILED'],
    [
      'a non-UUID request id',
      '/auth/robot/login_code',
      { request_id: 'x', data: 'y' },
      400,
      'VALIDATION_FAILED',
    ],
    [
      'a non-UUID store id',
      '/auth/store/new_login',
      { login: 'eng', password: 'p', public_key: 'k', store_id: 'x' },
      400,
      'VALIDATION_FAILED',
    ],
  ])('refuses %s', async (_name, path, body, status, code) => {
    const response = await post(path, body);
    expect([response.status, response.body['code']]).toEqual([status, code]);
  });

  it('refuses a bad key at registration with the lib code', async () => {
    const response = await post('/auth/robot/new_login', {
      login: engineer.engineerLogin,
      password: engineer.engineerPassword,
      public_key: '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----',
      robot_model_id: 'SN-BAD',
      robot_model_name: 'x',
    });
    expect([response.status, response.body['code']]).toEqual([400, 'INVALID_PUBLIC_KEY']);
  });

  describe('admin routes', () => {
    it('refuse callers without a token (401) or without the admin role (403)', async () => {
      const passenger = await issuer.sign({ roles: ['passenger'] });
      for (const [method, path] of [
        ['GET', '/admin/devices'],
        ['GET', '/admin/robots'],
        ['DELETE', `/admin/robots/${randomUUID()}`],
        ['DELETE', `/admin/devices/${randomUUID()}`],
        ['POST', `/admin/devices/${randomUUID()}/disable`],
        ['POST', `/admin/devices/${randomUUID()}/enable`],
        ['PUT', `/admin/devices/${randomUUID()}/public_key`],
      ] as const) {
        const anonymous = await fetch(`${url}/base_api/v1${path}`, { method });
        expect([path, anonymous.status]).toEqual([path, 401]);
        const forbidden = await fetch(`${url}/base_api/v1${path}`, {
          method,
          headers: { authorization: `Bearer ${passenger}` },
        });
        expect([path, forbidden.status]).toEqual([path, 403]);
      }
    });

    it('disable ends the sessions at once; enable lets the device log in again', async () => {
      const admin = { authorization: `Bearer ${await issuer.sign({ roles: ['admin'] })}` };
      const { deviceId } = await registerRobot(ed);
      const robot = client();
      await robot.loginWithSignature(deviceId, ed.privateKey);
      const disabled = await post(`/admin/devices/${deviceId}/disable`, {}, admin);
      expect(disabled.body).toMatchObject({ id: deviceId, disabled: true });
      await expect(robot.request('GET', '/base_api/v1/auth/robot/session')).rejects.toMatchObject({
        status: 401,
      });
      await expect(robot.loginWithSignature(deviceId, ed.privateKey)).rejects.toMatchObject({
        status: 401,
        code: 'INVALID_CREDENTIALS',
      });
      await post(`/admin/devices/${deviceId}/enable`, {}, admin);
      await expect(robot.loginWithSignature(deviceId, ed.privateKey)).resolves.toBeDefined();
    });

    it('revokes, in Redis too, a session that logged in with the id in upper case', async () => {
      const admin = { authorization: `Bearer ${await issuer.sign({ roles: ['admin'] })}` };
      const { deviceId } = await registerRobot(rsa);
      const robot = client();
      const token = await robot.loginWithChallenge(deviceId.toUpperCase(), rsa.privateKey);
      await expect(robot.request('GET', '/base_api/v1/auth/robot/session')).resolves.toMatchObject({
        id: deviceId,
      });
      await post(`/admin/devices/${deviceId}/disable`, {}, admin);
      // Other services check device sessions in Redis only: the revocation must have ended it there.
      const redisOnly = new RedisDeviceSessionVerifier(bed.store, () => bed.store.now);
      await expect(redisOnly.touch(token)).resolves.toBeNull();
    });
  });
});

describe('DEVICE_SESSION_VERIFIER resolution by the global guard', () => {
  @Controller('probe')
  class ProbeController {
    @Post()
    @DeviceAuth('robot')
    probe(): string {
      return 'ok';
    }
  }

  const verifier = {
    verify: async () => ({
      type: 'device' as const,
      deviceId: 'd',
      kind: 'robot',
      privileges: 0,
      sessionId: 's',
    }),
  };

  it.each<[string, boolean, number]>([
    ['a @Global module', true, 201],
    ['a plain module (the guard cannot see it)', false, 500],
  ])('a verifier exported by %s (global: %s) → %i', async (_name, global, status) => {
    const issuer = await createTestJwtIssuer();
    @Module({
      providers: [{ provide: DEVICE_SESSION_VERIFIER, useValue: verifier }],
      exports: [DEVICE_SESSION_VERIFIER],
    })
    class VerifierModule {}
    if (global) Global()(VerifierModule);
    const { app, url } = await start([guardModule(issuer), VerifierModule], [ProbeController]);
    try {
      const response = await fetch(`${url}/base_api/v1/probe`, {
        method: 'POST',
        headers: { authorization: 'Bearer x' },
      });
      expect(response.status).toBe(status);
    } finally {
      await app.close();
    }
  });
});
