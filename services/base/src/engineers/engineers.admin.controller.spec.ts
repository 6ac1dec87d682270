import {
  createTestJwtIssuer,
  type HttpHarness,
  recorder,
  startHttpHarness,
} from '@platform/testing';
import { EngineersAdminController } from './engineers.admin.controller';
import { EngineersService } from './engineers.service';

const ID = '3f2b8c1e-4d5a-4b6c-8d7e-9f0a1b2c3d4e';

describe('EngineersAdminController over HTTP', () => {
  let http: HttpHarness;
  let engineers: EngineersService & { calls: string[] };
  let admin: string;
  let operator: string;

  beforeAll(async () => {
    const issuer = await createTestJwtIssuer();
    engineers = recorder<EngineersService>({
      create: { id: ID, login: 'ivan', passwordHash: 'x', privileges: 0, createdAt: new Date() },
      list: { items: [], total: 0, page: 1, size: 50, pages: 0 },
      remove: undefined,
      setPrivileges: undefined,
      setAuthCard: undefined,
    });
    http = await startHttpHarness({
      apiPrefix: 'base_api',
      controllers: [EngineersAdminController],
      providers: [{ provide: EngineersService, useValue: engineers }],
      keycloak: issuer,
    });
    [admin, operator] = await Promise.all([
      issuer.sign({ roles: ['admin'] }),
      issuer.sign({ roles: ['operator'] }),
    ]);
  });

  afterAll(() => http.close());
  beforeEach(() => engineers.calls.splice(0));

  const routes: [string, string, unknown?][] = [
    ['POST', '/admin/engineer', { login: 'ivan', password: 'long enough' }],
    ['GET', '/admin/engineers', undefined],
    ['DELETE', `/admin/engineers/${ID}`, undefined],
    ['PUT', '/admin/engineer_privileges', { id: ID, privileges: ['ROBOT_LOGIN'] }],
    ['PUT', `/admin/engineer/${ID}/auth_card`, { key: '0xDE 0xAD' }],
  ];

  it.each(routes)(
    '%s %s refuses no token (401) and a non-admin (403)',
    async (method, path, body) => {
      expect((await http.call(method, path, { body }))[0]).toBe(401);
      expect((await http.call(method, path, { body, token: operator }))[0]).toBe(403);
      expect(engineers.calls).toEqual([]);
    },
  );

  it('creates an engineer without privileges and never echoes the password', async () => {
    const [status, body] = await http.call('POST', '/admin/engineer', {
      token: admin,
      body: { login: 'ivan', password: 'long enough' },
    });
    expect([status, body]).toEqual([200, { id: ID, login: 'ivan', privileges: [] }]);
  });

  it.each<[string, string, unknown?]>([
    ['PUT', '/admin/engineer_privileges', { id: ID, privileges: ['ROBOT_LOGIN'] }],
    ['PUT', '/admin/engineer_privileges', { id: ID, privileges: [] }],
    ['PUT', `/admin/engineer/${ID}/auth_card`, { key: null }],
    ['PUT', `/admin/engineer/${ID}/auth_card`, {}],
    ['PUT', `/admin/engineer/${ID}/auth_card`, { key: '' }],
  ])('%s %s %j is accepted', async (method, path, body) => {
    expect(await http.call(method, path, { token: admin, body })).toEqual([200, { status: 'OK' }]);
  });

  it.each<[string, string, unknown?]>([
    ['POST', '/admin/engineer', { login: 'ivan' }],
    ['POST', '/admin/engineer', { login: 'x'.repeat(61), password: 'long enough' }],
    ['POST', '/admin/engineer', { login: ' ivan', password: 'long enough' }],
    ['POST', '/admin/engineer', { login: 'ivan', password: 'short' }],
    ['POST', '/admin/engineer', { login: 'ivan', password: 'x'.repeat(257) }],
    ['POST', '/admin/engineer', { login: 'ivan', password: 'long enough', privileges: 15 }],
    ['DELETE', '/admin/engineers/abc', undefined],
    ['PUT', '/admin/engineer_privileges', { id: 'abc', privileges: [] }],
    ['PUT', '/admin/engineer_privileges', { id: ID, privileges: ['SUPERUSER'] }],
    ['PUT', '/admin/engineer_privileges', { id: ID, privileges: 7 }],
    ['PUT', '/admin/engineer_privileges', { id: ID }],
    ['PUT', '/admin/engineer/abc/auth_card', { key: '0x01' }],
    ['PUT', `/admin/engineer/${ID}/auth_card`, { key: 'x'.repeat(257) }],
    ['PUT', `/admin/engineer/${ID}/auth_card`, { key: 42 }],
  ])('%s %s with bad input is a 400 and changes nothing', async (method, path, body) => {
    expect((await http.call(method, path, { token: admin, body }))[0]).toBe(400);
    expect(engineers.calls).toEqual([]);
  });
});
