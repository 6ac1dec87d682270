import { type QueryRunner } from 'typeorm';

/**
 * The rows of a raw statement run on a transaction's query runner (TypeORM's structured result:
 * `records` for any statement, with `RETURNING` for writes).
 */
export async function queryRows<T = Record<string, unknown>>(
  runner: QueryRunner,
  sql: string,
  parameters: unknown[] = [],
): Promise<T[]> {
  const result = await runner.query(sql, parameters, true);
  return result.records as T[];
}

/** The number of rows an UPDATE or DELETE on a transaction's query runner touched. */
export async function queryAffected(
  runner: QueryRunner,
  sql: string,
  parameters: unknown[] = [],
): Promise<number> {
  const result = await runner.query(sql, parameters, true);
  return result.affected ?? 0;
}
