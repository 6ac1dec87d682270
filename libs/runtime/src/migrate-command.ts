import { type PlatformConfig } from '@platform/config';
import {
  MIGRATION_DEADLINES,
  postgresOptions,
  runMigrations,
  type ServiceDatabaseOptions,
} from '@platform/database';
import pino from 'pino';

/** Entry point of `migrate.js`: applies pending migrations, logs one JSON line, sets the exit code. */
export async function runMigrationsCommand(
  loadConfig: () => PlatformConfig,
  database: Pick<ServiceDatabaseOptions, 'schema' | 'entities' | 'migrations'>,
): Promise<void> {
  let config: PlatformConfig;
  try {
    config = loadConfig();
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
  const logger = pino({
    base: { service: config.serviceName },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
  try {
    const report = await runMigrations(
      postgresOptions({
        ...database,
        database: config.database,
        applicationName: `${config.serviceName}-migrate`,
        deadlines: MIGRATION_DEADLINES,
      }),
    );
    logger.info(report, report.applied.length ? 'migrations applied' : 'schema up to date');
  } catch (error) {
    logger.error({ err: error }, 'migration failed');
    process.exitCode = 1;
  }
}
