import { type DynamicModule } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import { ConfigValidationError, PlatformConfig } from '@platform/config';
import { RPC_CLIENT_PROXY } from '@platform/messaging';
import { REDIS_CONNECTION } from '@platform/runtime';

/** Every variable the platform's config requires, with valid values (no service's own). */
export const PLATFORM_TEST_ENV: Readonly<Record<string, string>> = Object.freeze({
  HTTP_PORT: '3999',
  DATABASE_HOST: '127.0.0.1',
  DATABASE_NAME: 'platform',
  DATABASE_USER: 'svc_test',
  DATABASE_PASSWORD: 'test-password',
  REDIS_HOST: '127.0.0.1',
  KEYCLOAK_ISSUER: 'http://127.0.0.1:8080/keycloak/realms/platform',
  KEYCLOAK_JWKS_URL: 'http://127.0.0.1:8080/keycloak/realms/platform/protocol/openid-connect/certs',
  KEYCLOAK_AUDIENCE: 'platform-api',
  LOG_LEVEL: 'silent',
});

/**
 * Compiles a service's root module with its external ports (the Postgres data source, Redis and
 * the RPC transport) replaced by inert stand-ins, so a spec proves the wiring resolves without
 * a running stack. Nothing connects: the stand-ins answer no queries.
 */
export function compileServiceModule(rootModule: DynamicModule): Promise<TestingModule> {
  const inert = {
    quit: async () => 'OK',
    disconnect: () => undefined,
    close: async () => undefined,
  };
  return (
    Test.createTestingModule({ imports: [rootModule] })
      .overrideProvider(getDataSourceToken())
      // Repositories are made from it at compile time; none is used.
      .useValue({
        options: {},
        entityMetadatas: [],
        getRepository: () => ({}),
        destroy: async () => undefined,
      })
      .overrideProvider(REDIS_CONNECTION)
      .useValue(inert)
      .overrideProvider(RPC_CLIENT_PROXY)
      .useValue(inert)
      .compile()
  );
}

export interface ServiceSkeletonSpec<C extends PlatformConfig> {
  service: string;
  /** The service's own variables, next to PLATFORM_TEST_ENV. */
  env?: Readonly<Record<string, string>>;
  loadConfig: (env: NodeJS.ProcessEnv) => C;
  rootModule: (config: C) => DynamicModule;
  /** Bad environments of the service's own, next to the platform's. */
  refusals?: readonly [what: string, change: Record<string, string | undefined>][];
  /** What the compiled module must provide beyond the platform's config. */
  compiled?: (moduleRef: TestingModule, config: C) => void;
}

const PLATFORM_REFUSALS: readonly [string, Record<string, string | undefined>][] = [
  ['a missing database host', { DATABASE_HOST: undefined }],
  ['a port out of range', { HTTP_PORT: '70000' }],
  ['an issuer that is no URL', { KEYCLOAK_ISSUER: 'keycloak' }],
];

/** Every service's first spec: its config loads and refuses bad values; its root module compiles. */
export function describeServiceSkeleton<C extends PlatformConfig>(
  spec: ServiceSkeletonSpec<C>,
): void {
  const env = { ...PLATFORM_TEST_ENV, ...spec.env };
  describe(`${spec.service} skeleton`, () => {
    it('loads its config from the environment', () => {
      expect(spec.loadConfig(env).serviceName).toBe(spec.service);
    });

    it.each([...PLATFORM_REFUSALS, ...(spec.refusals ?? [])])('refuses %s', (_what, change) => {
      expect(() => spec.loadConfig({ ...env, ...change })).toThrow(ConfigValidationError);
    });

    it('compiles its root module', async () => {
      const config = spec.loadConfig(env);
      const moduleRef = await compileServiceModule(spec.rootModule(config));
      expect(moduleRef.get(PlatformConfig)).toBe(config);
      spec.compiled?.(moduleRef, config);
      await moduleRef.close();
    });
  });
}
