import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { SERVING_DEADLINES } from '@platform/database';
import { DomainError, POSTGRES_UNAVAILABLE } from '@platform/errors';
import { DataSource, QueryFailedError } from 'typeorm';
import { itemErrors } from '../items/item.errors';
import { storeErrors } from '../stores/store.errors';
import { type PurchaseView } from './dto/purchase.dto';
import { purchaseErrors } from './purchase.errors';
import { type PurchaseOrder } from './purchase-request';
import { purchaseViewOf } from './purchase-views';

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
  /** Whether a live key of this caller already made a purchase of this same request. */
  isRetry(claim: IdempotencyClaim): Promise<boolean>;
  /** Deletes expired idempotency keys; the number deleted. */
  sweepExpiredKeys(): Promise<number>;
}

/**
 * Purchases in Postgres (schema `store`): one call of the function `store.purchase(...)`
 * (migration PurchaseInOneCall), one statement and so one implicit READ COMMITTED transaction,
 * one round trip. Inside it, in this order:
 *
 * 1. With an `Idempotency-Key`: `INSERT INTO idempotency_keys ... ON CONFLICT (caller_id, key)
 *    DO UPDATE ... WHERE expires_at <= now()`. A fresh (or expired) key is claimed by this
 *    transaction; a live one is replayed: the purchase it answered is read back (SP004 when the
 *    request hash differs). A concurrent duplicate blocks on the primary key until the first
 *    transaction ends: after a commit it replays, after a rollback it buys itself. Never twice.
 * 2. The store row `FOR KEY SHARE`: it exists and cannot be deleted until commit (store deletion
 *    locks the store row first too, so the two never deadlock).
 * 3. Per line, in item-id order: `UPDATE items SET balance = balance - n WHERE id = $item AND
 *    store_id = $store AND balance >= n RETURNING price_penny`. THIS statement is what prevents
 *    overselling: it takes the item's row lock, and under READ COMMITTED a concurrent buyer's
 *    UPDATE waits for that lock and then re-evaluates `balance >= n` against the committed new
 *    balance, so two buyers can never both take the last unit. No row: the item is not this
 *    store's (SP002 → 404) or there are not enough (SP003 → 400), and the exception rolls the
 *    whole statement back. The fixed lock order (ascending item id) keeps multi-line purchases
 *    from deadlocking each other. `CHECK (balance >= 0)` backs it.
 * 4. The purchase (its total), its lines (unit prices as read in 3 under the row locks), its
 *    task and the key's purchase. The commit ends the call: all of it or none of it, and the
 *    item rows are locked only for the function's own work and the commit, never across a
 *    network round trip.
 * 5. `store.purchase_before` (migration PurchaseDeadline) wraps it: past the statement deadline
 *    (sent + `statement_timeout`, half a second before this service stops waiting and answers
 *    503) it raises SP005 after the writes, rolling them back. A database paused with the call
 *    in its socket runs it on resume; without the deadline that bought behind a 503.
 */
@Injectable()
export class PurchaseRepository implements PurchaseWriter {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async purchase(order: PurchaseOrder, claim?: IdempotencyClaim): Promise<PurchaseOutcome> {
    const purchaseId = randomUUID();
    const taskId = randomUUID();
    let outcome: PurchaseCallResult | undefined;
    try {
      [outcome] = (await this.dataSource.query(
        `SELECT replayed_purchase_id, purchased_at, unit_prices
           FROM store.purchase_before($1, $2, $3, $4, $5, $6::uuid[], $7::integer[], $8, $9::jsonb,
                                      $10, $11, $12, $13)`,
        [
          new Date(Date.now() + SERVING_DEADLINES.statementMs),
          purchaseId,
          taskId,
          order.storeId,
          order.userId,
          order.lines.map((line) => line.itemId),
          order.lines.map((line) => line.count),
          order.isDefaultReady,
          JSON.stringify(order.additionalData),
          claim?.callerId ?? null,
          claim?.key ?? null,
          claim?.requestHash ?? null,
          IDEMPOTENCY_KEY_TTL_SECONDS,
        ],
      )) as PurchaseCallResult[];
    } catch (error) {
      throw purchaseRefusal(error) ?? error;
    }
    if (!outcome) throw new Error('store.purchase returned no row');
    if (outcome.replayed_purchase_id !== null) {
      return {
        purchase: await this.readBack(outcome.replayed_purchase_id),
        replayed: true,
        taskReadyAt: null,
      };
    }
    const lines = order.lines.map((line, i) => ({
      itemId: line.itemId,
      count: line.count,
      unitPricePenny: outcome.unit_prices[i] ?? 0,
    }));
    const purchase = purchaseViewOf(
      {
        id: purchaseId,
        storeId: order.storeId,
        userId: order.userId,
        totalPenny: lines.reduce((sum, line) => sum + line.count * line.unitPricePenny, 0),
        createdAt: outcome.purchased_at,
      },
      lines,
      taskId,
    );
    return {
      purchase,
      replayed: false,
      taskReadyAt: order.isDefaultReady ? outcome.purchased_at : null,
    };
  }

  async isRetry(claim: IdempotencyClaim): Promise<boolean> {
    const rows = (await this.dataSource.query(
      `SELECT 1 FROM store.idempotency_keys
        WHERE caller_id = $1 AND key = $2 AND request_hash = $3
          AND purchase_id IS NOT NULL AND expires_at > now()`,
      [claim.callerId, claim.key, claim.requestHash],
    )) as unknown[];
    return rows.length > 0;
  }

  /** A committed purchase as first answered (its rows are never changed). */
  private async readBack(purchaseId: string): Promise<PurchaseView> {
    const [row] = (await this.dataSource.query(
      `SELECT p.id, p.store_id, p.user_id, p.total_penny, p.created_at, t.id AS task_id,
              array_agg(l.item_id ORDER BY l.item_id) AS item_ids,
              array_agg(l.count ORDER BY l.item_id) AS counts,
              array_agg(l.unit_price_penny ORDER BY l.item_id) AS unit_prices
         FROM store.purchases p
         JOIN store.tasks t ON t.purchase_id = p.id
         JOIN store.purchase_lines l ON l.purchase_id = p.id
        WHERE p.id = $1
        GROUP BY p.id, t.id`,
      [purchaseId],
    )) as ReadBackRow[];
    // The key's foreign key cascades from the purchase: a live key always has its purchase.
    if (!row) throw new Error(`purchase ${purchaseId} of a live idempotency key is missing`);
    return purchaseViewOf(
      {
        id: row.id,
        storeId: row.store_id,
        userId: row.user_id,
        totalPenny: Number(row.total_penny),
        createdAt: row.created_at,
      },
      row.item_ids.map((itemId, i) => ({
        itemId,
        count: row.counts[i] ?? 0,
        unitPricePenny: row.unit_prices[i] ?? 0,
      })),
      row.task_id,
    );
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

interface PurchaseCallResult {
  replayed_purchase_id: string | null;
  purchased_at: Date;
  unit_prices: number[];
}

interface ReadBackRow {
  id: string;
  store_id: string;
  user_id: string;
  total_penny: string;
  created_at: Date;
  task_id: string;
  item_ids: string[];
  counts: number[];
  unit_prices: number[];
}

/** The refusals `store.purchase` raises (SQLSTATE class SP, see the migration), as API errors. */
function purchaseRefusal(error: unknown): Error | null {
  if (!(error instanceof QueryFailedError)) return null;
  const { code, detail } = error.driverError as { code?: unknown; detail?: unknown };
  switch (code) {
    case 'SP001':
      return storeErrors.notFound();
    case 'SP002':
      return itemErrors.notFound(String(detail));
    case 'SP003': {
      const shortage = JSON.parse(String(detail)) as {
        item_id: string;
        requested: number;
        available: number;
      };
      return purchaseErrors.outOfStock(shortage.item_id, shortage.requested, shortage.available);
    }
    case 'SP004':
      return purchaseErrors.keyReused();
    case 'SP005':
      return new DomainError(
        'unavailable',
        POSTGRES_UNAVAILABLE,
        'The database answered after the purchase deadline; nothing was bought',
      );
    default:
      return null;
  }
}
