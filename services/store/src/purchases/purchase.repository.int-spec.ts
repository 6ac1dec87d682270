import { randomUUID } from 'node:crypto';
import { DomainError } from '@platform/errors';
import { failureOf } from '@platform/testing';
import { createIntegrationDatabase, type IntegrationDatabase } from '@platform/testing/integration';
import { DataSource } from 'typeorm';
import { databaseDefinition } from '../database/database-definition';
import { IDEMPOTENCY_KEY_TTL_SECONDS, PurchaseRepository } from './purchase.repository';
import { type PurchaseOrder, requestHash } from './purchase-request';

/**
 * The purchase write against the real Postgres (a database of its own, the real migrations):
 * concurrent buyers never oversell, a purchase is all or nothing, Idempotency-Keys buy once.
 */
/** The first row of a query that must return one. */
function only<T>(rows: T[]): T {
  const [row] = rows;
  if (row === undefined) throw new Error('expected a row');
  return row;
}

describe('PurchaseRepository on Postgres', () => {
  let database: IntegrationDatabase;
  /** A bigger pool than the tier's default, so that buyers really race in the database. */
  let dataSource: DataSource;
  let repository: PurchaseRepository;

  beforeAll(async () => {
    database = await createIntegrationDatabase(databaseDefinition);
    const options = database.dataSource.options;
    dataSource = await new DataSource({
      ...options,
      extra: { ...(options.extra as object), max: 24 },
    } as typeof options).initialize();
    repository = new PurchaseRepository(dataSource);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  async function newStore(): Promise<string> {
    const row = only(
      (await dataSource.query(
        `INSERT INTO store.stores (name, description, logo_url, store_type)
       VALUES ($1, '', '', 'SHOP') RETURNING id`,
        [`it-${randomUUID()}`],
      )) as { id: string }[],
    );
    return row.id;
  }

  async function newItem(storeId: string, balance: number, pricePenny = 150): Promise<string> {
    const row = only(
      (await dataSource.query(
        `INSERT INTO store.items (store_id, name, description, logo_url, category, balance, price_penny)
       VALUES ($1, 'tea', '', '', 'food', $2, $3) RETURNING id`,
        [storeId, balance, pricePenny],
      )) as { id: string }[],
    );
    return row.id;
  }

  async function balanceOf(itemId: string): Promise<number> {
    const row = only(
      (await dataSource.query(`SELECT balance FROM store.items WHERE id = $1`, [itemId])) as {
        balance: number;
      }[],
    );
    return row.balance;
  }

  async function countOf(sql: string, parameters: unknown[]): Promise<number> {
    return Number(only((await dataSource.query(sql, parameters)) as { n: string }[]).n);
  }

  function order(
    storeId: string,
    lines: [string, number][],
    userId: string = randomUUID(),
  ): PurchaseOrder {
    return {
      storeId,
      userId,
      lines: lines
        .map(([itemId, count]) => ({ itemId, count }))
        .sort((a, b) => (a.itemId < b.itemId ? -1 : 1)),
      isDefaultReady: false,
      additionalData: { note: 'it' },
    };
  }

  it('60 parallel buyers race for the last 10 units: exactly 10 sold, none oversold, nothing half-written', async () => {
    const storeId = await newStore();
    const itemId = await newItem(storeId, 10, 250);
    const buyers = 60;
    let sampling = true;
    const samples: number[] = [];
    const sampler = (async () => {
      while (sampling) samples.push(await balanceOf(itemId));
    })();
    const outcomes = await Promise.allSettled(
      Array.from({ length: buyers }, () => repository.purchase(order(storeId, [[itemId, 1]]))),
    );
    sampling = false;
    await sampler;

    const sold = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    const refused = outcomes.flatMap((outcome) =>
      outcome.status === 'rejected' ? [outcome.reason as unknown] : [],
    );
    expect(sold).toHaveLength(10);
    expect(refused).toHaveLength(buyers - 10);
    for (const reason of refused) {
      expect(reason).toBeInstanceOf(DomainError);
      expect((reason as DomainError).code).toBe('OUT_OF_STOCK');
    }
    expect(await balanceOf(itemId)).toBe(0);
    expect(samples.length).toBeGreaterThan(0);
    expect(Math.min(...samples)).toBeGreaterThanOrEqual(0);
    // Every purchase has its line and its task; the units in lines are the stock's decrease.
    expect(
      await countOf(`SELECT count(*) AS n FROM store.purchases WHERE store_id = $1`, [storeId]),
    ).toBe(10);
    expect(
      await countOf(
        `SELECT coalesce(sum(line.count), 0) AS n FROM store.purchase_lines line
           JOIN store.purchases purchase ON purchase.id = line.purchase_id
          WHERE purchase.store_id = $1`,
        [storeId],
      ),
    ).toBe(10);
    expect(
      await countOf(
        `SELECT count(*) AS n FROM store.purchases purchase
          WHERE purchase.store_id = $1
            AND (NOT EXISTS (SELECT 1 FROM store.purchase_lines l WHERE l.purchase_id = purchase.id)
              OR NOT EXISTS (SELECT 1 FROM store.tasks t WHERE t.purchase_id = purchase.id))`,
        [storeId],
      ),
    ).toBe(0);
    expect(
      await countOf(
        `SELECT count(*) AS n FROM store.purchases WHERE store_id = $1 AND total_penny <> 250`,
        [storeId],
      ),
    ).toBe(0);
  });

  it('mixed counts and two-item purchases in opposite orders: no deadlock, stock spent exactly', async () => {
    const storeId = await newStore();
    const [a, b] = [await newItem(storeId, 30), await newItem(storeId, 30)];
    const outcomes = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        repository.purchase(
          order(
            storeId,
            i % 2 === 0
              ? [
                  [a, 1 + (i % 3)],
                  [b, 1],
                ]
              : [
                  [b, 2],
                  [a, 1],
                ],
          ),
        ),
      ),
    );
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') {
        expect((outcome.reason as DomainError).code).toBe('OUT_OF_STOCK');
      }
    }
    const soldOf = async (itemId: string) =>
      countOf(`SELECT coalesce(sum(count), 0) AS n FROM store.purchase_lines WHERE item_id = $1`, [
        itemId,
      ]);
    expect((await soldOf(a)) + (await balanceOf(a))).toBe(30);
    expect((await soldOf(b)) + (await balanceOf(b))).toBe(30);
    expect(await balanceOf(a)).toBeGreaterThanOrEqual(0);
    expect(await balanceOf(b)).toBeGreaterThanOrEqual(0);
  });

  it('records unit prices and the total at the time of purchase', async () => {
    const storeId = await newStore();
    const [tea, cake] = [await newItem(storeId, 5, 150), await newItem(storeId, 5, 990)];
    const { purchase } = await repository.purchase(
      order(storeId, [
        [tea, 2],
        [cake, 1],
      ]),
    );
    await dataSource.query(`UPDATE store.items SET price_penny = 1 WHERE store_id = $1`, [storeId]);
    expect(purchase.total_penny).toBe(2 * 150 + 990);
    const lines = (await dataSource.query(
      `SELECT item_id, count, unit_price_penny FROM store.purchase_lines WHERE purchase_id = $1 ORDER BY item_id`,
      [purchase.id],
    )) as unknown[];
    expect(lines).toEqual(
      expect.arrayContaining([
        { item_id: tea, count: 2, unit_price_penny: 150 },
        { item_id: cake, count: 1, unit_price_penny: 990 },
      ]),
    );
  });

  it.each<
    [string, (store: string, other: string, item: string, foreign: string) => PurchaseOrder, string]
  >([
    [
      "another store's item",
      (store, _o, item, foreign) =>
        order(store, [
          [item, 1],
          [foreign, 1],
        ]),
      'ITEM_NOT_FOUND',
    ],
    [
      'an unknown item',
      (store, _o, item) =>
        order(store, [
          [item, 1],
          [randomUUID(), 1],
        ]),
      'ITEM_NOT_FOUND',
    ],
    ['more than in stock', (store, _o, item) => order(store, [[item, 4]]), 'OUT_OF_STOCK'],
    ['an unknown store', (_s, _o, item) => order(randomUUID(), [[item, 1]]), 'STORE_NOT_FOUND'],
  ])('refuses %s and changes nothing', async (_what, make, code) => {
    const storeId = await newStore();
    const otherStore = await newStore();
    const itemId = await newItem(storeId, 3);
    const foreignId = await newItem(otherStore, 3);
    const error = await failureOf(
      repository.purchase(make(storeId, otherStore, itemId, foreignId)),
    );
    expect(error.code).toBe(code);
    expect([await balanceOf(itemId), await balanceOf(foreignId)]).toEqual([3, 3]);
    expect(
      await countOf(`SELECT count(*) AS n FROM store.purchases WHERE store_id IN ($1, $2)`, [
        storeId,
        otherStore,
      ]),
    ).toBe(0);
  });

  it('a call that reaches Postgres after its deadline buys nothing (a database paused with it in its socket)', async () => {
    const storeId = await newStore();
    const itemId = await newItem(storeId, 3);
    // The service sent it 10 s ago: it gave up long since and told the buyer 503.
    const sentLongAgo = jest.spyOn(Date, 'now').mockReturnValueOnce(Date.now() - 10_000);
    const error = await failureOf(repository.purchase(order(storeId, [[itemId, 1]])));
    sentLongAgo.mockRestore();
    expect([error.kind, error.code]).toEqual(['unavailable', 'POSTGRES_UNAVAILABLE']);
    expect(await balanceOf(itemId)).toBe(3);
    expect(
      await countOf(`SELECT count(*) AS n FROM store.purchases WHERE store_id = $1`, [storeId]),
    ).toBe(0);
    expect(
      await countOf(`SELECT count(*) AS n FROM store.tasks WHERE store_id = $1`, [storeId]),
    ).toBe(0);
    // In time, the same order buys.
    await repository.purchase(order(storeId, [[itemId, 1]]));
    expect(await balanceOf(itemId)).toBe(2);
  });

  describe('Idempotency-Key', () => {
    it('a retry gets the first answer and buys nothing; another body is 422', async () => {
      const storeId = await newStore();
      const itemId = await newItem(storeId, 5);
      const first = order(storeId, [[itemId, 2]]);
      const claim = { callerId: randomUUID(), key: 'retry-1', requestHash: requestHash(first) };
      const bought = await repository.purchase(first, claim);
      const again = await repository.purchase(first, claim);
      expect(again).toEqual({ purchase: bought.purchase, replayed: true, taskReadyAt: null });
      expect(await balanceOf(itemId)).toBe(3);
      const other = order(storeId, [[itemId, 1]], first.userId);
      const error = await failureOf(
        repository.purchase(other, { ...claim, requestHash: requestHash(other) }),
      );
      expect([error.kind, error.code]).toEqual(['unprocessable', 'IDEMPOTENCY_KEY_REUSED']);
      // Keys are per caller: another device's same key is another purchase.
      await repository.purchase(first, { ...claim, callerId: randomUUID() });
      expect(await balanceOf(itemId)).toBe(1);
    });

    it('20 concurrent requests with one key buy once and all get the same answer', async () => {
      const storeId = await newStore();
      const itemId = await newItem(storeId, 50);
      const request = order(storeId, [[itemId, 1]]);
      const claim = { callerId: randomUUID(), key: 'burst', requestHash: requestHash(request) };
      const outcomes = await Promise.all(
        Array.from({ length: 20 }, () => repository.purchase(request, claim)),
      );
      expect(new Set(outcomes.map((outcome) => outcome.purchase.id)).size).toBe(1);
      expect(outcomes.filter((outcome) => !outcome.replayed)).toHaveLength(1);
      expect(await balanceOf(itemId)).toBe(49);
    });

    it('a refused purchase does not use the key up; an expired key buys again', async () => {
      const storeId = await newStore();
      const itemId = await newItem(storeId, 1);
      const request = order(storeId, [[itemId, 1]]);
      const claim = { callerId: randomUUID(), key: 'later', requestHash: requestHash(request) };
      await dataSource.query(`UPDATE store.items SET balance = 0 WHERE id = $1`, [itemId]);
      expect((await failureOf(repository.purchase(request, claim))).code).toBe('OUT_OF_STOCK');
      await dataSource.query(`UPDATE store.items SET balance = 2 WHERE id = $1`, [itemId]);
      const first = await repository.purchase(request, claim);
      expect(first.replayed).toBe(false);
      await dataSource.query(
        `UPDATE store.idempotency_keys SET expires_at = now() - interval '1 second'
          WHERE caller_id = $1`,
        [claim.callerId],
      );
      const second = await repository.purchase(request, claim);
      expect(second.replayed).toBe(false);
      expect(second.purchase.id).not.toBe(first.purchase.id);
      expect(await balanceOf(itemId)).toBe(0);
      const key = only(
        (await dataSource.query(
          `SELECT extract(epoch FROM expires_at - created_at) AS ttl FROM store.idempotency_keys
          WHERE caller_id = $1`,
          [claim.callerId],
        )) as { ttl: string }[],
      );
      expect(Number(key.ttl)).toBe(IDEMPOTENCY_KEY_TTL_SECONDS);
    });

    it('knows a retry: a live key of the caller that bought this same request', async () => {
      const storeId = await newStore();
      const itemId = await newItem(storeId, 5);
      const request = order(storeId, [[itemId, 1]]);
      const claim = { callerId: randomUUID(), key: 'k', requestHash: requestHash(request) };
      expect(await repository.isRetry(claim)).toBe(false);
      await repository.purchase(request, claim);
      expect(await repository.isRetry(claim)).toBe(true);
      const other = order(storeId, [[itemId, 2]]);
      expect(await repository.isRetry({ ...claim, requestHash: requestHash(other) })).toBe(false);
      expect(await repository.isRetry({ ...claim, callerId: randomUUID() })).toBe(false);
      await dataSource.query(
        `UPDATE store.idempotency_keys SET expires_at = now() - interval '1 second'
          WHERE caller_id = $1`,
        [claim.callerId],
      );
      expect(await repository.isRetry(claim)).toBe(false);
    });

    it('the sweep deletes expired keys only', async () => {
      const storeId = await newStore();
      const itemId = await newItem(storeId, 5);
      const request = order(storeId, [[itemId, 1]]);
      const callerId = randomUUID();
      await repository.purchase(request, { callerId, key: 'a', requestHash: requestHash(request) });
      await repository.purchase(request, { callerId, key: 'b', requestHash: requestHash(request) });
      await dataSource.query(
        `UPDATE store.idempotency_keys SET expires_at = now() - interval '1 second'
          WHERE caller_id = $1 AND key = 'a'`,
        [callerId],
      );
      expect(await repository.sweepExpiredKeys()).toBeGreaterThanOrEqual(1);
      const left = (await dataSource.query(
        `SELECT key FROM store.idempotency_keys WHERE caller_id = $1`,
        [callerId],
      )) as { key: string }[];
      expect(left).toEqual([{ key: 'b' }]);
    });
  });
});
