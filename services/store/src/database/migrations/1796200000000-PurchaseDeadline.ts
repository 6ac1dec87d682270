import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * `store.purchase_before(p_deadline, ...)`: `store.purchase(...)`, then SP005 when the clock is past
 * the deadline the service gave it, which rolls the whole statement back.
 *
 * Why: the service stops waiting for an answer after its query timeout and tells the buyer 503
 * (nothing bought). A database that was paused (not dead) still holds the statement in its
 * socket and ran it when it resumed: stock taken and a purchase written behind a 503, and the
 * kiosk's passenger bought again (found by fault injection). The check comes after every write,
 * so only a pause inside the commit itself can still land a purchase late.
 */
export class PurchaseDeadline1796200000000 implements MigrationInterface {
  name = 'PurchaseDeadline1796200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION store.purchase_before(
        p_deadline timestamptz,
        p_purchase_id uuid, p_task_id uuid, p_store_id uuid, p_user_id uuid,
        p_item_ids uuid[], p_counts integer[], p_is_default_ready boolean,
        p_additional_data jsonb, p_caller_id uuid, p_key varchar, p_request_hash varchar,
        p_key_ttl_seconds integer,
        OUT replayed_purchase_id uuid, OUT purchased_at timestamptz, OUT unit_prices integer[])
      LANGUAGE plpgsql AS $$
      BEGIN
        SELECT p.replayed_purchase_id, p.purchased_at, p.unit_prices
          INTO replayed_purchase_id, purchased_at, unit_prices
          FROM store.purchase(p_purchase_id, p_task_id, p_store_id, p_user_id, p_item_ids,
                              p_counts, p_is_default_ready, p_additional_data, p_caller_id,
                              p_key, p_request_hash, p_key_ttl_seconds) AS p;
        IF clock_timestamp() > p_deadline THEN
          RAISE EXCEPTION 'purchase past its deadline' USING ERRCODE = 'SP005';
        END IF;
      END
      $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION store.purchase_before`);
  }
}
