import { Controller, Get, type INestApplication, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { PlatformExceptionFilter } from '@platform/errors';
import { Public, Roles } from './auth-policy';
import { createTestJwtIssuer, testAuthProviders, type TestJwtIssuer } from './testing';

@Controller()
class ProbeController {
  @Get('open')
  @Public()
  open(): string {
    return 'open';
  }

  @Get('admin')
  @Roles('admin')
  admin(): string {
    return 'admin';
  }

  @Get('forgotten')
  forgotten(): string {
    return 'should never be reached';
  }
}

describe('PlatformAuthGuard', () => {
  let issuer: TestJwtIssuer;
  let app: INestApplication;
  let url: string;

  beforeAll(async () => {
    issuer = await createTestJwtIssuer();
    @Module({
      controllers: [ProbeController],
      // No device-session verifier: a device route must then refuse every token.
      providers: testAuthProviders({ keycloak: issuer, deviceSessions: false }),
    })
    class ProbeModule {}
    const moduleRef = await Test.createTestingModule({ imports: [ProbeModule] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    app.useGlobalFilters(new PlatformExceptionFilter());
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
  });

  afterAll(async () => {
    await app.close();
  });

  async function get(path: string, authorization?: string): Promise<[number, string]> {
    const response = await fetch(
      `${url}${path}`,
      authorization ? { headers: { authorization } } : {},
    );
    const body = (await response.json()) as { code?: string };
    return [response.status, body.code ?? JSON.stringify(body)];
  }

  it.each<[string, () => Promise<string | undefined>, number, string]>([
    ['no token', async () => undefined, 401, 'MISSING_BEARER_TOKEN'],
    [
      'another scheme',
      async () => `Basic ${await issuer.sign({ roles: ['admin'] })}`,
      401,
      'MISSING_BEARER_TOKEN',
    ],
    ['garbage', async () => 'Bearer not-a-jwt', 401, 'INVALID_TOKEN'],
    [
      'another issuer',
      async () =>
        `Bearer ${await issuer.sign({ roles: ['admin'], issuer: 'http://evil/realms/platform' })}`,
      401,
      'INVALID_TOKEN',
    ],
    [
      'another audience',
      async () => `Bearer ${await issuer.sign({ roles: ['admin'], audience: 'account' })}`,
      401,
      'INVALID_TOKEN',
    ],
    [
      'expired',
      async () => `Bearer ${await issuer.sign({ roles: ['admin'], expiresInSeconds: -60 })}`,
      401,
      'TOKEN_EXPIRED',
    ],
    [
      'no admin role',
      async () => `Bearer ${await issuer.sign({ roles: ['passenger'] })}`,
      403,
      'INSUFFICIENT_ROLE',
    ],
  ])('refuses an admin route with %s', async (_, header, status, code) => {
    expect(await get('/admin', await header())).toEqual([status, code]);
  });

  it('lets an admin in', async () => {
    const response = await fetch(`${url}/admin`, {
      headers: { authorization: `Bearer ${await issuer.sign({ roles: ['admin'] })}` },
    });
    expect(response.status).toBe(200);
  });

  it('lets anyone into a public route', async () => {
    expect((await fetch(`${url}/open`)).status).toBe(200);
  });

  it('refuses a route that declares no policy, even to an admin', async () => {
    expect(await get('/forgotten', `Bearer ${await issuer.sign({ roles: ['admin'] })}`)).toEqual([
      403,
      'NO_AUTH_POLICY',
    ]);
  });
});
