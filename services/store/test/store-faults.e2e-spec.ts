import { randomUUID } from 'node:crypto';
import { POSTGRES_UNAVAILABLE, REDIS_UNAVAILABLE } from '@platform/errors';
import { api, expectUnavailable, timed, waitFor, withFault } from '@platform/testing';
import { type StoreItemView } from '../src/items/dto/item.dto';
import { type PurchaseView } from '../src/purchases/dto/purchase.dto';
import { STORE_V1, StoreWorld, unique } from './store-fixtures';

/**
 * Purchases with Postgres or Redis dead (stopped) or stuck (SIGSTOPped), through the gateway
 * (@platform/testing faults): every purchase is answered within 5 s with a 503 naming the
 * dependency, the service recovers by itself, and money and stock stay exact: retried with their
 * Idempotency-Keys after the fault, the purchases attempted during it happened exactly once each;
 * without keys (the deployed kiosk), a purchase answered 503 never happens.
 */
describe('store with a dead or stuck dependency', () => {
  const world = new StoreWorld();
  const STOCK = 1000;
  let shop: string;
  let terminal: string;
  let robot: string;
  let passenger: string;
  let item: StoreItemView;

  /** As the deployed kiosk buys: without an Idempotency-Key when `key` is null. */
  const buy = (key: string | null) =>
    api<PurchaseView>('POST', `${STORE_V1}/robot/store/${shop}/make_purchase`, {
      token: robot,
      headers: key === null ? {} : { 'Idempotency-Key': key },
      body: {
        user_id: passenger,
        items: [{ item_id: item.id, count: 1 }],
        is_default_ready: true,
        additional_data: {},
      },
    });

  async function balance(): Promise<number> {
    const read = await api<StoreItemView>('GET', `${STORE_V1}/store/item/${item.id}`, {
      token: terminal,
    });
    expect(read.status).toBe(200);
    return read.body.balance;
  }

  async function recovered(): Promise<void> {
    await waitFor(async () => ((await buy(randomUUID())).status === 200 ? true : undefined), {
      timeoutMs: 30_000,
      what: 'a purchase after the fault',
    });
  }

  beforeAll(async () => {
    await world.setUp();
    shop = await world.newStore();
    [terminal, passenger] = [await world.terminal(shop), await world.newPassenger()];
    robot = await world.robotServing(passenger);
    const created = await api<StoreItemView>('POST', `${STORE_V1}/store/item`, {
      token: terminal,
      body: {
        name: unique('tea'),
        description: 'black tea',
        logo_url: 'tea.png',
        balance: STOCK,
        price_penny: 150,
        category: 'food',
      },
    });
    expect(created.status).toBe(200);
    item = created.body;
    // The passenger is known to the store (its yes is kept a minute): the fault is the store's own.
    expect((await buy(randomUUID())).status).toBe(200);
  });

  afterAll(() => world.tearDown());

  describe.each(['stopped', 'stuck'] as const)('Postgres %s', (kind) => {
    it('answers 503 POSTGRES_UNAVAILABLE within 5 s; each purchase retried happens once', async () => {
      const before = await balance();
      const keys = [randomUUID(), randomUUID(), randomUUID()];
      await withFault(kind, 'postgres', async () => {
        const answers = await Promise.all(keys.map((key) => timed(() => buy(key))));
        for (const answer of answers) expectUnavailable(answer, POSTGRES_UNAVAILABLE);
      });
      await recovered();
      const retried = await Promise.all(keys.map((key) => buy(key)));
      expect(retried.map((answer) => answer.status)).toEqual([200, 200, 200]);
      expect(new Set(retried.map((answer) => answer.body.id)).size).toBe(3);
      // the recovery probe bought one more, each retried key exactly one
      expect(await balance()).toBe(before - 1 - keys.length);
    });
  });

  it('buys nothing behind a 503 when Postgres resumes with the purchases still in its sockets (no key)', async () => {
    // Refreshes the store's minute-long "this passenger exists": the fault is the store's own.
    expect((await buy(null)).status).toBe(200);
    const before = await balance();
    await withFault('stuck', 'postgres', async () => {
      // Sent to pooled connections of a paused server: written, never answered. On resume
      // Postgres reads and runs them; past their deadline they roll back (store.purchase_before).
      const answers = await Promise.all([1, 2, 3].map(() => timed(() => buy(null))));
      for (const answer of answers) expectUnavailable(answer, POSTGRES_UNAVAILABLE);
    });
    await recovered();
    // Only the recovery probe bought.
    expect(await balance()).toBe(before - 1);
  });

  describe.each(['stopped', 'stuck'] as const)('Redis %s', (kind) => {
    it('answers 503 REDIS_UNAVAILABLE within 5 s (device sessions live there), and recovers', async () => {
      const before = await balance();
      await withFault(kind, 'redis', async () => {
        const answers = await Promise.all([
          timed(() => buy(randomUUID())),
          timed(() => buy(randomUUID())),
        ]);
        for (const answer of answers) expectUnavailable(answer, REDIS_UNAVAILABLE);
      });
      await recovered();
      expect(await balance()).toBe(before - 1);
    });
  });
});
