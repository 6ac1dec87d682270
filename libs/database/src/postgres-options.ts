import { type DatabaseConfig } from '@platform/config';
import { type DataSourceOptions } from 'typeorm';

/** Entity and migration classes are listed explicitly, never found by glob. */
type ClassList = NewableFunction[];

export interface ServiceDatabaseOptions {
  /** The service's own schema; its role can touch nothing else. */
  schema: string;
  database: DatabaseConfig;
  /** Shows in pg_stat_activity, so ops can tell the services' connections apart. */
  applicationName: string;
  entities: ClassList;
  migrations: ClassList;
}

/**
 * TypeORM options for one service: its schema, its migrations table inside that schema, entity and
 * migration classes listed explicitly (no globs), and never `synchronize`.
 */
export function postgresOptions(options: ServiceDatabaseOptions): DataSourceOptions {
  const { database } = options;
  return {
    type: 'postgres',
    host: database.host,
    port: database.port,
    database: database.database,
    username: database.username,
    password: database.password,
    schema: options.schema,
    applicationName: options.applicationName,
    entities: options.entities,
    migrations: options.migrations,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    extra: { max: database.poolSize, connectionTimeoutMillis: 5000 },
  };
}
