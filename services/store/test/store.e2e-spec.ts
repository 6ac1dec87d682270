import 'reflect-metadata';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { STORE_EVENTS, type StoreTaskReadyEvent } from '@platform/contracts';
import { type ErrorBody } from '@platform/errors';
import { type Page } from '@platform/http';
import { api, waitFor } from '@platform/testing';
import Redis from 'ioredis';
import { type StoreItemView } from '../src/items/dto/item.dto';
import { type PurchaseView } from '../src/purchases/dto/purchase.dto';
import { type StoreView } from '../src/stores/dto/store.dto';
import { type TaskView } from '../src/tasks/dto/task.dto';
import { BASE_V1, STORE_V1, StoreWorld, unique } from './store-fixtures';

/**
 * The store service through the Nginx gateway, with store terminals and robots logged in through
 * base by the reference device client (docs/api/store.md): tenant isolation between terminals,
 * purchases that are refused or sold exactly, idempotent retries, the task flow with its
 * `store.task.ready` event, and 50 robots racing for the last units of an item.
 */
describe('store through the gateway', () => {
  const world = new StoreWorld();
  let shopA: string;
  let shopB: string;
  let terminalA: string;
  let terminalB: string;
  let robot: string;
  let passenger: string;
  let subscriber: Redis;
  const events: StoreTaskReadyEvent[] = [];

  const item = (overrides: Partial<StoreItemView> = {}) => ({
    name: unique('tea'),
    description: 'black tea',
    logo_url: 'tea.png',
    balance: 10,
    price_penny: 150,
    category: 'food',
    ...overrides,
  });

  const as = <T = ErrorBody>(
    token: string,
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ) => api<T>(method, `${STORE_V1}${path}`, { token, body, ...(headers ? { headers } : {}) });

  async function addItem(
    terminal: string,
    overrides: Partial<StoreItemView> = {},
  ): Promise<StoreItemView> {
    const created = await as<StoreItemView>(terminal, 'POST', '/store/item', item(overrides));
    expect(created.status).toBe(200);
    return created.body;
  }

  async function balanceOf(terminal: string, itemId: string): Promise<number> {
    const read = await as<StoreItemView>(terminal, 'GET', `/store/item/${itemId}`);
    expect(read.status).toBe(200);
    return read.body.balance;
  }

  const buy = (
    storeId: string,
    lines: [string, unknown][],
    extra: object = {},
    headers?: Record<string, string>,
  ) =>
    as<PurchaseView & ErrorBody>(
      robot,
      'POST',
      `/robot/store/${storeId}/make_purchase`,
      {
        user_id: passenger,
        items: lines.map(([item_id, count]) => ({ item_id, count })),
        is_default_ready: true,
        additional_data: {},
        ...extra,
      },
      headers,
    );

  beforeAll(async () => {
    await world.setUp();
    [shopA, shopB] = [await world.newStore(), await world.newStore('RESTAURANT')];
    [terminalA, terminalB, passenger] = [
      await world.terminal(shopA),
      await world.terminal(shopB),
      await world.newPassenger(),
    ];
    robot = await world.robotServing(passenger);
    subscriber = new Redis({
      host: process.env['REDIS_HOST'],
      port: Number(process.env['REDIS_PORT']),
      password: process.env['REDIS_PASSWORD'],
      lazyConnect: true,
    });
    await subscriber.connect();
    // The Nest Redis transport publishes an event on the channel named by its pattern.
    subscriber.on('message', (channel: string, message: string) => {
      if (channel !== STORE_EVENTS.taskReady) return;
      const packet = JSON.parse(message) as { pattern: string; data: StoreTaskReadyEvent };
      events.push(packet.data);
    });
    await subscriber.subscribe(STORE_EVENTS.taskReady);
  });

  afterAll(async () => {
    await subscriber?.quit();
    await world.tearDown();
  });

  describe('tenant isolation between store terminals', () => {
    it("reads, updates and deletes only its own items: another store's item is a 404 and unchanged", async () => {
      const mine = await addItem(terminalA, { balance: 7 });
      const theirs = await addItem(terminalB);

      const read = await as(terminalB, 'GET', `/store/item/${mine.id}`);
      expect([read.status, read.body.code]).toEqual([404, 'ITEM_NOT_FOUND']);
      const updated = await as(terminalB, 'PUT', '/store/item', {
        ...item({ balance: 0 }),
        id: mine.id,
      });
      expect([updated.status, updated.body.code]).toEqual([404, 'ITEM_NOT_FOUND']);
      const deleted = await as(terminalB, 'DELETE', `/store/item/${mine.id}`);
      expect([deleted.status, deleted.body.code]).toEqual([404, 'ITEM_NOT_FOUND']);

      const still = await as<StoreItemView>(terminalA, 'GET', `/store/item/${mine.id}`);
      expect([still.status, still.body]).toEqual([200, mine]);
      const listB = await as<Page<StoreItemView>>(terminalB, 'GET', '/store/items?size=100');
      expect(listB.body.items.map((entry) => entry.id)).toEqual([theirs.id]);
      const listA = await as<Page<StoreItemView>>(terminalA, 'GET', '/store/items?size=100');
      expect(listA.body.items.map((entry) => entry.id)).toContain(mine.id);
      expect(listA.body.items.map((entry) => entry.id)).not.toContain(theirs.id);

      const own = await as<StoreItemView>(terminalA, 'PUT', '/store/item', {
        ...item({ name: 'green tea', balance: 9 }),
        id: mine.id,
      });
      expect([own.status, own.body.name, own.body.balance]).toEqual([200, 'green tea', 9]);
    });

    it('sees and closes only its own tasks', async () => {
      const tea = await addItem(terminalA);
      const bought = await as<PurchaseView>(terminalA, 'POST', '/store/purchase', {
        user_id: passenger,
        items: [{ item_id: tea.id, count: 1 }],
        is_default_ready: false,
      });
      expect(bought.status).toBe(200);
      const tasksB = await as<Page<TaskView>>(
        terminalB,
        'GET',
        '/store/tasks?also_ready_tasks=true&size=100',
      );
      expect(tasksB.body.items.map((task) => task.id)).not.toContain(bought.body.task_id);
      const closeB = await as(terminalB, 'PUT', `/store/task/${bought.body.task_id}/ready`);
      expect([closeB.status, closeB.body.code]).toEqual([404, 'TASK_NOT_FOUND']);
      const tasksA = await as<Page<TaskView>>(terminalA, 'GET', '/store/tasks?size=100');
      const task = tasksA.body.items.find((entry) => entry.id === bought.body.task_id);
      expect(task).toMatchObject({
        is_ready: false,
        store_id: shopA,
        purchase: { id: bought.body.id },
      });
    });

    it('a robot buys for, and reads the purchases of, only the passenger it identified last', async () => {
      const item = await addItem(terminalA, { balance: 5 });
      const stranger = await world.newPassenger();
      const refused = await buy(shopA, [[item.id, 1]], { user_id: stranger });
      expect([refused.status, refused.body.code]).toEqual([403, 'PASSENGER_NOT_IDENTIFIED']);
      const peek = await as(robot, 'GET', `/robot/store/${shopA}/user/${stranger}/recommendations`);
      expect([peek.status, peek.body.code]).toEqual([403, 'PASSENGER_NOT_IDENTIFIED']);
      const nobody = await buy(shopA, [[item.id, 1]], { user_id: randomUUID() });
      expect([nobody.status, nobody.body.code]).toEqual([404, 'USER_NOT_FOUND']);
      expect(await balanceOf(terminalA, item.id)).toBe(5);
    });

    it('a robot session cannot use the terminal routes, nor a terminal the robot routes', async () => {
      expect((await as(robot, 'GET', '/store/items')).body.code).toBe('WRONG_DEVICE_KIND');
      expect((await as(terminalA, 'GET', `/robot/store/${shopA}`)).body.code).toBe(
        'WRONG_DEVICE_KIND',
      );
    });
  });

  describe('purchases', () => {
    it('sells, records prices and total, and shows the store with its stock', async () => {
      const tea = await addItem(terminalA, { balance: 5, price_penny: 120 });
      const cake = await addItem(terminalA, { balance: 5, price_penny: 990 });
      const bought = await buy(shopA, [
        [tea.id, 1],
        [cake.id, 2],
        [tea.id, 1],
      ]);
      expect(bought.status).toBe(200);
      expect(bought.body).toMatchObject({
        store_id: shopA,
        user_id: passenger,
        total_penny: 2 * 120 + 2 * 990,
        task_id: expect.any(String),
      });
      expect(bought.body.items).toEqual(
        expect.arrayContaining([
          { item_id: tea.id, count: 2, unit_price_penny: 120 },
          { item_id: cake.id, count: 2, unit_price_penny: 990 },
        ]),
      );
      const store = await as<StoreView>(robot, 'GET', `/robot/store/${shopA}`);
      expect(store.body.items.find((entry) => entry.id === tea.id)?.balance).toBe(3);
    });

    it.each<[string, unknown]>([
      ['zero', 0],
      ['negative', -5],
      ['absurd', 1_000_000_000],
      ['fractional', 0.5],
    ])('refuses a %s count with 400 and sells nothing', async (_what, count) => {
      const tea = await addItem(terminalA, { balance: 5 });
      const refused = await buy(shopA, [[tea.id, count]]);
      expect([refused.status, refused.body.code]).toEqual([400, 'VALIDATION_FAILED']);
      expect(await balanceOf(terminalA, tea.id)).toBe(5);
    });

    it("refuses another store's item, unknown items, stores and passengers; nothing changes", async () => {
      const mine = await addItem(terminalA, { balance: 5 });
      const theirs = await addItem(terminalB, { balance: 5 });
      const foreign = await buy(shopA, [
        [mine.id, 1],
        [theirs.id, 1],
      ]);
      expect([foreign.status, foreign.body.code]).toEqual([404, 'ITEM_NOT_FOUND']);
      const unknownItem = await buy(shopA, [[randomUUID(), 1]]);
      expect([unknownItem.status, unknownItem.body.code]).toEqual([404, 'ITEM_NOT_FOUND']);
      const unknownStore = await buy(randomUUID(), [[mine.id, 1]]);
      expect([unknownStore.status, unknownStore.body.code]).toEqual([404, 'STORE_NOT_FOUND']);
      const nobody = await buy(shopA, [[mine.id, 1]], { user_id: randomUUID() });
      expect([nobody.status, nobody.body.code, nobody.body.detail]).toEqual([
        404,
        'USER_NOT_FOUND',
        'User not found',
      ]);
      const tooMany = await buy(shopA, [[mine.id, 6]]);
      expect([tooMany.status, tooMany.body.code, tooMany.body.detail]).toEqual([
        400,
        'OUT_OF_STOCK',
        'Not enough items',
      ]);
      expect([await balanceOf(terminalA, mine.id), await balanceOf(terminalB, theirs.id)]).toEqual([
        5, 5,
      ]);
      const unknown = await as(robot, 'GET', `/robot/store/${randomUUID()}`);
      expect([unknown.status, unknown.body.code]).toEqual([404, 'STORE_NOT_FOUND']);
    });

    it('an Idempotency-Key retry gets the first answer and buys once; another body is 422', async () => {
      const tea = await addItem(terminalA, { balance: 5 });
      const key = { 'idempotency-key': randomUUID() };
      const first = await buy(shopA, [[tea.id, 2]], {}, key);
      const retry = await buy(shopA, [[tea.id, 2]], {}, key);
      expect(first.status).toBe(200);
      expect([retry.status, retry.body]).toEqual([200, first.body]);
      expect(await balanceOf(terminalA, tea.id)).toBe(3);
      const changed = await buy(shopA, [[tea.id, 1]], {}, key);
      expect([changed.status, changed.body.code]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
      const malformed = await buy(shopA, [[tea.id, 1]], {}, { 'idempotency-key': 'a b' });
      expect([malformed.status, malformed.body.code]).toEqual([400, 'INVALID_IDEMPOTENCY_KEY']);
      expect(await balanceOf(terminalA, tea.id)).toBe(3);
    });

    it('50 robots racing for the last 20 units: exactly 20 sold, the rest refused, stock 0', async () => {
      const hot = await addItem(terminalA, { balance: 20, price_penny: 100 });
      const outcomes = await Promise.all(
        Array.from({ length: 50 }, () => buy(shopA, [[hot.id, 1]])),
      );
      const sold = outcomes.filter((outcome) => outcome.status === 200);
      const refused = outcomes.filter((outcome) => outcome.status !== 200);
      expect(sold).toHaveLength(20);
      expect(refused.map((outcome) => [outcome.status, outcome.body.code])).toEqual(
        Array.from({ length: 30 }, () => [400, 'OUT_OF_STOCK']),
      );
      expect(new Set(sold.map((outcome) => outcome.body.id)).size).toBe(20);
      expect(await balanceOf(terminalA, hot.id)).toBe(0);
    });

    it('recommends what the passenger bought, then best sellers, skipping items out of stock', async () => {
      const shop = await world.newStore();
      const terminal = await world.terminal(shop);
      const [a, b, gone] = [
        await addItem(terminal, { balance: 10 }),
        await addItem(terminal, { balance: 10 }),
        await addItem(terminal, { balance: 1 }),
      ];
      expect((await buy(shop, [[a.id, 3]])).status).toBe(200);
      expect((await buy(shop, [[gone.id, 1]])).status).toBe(200);
      // another passenger, at another robot, bought b
      const other = await world.newPassenger();
      // the robot serves the other passenger, then its own again (as a kiosk does, one by one)
      await world.identify(robot, other);
      const otherPurchase = await as(robot, 'POST', `/robot/store/${shop}/make_purchase`, {
        user_id: other,
        items: [{ item_id: b.id, count: 1 }],
        is_default_ready: true,
      });
      expect(otherPurchase.status).toBe(200);
      await world.identify(robot, passenger);
      const recommended = await as<Page<StoreItemView>>(
        robot,
        'GET',
        `/robot/store/${shop}/user/${passenger}/recommendations`,
      );
      expect(recommended.status).toBe(200);
      expect(recommended.body.items.map((entry) => entry.id)).toEqual([a.id, b.id]);
    });
  });

  describe('kitchen tasks', () => {
    it('open task → robot sees it open → terminal marks it ready → event → robot sees it ready', async () => {
      const soup = await addItem(terminalA);
      const bought = await buy(shopA, [[soup.id, 1]], {
        is_default_ready: false,
        additional_data: { seat: 12 },
      });
      expect(bought.status).toBe(200);
      const taskId = bought.body.task_id;
      const open = await as<TaskView>(robot, 'GET', `/robot/store/${shopA}/task/${taskId}`);
      expect(open.body).toMatchObject({
        id: taskId,
        is_ready: false,
        ready_at: null,
        additional_data: { seat: 12 },
      });
      const openList = await as<Page<TaskView>>(terminalA, 'GET', '/store/tasks?size=100');
      expect(openList.body.items.map((task) => task.id)).toContain(taskId);
      const dates = openList.body.items.map((task) => task.date);
      expect([...dates].sort()).toEqual(dates);

      expect((await as(terminalA, 'PUT', `/store/task/${taskId}/ready`)).status).toBe(200);
      const event = await waitFor(async () => events.find((entry) => entry.taskId === taskId), {
        timeoutMs: 5000,
        what: 'store.task.ready',
      });
      expect(event).toMatchObject({
        storeId: shopA,
        purchaseId: bought.body.id,
        userId: passenger,
      });
      const ready = await as<TaskView>(robot, 'GET', `/robot/store/${shopA}/task/${taskId}`);
      expect(ready.body).toMatchObject({ is_ready: true, ready_at: event.readyAt });
      // Idempotent: OK again, no second event.
      expect((await as(terminalA, 'PUT', `/store/task/${taskId}/ready`)).status).toBe(200);
      const openAfter = await as<Page<TaskView>>(terminalA, 'GET', '/store/tasks?size=100');
      expect(openAfter.body.items.map((task) => task.id)).not.toContain(taskId);
      const all = await as<Page<TaskView>>(
        terminalA,
        'GET',
        '/store/tasks?also_ready_tasks=true&size=100',
      );
      expect(all.body.items.map((task) => task.id)).toContain(taskId);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(events.filter((entry) => entry.taskId === taskId)).toHaveLength(1);
    });

    it("shows a task only to a robot serving its passenger: to any other robot it is an unknown task's 404", async () => {
      const soup = await addItem(terminalA);
      // sold by the terminal: the store has no cached yes for this passenger and the robot
      const other = await world.newPassenger();
      const bought = await as<PurchaseView>(terminalA, 'POST', '/store/purchase', {
        user_id: other,
        items: [{ item_id: soup.id, count: 1 }],
        is_default_ready: false,
        additional_data: { note: 'no onions' },
      });
      expect(bought.status).toBe(200);
      const read = (taskId = bought.body.task_id) =>
        as<TaskView & ErrorBody>(robot, 'GET', `/robot/store/${shopA}/task/${taskId}`);
      const unknown = await read(randomUUID());
      expect([unknown.status, unknown.body.code]).toEqual([404, 'TASK_NOT_FOUND']);
      const notFound = [unknown.status, unknown.body.code, unknown.body.detail];

      // One robot (each registration counts against the engineer's 5 a minute): serving
      // `passenger`, then `other` and back to `passenger`, then `other` again.
      const stranger = await read();
      expect([stranger.status, stranger.body.code, stranger.body.detail]).toEqual(notFound);
      await world.identify(robot, other);
      await world.identify(robot, passenger);
      const turned = await read();
      expect([turned.status, turned.body.code, turned.body.detail]).toEqual(notFound);
      await world.identify(robot, other);
      const served = await read();
      expect([served.status, served.body.id, served.body.additional_data]).toEqual([
        200,
        bought.body.task_id,
        { note: 'no onions' },
      ]);
      await world.identify(robot, passenger); // the passenger the other tests buy for
    });

    it('refuses to delete a store with open tasks (409), deletes it once they are done', async () => {
      const shop = await world.newStore();
      const terminal = await world.terminal(shop);
      const tea = await addItem(terminal);
      const bought = await buy(shop, [[tea.id, 1]], { is_default_ready: false });
      const refused = await world.adminCall<ErrorBody>('DELETE', `${STORE_V1}/admin/store/${shop}`);
      expect([refused.status, refused.body.code, refused.body.details]).toEqual([
        409,
        'STORE_HAS_OPEN_TASKS',
        { open_tasks: 1 },
      ]);
      // the seed's console marks a task done at /store/task/{id} (no /ready)
      const done = await as(terminal, 'PUT', `/store/task/${bought.body.task_id}`);
      expect([done.status, done.body]).toEqual([200, { status: 'OK' }]);
      const deleted = await world.adminCall('DELETE', `${STORE_V1}/admin/store/${shop}`);
      expect(deleted.status).toBe(200);
      const gone = await world.adminCall<ErrorBody>('GET', `${STORE_V1}/admin/store/${shop}`);
      expect([gone.status, gone.body.code]).toEqual([404, 'STORE_NOT_FOUND']);
      for (const [method, path] of [
        ['GET', '/store/items'],
        ['GET', '/store/tasks?also_ready_tasks=true'],
        ['PUT', `/store/task/${bought.body.task_id}/ready`],
      ] as const) {
        const orphan = await as(terminal, method, path);
        expect([path, orphan.status, orphan.body.code]).toEqual([path, 404, 'STORE_NOT_FOUND']);
      }
    });
  });

  describe('back office and base', () => {
    it('admin CRUD: unique names (409), update, paged list, by ids', async () => {
      const name = unique('e2e-store');
      const created = await world.adminCall<StoreView>('POST', `${STORE_V1}/admin/store`, {
        name,
        store_type: 'SHOP',
      });
      expect(created.status).toBe(200);
      world.stores.push(created.body.id);
      const twin = await world.adminCall<ErrorBody>('POST', `${STORE_V1}/admin/store`, {
        name,
        store_type: 'RESTAURANT',
      });
      expect([twin.status, twin.body.code]).toEqual([409, 'STORE_NAME_TAKEN']);
      // spaces around it do not make another name, nor does a bidirectional override make one
      const lookalike = await world.adminCall<ErrorBody>('POST', `${STORE_V1}/admin/store`, {
        name: ` ${name}\u00a0`,
        store_type: 'SHOP',
      });
      expect([lookalike.status, lookalike.body.code]).toEqual([409, 'STORE_NAME_TAKEN']);
      const spoofed = await world.adminCall<ErrorBody>('POST', `${STORE_V1}/admin/store`, {
        name: `\u202e${name}`,
        store_type: 'SHOP',
      });
      expect([spoofed.status, spoofed.body.code]).toEqual([400, 'VALIDATION_FAILED']);
      const renamed = await world.adminCall<StoreView>(
        'PATCH',
        `${STORE_V1}/admin/store/${created.body.id}`,
        {
          description: 'now with soup',
          store_type: 'RESTAURANT',
        },
      );
      expect(renamed.body).toMatchObject({
        name,
        description: 'now with soup',
        store_type: 'RESTAURANT',
      });
      // null in an optional field is as good as leaving it out (it was a NOT NULL 500)
      const unchanged = await world.adminCall<StoreView>(
        'PATCH',
        `${STORE_V1}/admin/store/${created.body.id}`,
        { name: null, description: null, logo_url: null, store_type: null },
      );
      expect([unchanged.status, unchanged.body]).toEqual([200, renamed.body]);
      // A length is in code points, as the document and the varchar(255) count: a variation
      // selector after the 255th character passed validation and failed the update (500).
      const storeUrl = `${STORE_V1}/admin/store/${created.body.id}`;
      const longest = `${'é'.repeat(253)}😀\ufe0f`;
      const tooLong = await world.adminCall<ErrorBody>('PATCH', storeUrl, {
        description: `${longest}a`,
      });
      expect([tooLong.status, tooLong.body.code]).toEqual([400, 'VALIDATION_FAILED']);
      const full = await world.adminCall<StoreView>('PATCH', storeUrl, { description: longest });
      expect([full.status, full.body.description]).toEqual([200, longest]);
      const page = await world.adminCall<Page<StoreView>>('GET', `${STORE_V1}/admin/stores?size=1`);
      expect(page.body).toMatchObject({ page: 1, size: 1, items: [expect.any(Object)] });
      const byIds = await world.adminCall<StoreView[]>('POST', `${STORE_V1}/admin/ids/stores`, {
        ids: [created.body.id, randomUUID(), shopA],
      });
      expect(byIds.body.map((store) => store.id)).toEqual([created.body.id, shopA]);
      const listed = await as<StoreView[]>(robot, 'POST', '/robot/stores/list', { ids: [shopB] });
      expect(listed.body).toEqual([
        expect.objectContaining({ id: shopB, store_type: 'RESTAURANT', items: [] }),
      ]);
    });

    it("base registers no locker controller and adopts no robot under a store's id (it locked the store's terminal out)", async () => {
      const shop = await world.newStore();
      const locker = await world.registerLocker(shop);
      expect(locker).toEqual({ status: 409, code: 'DEVICE_ID_TAKEN' });
      const publicKey = generateKeyPairSync('ed25519')
        .publicKey.export({ type: 'spki', format: 'pem' })
        .toString();
      const adopted = await world.adminCall<ErrorBody>('PUT', `${BASE_V1}/admin/robots/${shop}`, {
        robot_model_id: unique('seed-robot'),
        robot_model_name: 'Seed robot',
        public_key: publicKey,
      });
      expect([adopted.status, adopted.body.code]).toEqual([409, 'DEVICE_ID_TAKEN']);
    });

    it("base's kiosk route lists the stores bound to a train today", async () => {
      const trainNumber = 7000 + Math.floor(Math.random() * 1000);
      const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Moscow' }).format(
        new Date(),
      );
      const bound = await world.adminCall('POST', `${BASE_V1}/admin/store/${shopA}/train`, {
        train_number: trainNumber,
        train_date: today,
      });
      expect(bound.status).toBe(200);
      try {
        const listed = await api<Page<string>>(
          'GET',
          `${BASE_V1}/robot/train/${trainNumber}/stores`,
          {
            token: robot,
          },
        );
        expect([listed.status, listed.body.items]).toEqual([200, [shopA]]);
      } finally {
        await world.adminCall('DELETE', `${BASE_V1}/admin/store/${shopA}/train/unbind`, {
          train_number: trainNumber,
          train_date: today,
        });
      }
    });
  });
});
