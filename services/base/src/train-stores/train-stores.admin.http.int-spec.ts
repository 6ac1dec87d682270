import { setUpIntegrationHttp } from '@platform/testing/integration';
import { databaseDefinition } from '../database/database-definition';
import { baseHttp, baseRemotes, testStore } from '../testing/base-http-ports';
import { TrainStoresModule } from './train-stores.module';

const STORE = '3f2b8c1e-4d5a-4b6c-8d7e-9f0a1b2c3d4e';
const TABLES = ['base.train_store_bindings'];

/**
 * The production TrainStoresModule over HTTP, on a database of its own (integration tier); the
 * store service's directory is a fake that knows one store.
 */
describe('train stores admin over HTTP', () => {
  const remotes = baseRemotes();
  const { http, tokens } = setUpIntegrationHttp(
    databaseDefinition,
    baseHttp([TrainStoresModule], remotes),
    { admin: { roles: ['admin'] }, passenger: { roles: ['passenger'] } },
  );

  const train = { train_number: 1013, train_date: '2026-11-22' };

  /** The store, bound to train 1013 on 2026-11-22; the store service answering. */
  beforeEach(async () => {
    remotes.stores.available = true;
    remotes.stores.stores.set(STORE, testStore(STORE));
    const sql = http.database.dataSource;
    await sql.query('TRUNCATE base.train_store_bindings');
    await sql.query(
      `INSERT INTO base.train_store_bindings (store_id, train_number, train_date)
       VALUES ($1, 1013, '2026-11-22')`,
      [STORE],
    );
  });

  async function bindings(): Promise<unknown[]> {
    return http.database.dataSource.query(
      `SELECT store_id, train_number, train_date::text FROM base.train_store_bindings
       ORDER BY train_date`,
    );
  }

  it.each<[string, string, unknown?]>([
    ['POST', `/admin/store/${STORE}/train`, { ...train, train_date: '2026-11-23' }],
    ['GET', '/admin/train/stores?train_number=1013&train_date=2026-11-22', undefined],
    ['POST', '/admin/train/stores', train],
    ['DELETE', `/admin/store/${STORE}/train/unbind`, train],
  ])('%s %s refuses no token (401) and a non-admin (403)', async (method, path, body) => {
    await http.unchanged(TABLES, async () => {
      const anonymous = await http.call(method, path, { body });
      expect([anonymous[0], anonymous[1]['items']]).toEqual([401, undefined]);
      const passenger = await http.call(method, path, { body, token: tokens.passenger });
      expect([passenger[0], passenger[1]['items']]).toEqual([403, undefined]);
    });
  });

  it('binds a store on the Moscow departure day of a date-time', async () => {
    const body = { train_number: 1013, train_date: '2026-11-22T22:30:00Z' };
    expect(
      await http.call('POST', `/admin/store/${STORE}/train`, { token: tokens.admin, body }),
    ).toEqual([200, { status: 'OK' }]);
    expect(await bindings()).toEqual([
      { store_id: STORE, train_number: 1013, train_date: '2026-11-22' },
      { store_id: STORE, train_number: 1013, train_date: '2026-11-23' },
    ]);
  });

  it('takes the train from the query string, or from the body of a DELETE', async () => {
    expect(
      await http.call('GET', '/admin/train/stores?train_number=1013&train_date=2026-11-22&size=5', {
        token: tokens.admin,
      }),
    ).toEqual([200, { items: [STORE], total: 1, page: 1, size: 5, pages: 1 }]);
    expect(
      await http.call('DELETE', `/admin/store/${STORE}/train/unbind`, {
        token: tokens.admin,
        body: train,
      }),
    ).toEqual([200, { status: 'OK' }]);
    expect(await bindings()).toEqual([]);
  });

  it('forgets the bindings of a store deleted in the store service when the train is listed', async () => {
    const list = '/admin/train/stores?train_number=1013&train_date=2026-11-22';
    remotes.stores.available = false;
    expect(await http.call('GET', list, { token: tokens.admin })).toEqual([
      200,
      { items: [STORE], total: 1, page: 1, size: 50, pages: 1 },
    ]);
    remotes.stores.available = true;
    remotes.stores.stores.clear();
    expect(await http.call('GET', list, { token: tokens.admin })).toEqual([
      200,
      { items: [], total: 0, page: 1, size: 50, pages: 0 },
    ]);
    expect(await bindings()).toEqual([]);
  });

  it.each<[string, () => void, unknown, number, string]>([
    ['an unknown store', () => remotes.stores.stores.clear(), train, 404, 'STORE_NOT_FOUND'],
    [
      'a store service that does not answer',
      () => (remotes.stores.available = false),
      train,
      503,
      'STORE_SERVICE_UNAVAILABLE',
    ],
    ['a binding that exists', () => undefined, train, 409, 'BINDING_ALREADY_EXISTS'],
  ])('refuses to bind %s', async (_, arrange, body, status, code) => {
    arrange();
    await http.unchanged(TABLES, async () => {
      const [actual, answer] = await http.call('POST', `/admin/store/${STORE}/train`, {
        token: tokens.admin,
        body,
      });
      expect([actual, answer.code]).toEqual([status, code]);
    });
  });

  it.each<[string, string, unknown?]>([
    ['POST', `/admin/store/not-a-uuid/train`, train],
    ['POST', `/admin/store/${STORE}/train`, { train_number: 1013 }],
    ['POST', `/admin/store/${STORE}/train`, { ...train, train_date: '2026-02-30' }],
    ['POST', `/admin/store/${STORE}/train`, { ...train, train_number: 0 }],
    ['POST', `/admin/store/${STORE}/train`, { ...train, train_number: 2 ** 31 }],
    ['POST', `/admin/store/${STORE}/train`, { ...train, extra: 1 }],
    ['GET', '/admin/train/stores', undefined],
    ['GET', '/admin/train/stores?train_number=1013', undefined],
    ['GET', '/admin/train/stores?train_number=abc&train_date=2026-11-22', undefined],
    ['GET', '/admin/train/stores?train_number=1013&train_date=soon', undefined],
    ['POST', '/admin/train/stores', {}],
    ['DELETE', `/admin/store/${STORE}/train/unbind`, undefined],
    // null is as good as missing (@IsOptional lets it through), here with the date in the query
    ['DELETE', `/admin/store/${STORE}/train/unbind?train_date=2026-11-22`, { train_number: null }],
    [
      'DELETE',
      `/admin/store/${STORE}/train/unbind`,
      { train_number: '1013', train_date: '2026-11-22' },
    ],
  ])('%s %s with bad input is a 400 and changes nothing', async (method, path, body) => {
    await http.unchanged(TABLES, async () => {
      expect((await http.call(method, path, { token: tokens.admin, body }))[0]).toBe(400);
    });
  });
});
