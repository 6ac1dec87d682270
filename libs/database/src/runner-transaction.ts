import { escapeLiteral, type PoolClient, type QueryResult } from 'pg';
import { QueryFailedError, type QueryRunner } from 'typeorm';
import { queryAffected, queryRows } from './transaction-queries';

const BEGIN = 'BEGIN ISOLATION LEVEL READ COMMITTED';

/**
 * A READ COMMITTED transaction on a TypeORM query runner whose BEGIN travels with its first
 * statement: one round trip instead of two (TypeORM's `startTransaction` sends START and SET, two
 * more). The first statement goes as one simple-protocol query `BEGIN ...; <statement>`, with its
 * parameters inlined as quoted literals by {@link inlineParameters} (when one of them is not a
 * scalar, an array or a JSON document say, BEGIN goes alone first); every later statement goes
 * with bound parameters as usual. A transaction that ran no statement commits and rolls back
 * without a round trip.
 */
export class RunnerTransaction {
  private state: 'not-begun' | 'open' | 'ended' = 'not-begun';

  constructor(private readonly runner: QueryRunner) {}

  async rows<T = Record<string, unknown>>(sql: string, parameters: unknown[] = []): Promise<T[]> {
    if (this.state === 'not-begun') return (await this.beginWith(sql, parameters)).rows as T[];
    return queryRows<T>(this.runner, sql, parameters);
  }

  async affected(sql: string, parameters: unknown[] = []): Promise<number> {
    if (this.state === 'not-begun') return (await this.beginWith(sql, parameters)).affected;
    return queryAffected(this.runner, sql, parameters);
  }

  async commit(): Promise<void> {
    const open = this.state === 'open';
    this.state = 'ended';
    if (open) await this.runner.query('COMMIT');
  }

  async rollback(): Promise<void> {
    const open = this.state === 'open';
    this.state = 'ended';
    if (open) await this.runner.query('ROLLBACK');
  }

  private async beginWith(sql: string, parameters: unknown[]): Promise<StatementResult> {
    // Open from here on, whatever the answer: a failed first statement leaves an aborted
    // transaction behind its BEGIN, which only a ROLLBACK ends.
    this.state = 'open';
    if (!parameters.every(isInlinable)) {
      await this.runner.query(BEGIN);
      const result = await this.runner.query(sql, parameters, true);
      return { rows: result.records as unknown[], affected: result.affected ?? 0 };
    }
    const text = `${BEGIN}; ${inlineParameters(sql, parameters)}`;
    const client = (await this.runner.connect()) as PoolClient;
    let results: QueryResult[];
    try {
      // A simple-protocol query of two statements answers with one result per statement.
      results = (await client.query(text)) as unknown as QueryResult[];
    } catch (error) {
      throw new QueryFailedError(text, [], error as Error);
    }
    const result = results[1];
    if (!result) throw new Error('BEGIN and a statement answered with fewer than two results');
    return { rows: result.rows, affected: result.rowCount ?? 0 };
  }
}

interface StatementResult {
  rows: unknown[];
  affected: number;
}

/**
 * `$1..$n` of a statement replaced by its values as SQL literals: strings quoted by pg's
 * `escapeLiteral` (quotes doubled, backslashes in an E'' string), numbers and booleans as text,
 * null as NULL, dates as ISO 8601 strings. Any other value is refused, as is a placeholder without
 * a value. For statements this code writes itself: a `$n` inside a literal of the statement would
 * be replaced too.
 */
export function inlineParameters(sql: string, values: readonly unknown[]): string {
  return sql.replace(/\$(\d+)/g, (_, index: string) => {
    const position = Number(index) - 1;
    if (position < 0 || position >= values.length) {
      throw new Error(`statement placeholder $${index} has no value`);
    }
    return literalOf(values[position]);
  });
}

function isInlinable(value: unknown): boolean {
  return (
    value === null ||
    value === undefined ||
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value)) ||
    value instanceof Date
  );
}

function literalOf(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'string') return escapeLiteral(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot inline the number ${value}`);
    return `'${String(value)}'`;
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) return escapeLiteral(value.toISOString());
  throw new Error(`cannot inline a value of type ${typeof value}`);
}
