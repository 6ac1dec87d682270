import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { queryRows } from '@platform/database';
import { DataSource, type EntityManager } from 'typeorm';
import { itemErrors } from '../items/item.errors';
import { storeErrors } from '../stores/store.errors';
import { type PurchaseView } from './dto/purchase.dto';
import { purchaseErrors } from './purchase.errors';
import { type MergedLine, type PurchaseOrder } from './purchase-request';

/** How long an Idempotency-Key is remembered: a retry within this time gets the first answer. */
export const IDEMPOTENCY_KEY_TTL_SECONDS = 24 * 60 * 60;

export interface IdempotencyClaim {
  /** The device that sent the key: keys are per caller. */
  callerId: string;
  key: string;
  requestHash: string;
}

export interface PurchaseOutcome {
  purchase: PurchaseView;
  /** The first answer to this Idempotency-Key, returned again: nothing was bought now. */
  replayed: boolean;
  /** When the task it created became ready (at once with `is_default_ready`), else null. */
  taskReadyAt: Date | null;
}

/** The purchase write, one transaction; tests drive it against the real Postgres. */
export interface PurchaseWriter {
  purchase(order: PurchaseOrder, claim?: IdempotencyClaim): Promise<PurchaseOutcome>;
  /** Deletes expired idempotency keys; the number deleted. */
  sweepExpiredKeys(): Promise<number>;
}

interface PricedLine extends MergedLine {
  unitPricePenny: number;
}

/**
 * Purchases in Postgres (schema `store`). One transaction (READ COMMITTED) per purchase:
 *
 * 1. With an `Idempotency-Key`: `INSERT INTO idempotency_keys ... ON CONFLICT (caller_id, key)
 *    DO UPDATE ... WHERE expires_at <= now()`. A fresh (or expired) key is claimed by this
 *    transaction; a live one returns no row and its stored answer is replayed (422 when the
 *    request hash differs). A concurrent duplicate blocks on the primary key until the first
 *    transaction ends: after a commit it replays that answer, after a rollback it buys itself.
 *    Never twice.
 * 2. `SELECT ... FROM stores FOR KEY SHARE`: the store exists and cannot be deleted until commit
 *    (store deletion locks the store row first too, so the two never deadlock).
 * 3. Per line, in item-id order: `UPDATE items SET balance = balance - n WHERE id = $item AND
 *    store_id = $store AND balance >= n RETURNING price_penny`. THIS statement is what prevents
 *    overselling: it takes the item's row lock, and under READ COMMITTED a concurrent buyer's
 *    UPDATE waits for that lock and then re-evaluates `balance >= n` against the committed new
 *    balance, so two buyers can never both take the last unit. No row: the item is not this
 *    store's (404) or there are not enough (400), and the transaction rolls back whole. The fixed
 *    lock order (ascending item id) keeps multi-line purchases from deadlocking each other.
 *    `CHECK (balance >= 0)` backs it: any write that would go negative fails.
 * 4. One statement inserts the purchase (its total), its lines (unit prices as read in 3 under
 *    the row lock) and its task.
 *    The same statement gives the key's row the purchase and the answer (built beforehand, with
 *    ids made here and the transaction's now()). COMMIT: all of it or none of it.
 */
@Injectable()
export class PurchaseRepository implements PurchaseWriter {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  purchase(order: PurchaseOrder, claim?: IdempotencyClaim): Promise<PurchaseOutcome> {
    return this.dataSource.transaction('READ COMMITTED', async (manager) => {
      if (claim) {
        const replayed = await claimKey(manager, claim);
        if (replayed) return { purchase: replayed, replayed: true, taskReadyAt: null };
      }
      // now() is the transaction's start time: the purchase's created_at and a ready task's
      // ready_at below take this same value, so the answer can be built before the insert.
      const [store] = await rows(
        manager,
        `SELECT id, now() AS at FROM store.stores WHERE id = $1 FOR KEY SHARE`,
        [order.storeId],
      );
      if (!store) throw storeErrors.notFound();
      const at = store['at'] as Date;
      const priced: PricedLine[] = [];
      for (const line of order.lines) {
        const [item] = await rows(
          manager,
          `UPDATE store.items SET balance = balance - $3
            WHERE id = $1 AND store_id = $2 AND balance >= $3
            RETURNING price_penny`,
          [line.itemId, order.storeId, line.count],
        );
        if (!item) throw await whyNotSold(manager, order.storeId, line);
        priced.push({ ...line, unitPricePenny: Number(item['price_penny']) });
      }
      const purchase: PurchaseView = {
        id: randomUUID(),
        store_id: order.storeId,
        user_id: order.userId,
        items: priced.map((line) => ({
          item_id: line.itemId,
          count: line.count,
          unit_price_penny: line.unitPricePenny,
        })),
        total_penny: priced.reduce((sum, line) => sum + line.count * line.unitPricePenny, 0),
        task_id: randomUUID(),
        date: at.toISOString(),
      };
      // From here to COMMIT the item rows stay locked: the rows, the task and the key's answer go
      // in one statement, so a hot item waits for one round trip, not three.
      await rows(
        manager,
        `WITH purchase AS (
           INSERT INTO store.purchases (id, store_id, user_id, total_penny)
           VALUES ($1, $2, $3, $4) RETURNING id
         ), lines AS (
           INSERT INTO store.purchase_lines (purchase_id, item_id, count, unit_price_penny)
           SELECT purchase.id, line.item_id, line.count, line.unit_price_penny
             FROM purchase, unnest($5::uuid[], $6::int[], $7::int[])
               AS line(item_id, count, unit_price_penny)
         ), task AS (
           INSERT INTO store.tasks (id, store_id, purchase_id, user_id, is_ready, ready_at, additional_data)
           SELECT $8, $2, purchase.id, $3, $9, CASE WHEN $9 THEN now() END, $10::jsonb FROM purchase
         ), answer AS (
           UPDATE store.idempotency_keys SET purchase_id = $1, response = $13::jsonb
            WHERE $11::uuid IS NOT NULL AND caller_id = $11 AND key = $12
         )
         SELECT 1`,
        [
          purchase.id,
          order.storeId,
          order.userId,
          purchase.total_penny,
          priced.map((line) => line.itemId),
          priced.map((line) => line.count),
          priced.map((line) => line.unitPricePenny),
          purchase.task_id,
          order.isDefaultReady,
          JSON.stringify(order.additionalData),
          claim?.callerId ?? null,
          claim?.key ?? null,
          JSON.stringify(purchase),
        ],
      );
      return { purchase, replayed: false, taskReadyAt: order.isDefaultReady ? at : null };
    });
  }

  async sweepExpiredKeys(): Promise<number> {
    const result = await this.dataSource
      .createQueryBuilder()
      .delete()
      .from('store.idempotency_keys')
      .where('expires_at <= now()')
      .execute();
    return result.affected ?? 0;
  }
}

function rows(
  manager: EntityManager,
  sql: string,
  parameters: unknown[],
): Promise<Record<string, unknown>[]> {
  const runner = manager.queryRunner;
  if (!runner) throw new Error('purchase statements run inside the transaction only');
  return queryRows(runner, sql, parameters);
}

/** Step 1: null when this transaction now owns the key, else the first answer to replay. */
async function claimKey(
  manager: EntityManager,
  claim: IdempotencyClaim,
): Promise<PurchaseView | null> {
  const claimed = await rows(
    manager,
    `INSERT INTO store.idempotency_keys (caller_id, key, request_hash, expires_at)
     VALUES ($1, $2, $3, now() + make_interval(secs => $4))
     ON CONFLICT (caller_id, key) DO UPDATE
       SET request_hash = EXCLUDED.request_hash, purchase_id = NULL, response = NULL,
           created_at = now(), expires_at = EXCLUDED.expires_at
       WHERE idempotency_keys.expires_at <= now()
     RETURNING caller_id`,
    [claim.callerId, claim.key, claim.requestHash, IDEMPOTENCY_KEY_TTL_SECONDS],
  );
  if (claimed.length > 0) return null;
  const [first] = await rows(
    manager,
    `SELECT request_hash, response FROM store.idempotency_keys WHERE caller_id = $1 AND key = $2`,
    [claim.callerId, claim.key],
  );
  if (!first || first['response'] === null) {
    // Unreachable: the conflicting row is committed (the INSERT waited for its transaction) and
    // every committed key has its answer.
    throw new Error('idempotency key without an answer');
  }
  if (first['request_hash'] !== claim.requestHash) throw purchaseErrors.keyReused();
  return first['response'] as PurchaseView;
}

/** Why step 3 updated nothing: no store, not this store's item, or not enough in stock. */
async function whyNotSold(
  manager: EntityManager,
  storeId: string,
  line: MergedLine,
): Promise<Error> {
  const [item] = await rows(
    manager,
    `SELECT balance FROM store.items WHERE id = $1 AND store_id = $2`,
    [line.itemId, storeId],
  );
  if (!item) return itemErrors.notFound(line.itemId);
  return purchaseErrors.outOfStock(line.itemId, line.count, Number(item['balance']));
}
