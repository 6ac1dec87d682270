import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * A purchase becomes one call of `store.purchase(...)`: one round trip and one implicit
 * transaction instead of six statements over the wire, so a hot item's row lock is held for the
 * function's own work and the commit, not for three network round trips (docs/performance.md).
 * The SQLSTATEs it raises (class `SP`) are mapped by PurchaseRepository:
 * SP001 store not found, SP002 item not found (DETAIL: item id), SP003 out of stock (DETAIL:
 * `{"item_id", "requested", "available"}`), SP004 Idempotency-Key reused with another request.
 *
 * An idempotency key now keeps the purchase it answered, not a copy of the answer: a replay reads
 * the purchase back (its rows never change), so the answer has one writer, the service.
 */
export class PurchaseInOneCall1795600000000 implements MigrationInterface {
  name = 'PurchaseInOneCall1795600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE store.idempotency_keys DROP COLUMN response`);
    await queryRunner.query(`
      CREATE FUNCTION store.purchase(
        p_purchase_id uuid, p_task_id uuid, p_store_id uuid, p_user_id uuid,
        p_item_ids uuid[], p_counts integer[], p_is_default_ready boolean,
        p_additional_data jsonb, p_caller_id uuid, p_key varchar, p_request_hash varchar,
        p_key_ttl_seconds integer,
        OUT replayed_purchase_id uuid, OUT purchased_at timestamptz, OUT unit_prices integer[])
      LANGUAGE plpgsql AS $$
      DECLARE
        v_first_hash varchar;
        v_price integer;
        v_balance integer;
        v_total bigint := 0;
      BEGIN
        -- 1. The key: a fresh (or expired) one is claimed; a concurrent duplicate waits here on
        --    the primary key until the first transaction ends, then replays or buys itself.
        IF p_key IS NOT NULL THEN
          INSERT INTO store.idempotency_keys AS k (caller_id, key, request_hash, expires_at)
          VALUES (p_caller_id, p_key, p_request_hash,
                  now() + make_interval(secs => p_key_ttl_seconds))
          ON CONFLICT (caller_id, key) DO UPDATE
            SET request_hash = EXCLUDED.request_hash, purchase_id = NULL,
                created_at = now(), expires_at = EXCLUDED.expires_at
            WHERE k.expires_at <= now();
          IF NOT FOUND THEN
            SELECT k.request_hash, k.purchase_id INTO v_first_hash, replayed_purchase_id
              FROM store.idempotency_keys AS k WHERE k.caller_id = p_caller_id AND k.key = p_key;
            IF v_first_hash IS DISTINCT FROM p_request_hash THEN
              RAISE EXCEPTION 'Idempotency-Key reused' USING ERRCODE = 'SP004';
            END IF;
            RETURN;
          END IF;
        END IF;
        -- 2. The store exists and cannot be deleted before this commits.
        PERFORM 1 FROM store.stores WHERE id = p_store_id FOR KEY SHARE;
        IF NOT FOUND THEN
          RAISE EXCEPTION 'store not found' USING ERRCODE = 'SP001';
        END IF;
        purchased_at := now();
        unit_prices := '{}';
        -- 3. Stock, line by line in the caller's (ascending item id) order. The conditional
        --    UPDATE takes the row lock; a concurrent buyer waits for it and re-checks
        --    balance >= count against the committed balance: never oversold.
        FOR i IN 1 .. cardinality(p_item_ids) LOOP
          UPDATE store.items SET balance = balance - p_counts[i]
           WHERE id = p_item_ids[i] AND store_id = p_store_id AND balance >= p_counts[i]
           RETURNING price_penny INTO v_price;
          IF NOT FOUND THEN
            SELECT balance INTO v_balance FROM store.items
             WHERE id = p_item_ids[i] AND store_id = p_store_id;
            IF NOT FOUND THEN
              RAISE EXCEPTION 'item not found' USING ERRCODE = 'SP002', DETAIL = p_item_ids[i]::text;
            END IF;
            RAISE EXCEPTION 'out of stock' USING ERRCODE = 'SP003',
              DETAIL = json_build_object('item_id', p_item_ids[i], 'requested', p_counts[i],
                                        'available', v_balance)::text;
          END IF;
          unit_prices := unit_prices || v_price;
          v_total := v_total + v_price::bigint * p_counts[i];
        END LOOP;
        -- 4. The purchase, its lines at the prices read under the locks, its task, the key.
        INSERT INTO store.purchases (id, store_id, user_id, total_penny, created_at)
        VALUES (p_purchase_id, p_store_id, p_user_id, v_total, purchased_at);
        INSERT INTO store.purchase_lines (purchase_id, item_id, count, unit_price_penny)
        SELECT p_purchase_id, line.item_id, line.count, line.unit_price_penny
          FROM unnest(p_item_ids, p_counts, unit_prices) AS line(item_id, count, unit_price_penny);
        INSERT INTO store.tasks (id, store_id, purchase_id, user_id, is_ready, ready_at,
                                 additional_data)
        VALUES (p_task_id, p_store_id, p_purchase_id, p_user_id, p_is_default_ready,
                CASE WHEN p_is_default_ready THEN purchased_at END, p_additional_data);
        IF p_key IS NOT NULL THEN
          UPDATE store.idempotency_keys SET purchase_id = p_purchase_id
           WHERE caller_id = p_caller_id AND key = p_key;
        END IF;
      END
      $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION store.purchase`);
    await queryRunner.query(`ALTER TABLE store.idempotency_keys ADD COLUMN response jsonb`);
  }
}
