import { Controller, Get, type INestApplication, Module, Req } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DomainError, PlatformExceptionFilter } from '@platform/errors';
import { AlsoAccepts, Public, Roles } from './auth-policy';
import { CREDENTIAL_VERIFIERS, type CredentialVerifier } from './platform-auth.guard';
import { type AuthenticatedRequest, type Principal } from './principal';
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

  @Get('keyed')
  @Roles('operator')
  @AlsoAccepts('api-key')
  keyed(@Req() request: AuthenticatedRequest): Principal | undefined {
    return request.principal;
  }

  @Get('forgotten')
  forgotten(): string {
    return 'should never be reached';
  }
}

/** A credential kind as a service would register it: keys `key_<name>`, only `key_good` valid. */
const apiKeys: CredentialVerifier = {
  kind: 'api-key',
  claims: (token) => token.startsWith('key_'),
  verify: async (token) => {
    if (token !== 'key_good') {
      throw new DomainError('unauthenticated', 'INVALID_API_KEY', 'Unknown or revoked API key');
    }
    return { type: 'credential', kind: 'api-key', id: 'k1', name: 'good' };
  },
};

describe('PlatformAuthGuard', () => {
  let issuer: TestJwtIssuer;
  let app: INestApplication;
  let url: string;

  beforeAll(async () => {
    issuer = await createTestJwtIssuer();
    @Module({
      controllers: [ProbeController],
      // No device-session verifier: a device route must then refuse every token.
      providers: [
        ...testAuthProviders({ keycloak: issuer, deviceSessions: false }),
        { provide: CREDENTIAL_VERIFIERS, useValue: [apiKeys] },
      ],
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

  describe('a @Roles route that @AlsoAccepts a service credential', () => {
    it('lets a valid credential in, with a credential principal', async () => {
      const response = await fetch(`${url}/keyed`, {
        headers: { authorization: 'Bearer key_good' },
      });
      expect([response.status, await response.json()]).toEqual([
        200,
        { type: 'credential', kind: 'api-key', id: 'k1', name: 'good' },
      ]);
    });

    it('still lets a Keycloak user with the role in', async () => {
      const token = await issuer.sign({ roles: ['operator'] });
      const response = await fetch(`${url}/keyed`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual(expect.objectContaining({ type: 'user' }));
    });

    it.each<[string, () => Promise<string | undefined>, number, string]>([
      ['no token', async () => undefined, 401, 'MISSING_BEARER_TOKEN'],
      ['an invalid credential', async () => 'Bearer key_revoked', 401, 'INVALID_API_KEY'],
      ['neither credential nor JWT', async () => 'Bearer something', 401, 'INVALID_TOKEN'],
      [
        'a user without the role',
        async () => `Bearer ${await issuer.sign({ roles: ['passenger'] })}`,
        403,
        'INSUFFICIENT_ROLE',
      ],
    ])('refuses %s', async (_, header, status, code) => {
      expect(await get('/keyed', await header())).toEqual([status, code]);
    });

    it('a route without @AlsoAccepts refuses the credential: 403, not a bad token (it is fine)', async () => {
      expect(await get('/admin', 'Bearer key_good')).toEqual([403, 'CREDENTIAL_NOT_ACCEPTED']);
    });
  });
});
