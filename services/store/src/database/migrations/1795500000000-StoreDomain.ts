import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The store domain: stores, their items and stock, purchases with their lines, kitchen tasks and
 * purchase idempotency keys. Hand-written and reviewed; never edit it once merged, add a new
 * migration instead.
 *
 * Differences from the seed's schema, on purpose (docs/api/store.md):
 * - store names are unique in the database (the seed checked in the application only);
 * - stock (`balance`), prices and totals cannot go negative and a line's count is positive
 *   (CHECK constraints back the conditional stock update of a purchase);
 * - a purchase records its total and each line's unit price at the time of purchase; one line
 *   per item (primary key `(purchase_id, item_id)`: duplicates are merged before insert);
 * - a purchase line keeps its item id without a foreign key, so deleting an item keeps the
 *   purchase history it appears in;
 * - every `created_at` is `timestamptz DEFAULT now()`, evaluated by Postgres per row;
 * - a task knows when it became ready (`ready_at`), and a purchase has exactly one task;
 * - `idempotency_keys`: one row per (caller device, Idempotency-Key), written in the purchase's
 *   own transaction.
 */
export class StoreDomain1795500000000 implements MigrationInterface {
  // Explicit, so a minified build keeps the name TypeORM records in the migrations table.
  name = 'StoreDomain1795500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE store.stores (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        name varchar(100) NOT NULL,
        description varchar(255) NOT NULL,
        logo_url varchar(255) NOT NULL,
        store_type varchar(16) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT stores_pkey PRIMARY KEY (id),
        CONSTRAINT stores_name_key UNIQUE (name),
        CONSTRAINT stores_name_not_blank CHECK (length(btrim(name)) > 0),
        CONSTRAINT stores_store_type_check CHECK (store_type IN ('SHOP', 'RESTAURANT'))
      )`);
    await queryRunner.query(`CREATE INDEX stores_created_at_idx ON store.stores (created_at, id)`);

    await queryRunner.query(`
      CREATE TABLE store.items (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        store_id uuid NOT NULL,
        name varchar(100) NOT NULL,
        description varchar(255) NOT NULL,
        logo_url varchar(255) NOT NULL,
        category varchar(100) NOT NULL,
        balance integer NOT NULL,
        price_penny integer NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT items_pkey PRIMARY KEY (id),
        CONSTRAINT items_balance_check CHECK (balance >= 0),
        CONSTRAINT items_price_penny_check CHECK (price_penny >= 0),
        CONSTRAINT items_store_id_fkey FOREIGN KEY (store_id)
          REFERENCES store.stores (id) ON DELETE CASCADE
      )`);
    await queryRunner.query(
      `CREATE INDEX items_store_id_created_at_idx ON store.items (store_id, created_at, id)`,
    );

    await queryRunner.query(`
      CREATE TABLE store.purchases (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        store_id uuid NOT NULL,
        user_id uuid NOT NULL,
        total_penny bigint NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT purchases_pkey PRIMARY KEY (id),
        CONSTRAINT purchases_total_penny_check CHECK (total_penny >= 0),
        CONSTRAINT purchases_store_id_fkey FOREIGN KEY (store_id)
          REFERENCES store.stores (id) ON DELETE CASCADE
      )`);
    await queryRunner.query(
      `CREATE INDEX purchases_store_id_user_id_created_at_idx
         ON store.purchases (store_id, user_id, created_at)`,
    );

    await queryRunner.query(`
      CREATE TABLE store.purchase_lines (
        purchase_id uuid NOT NULL,
        item_id uuid NOT NULL,
        count integer NOT NULL,
        unit_price_penny integer NOT NULL,
        CONSTRAINT purchase_lines_pkey PRIMARY KEY (purchase_id, item_id),
        CONSTRAINT purchase_lines_count_check CHECK (count > 0),
        CONSTRAINT purchase_lines_unit_price_penny_check CHECK (unit_price_penny >= 0),
        CONSTRAINT purchase_lines_purchase_id_fkey FOREIGN KEY (purchase_id)
          REFERENCES store.purchases (id) ON DELETE CASCADE
      )`);
    await queryRunner.query(
      `CREATE INDEX purchase_lines_item_id_idx ON store.purchase_lines (item_id)`,
    );

    await queryRunner.query(`
      CREATE TABLE store.tasks (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        store_id uuid NOT NULL,
        purchase_id uuid NOT NULL,
        user_id uuid NOT NULL,
        is_ready boolean NOT NULL,
        ready_at timestamptz,
        additional_data jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT tasks_pkey PRIMARY KEY (id),
        CONSTRAINT tasks_purchase_id_key UNIQUE (purchase_id),
        CONSTRAINT tasks_ready_at_check CHECK (is_ready = (ready_at IS NOT NULL)),
        CONSTRAINT tasks_store_id_fkey FOREIGN KEY (store_id)
          REFERENCES store.stores (id) ON DELETE CASCADE,
        CONSTRAINT tasks_purchase_id_fkey FOREIGN KEY (purchase_id)
          REFERENCES store.purchases (id) ON DELETE CASCADE
      )`);
    await queryRunner.query(
      `CREATE INDEX tasks_store_id_is_ready_created_at_idx
         ON store.tasks (store_id, is_ready, created_at, id)`,
    );
    await queryRunner.query(
      `CREATE INDEX tasks_store_id_created_at_idx ON store.tasks (store_id, created_at, id)`,
    );

    await queryRunner.query(`
      CREATE TABLE store.idempotency_keys (
        caller_id uuid NOT NULL,
        key varchar(255) NOT NULL,
        request_hash varchar(64) NOT NULL,
        purchase_id uuid,
        response jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        CONSTRAINT idempotency_keys_pkey PRIMARY KEY (caller_id, key),
        CONSTRAINT idempotency_keys_request_hash_check CHECK (request_hash ~ '^[0-9a-f]{64}$'),
        CONSTRAINT idempotency_keys_purchase_id_fkey FOREIGN KEY (purchase_id)
          REFERENCES store.purchases (id) ON DELETE CASCADE
      )`);
    await queryRunner.query(
      `CREATE INDEX idempotency_keys_expires_at_idx ON store.idempotency_keys (expires_at)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE store.idempotency_keys`);
    await queryRunner.query(`DROP TABLE store.tasks`);
    await queryRunner.query(`DROP TABLE store.purchase_lines`);
    await queryRunner.query(`DROP TABLE store.purchases`);
    await queryRunner.query(`DROP TABLE store.items`);
    await queryRunner.query(`DROP TABLE store.stores`);
  }
}
