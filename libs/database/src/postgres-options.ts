import { type DatabaseConfig } from '@platform/config';
import { type DataSourceOptions } from 'typeorm';
import { PgClientClosedOnReadTimeout } from './pg-client';

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
  /** {@link SERVING_DEADLINES} unless given (migrations use {@link MIGRATION_DEADLINES}). */
  deadlines?: PostgresDeadlines;
}

/** How long any one step of a Postgres call may take, in ms; 0 is no limit. */
export interface PostgresDeadlines {
  /** Waiting for a pooled connection, or for a new one's handshake. */
  acquireMs: number;
  /** Server side (`statement_timeout`): a slow statement is cancelled with SQLSTATE 57014. */
  statementMs: number;
  /**
   * Client side (pg `query_timeout`): a server that is paused or unreachable never cancels
   * anything itself, so the client stops waiting a little after the server would have.
   */
  queryMs: number;
  /** Waiting for a row or table lock (`lock_timeout`, SQLSTATE 55P03). */
  lockMs: number;
  /** A transaction left open by a client that gave up is rolled back by the server. */
  idleInTransactionMs: number;
}

/**
 * Request handling: every call answers or fails within about 3.5 s, well inside the gateway's
 * read timeout, so a dead or stuck database is a 503 POSTGRES_UNAVAILABLE and not a 504.
 */
export const SERVING_DEADLINES: PostgresDeadlines = {
  acquireMs: 2000,
  statementMs: 3000,
  queryMs: 3500,
  lockMs: 2000,
  idleInTransactionMs: 10_000,
};

/** Migrations may build indexes on big tables: no statement limit, but never wait forever. */
export const MIGRATION_DEADLINES: PostgresDeadlines = {
  acquireMs: 10_000,
  statementMs: 0,
  queryMs: 0,
  lockMs: 60_000,
  idleInTransactionMs: 60_000,
};

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
    extra: {
      max: database.poolSize,
      keepAlive: true,
      Client: PgClientClosedOnReadTimeout,
      ...pgDeadlines(options.deadlines),
    },
  };
}

/** pg Pool/Client settings for the deadlines (the client sends the `*_timeout` ones at connect). */
function pgDeadlines(deadlines: PostgresDeadlines = SERVING_DEADLINES): Record<string, number> {
  return {
    connectionTimeoutMillis: deadlines.acquireMs,
    statement_timeout: deadlines.statementMs,
    query_timeout: deadlines.queryMs,
    lock_timeout: deadlines.lockMs,
    idle_in_transaction_session_timeout: deadlines.idleInTransactionMs,
  };
}
