import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The telematics domain (docs/api/telematics.md, "Storage"). Hand-written and reviewed; never
 * edit it once merged, add a new migration instead.
 *
 * - `devices`: one row per tracker identifier (the IMEI of `*>S:` or of the text frames), the
 *   negotiated FLEX layout, first/last seen, connection state.
 * - `positions`, `vehicle_bus_values`, `raw_frames`: natively partitioned by time (RANGE, one
 *   partition per UTC day, `<table>_pYYYYMMDD`), created ahead by the service at start-up and by
 *   an hourly job, dropped by retention. Each has a DEFAULT partition for rows outside the
 *   created days (a tracker with a wrong clock); creating a day's partition moves its rows out of
 *   the default first, so nothing is refused and nothing is lost.
 * - A resent packet is stored once: the primary key of `positions` is
 *   (device_id, event_time, record_index) and the writer inserts with ON CONFLICT DO NOTHING.
 *   (A partitioned table's unique keys must contain the partition key, hence event_time.)
 * - `events`: alarm records (`~T`, `~X`) and text-format events, deduplicated the same way.
 * - `api_keys`: SHA-256 of each key, never the key.
 */
export class TelematicsDomain1795600000000 implements MigrationInterface {
  // Explicit, so a minified build keeps the name TypeORM records in the migrations table.
  name = 'TelematicsDomain1795600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE telematics.devices (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        imei varchar(32) NOT NULL,
        protocol varchar(16) NOT NULL,
        ntcb_device_id bigint,
        flex_protocol_version smallint,
        flex_struct_version smallint,
        flex_fields smallint[],
        flex_record_length integer,
        first_seen_at timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz NOT NULL DEFAULT now(),
        connection_state varchar(16) NOT NULL DEFAULT 'offline',
        connected_at timestamptz,
        disconnected_at timestamptz,
        remote_address varchar(64),
        CONSTRAINT devices_pkey PRIMARY KEY (id),
        CONSTRAINT devices_imei_key UNIQUE (imei),
        CONSTRAINT devices_protocol_check CHECK (protocol IN ('ntcb-flex', 'text')),
        CONSTRAINT devices_connection_state_check CHECK (connection_state IN ('online', 'offline'))
      )`);
    await queryRunner.query(
      `CREATE INDEX devices_last_seen_at_idx ON telematics.devices (last_seen_at, id)`,
    );

    await queryRunner.query(`
      CREATE TABLE telematics.positions (
        device_id uuid NOT NULL,
        event_time timestamptz NOT NULL,
        record_index bigint NOT NULL,
        received_at timestamptz NOT NULL,
        source varchar(16) NOT NULL,
        event_code integer,
        fix_time timestamptz,
        valid boolean,
        satellites smallint,
        latitude double precision,
        longitude double precision,
        altitude_m real,
        speed_kmh real,
        course smallint,
        odometer_km double precision,
        hdop real,
        gsm_level smallint,
        device_status smallint,
        main_power_v real,
        backup_battery_v real,
        digital_inputs integer,
        digital_outputs integer,
        CONSTRAINT positions_pkey PRIMARY KEY (device_id, event_time, record_index)
      ) PARTITION BY RANGE (event_time)`);
    await queryRunner.query(
      `CREATE TABLE telematics.positions_default PARTITION OF telematics.positions DEFAULT`,
    );

    await queryRunner.query(`
      CREATE TABLE telematics.vehicle_bus_values (
        device_id uuid NOT NULL,
        event_time timestamptz NOT NULL,
        record_index bigint NOT NULL,
        name varchar(64) NOT NULL,
        value double precision,
        unit varchar(16),
        source varchar(32) NOT NULL,
        CONSTRAINT vehicle_bus_values_pkey PRIMARY KEY (device_id, event_time, record_index, name)
      ) PARTITION BY RANGE (event_time)`);
    await queryRunner.query(
      `CREATE TABLE telematics.vehicle_bus_values_default PARTITION OF telematics.vehicle_bus_values DEFAULT`,
    );

    await queryRunner.query(`
      CREATE TABLE telematics.raw_frames (
        id bigint NOT NULL,
        device_id uuid,
        received_at timestamptz NOT NULL,
        frame_type varchar(16) NOT NULL,
        payload bytea NOT NULL,
        reply bytea,
        CONSTRAINT raw_frames_pkey PRIMARY KEY (received_at, id)
      ) PARTITION BY RANGE (received_at)`);
    await queryRunner.query(
      `CREATE TABLE telematics.raw_frames_default PARTITION OF telematics.raw_frames DEFAULT`,
    );
    await queryRunner.query(`CREATE SEQUENCE telematics.raw_frames_id_seq AS bigint`);
    await queryRunner.query(
      `CREATE INDEX raw_frames_device_id_received_at_idx ON telematics.raw_frames (device_id, received_at, id)`,
    );

    await queryRunner.query(`
      CREATE TABLE telematics.events (
        id bigint GENERATED BY DEFAULT AS IDENTITY,
        device_id uuid NOT NULL,
        event_time timestamptz NOT NULL,
        event_index bigint NOT NULL,
        event_type varchar(32) NOT NULL,
        event_code integer,
        description text,
        received_at timestamptz NOT NULL,
        CONSTRAINT events_pkey PRIMARY KEY (id),
        CONSTRAINT events_device_id_fkey FOREIGN KEY (device_id)
          REFERENCES telematics.devices (id) ON DELETE CASCADE,
        CONSTRAINT events_dedupe_key UNIQUE (device_id, event_time, event_index, event_type)
      )`);

    await queryRunner.query(`
      CREATE TABLE telematics.api_keys (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        name varchar(100) NOT NULL,
        key_hash bytea NOT NULL,
        key_prefix varchar(16) NOT NULL,
        created_by varchar(255) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz,
        last_used_at timestamptz,
        CONSTRAINT api_keys_pkey PRIMARY KEY (id),
        CONSTRAINT api_keys_key_hash_key UNIQUE (key_hash)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'api_keys',
      'events',
      'raw_frames',
      'vehicle_bus_values',
      'positions',
      'devices',
    ]) {
      await queryRunner.query(`DROP TABLE telematics.${table} CASCADE`);
    }
    await queryRunner.query(`DROP SEQUENCE IF EXISTS telematics.raw_frames_id_seq`);
  }
}
