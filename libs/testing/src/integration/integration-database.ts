import { randomBytes } from 'node:crypto';
import {
  MIGRATION_DEADLINES,
  type MigrationReport,
  postgresOptions,
  runMigrations,
  type ServiceDatabaseOptions,
} from '@platform/database';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { stackVariable, unreachable } from './stack-environment';

/** What `services/<svc>/src/database/database-definition.ts` exports. */
export type ServiceDatabaseDefinition = Pick<
  ServiceDatabaseOptions,
  'schema' | 'entities' | 'migrations'
>;

export interface IntegrationDatabase {
  /** The throwaway database, `platform_it_<pid>_<random>`. */
  readonly name: string;
  /** Connected as the service's own role, after the service's migrations. */
  readonly dataSource: DataSource;
  /** The migrations that ran, oldest first. */
  readonly appliedMigrations: readonly string[];
  /** Runs the pending migrations again, as the service's migrate command does (its deadlines). */
  migrate(): Promise<MigrationReport>;
  /** Closes the connection and drops the database. */
  drop(): Promise<void>;
}

export interface IntegrationDatabaseOptions {
  /** Run the service's migrations before answering (default true). */
  migrated?: boolean;
}

const DATABASE_PREFIX = 'platform_it_';

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function connectAsSuperuser(database: string): Promise<Client> {
  const host = stackVariable('DATABASE_HOST');
  const port = Number(stackVariable('DATABASE_PORT'));
  const client = new Client({
    host,
    port,
    database,
    user: stackVariable('DATABASE_SUPERUSER'),
    password: stackVariable('DATABASE_SUPERUSER_PASSWORD'),
    connectionTimeoutMillis: 5000,
    application_name: 'integration-tier',
  });
  try {
    await client.connect();
  } catch (error) {
    throw unreachable('Postgres', `${host}:${port}`, error);
  }
  return client;
}

/** Databases left by runs that died before dropping theirs (their process is gone). */
async function dropOrphanedDatabases(admin: Client): Promise<void> {
  const { rows } = await admin.query<{ datname: string }>(
    'SELECT datname FROM pg_database WHERE starts_with(datname, $1)',
    [DATABASE_PREFIX],
  );
  for (const { datname } of rows) {
    const pid = Number(datname.slice(DATABASE_PREFIX.length).split('_')[0]);
    if (Number.isInteger(pid) && !isProcessAlive(pid)) {
      await admin.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(datname)} WITH (FORCE)`);
    }
  }
}

/**
 * The layout scripts/db/init-roles.sh gives the platform database, for one service in a database
 * of its own: only the service's role may connect, it owns its schema, nobody uses `public`.
 */
async function prepareServiceSchema(name: string, role: string): Promise<void> {
  const client = await connectAsSuperuser(name);
  try {
    await client.query('SET client_min_messages = warning');
    await client.query('REVOKE ALL ON SCHEMA public FROM PUBLIC');
    await client.query(
      `CREATE SCHEMA ${quoteIdentifier(role)} AUTHORIZATION ${quoteIdentifier(role)}`,
    );
  } finally {
    await client.end();
  }
}

/**
 * A database of the running stack's Postgres that exists for one spec file: created as the
 * superuser, laid out like the platform database for the service's role (role = schema, as in
 * services/services.tsv), migrated with the service's real migrations through `runMigrations`
 * as that role, and dropped afterwards. The services' own `platform` database is never touched,
 * so integration specs can write, truncate and race freely.
 */
export async function createIntegrationDatabase(
  definition: ServiceDatabaseDefinition,
  { migrated = true }: IntegrationDatabaseOptions = {},
): Promise<IntegrationDatabase> {
  const role = definition.schema;
  const name = `${DATABASE_PREFIX}${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = await connectAsSuperuser('postgres');
  try {
    await dropOrphanedDatabases(admin);
    await admin.query(`CREATE DATABASE ${quoteIdentifier(name)}`);
    await admin.query(`REVOKE ALL ON DATABASE ${quoteIdentifier(name)} FROM PUBLIC`);
    await admin.query(
      `GRANT CONNECT ON DATABASE ${quoteIdentifier(name)} TO ${quoteIdentifier(role)}`,
    );
  } finally {
    await admin.end();
  }

  const drop = async (dataSource?: DataSource): Promise<void> => {
    if (dataSource?.isInitialized) await dataSource.destroy();
    const cleaner = await connectAsSuperuser('postgres');
    try {
      await cleaner.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`);
    } finally {
      await cleaner.end();
    }
  };

  try {
    await prepareServiceSchema(name, role);
    const connection = {
      ...definition,
      database: {
        host: stackVariable('DATABASE_HOST'),
        port: Number(stackVariable('DATABASE_PORT')),
        database: name,
        username: role,
        password: stackVariable(`DB_PASSWORD_${role.toUpperCase()}`),
        poolSize: 4,
      },
      applicationName: `${role}-integration`,
    };
    const migrate = () =>
      runMigrations(postgresOptions({ ...connection, deadlines: MIGRATION_DEADLINES }));
    const report = migrated ? await migrate() : { applied: [] };
    const dataSource = await new DataSource(postgresOptions(connection)).initialize();
    return {
      name,
      dataSource,
      appliedMigrations: report.applied,
      migrate,
      drop: () => drop(dataSource),
    };
  } catch (error) {
    await drop();
    throw error;
  }
}
