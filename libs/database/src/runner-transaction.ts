import { dependencyFailureOf, POSTGRES_UNAVAILABLE } from '@platform/errors';
import { type PoolClient, type QueryResult } from 'pg';
import { type DataSource, type EntityManager, QueryFailedError, type QueryRunner } from 'typeorm';

const BEGIN = 'BEGIN ISOLATION LEVEL READ COMMITTED';

/** One name per statement text, the same on every connection of this process. */
const statementNames = new Map<string, string>();

function statementName(sql: string): string {
  let name = statementNames.get(sql);
  if (name === undefined) {
    name = `runner_tx_${statementNames.size + 1}`;
    statementNames.set(sql, name);
  }
  return name;
}

/**
 * A READ COMMITTED transaction on a TypeORM query runner for hot paths, its statements sent as
 * named prepared statements: Postgres parses and plans each statement text once per connection,
 * not once per call (with pgbench, a lock + update + audit transaction ran at 2.2× the rate of
 * unnamed statements; docs/performance.md). BEGIN is sent with the first statement's call, so a
 * transaction that ran no statement commits and rolls back without a round trip.
 *
 * Prepared statements keep their result type: after a migration adds a column, `SELECT *` (or
 * `t.*`) in one fails with "cached plan must not change result type" until the connection is
 * replaced. Statements run here name their columns, or return a row as one `to_jsonb(t)` value.
 */
export class RunnerTransaction {
  private state: 'not-begun' | 'open' | 'ended' = 'not-begun';
  /** The connection failed (Postgres gone, stuck past the deadline): it is not used again. */
  private broken: Error | undefined;

  constructor(private readonly runner: QueryRunner) {}

  async rows<T = Record<string, unknown>>(sql: string, parameters: unknown[] = []): Promise<T[]> {
    return (await this.run(sql, parameters)).rows as T[];
  }

  async affected(sql: string, parameters: unknown[] = []): Promise<number> {
    return (await this.run(sql, parameters)).rowCount ?? 0;
  }

  async commit(): Promise<void> {
    const open = this.state === 'open';
    this.state = 'ended';
    if (open) await this.runner.query('COMMIT');
  }

  /**
   * Rolls back after `cause`. When the cause is the connection itself (Postgres stopped, or stuck
   * past the query deadline), no ROLLBACK is sent: the connection is gone or closing
   * (PgClientClosedOnReadTimeout closes one whose query went unanswered). {@link release}
   * discards it, and Postgres rolls back the transaction of a connection that went away.
   */
  async rollback(cause?: unknown): Promise<void> {
    const open = this.state === 'open';
    this.state = 'ended';
    this.broken = connectionFailure(cause);
    if (open && !this.broken) await this.runner.query('ROLLBACK');
  }

  /** Gives the connection back to the pool, or discards it after a connection failure. */
  release(): Promise<void> {
    return releaseRunner(this.runner, this.broken);
  }

  private async run(sql: string, parameters: unknown[]): Promise<QueryResult> {
    if (this.state === 'ended') throw new Error('statement after the transaction ended');
    if (this.state === 'not-begun') {
      this.state = 'open';
      await this.runner.query(BEGIN);
    }
    return prepared(this.runner, sql, parameters);
  }
}

/** One statement on the runner's connection, prepared under its name; errors as TypeORM's. */
async function prepared(
  runner: QueryRunner,
  sql: string,
  parameters: unknown[],
): Promise<QueryResult> {
  const client = (await runner.connect()) as PoolClient;
  try {
    return await client.query({ name: statementName(sql), text: sql, values: parameters });
  } catch (error) {
    throw new QueryFailedError(sql, parameters, error as Error);
  }
}

/**
 * The rows of one statement outside a transaction, sent as a named prepared statement (see
 * {@link RunnerTransaction}): for the hottest single reads, planned once per connection.
 */
export async function preparedRows<T = Record<string, unknown>>(
  dataSource: DataSource,
  sql: string,
  parameters: unknown[] = [],
): Promise<T[]> {
  const runner = dataSource.createQueryRunner();
  try {
    return (await prepared(runner, sql, parameters)).rows as T[];
  } finally {
    await runner.release();
  }
}

/**
 * `work` in one transaction on a connection of its own, like TypeORM's `dataSource.transaction`:
 * after a connection failure (Postgres stopped, or stuck past the query deadline) it sends no
 * ROLLBACK on the dead connection and discards it (Postgres rolls back the transaction of a
 * connection that went away).
 */
export async function inTransaction<T>(
  dataSource: DataSource,
  work: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  let broken: Error | undefined;
  try {
    await runner.startTransaction();
    const result = await work(runner.manager);
    await runner.commitTransaction();
    return result;
  } catch (error) {
    broken = connectionFailure(error);
    if (!broken && runner.isTransactionActive) {
      await runner.rollbackTransaction().catch(() => undefined);
    }
    throw error;
  } finally {
    await releaseRunner(runner, broken);
  }
}

/** The error, when it says the connection itself failed; else undefined. */
function connectionFailure(cause: unknown): Error | undefined {
  if (dependencyFailureOf(cause)?.code !== POSTGRES_UNAVAILABLE) return undefined;
  return cause instanceof Error ? cause : new Error(String(cause));
}

/** Back to the pool, or, after a connection failure, discarded. */
async function releaseRunner(runner: QueryRunner, broken: Error | undefined): Promise<void> {
  // TypeORM's Postgres runner releases with an error (pg-pool then destroys the client) through
  // this method only; `release()` would give a broken connection back to the pool.
  const postgres = runner as unknown as {
    releasePostgresConnection?: (error: Error) => Promise<void>;
  };
  if (broken && postgres.releasePostgresConnection) {
    await postgres.releasePostgresConnection(broken);
    return;
  }
  await runner.release();
}
