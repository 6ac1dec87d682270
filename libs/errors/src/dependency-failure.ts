import { DomainError } from './domain-error';

/** A 503 naming the database: it refused, dropped, or did not answer within its deadline. */
export const POSTGRES_UNAVAILABLE = 'POSTGRES_UNAVAILABLE';
/** A 503 naming Redis: it refused, dropped, or did not answer within its deadline. */
export const REDIS_UNAVAILABLE = 'REDIS_UNAVAILABLE';

/**
 * SQLSTATEs that say "the database cannot serve this now", not "this request is wrong":
 * connection exceptions (class 08), insufficient resources (class 53), a statement cancelled by
 * `statement_timeout` (57014), the server shutting down or starting up (57P01-57P03), a lock not
 * obtained within `lock_timeout` (55P03), a session ended by `idle_in_transaction_session_timeout`.
 */
const POSTGRES_UNAVAILABLE_STATES = /^(08...|53...|57014|57P0[1-3]|55P03|25P03)$/;

/** What pg and pg-pool throw, without a SQLSTATE, when the server is gone or past a deadline. */
const PG_CLIENT_FAILURE =
  /^(timeout exceeded when trying to connect|Connection terminated|Query read timeout|Client has encountered a connection error|Client was closed)/;

/**
 * Socket errors of a connection attempt. At the HTTP edge only the pg pool lets them through raw:
 * ioredis retries and reports its trouble as the errors below, fetch wraps its own in a TypeError,
 * and RPC calls turn theirs into DomainErrors.
 */
const CONNECT_FAILURE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);

/** ioredis: `commandTimeout` elapsed, connection gone, offline queue off or flushed. */
const REDIS_CLIENT_FAILURE =
  /^(Command timed out|Connection is closed|Stream isn't writeable|Reached the max retries per request limit)/;
/** Redis replies that mean "busy or still loading", not "wrong command". */
const REDIS_BUSY_REPLY = /^(LOADING|BUSY|MASTERDOWN|TRYAGAIN) /;

/**
 * The one place that recognises a dead or stuck Postgres or Redis behind any error a driver
 * throws (also inside TypeORM's QueryFailedError), and turns it into a 503 that names it. Errors
 * are recognised by shape, so this lib needs neither driver. Anything else: null.
 */
export function dependencyFailureOf(error: unknown): DomainError | null {
  if (!isErrorLike(error) || error instanceof DomainError) {
    return null;
  }
  if (isPostgresFailure(error)) {
    return new DomainError(
      'unavailable',
      POSTGRES_UNAVAILABLE,
      'The database (Postgres) is unavailable, try again later',
    );
  }
  if (isRedisFailure(error)) {
    return new DomainError(
      'unavailable',
      REDIS_UNAVAILABLE,
      'The session store (Redis) is unavailable, try again later',
    );
  }
  return null;
}

function isPostgresFailure(error: Error): boolean {
  // TypeORM wraps the pg error of a failed query; pool and connect errors come unwrapped.
  const driverError = error.name === 'QueryFailedError' ? propertyOf(error, 'driverError') : error;
  if (!isErrorLike(driverError)) {
    return false;
  }
  const code = propertyOf(driverError, 'code');
  if (typeof code === 'string' && POSTGRES_UNAVAILABLE_STATES.test(code)) {
    return true;
  }
  if (PG_CLIENT_FAILURE.test(driverError.message)) {
    return true;
  }
  return (
    typeof code === 'string' &&
    CONNECT_FAILURE_CODES.has(code) &&
    typeof propertyOf(driverError, 'syscall') === 'string'
  );
}

function isRedisFailure(error: Error): boolean {
  if (error.name === 'MaxRetriesPerRequestError') {
    return true;
  }
  if (error.name === 'ReplyError') {
    return REDIS_BUSY_REPLY.test(error.message);
  }
  return REDIS_CLIENT_FAILURE.test(error.message);
}

/** By shape, not `instanceof`: Node's socket errors may come from another realm (vm, Jest). */
function isErrorLike(value: unknown): value is Error {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { message?: unknown }).message === 'string' &&
    typeof (value as { name?: unknown }).name === 'string'
  );
}

function propertyOf(error: Error, name: string): unknown {
  return (error as unknown as Record<string, unknown>)[name];
}
