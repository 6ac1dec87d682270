import { Global, Module, type Provider } from '@nestjs/common';
import { type TestingModuleBuilder } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import {
  createTestJwtIssuer,
  type TestJwtIssuer,
  type TestTokenClaims,
} from '@platform/auth/testing';
import { type HarnessOptions, type HttpHarness, startHttpHarness } from '../http-harness';
import {
  createIntegrationDatabase,
  type IntegrationDatabase,
  type ServiceDatabaseDefinition,
} from './integration-database';
import { claimIntegrationRedis, type IntegrationRedis } from './integration-redis';

/** What the spec's own Postgres database and Redis database are, for its overrides. */
export interface IntegrationPorts {
  database: IntegrationDatabase;
  redis: IntegrationRedis;
}

export interface IntegrationHttpOptions extends Omit<HarnessOptions, 'override' | 'keycloak'> {
  /**
   * Values the compiled modules take from the service's global core (e.g. its config class), in
   * place of PlatformCoreModule: provided and exported by a global module.
   */
  globals?: Provider[];
  /** Replaces the ports that stay external in this tier (other services, clocks). */
  override?: (builder: TestingModuleBuilder, ports: IntegrationPorts) => TestingModuleBuilder;
}

/** For integration specs: the service's real modules over HTTP, on storage of the spec's own. */
export interface IntegrationHttp extends HttpHarness, IntegrationPorts {
  /** The Keycloak stand-in the application trusts: sign the callers' tokens with it. */
  issuer: TestJwtIssuer;
  /**
   * Every row of the tables, as JSON, in a stable order: equal before and after a request that
   * changes nothing.
   */
  rows(...tables: string[]): Promise<Record<string, unknown[]>>;
  /** Runs `request` and expects the rows of `tables` to be as they were before it. */
  unchanged(tables: string[], request: () => Promise<void>): Promise<void>;
}

function globalModule(providers: Provider[]) {
  @Global()
  @Module({ providers, exports: providers })
  class IntegrationGlobals {}
  return IntegrationGlobals;
}

/**
 * The HTTP harness ({@link startHttpHarness}: real guard, pipe and filter) over the service's real
 * feature modules, which reach Postgres through TypeORM on a throwaway database migrated by the
 * service's real migrations ({@link createIntegrationDatabase}) and Redis on a logical database
 * claimed for this spec ({@link claimIntegrationRedis}). `close` stops the application and drops
 * both.
 */
export async function startIntegrationHttp(
  definition: ServiceDatabaseDefinition,
  options: IntegrationHttpOptions,
): Promise<IntegrationHttp> {
  const database = await createIntegrationDatabase(definition);
  let redis: IntegrationRedis | undefined;
  try {
    redis = await claimIntegrationRedis();
    const ports: IntegrationPorts = { database, redis };
    const issuer = await createTestJwtIssuer();
    const { globals = [], override, imports = [], ...harness } = options;
    const http = await startHttpHarness({
      ...harness,
      keycloak: issuer,
      imports: [
        TypeOrmModule.forRoot(database.dataSource.options),
        globalModule(globals),
        ...imports,
      ],
      override: (builder) => override?.(builder, ports) ?? builder,
    });
    const claimed = redis;
    const rows = async (...tables: string[]) => {
      const snapshot: Record<string, unknown[]> = {};
      for (const table of tables) {
        const found: { row: string }[] = await database.dataSource.query(
          `SELECT to_jsonb(t)::text AS row FROM ${table} t`,
        );
        snapshot[table] = found.map(({ row }) => row).sort();
      }
      return snapshot;
    };
    return {
      ...http,
      ...ports,
      issuer,
      rows,
      unchanged: async (tables, request) => {
        const before = await rows(...tables);
        await request();
        expect(await rows(...tables)).toEqual(before);
      },
      close: async () => {
        try {
          await http.close();
        } finally {
          await database.drop();
          await claimed.release();
        }
      },
    };
  } catch (error) {
    await database.drop();
    await redis?.release();
    throw error;
  }
}

/**
 * {@link startIntegrationHttp} for the spec file's tests: started before them all, with a token
 * signed for each caller in `callers` (by name), closed after them. `http` may be used in the
 * tests (not before `beforeAll` has run); `tokens` holds the callers' tokens by then.
 */
export function setUpIntegrationHttp<Caller extends string>(
  definition: ServiceDatabaseDefinition,
  options: IntegrationHttpOptions,
  callers: Record<Caller, TestTokenClaims>,
): { http: IntegrationHttp; tokens: Record<Caller, string> } {
  let started: IntegrationHttp | undefined;
  const tokens = {} as Record<Caller, string>;
  beforeAll(async () => {
    started = await startIntegrationHttp(definition, options);
    for (const [name, claims] of Object.entries<TestTokenClaims>(callers)) {
      tokens[name as Caller] = await started.issuer.sign(claims);
    }
  });
  afterAll(() => started?.close());
  const http = new Proxy({} as IntegrationHttp, {
    get: (_target, key: keyof IntegrationHttp) => {
      if (!started) throw new Error(`integration HTTP: ${String(key)} used before beforeAll`);
      return started[key];
    },
  });
  return { http, tokens };
}
