import { createTestJwtIssuer, type HttpHarness, startHttpHarness } from '@platform/testing';
import { PurchasesService } from '../purchases/purchases.service';
import { PurchasesTerminalController } from '../purchases/purchases.terminal.controller';
import { TasksService } from '../tasks/tasks.service';
import { TasksTerminalController } from '../tasks/tasks.terminal.controller';
import { ItemsService } from './items.service';
import { ItemsTerminalController } from './items.terminal.controller';

const STORE = '5709e000-0000-4000-8000-000000000002';
const ROBOT = '7e57ab1e-0000-4000-8000-000000000001';
const ITEM = '22222222-2222-4222-8222-222222222222';
const TASK = '33333333-3333-4333-8333-333333333333';
const USER = '11111111-1111-4111-8111-111111111111';
const PAGE = { items: [], total: 0, page: 1, size: 50, pages: 0 };
const FIELDS = {
  name: 'Tea',
  description: 'Black',
  logo_url: 'tea.png',
  balance: 10,
  price_penny: 150,
  category: 'food',
};

/** The store terminal's routes: the store is always the session's, never a parameter. */
describe('store terminal controllers over HTTP', () => {
  let http: HttpHarness;
  const calls: [string, unknown[]][] = [];

  function record(name: string, answer: unknown) {
    return async (...args: unknown[]) => {
      calls.push([name, args]);
      return answer;
    };
  }

  beforeAll(async () => {
    const issuer = await createTestJwtIssuer();
    http = await startHttpHarness({
      apiPrefix: 'store_api',
      controllers: [ItemsTerminalController, TasksTerminalController, PurchasesTerminalController],
      providers: [
        {
          provide: ItemsService,
          useValue: {
            list: record('list', PAGE),
            get: record('get', {}),
            create: record('create', {}),
            update: record('update', {}),
            remove: record('remove', undefined),
          },
        },
        {
          provide: TasksService,
          useValue: { list: record('tasks', PAGE), markReady: record('markReady', undefined) },
        },
        { provide: PurchasesService, useValue: { purchase: record('purchase', {}) } },
      ],
      keycloak: issuer,
      devices: {
        'store-token': { deviceId: STORE, kind: 'store', privileges: 0, sessionId: 's1' },
        'robot-token': { deviceId: ROBOT, kind: 'robot', privileges: 0, sessionId: 's2' },
      },
    });
  });

  afterAll(() => http.close());
  beforeEach(() => calls.splice(0));

  const purchase = { user_id: USER, items: [{ item_id: ITEM, count: 2 }], is_default_ready: false };
  const routes: [string, string, unknown, [string, unknown[]]][] = [
    [
      'GET',
      '/store/items?page=2&size=5',
      undefined,
      ['list', [STORE, { page: 2, size: 5, skip: 5, take: 5 }]],
    ],
    ['GET', `/store/item/${ITEM}`, undefined, ['get', [STORE, ITEM]]],
    ['POST', '/store/item', FIELDS, ['create', [STORE, FIELDS]]],
    ['PUT', '/store/item', { ...FIELDS, id: ITEM }, ['update', [STORE, { ...FIELDS, id: ITEM }]]],
    ['DELETE', `/store/item/${ITEM}`, undefined, ['remove', [STORE, ITEM]]],
    [
      'GET',
      '/store/tasks',
      undefined,
      ['tasks', [STORE, expect.objectContaining({ page: 1 }), false]],
    ],
    [
      'GET',
      '/store/tasks?also_ready_tasks=true',
      undefined,
      ['tasks', [STORE, expect.anything(), true]],
    ],
    // the seed's terminal: 1/0
    [
      'GET',
      '/store/tasks?also_ready_tasks=1',
      undefined,
      ['tasks', [STORE, expect.anything(), true]],
    ],
    [
      'GET',
      '/store/tasks?also_ready_tasks=0',
      undefined,
      ['tasks', [STORE, expect.anything(), false]],
    ],
    // pydantic's words in any letter case
    [
      'GET',
      '/store/tasks?also_ready_tasks=YES',
      undefined,
      ['tasks', [STORE, expect.anything(), true]],
    ],
    [
      'GET',
      '/store/tasks?also_ready_tasks=Off',
      undefined,
      ['tasks', [STORE, expect.anything(), false]],
    ],
    // ...and numbers as typed: "15"
    [
      'POST',
      '/store/item',
      { ...FIELDS, balance: '15', price_penny: '0150' },
      ['create', [STORE, { ...FIELDS, balance: 15, price_penny: 150 }]],
    ],
    ['PUT', `/store/task/${TASK}/ready`, undefined, ['markReady', [STORE, TASK]]],
    ['PUT', `/store/task/${TASK}`, undefined, ['markReady', [STORE, TASK]]], // the seed's console
    [
      'POST',
      '/store/purchase',
      purchase,
      ['purchase', [{ deviceId: STORE, storeId: STORE, robot: false }, purchase, undefined]],
    ],
  ];

  it.each(routes)('%s %s needs a store session', async (method, path, body) => {
    expect((await http.call(method, path, { body }))[0]).toBe(401);
    expect((await http.call(method, path, { body, token: 'robot-token' }))[1].code).toBe(
      'WRONG_DEVICE_KIND',
    );
    expect(calls).toEqual([]);
  });

  it.each(routes)('%s %s acts on the session store', async (method, path, body, call) => {
    expect((await http.call(method, path, { body, token: 'store-token' }))[0]).toBe(200);
    expect(calls).toEqual([call]);
  });

  it.each<[string, string, unknown]>([
    ['POST', '/store/item', { ...FIELDS, balance: -1 }],
    ['POST', '/store/item', { ...FIELDS, balance: 2 ** 31 }],
    ['POST', '/store/item', { ...FIELDS, balance: 1.5 }],
    ['POST', '/store/item', { ...FIELDS, price_penny: -5 }],
    ['POST', '/store/item', { ...FIELDS, price_penny: 10_000_001 }],
    ['POST', '/store/item', { ...FIELDS, name: '' }],
    ['POST', '/store/item', { ...FIELDS, name: 'x'.repeat(51) }],
    ['POST', '/store/item', { ...FIELDS, category: 'x'.repeat(101) }],
    ['POST', '/store/item', { ...FIELDS, store_id: STORE }],
    ['POST', '/store/item', { name: 'Tea' }],
    ['PUT', '/store/item', FIELDS],
    ['PUT', '/store/item', { ...FIELDS, id: 'abc' }],
    ['GET', '/store/item/abc', undefined],
    ['DELETE', '/store/item/abc', undefined],
    ['PUT', '/store/task/abc/ready', undefined],
    ['GET', '/store/tasks?also_ready_tasks=maybe', undefined],
    ['GET', '/store/tasks?also_ready_tasks=2', undefined],
    ['POST', '/store/item', { ...FIELDS, balance: '1.5' }],
    ['POST', '/store/item', { ...FIELDS, balance: ' 15' }],
    ['POST', '/store/item', { ...FIELDS, balance: '-1' }],
    ['POST', '/store/item', { ...FIELDS, balance: '1234567890' }],
    ['POST', '/store/item', { ...FIELDS, price_penny: '10000000' }],
    ['POST', '/store/item', { ...FIELDS, price_penny: 1.5 }],
    ['GET', '/store/tasks?size=1000', undefined],
    ['POST', '/store/purchase', { ...purchase, items: [{ item_id: ITEM, count: 0 }] }],
    ['POST', '/store/purchase', { ...purchase, items: [{ item_id: ITEM, count: -3 }] }],
  ])('%s %s %j is a 400 and changes nothing', async (method, path, body) => {
    expect((await http.call(method, path, { token: 'store-token', body }))[0]).toBe(400);
    expect(calls).toEqual([]);
  });
});
