import { QueryFailedError } from 'typeorm';

interface PostgresError {
  code?: unknown;
  constraint?: unknown;
}

/** The name of the unique constraint a failed insert/update broke, or null for any other error. */
export function violatedUniqueConstraint(error: unknown): string | null {
  if (!(error instanceof QueryFailedError)) {
    return null;
  }
  const driverError = error.driverError as PostgresError;
  if (driverError.code !== '23505') {
    return null;
  }
  return typeof driverError.constraint === 'string' ? driverError.constraint : '';
}

/** True when a failed statement broke a foreign key (e.g. a row deleted concurrently). */
export function isForeignKeyViolation(error: unknown): boolean {
  return error instanceof QueryFailedError && (error.driverError as PostgresError).code === '23503';
}
