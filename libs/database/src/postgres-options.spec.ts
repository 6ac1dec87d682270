import { postgresOptions } from './postgres-options';

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
});
