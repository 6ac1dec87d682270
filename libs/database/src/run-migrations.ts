import { DataSource, type DataSourceOptions, MigrationExecutor } from 'typeorm';

export interface MigrationReport {
  schema: string;
  applied: string[];
}

/**
 * Applies the pending migrations of one service, each in its own transaction. Run before the
 * service starts (natively and in compose); safe to run again, it then applies nothing.
 *
 * Replicas starting together would each run what they found pending: the second fails on the
 * catalog's unique indexes halfway, or, for a migration that only writes rows, applies it twice.
 * So the runs of one schema take turns under a session advisory lock (keyed by the schema's
 * name, released when the connection ends, whatever happens to the process); the next run then
 * finds nothing pending. Waiting for it is bounded by the connection's `lock_timeout`.
 */
export async function runMigrations(options: DataSourceOptions): Promise<MigrationReport> {
  const schema = String((options as { schema?: string }).schema);
  const dataSource = new DataSource(options);
  await dataSource.initialize();
  const runner = dataSource.createQueryRunner();
  const lock = `migrations:${schema}`;
  try {
    await runner.query('SELECT pg_advisory_lock(hashtext($1))', [lock]);
    try {
      const executor = new MigrationExecutor(dataSource, runner);
      executor.transaction = 'each';
      const applied = await executor.executePendingMigrations();
      return { schema, applied: applied.map((m) => m.name) };
    } finally {
      // The connection goes back to the pool: do not leave the lock on it.
      await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [lock]).catch(() => undefined);
    }
  } finally {
    await runner.release();
    await dataSource.destroy();
  }
}
