import { MIGRATION_DEADLINES, postgresOptions, SERVING_DEADLINES } from './postgres-options';

describe('postgresOptions', () => {
  const database = {
    host: 'db',
    port: 5432,
    database: 'platform',
    username: 'store',
    password: 'x',
    poolSize: 7,
  };

  it('pins the schema, keeps the migrations table in it and never synchronizes', () => {
    const options = postgresOptions({
      schema: 'store',
      database,
      applicationName: 'store',
      entities: [],
      migrations: [],
    });
    expect(options).toMatchObject({
      type: 'postgres',
      schema: 'store',
      migrationsTableName: 'migrations',
      synchronize: false,
      migrationsRun: false,
      extra: { max: 7 },
    });
  });

  it('puts a deadline on every step of a request-time call, inside the gateway timeout', () => {
    const { extra } = postgresOptions({
      schema: 'store',
      database,
      applicationName: 'store',
      entities: [],
      migrations: [],
    }) as { extra: Record<string, number> };
    expect(extra).toMatchObject({
      connectionTimeoutMillis: SERVING_DEADLINES.acquireMs,
      statement_timeout: SERVING_DEADLINES.statementMs,
      query_timeout: SERVING_DEADLINES.queryMs,
      lock_timeout: SERVING_DEADLINES.lockMs,
      idle_in_transaction_session_timeout: SERVING_DEADLINES.idleInTransactionMs,
    });
    // the server cancels first (a clear 57014), the client stops waiting just after
    expect(SERVING_DEADLINES.queryMs).toBeGreaterThan(SERVING_DEADLINES.statementMs);
    // a dead database must be a 503 within 5 s, long before the gateway's 504
    expect(Math.max(SERVING_DEADLINES.acquireMs, SERVING_DEADLINES.queryMs)).toBeLessThan(5000);
  });

  it('lets migrations run long statements but not wait forever', () => {
    const { extra } = postgresOptions({
      schema: 'store',
      database,
      applicationName: 'store-migrate',
      entities: [],
      migrations: [],
      deadlines: MIGRATION_DEADLINES,
    }) as { extra: Record<string, number> };
    expect(extra).toMatchObject({ statement_timeout: 0, query_timeout: 0 });
    expect(extra['lock_timeout']).toBeGreaterThan(0);
    expect(extra['connectionTimeoutMillis']).toBeGreaterThan(0);
  });
});
