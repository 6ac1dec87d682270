import pg from 'pg';

/** node-postgres's error when `query_timeout` passes without an answer. */
const READ_TIMEOUT = 'Query read timeout';

/**
 * pg's Client, except that a query the server has not answered by `query_timeout` closes the
 * connection. pg alone keeps it open with that query still outstanding: the next statement on it
 * (TypeORM's ROLLBACK after a failed `save()`) queues behind the unanswered one and waits out a
 * second deadline (a 503 after 7 s instead of 3.5). Closed, the next statement fails at once, the
 * pool discards the client, and Postgres rolls back whatever the connection had open.
 */
export class PgClientClosedOnReadTimeout extends pg.Client {
  constructor(config?: string | pg.ClientConfig) {
    super(config);
    const query = this.query.bind(this) as (...args: unknown[]) => unknown;
    this.query = ((...args: unknown[]): unknown => {
      const callback = args.at(-1);
      if (typeof callback === 'function') {
        args[args.length - 1] = (error: unknown, result: unknown) => {
          this.closeAfter(error);
          (callback as (error: unknown, result: unknown) => void)(error, result);
        };
        return query(...args);
      }
      const result = query(...args);
      if (result instanceof Promise) result.catch((error: unknown) => this.closeAfter(error));
      return result;
    }) as typeof this.query;
  }

  private closeAfter(error: unknown): void {
    // end() destroys the socket of a client with a query in flight (pg's own rule).
    if (error instanceof Error && error.message === READ_TIMEOUT) this.end().catch(() => undefined);
  }
}
