import { createTestJwtIssuer, type HttpHarness, startHttpHarness } from '@platform/testing';
import { type TrainRef } from './train-ref';
import { TrainStoresAdminController } from './train-stores.admin.controller';
import { TrainStoresService } from './train-stores.service';

const STORE = '3f2b8c1e-4d5a-4b6c-8d7e-9f0a1b2c3d4e';

describe('TrainStoresAdminController over HTTP', () => {
  let http: HttpHarness;
  const calls: [string, unknown[]][] = [];
  let admin: string;
  let passenger: string;

  beforeAll(async () => {
    const issuer = await createTestJwtIssuer();
    const record =
      (name: string, answer: unknown) =>
      async (...args: unknown[]) => {
        calls.push([name, args]);
        return answer;
      };
    const service = {
      bind: record('bind', undefined),
      unbind: record('unbind', undefined),
      storeIdsOf: record('storeIdsOf', { items: [STORE], total: 1, page: 1, size: 50, pages: 1 }),
    };
    http = await startHttpHarness({
      apiPrefix: 'base_api',
      controllers: [TrainStoresAdminController],
      providers: [{ provide: TrainStoresService, useValue: service }],
      keycloak: issuer,
    });
    [admin, passenger] = await Promise.all([
      issuer.sign({ roles: ['admin'] }),
      issuer.sign({ roles: ['passenger'] }),
    ]);
  });

  afterAll(() => http.close());
  beforeEach(() => calls.splice(0));

  const train = { train_number: 1013, train_date: '2026-11-22' };

  it.each<[string, string, unknown?]>([
    ['POST', `/admin/store/${STORE}/train`, train],
    ['GET', '/admin/train/stores?train_number=1013&train_date=2026-11-22', undefined],
    ['POST', '/admin/train/stores', train],
    ['DELETE', `/admin/store/${STORE}/train/unbind`, train],
  ])('%s %s refuses no token (401) and a non-admin (403)', async (method, path, body) => {
    expect((await http.call(method, path, { body }))[0]).toBe(401);
    expect((await http.call(method, path, { body, token: passenger }))[0]).toBe(403);
    expect(calls).toEqual([]);
  });

  it('binds a store on the Moscow departure day of a date-time', async () => {
    const body = { train_number: 1013, train_date: '2026-11-22T22:30:00Z' };
    expect(await http.call('POST', `/admin/store/${STORE}/train`, { token: admin, body })).toEqual([
      200,
      { status: 'OK' },
    ]);
    expect(calls).toEqual([
      ['bind', [STORE, { trainNumber: 1013, trainDate: '2026-11-23' } satisfies TrainRef]],
    ]);
  });

  it('takes the train from the query string, or from the body of a DELETE', async () => {
    expect(
      (
        await http.call(
          'GET',
          '/admin/train/stores?train_number=1013&train_date=2026-11-22&size=5',
          { token: admin },
        )
      )[1],
    ).toMatchObject({ items: [STORE] });
    await http.call('DELETE', `/admin/store/${STORE}/train/unbind`, { token: admin, body: train });
    expect(calls.map(([name, args]) => [name, args[0]])).toEqual([
      ['storeIdsOf', { trainNumber: 1013, trainDate: '2026-11-22' }],
      ['unbind', STORE],
    ]);
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
    [
      'DELETE',
      `/admin/store/${STORE}/train/unbind`,
      { train_number: '1013', train_date: '2026-11-22' },
    ],
  ])('%s %s with bad input is a 400 and changes nothing', async (method, path, body) => {
    expect((await http.call(method, path, { token: admin, body }))[0]).toBe(400);
    expect(calls).toEqual([]);
  });
});
