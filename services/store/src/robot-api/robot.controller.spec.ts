import { remoteUnavailable } from '@platform/messaging';
import { createTestJwtIssuer, type HttpHarness, startHttpHarness } from '@platform/testing';
import { LIMITS } from '../common/limits';
import { BaseUsersClient } from '../common/remote/base-users.client';
import { PurchasesService } from '../purchases/purchases.service';
import { RecommendationsService } from '../recommendations/recommendations.service';
import { StoresService } from '../stores/stores.service';
import { TasksService } from '../tasks/tasks.service';
import { RobotController } from './robot.controller';

const ROBOT = '7e57ab1e-0000-4000-8000-000000000001';
const STORE = '5709e000-0000-4000-8000-000000000002';
const USER = '11111111-1111-4111-8111-111111111111';
const ITEM = '22222222-2222-4222-8222-222222222222';
const TASK = '33333333-3333-4333-8333-333333333333';
const EMPTY_PAGE = { items: [], total: 0, page: 1, size: 50, pages: 0 };

describe('store RobotController over HTTP', () => {
  let http: HttpHarness;
  const calls: [string, unknown[]][] = [];
  let admin: string;
  /** base's answer to robotMayActFor, or the failure it throws (base down). */
  let robotMayAct: 'yes' | 'unknown' | 'not-served' | Error = 'yes';
  const mayActAsked: unknown[][] = [];

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
      controllers: [RobotController],
      providers: [
        {
          provide: StoresService,
          useValue: { withItems: record('withItems', {}), byIds: record('byIds', []) },
        },
        { provide: PurchasesService, useValue: { purchase: record('purchase', { id: 'p' }) } },
        { provide: RecommendationsService, useValue: { forUser: record('forUser', EMPTY_PAGE) } },
        {
          provide: TasksService,
          useValue: { get: record('getTask', { id: TASK, user_id: USER }) },
        },
        {
          provide: BaseUsersClient,
          useValue: {
            robotMayActFor: async (...args: unknown[]) => {
              mayActAsked.push(args);
              if (robotMayAct instanceof Error) throw robotMayAct;
              return robotMayAct;
            },
          },
        },
      ],
      keycloak: issuer,
      devices: {
        'robot-token': { deviceId: ROBOT, kind: 'robot', privileges: 0, sessionId: 's1' },
        'store-token': { deviceId: STORE, kind: 'store', privileges: 0, sessionId: 's2' },
      },
    });
    admin = await issuer.sign({ roles: ['admin'] });
  });

  afterAll(() => http.close());
  beforeEach(() => {
    calls.splice(0);
    mayActAsked.splice(0);
    robotMayAct = 'yes';
  });

  const purchase = { user_id: USER, items: [{ item_id: ITEM, count: 1 }], is_default_ready: true };
  const routes: [string, string, unknown][] = [
    ['GET', `/robot/store/${STORE}`, undefined],
    ['POST', `/robot/store/${STORE}/make_purchase`, purchase],
    ['GET', `/robot/store/${STORE}/user/${USER}/recommendations`, undefined],
    ['POST', '/robot/stores/list', { ids: [STORE] }],
    ['POST', '/robot/stores/list', { ids: [] }], // the kiosk's helper on a train without stores
    ['GET', `/robot/store/${STORE}/task/${TASK}`, undefined],
  ];

  it.each(routes)('%s %s needs a robot session', async (method, path, body) => {
    expect((await http.call(method, path, { body }))[0]).toBe(401);
    expect((await http.call(method, path, { body, token: admin }))[1].code).toBe('INVALID_SESSION');
    expect(await http.call(method, path, { body, token: 'store-token' })).toEqual([
      403,
      expect.objectContaining({ code: 'WRONG_DEVICE_KIND' }),
    ]);
    expect(calls).toEqual([]);
  });

  it.each(routes)('%s %s answers a robot', async (method, path, body) => {
    expect((await http.call(method, path, { body, token: 'robot-token' }))[0]).toBe(200);
  });

  it('buys in the store of the path, as this robot, with its Idempotency-Key', async () => {
    await http.call('POST', `/robot/store/${STORE}/make_purchase`, {
      token: 'robot-token',
      body: { ...purchase, additional_data: { seat: 12 } },
      headers: { 'idempotency-key': 'retry-7' },
    });
    expect(calls).toEqual([
      [
        'purchase',
        [
          { deviceId: ROBOT, storeId: STORE, robot: true },
          { ...purchase, additional_data: { seat: 12 } },
          'retry-7',
        ],
      ],
    ]);
  });

  it.each(['unknown', 'not-served'] as const)(
    "reads a passenger's recommendations only for the robot that identified them (%s: 403)",
    async (answer) => {
      robotMayAct = answer;
      const path = `/robot/store/${STORE}/user/${USER}/recommendations`;
      expect(await http.call('GET', path, { token: 'robot-token' })).toEqual([
        403,
        expect.objectContaining({ code: 'PASSENGER_NOT_IDENTIFIED' }),
      ]);
      expect(calls).toEqual([]);
    },
  );

  it("reads a task for the robot serving the task's passenger", async () => {
    expect(
      await http.call('GET', `/robot/store/${STORE}/task/${TASK}`, { token: 'robot-token' }),
    ).toEqual([200, { id: TASK, user_id: USER }]);
    expect(calls).toEqual([['getTask', [STORE, TASK]]]);
    expect(mayActAsked).toEqual([[ROBOT, USER]]);
  });

  it.each(['unknown', 'not-served'] as const)(
    "answers another passenger's task like an unknown one (%s: 404 TASK_NOT_FOUND)",
    async (answer) => {
      robotMayAct = answer;
      expect(
        await http.call('GET', `/robot/store/${STORE}/task/${TASK}`, { token: 'robot-token' }),
      ).toEqual([404, expect.objectContaining({ code: 'TASK_NOT_FOUND' })]);
    },
  );

  it('answers 503 BASE_SERVICE_UNAVAILABLE for a task when base cannot say', async () => {
    robotMayAct = remoteUnavailable('base');
    expect(
      await http.call('GET', `/robot/store/${STORE}/task/${TASK}`, { token: 'robot-token' }),
    ).toEqual([503, expect.objectContaining({ code: 'BASE_SERVICE_UNAVAILABLE' })]);
  });

  const line = (count: unknown) => ({ ...purchase, items: [{ item_id: ITEM, count }] });
  it.each<[string, string, unknown, Record<string, string> | undefined]>([
    ['a zero count', `/robot/store/${STORE}/make_purchase`, line(0), undefined],
    ['a negative count', `/robot/store/${STORE}/make_purchase`, line(-1), undefined],
    ['a fractional count', `/robot/store/${STORE}/make_purchase`, line(1.5), undefined],
    ['an absurd count', `/robot/store/${STORE}/make_purchase`, line(1e9), undefined],
    [
      'a count past the bound',
      `/robot/store/${STORE}/make_purchase`,
      line(LIMITS.countMax + 1),
      undefined,
    ],
    ['a count as text', `/robot/store/${STORE}/make_purchase`, line('1'), undefined],
    ['no lines', `/robot/store/${STORE}/make_purchase`, { ...purchase, items: [] }, undefined],
    [
      'too many lines',
      `/robot/store/${STORE}/make_purchase`,
      { ...purchase, items: Array.from({ length: LIMITS.linesMax + 1 }, () => purchase.items[0]) },
      undefined,
    ],
    [
      'a line that is not an object',
      `/robot/store/${STORE}/make_purchase`,
      { ...purchase, items: ['x'] },
      undefined,
    ],
    [
      'a non-UUID item',
      `/robot/store/${STORE}/make_purchase`,
      { ...purchase, items: [{ item_id: 'x', count: 1 }] },
      undefined,
    ],
    [
      'a non-UUID user',
      `/robot/store/${STORE}/make_purchase`,
      { ...purchase, user_id: '42' },
      undefined,
    ],
    [
      'no user',
      `/robot/store/${STORE}/make_purchase`,
      { ...purchase, user_id: undefined },
      undefined,
    ],
    [
      'no readiness',
      `/robot/store/${STORE}/make_purchase`,
      { ...purchase, is_default_ready: undefined },
      undefined,
    ],
    [
      'an unknown field',
      `/robot/store/${STORE}/make_purchase`,
      { ...purchase, price_penny: 0 },
      undefined,
    ],
    [
      'an unknown line field',
      `/robot/store/${STORE}/make_purchase`,
      { ...purchase, items: [{ item_id: ITEM, count: 1, price: 0 }] },
      undefined,
    ],
    [
      'additional_data not an object',
      `/robot/store/${STORE}/make_purchase`,
      { ...purchase, additional_data: 'x' },
      undefined,
    ],
    [
      'additional_data too large',
      `/robot/store/${STORE}/make_purchase`,
      { ...purchase, additional_data: { x: 'y'.repeat(LIMITS.additionalDataMaxChars) } },
      undefined,
    ],
    ['a non-UUID store', '/robot/store/abc/make_purchase', purchase, undefined],
    [
      'a blank Idempotency-Key',
      `/robot/store/${STORE}/make_purchase`,
      purchase,
      { 'idempotency-key': ' ' },
    ],
    ['51 ids', '/robot/stores/list', { ids: Array.from({ length: 51 }, () => STORE) }, undefined],
    ['a non-UUID id', '/robot/stores/list', { ids: ['x'] }, undefined],
  ])('refuses %s with 400 before anything runs', async (_what, path, body, headers) => {
    const [status] = await http.call('POST', path, { token: 'robot-token', body, headers });
    expect(status).toBe(400);
    expect(calls).toEqual([]);
  });

  it.each([
    `/robot/store/abc`,
    `/robot/store/${STORE}/user/42/recommendations`,
    `/robot/store/${STORE}/user/${USER}/recommendations?size=101`,
    `/robot/store/${STORE}/user/${USER}/recommendations?page=0`,
    `/robot/store/${STORE}/task/1`,
  ])('GET %s with bad input is a 400', async (path) => {
    expect((await http.call('GET', path, { token: 'robot-token' }))[0]).toBe(400);
    expect(calls).toEqual([]);
  });
});
