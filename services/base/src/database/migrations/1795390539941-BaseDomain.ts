import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The base domain: passengers (users), engineers and their RFID cards, tickets, destination info
 * (hotels, attractions) and train-store bindings. Hand-written and reviewed; never edit it once
 * merged, add a new migration instead.
 *
 * Differences from the seed's schema, on purpose:
 * - every `created_at` is `timestamptz DEFAULT now()`, evaluated by Postgres per row (the seed
 *   computed it once per process);
 * - `users.name` is a person's full name and is NOT unique; `email` is unique (case-insensitive)
 *   only where set; `keycloak_subject` links a Keycloak account to its row;
 * - engineers keep an argon2id `password_hash`; `privileges` is a bitmask that cannot go negative;
 * - an auth card belongs to one engineer, goes away with them (ON DELETE CASCADE) and stores only
 *   the SHA-256 of the normalised card UID, never the UID;
 * - a ticket's QR code is stored only as its SHA-256 (`code_hash`); `used_at` makes a ticket
 *   single-use; one seat per train, wagon, place and departure instant;
 * - a train-store binding names the train's departure day as a `date`, not an instant.
 */
export class BaseDomain1795390539941 implements MigrationInterface {
  // Explicit, so a minified build keeps the name TypeORM records in the migrations table.
  name = 'BaseDomain1795390539941';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE base.users (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        name varchar(256) NOT NULL,
        email varchar(256),
        keycloak_subject varchar(255),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT users_pkey PRIMARY KEY (id),
        CONSTRAINT users_keycloak_subject_key UNIQUE (keycloak_subject),
        CONSTRAINT users_name_not_blank CHECK (length(btrim(name)) > 0)
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX users_email_key ON base.users (lower(email)) WHERE email IS NOT NULL`,
    );
    await queryRunner.query(`CREATE INDEX users_created_at_idx ON base.users (created_at, id)`);

    await queryRunner.query(`
      CREATE TABLE base.engineers (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        login varchar(60) NOT NULL,
        password_hash varchar(256) NOT NULL,
        privileges integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT engineers_pkey PRIMARY KEY (id),
        CONSTRAINT engineers_login_key UNIQUE (login),
        CONSTRAINT engineers_privileges_check CHECK (privileges >= 0)
      )`);
    await queryRunner.query(
      `CREATE INDEX engineers_created_at_idx ON base.engineers (created_at, id)`,
    );

    await queryRunner.query(`
      CREATE TABLE base.auth_cards (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        engineer_id uuid NOT NULL,
        key_hash varchar(64) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT auth_cards_pkey PRIMARY KEY (id),
        CONSTRAINT auth_cards_engineer_id_key UNIQUE (engineer_id),
        CONSTRAINT auth_cards_key_hash_key UNIQUE (key_hash),
        CONSTRAINT auth_cards_key_hash_check CHECK (key_hash ~ '^[0-9a-f]{64}$'),
        CONSTRAINT auth_cards_engineer_id_fkey FOREIGN KEY (engineer_id)
          REFERENCES base.engineers (id) ON DELETE CASCADE
      )`);

    await queryRunner.query(`
      CREATE TABLE base.tickets (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL,
        train_number integer NOT NULL,
        wagon_number integer NOT NULL,
        place_number integer NOT NULL,
        station_id varchar(60) NOT NULL,
        destination_id varchar(60) NOT NULL,
        departure_at timestamptz NOT NULL,
        code_hash varchar(64) NOT NULL,
        used_at timestamptz,
        used_by_device_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT tickets_pkey PRIMARY KEY (id),
        CONSTRAINT tickets_user_id_fkey FOREIGN KEY (user_id)
          REFERENCES base.users (id) ON DELETE CASCADE,
        CONSTRAINT tickets_code_hash_key UNIQUE (code_hash),
        CONSTRAINT tickets_seat_key UNIQUE (train_number, wagon_number, place_number, departure_at),
        CONSTRAINT tickets_train_number_check CHECK (train_number > 0),
        CONSTRAINT tickets_wagon_number_check CHECK (wagon_number > 0),
        CONSTRAINT tickets_place_number_check CHECK (place_number > 0),
        CONSTRAINT tickets_code_hash_check CHECK (code_hash ~ '^[0-9a-f]{64}$'),
        CONSTRAINT tickets_used_by_check CHECK (used_by_device_id IS NULL OR used_at IS NOT NULL)
      )`);
    await queryRunner.query(
      `CREATE INDEX tickets_user_departure_idx ON base.tickets (user_id, departure_at DESC)`,
    );
    await queryRunner.query(
      `CREATE INDEX tickets_train_departure_idx ON base.tickets (train_number, departure_at)`,
    );
    await queryRunner.query(`CREATE INDEX tickets_created_at_idx ON base.tickets (created_at, id)`);

    for (const table of ['hotels', 'attractions']) {
      await queryRunner.query(`
        CREATE TABLE base.${table} (
          id uuid NOT NULL DEFAULT gen_random_uuid(),
          destination_id varchar(60) NOT NULL,
          name varchar(256) NOT NULL,
          description varchar(1024) NOT NULL,
          logo_url varchar(256) NOT NULL,
          created_at timestamptz NOT NULL DEFAULT now(),
          CONSTRAINT ${table}_pkey PRIMARY KEY (id)
        )`);
      await queryRunner.query(
        `CREATE INDEX ${table}_destination_idx ON base.${table} (destination_id, created_at, id)`,
      );
    }

    await queryRunner.query(`
      CREATE TABLE base.train_store_bindings (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        store_id uuid NOT NULL,
        train_number integer NOT NULL,
        train_date date NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT train_store_bindings_pkey PRIMARY KEY (id),
        CONSTRAINT train_store_bindings_key UNIQUE (store_id, train_number, train_date),
        CONSTRAINT train_store_bindings_train_number_check CHECK (train_number > 0)
      )`);
    await queryRunner.query(
      `CREATE INDEX train_store_bindings_train_idx
         ON base.train_store_bindings (train_number, train_date, created_at, id)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE base.train_store_bindings`);
    await queryRunner.query(`DROP TABLE base.attractions`);
    await queryRunner.query(`DROP TABLE base.hotels`);
    await queryRunner.query(`DROP TABLE base.tickets`);
    await queryRunner.query(`DROP TABLE base.auth_cards`);
    await queryRunner.query(`DROP TABLE base.engineers`);
    await queryRunner.query(`DROP TABLE base.users`);
  }
}
