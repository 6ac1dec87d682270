import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Devices that log in with a key pair: robots, store terminals, locker controllers
 * (docs/device-auth.md). Hand-written and reviewed; never edit it once merged.
 *
 * Differences from the seed's `robots` and `active_stores` tables, on purpose:
 * - one table for every kind, `(kind, external_id)` unique: a robot's serial (`robot_model_id`),
 *   a store's id or a locker's id;
 * - a store's or locker's row id IS its store or locker id (the seed's `active_stores.id`), so a
 *   terminal's session names the store it acts for;
 * - the key column is `text` (an RSA-4096 SPKI PEM is 800 characters; the seed's varchar(500)
 *   held only RSA-2048), with its algorithm and SHA-256 fingerprint;
 * - re-registering keeps the row (and the robot's id) and replaces the key: `key_rotated_at`;
 * - a device can be disabled without being deleted: `disabled_at`;
 * - who registered it: `registered_by_engineer_id` (kept as NULL when the engineer is deleted).
 */
export class DeviceIdentity1795400000000 implements MigrationInterface {
  // Explicit, so a minified build keeps the name TypeORM records in the migrations table.
  name = 'DeviceIdentity1795400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE base.devices (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        kind varchar(16) NOT NULL,
        external_id varchar(60) NOT NULL,
        display_name varchar(60),
        public_key_spki text NOT NULL,
        key_algorithm varchar(16) NOT NULL,
        key_fingerprint varchar(43) NOT NULL,
        disabled_at timestamptz,
        key_rotated_at timestamptz,
        registered_by_engineer_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT devices_pkey PRIMARY KEY (id),
        CONSTRAINT devices_kind_external_id_key UNIQUE (kind, external_id),
        CONSTRAINT devices_kind_check CHECK (kind IN ('robot', 'store', 'locker')),
        CONSTRAINT devices_external_id_not_blank CHECK (length(btrim(external_id)) > 0),
        CONSTRAINT devices_id_is_external_id CHECK (kind = 'robot' OR external_id = id::text),
        CONSTRAINT devices_key_algorithm_check CHECK (key_algorithm IN ('rsa', 'ed25519')),
        CONSTRAINT devices_key_fingerprint_check CHECK (key_fingerprint ~ '^[A-Za-z0-9_-]{43}$'),
        CONSTRAINT devices_public_key_spki_check
          CHECK (public_key_spki LIKE '-----BEGIN PUBLIC KEY-----%' AND length(public_key_spki) <= 4096),
        CONSTRAINT devices_registered_by_engineer_id_fkey FOREIGN KEY (registered_by_engineer_id)
          REFERENCES base.engineers (id) ON DELETE SET NULL
      )`);
    await queryRunner.query(
      `CREATE INDEX devices_kind_created_at_idx ON base.devices (kind, created_at, id)`,
    );
    await queryRunner.query(`CREATE INDEX devices_created_at_idx ON base.devices (created_at, id)`);
    await queryRunner.query(
      `CREATE INDEX devices_registered_by_engineer_id_idx ON base.devices (registered_by_engineer_id)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE base.devices`);
  }
}
