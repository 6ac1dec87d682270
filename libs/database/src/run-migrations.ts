import { DataSource, type DataSourceOptions } from 'typeorm';

export interface MigrationReport {
  schema: string;
  applied: string[];
}

/**
 * Applies the pending migrations of one service, each in its own transaction. Run before the
 * service starts (natively and in compose); safe to run again, it then applies nothing.
 */
export async function runMigrations(options: DataSourceOptions): Promise<MigrationReport> {
  const dataSource = new DataSource(options);
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return {
      schema: String((options as { schema?: string }).schema),
      applied: applied.map((m) => m.name),
    };
  } finally {
    await dataSource.destroy();
  }
}
