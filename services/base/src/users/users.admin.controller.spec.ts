import {
  createTestJwtIssuer,
  type HttpHarness,
  recorder,
  startHttpHarness,
} from '@platform/testing';
import { UsersAdminController } from './users.admin.controller';
import { UsersService } from './users.service';

const ID = '3f2b8c1e-4d5a-4b6c-8d7e-9f0a1b2c3d4e';
const FACE = 'aGVsbG8=';

describe('UsersAdminController over HTTP', () => {
  let http: HttpHarness;
  let users: UsersService & { calls: string[] };
  let admin: string;
  let passenger: string;

  beforeAll(async () => {
    const issuer = await createTestJwtIssuer();
    users = recorder<UsersService>({
      create: { id: ID, name: 'Anna', email: null, keycloakSubject: null, createdAt: new Date() },
      list: { items: [], total: 0, page: 1, size: 50, pages: 0 },
      remove: undefined,
      setFace: undefined,
      deleteFace: undefined,
    });
    http = await startHttpHarness({
      apiPrefix: 'base_api',
      controllers: [UsersAdminController],
      providers: [{ provide: UsersService, useValue: users }],
      keycloak: issuer,
    });
    [admin, passenger] = await Promise.all([
      issuer.sign({ roles: ['admin'] }),
      issuer.sign({ roles: ['passenger'] }),
    ]);
  });

  afterAll(() => http.close());
  beforeEach(() => users.calls.splice(0));

  const routes: [string, string, unknown?][] = [
    ['POST', '/admin/user', { name: 'Anna' }],
    ['GET', '/admin/users', undefined],
    ['DELETE', `/admin/users/${ID}`, undefined],
    ['PATCH', `/admin/user/${ID}/face`, { face: FACE }],
    ['DELETE', `/admin/user/face?user_id=${ID}`, undefined],
  ];

  it.each(routes)(
    '%s %s refuses no token (401) and a non-admin (403)',
    async (method, path, body) => {
      expect((await http.call(method, path, { body }))[0]).toBe(401);
      expect((await http.call(method, path, { body, token: passenger }))[0]).toBe(403);
      expect(users.calls).toEqual([]);
    },
  );

  it('answers the seed shapes with 200', async () => {
    expect(
      await http.call('POST', '/admin/user', { token: admin, body: { name: ' Anna ' } }),
    ).toEqual([200, { id: ID, name: 'Anna' }]);
    expect(await http.call('DELETE', `/admin/users/${ID}`, { token: admin })).toEqual([
      200,
      { status: 'OK' },
    ]);
    expect((await http.call('GET', '/admin/users?page=2&size=10', { token: admin }))[0]).toBe(200);
  });

  it.each<[string, string, unknown?]>([
    ['POST', '/admin/user', {}],
    ['POST', '/admin/user', { name: '' }],
    ['POST', '/admin/user', { name: '    ' }],
    ['POST', '/admin/user', { name: 'x'.repeat(257) }],
    ['POST', '/admin/user', { name: 42 }],
    ['POST', '/admin/user', { name: 'Anna', role: 'admin' }],
    ['POST', '/admin/user', { name: 'Anna', face: 'not base64!' }],
    ['POST', '/admin/user', '{"name": '],
    ['GET', '/admin/users?page=0', undefined],
    ['GET', '/admin/users?size=101', undefined],
    ['GET', '/admin/users?size=abc', undefined],
    ['DELETE', '/admin/users/42', undefined],
    ['DELETE', "/admin/users/1' OR '1'='1", undefined],
    ['PATCH', '/admin/user/not-a-uuid/face', { face: FACE }],
    ['PATCH', `/admin/user/${ID}/face`, {}],
    ['PATCH', `/admin/user/${ID}/face`, { face: FACE, extra: true }],
    ['DELETE', '/admin/user/face', undefined],
    ['DELETE', '/admin/user/face?user_id=abc', undefined],
  ])('%s %s with bad input is a 400 and changes nothing', async (method, path, body) => {
    const [status, answer] = await http.call(method, path, { token: admin, body });
    expect(status).toBe(400);
    expect(answer).toMatchObject({ statusCode: 400, code: expect.any(String) });
    expect(users.calls).toEqual([]);
  });
});
