import { ConfigValidationError, parseEnv } from './parse-env';
import { loadPlatformConfig, platformEnvSchema } from './platform-config';

const validEnv = {
  HTTP_PORT: '3001',
  DATABASE_HOST: '127.0.0.1',
  DATABASE_NAME: 'platform',
  DATABASE_USER: 'base',
  DATABASE_PASSWORD: 's3cret',
  REDIS_HOST: '127.0.0.1',
  KEYCLOAK_ISSUER: 'http://127.0.0.1:8080/keycloak/realms/platform',
  KEYCLOAK_JWKS_URL:
    'http://127.0.0.1:58080/keycloak/realms/platform/protocol/openid-connect/certs',
  KEYCLOAK_AUDIENCE: 'platform-api',
};

describe('parseEnv', () => {
  it('coerces numbers and applies defaults', () => {
    const env = parseEnv('base', platformEnvSchema, validEnv);
    expect(env.HTTP_PORT).toBe(3001);
    expect(env.DATABASE_PORT).toBe(5432);
    expect(env.RPC_TIMEOUT_MS).toBe(2000);
    expect(env.LOG_LEVEL).toBe('info');
  });

  it('lists every problem at once and never echoes values', () => {
    const env = {
      ...validEnv,
      HTTP_PORT: '99999',
      DATABASE_PASSWORD: '',
      KEYCLOAK_ISSUER: 'not a url',
    };
    let error: unknown;
    try {
      parseEnv('base', platformEnvSchema, env);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigValidationError);
    const { problems, message } = error as ConfigValidationError;
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^HTTP_PORT: /),
        'DATABASE_PASSWORD: required but not set',
        expect.stringMatching(/^KEYCLOAK_ISSUER: /),
      ]),
    );
    expect(message).toContain('Invalid configuration of base');
    expect(message).not.toContain('not a url');
  });

  it('trusts the gateway on loopback by default, or the proxies listed', () => {
    expect(loadPlatformConfig('base', validEnv).http.trustedProxies).toEqual(['loopback']);
    const listed = { ...validEnv, TRUSTED_PROXIES: 'loopback, 172.30.0.254,fd00::/8' };
    expect(loadPlatformConfig('base', listed).http.trustedProxies).toEqual([
      'loopback',
      '172.30.0.254',
      'fd00::/8',
    ]);
    for (const junk of ['nginx', '172.30.0.300', 'loopback,,']) {
      expect(() => loadPlatformConfig('base', { ...validEnv, TRUSTED_PROXIES: junk })).toThrow(
        /TRUSTED_PROXIES/,
      );
    }
  });

  it('allows no browser origin by default, or exactly the origins listed', () => {
    expect(loadPlatformConfig('base', validEnv).http.corsOrigins).toEqual([]);
    expect(
      loadPlatformConfig('base', { ...validEnv, CORS_ALLOWED_ORIGINS: '' }).http.corsOrigins,
    ).toEqual([]);
    const listed = {
      ...validEnv,
      CORS_ALLOWED_ORIGINS: 'https://app.example.com, http://localhost:5173',
    };
    expect(loadPlatformConfig('base', listed).http.corsOrigins).toEqual([
      'https://app.example.com',
      'http://localhost:5173',
    ]);
    for (const junk of ['*', 'https://app.example.com/', 'https://x.com/app', 'ftp://x.com', 'x']) {
      expect(() => loadPlatformConfig('base', { ...validEnv, CORS_ALLOWED_ORIGINS: junk })).toThrow(
        /CORS_ALLOWED_ORIGINS/,
      );
    }
  });

  it('builds a frozen PlatformConfig', () => {
    const config = loadPlatformConfig('base', validEnv);
    expect(config.database.username).toBe('base');
    expect(Object.isFrozen(config)).toBe(true);
  });
});
