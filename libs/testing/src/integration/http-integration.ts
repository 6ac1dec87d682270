import { Global, Module, type Provider } from '@nestjs/common';
import { type TestingModuleBuilder } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
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

export interface IntegrationHttpOptions extends Omit<HarnessOptions, 'override'> {
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
  /**
   * Every row of the tables, as JSON, in a stable order: equal before and after a request that
   * changes nothing.
   */
  rows(...tables: string[]): Promise<Record<string, unknown[]>>;
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
    const { globals = [], override, imports = [], ...harness } = options;
    const http = await startHttpHarness({
      ...harness,
      imports: [
        TypeOrmModule.forRoot(database.dataSource.options),
        globalModule(globals),
        ...imports,
      ],
      override: (builder) => override?.(builder, ports) ?? builder,
    });
    const claimed = redis;
    return {
      ...http,
      ...ports,
      rows: async (...tables) => {
        const snapshot: Record<string, unknown[]> = {};
        for (const table of tables) {
          const rows: { row: string }[] = await database.dataSource.query(
            `SELECT to_jsonb(t)::text AS row FROM ${table} t`,
          );
          snapshot[table] = rows.map(({ row }) => row).sort();
        }
        return snapshot;
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
