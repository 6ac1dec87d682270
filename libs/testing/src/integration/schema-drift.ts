import { type DataSource } from 'typeorm';
import { createIntegrationDatabase, type ServiceDatabaseDefinition } from './integration-database';

/**
 * The statements TypeORM's schema builder would run to make the database match the entities
 * (what `synchronize` would do). Empty when the migrations and the entities agree.
 */
export async function pendingSchemaChanges(dataSource: DataSource): Promise<string[]> {
  const sql = await dataSource.driver.createSchemaBuilder().log();
  return sql.upQueries.map((query) => query.query.replace(/\s+/g, ' ').trim());
}

/**
 * The drift check of one service: after its real migrations, on a database of its own, the
 * entities it maps describe exactly the schema the migrations built. A failure lists the SQL
 * that would close the gap; fix the entity or add a migration (never edit an applied one).
 */
export function describeSchemaDrift(service: string, definition: ServiceDatabaseDefinition): void {
  describe(`${service}: schema drift`, () => {
    it('the migrations build exactly what the entities map: the schema builder changes nothing', async () => {
      const database = await createIntegrationDatabase(definition);
      try {
        expect(await pendingSchemaChanges(database.dataSource)).toEqual([]);
      } finally {
        await database.drop();
      }
    });

    it('replicas migrating at once apply each migration once, and neither fails', async () => {
      const database = await createIntegrationDatabase(definition, { migrated: false });
      try {
        const reports = await Promise.all([database.migrate(), database.migrate()]);
        const applied = reports.flatMap((report) => report.applied);
        expect([...applied].sort()).toEqual(
          definition.migrations.map((migration) => migration.name).sort(),
        );
        const recorded = await database.dataSource.query<{ name: string }[]>(
          `SELECT name FROM ${definition.schema}.migrations`,
        );
        expect(recorded.map((row) => row.name).sort()).toEqual([...applied].sort());
        expect(await pendingSchemaChanges(database.dataSource)).toEqual([]);
      } finally {
        await database.drop();
      }
    });
  });
}
