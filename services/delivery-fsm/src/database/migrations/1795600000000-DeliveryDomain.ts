import { type MigrationInterface, type QueryRunner } from 'typeorm';
import definition from '../seed/fsm-definition-1.0.0.json';

/**
 * The delivery domain (issue 9): the state-machine definition as data (version 1.0.0, seeded from
 * a frozen snapshot so that this migration never changes), locker models, lockers, cells, trips,
 * orders and their courier legs, cell holds, the audit log, the per-locker command queue and the
 * hardware command log, one-time PINs and idempotency keys. Hand-written and reviewed; never edit
 * it once merged, add a new migration instead (a new definition version is a new seed).
 *
 * What the database guarantees by itself (docs/delivery-fsm.md, "Service layer"):
 * - `fsm_transitions` primary key (definition_version, entity_type, from_state, action): the
 *   graph is deterministic; foreign keys tie every transition to states and actions of its type;
 * - `cell_holds_live_cell_key`: a cell holds at most ONE live order (partial unique index on the
 *   holds not released), and `cell_holds_live_side_key`: an order holds at most one cell per side;
 * - `pins_live_key`: one active PIN per (order, side);
 * - every state row carries the definition version it runs under (foreign key).
 */
export class DeliveryDomain1795600000000 implements MigrationInterface {
  // Explicit, so a minified build keeps the name TypeORM records in the migrations table.
  name = 'DeliveryDomain1795600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string, parameters?: unknown[]) => queryRunner.query(sql, parameters);
    const entityType = `CHECK (entity_type IN ('order', 'trip', 'cell'))`;

    // --- the state machine as data ---------------------------------------------------------
    await q(`
      CREATE TABLE delivery.fsm_definitions (
        version varchar(32) NOT NULL,
        entity_types jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT fsm_definitions_pkey PRIMARY KEY (version)
      )`);
    await q(`
      CREATE TABLE delivery.fsm_states (
        definition_version varchar(32) NOT NULL,
        entity_type varchar(8) NOT NULL,
        name varchar(64) NOT NULL,
        kind varchar(16) NOT NULL,
        label varchar(255) NOT NULL,
        aliases jsonb NOT NULL DEFAULT '[]',
        timeouts jsonb NOT NULL DEFAULT '[]',
        CONSTRAINT fsm_states_pkey PRIMARY KEY (definition_version, entity_type, name),
        CONSTRAINT fsm_states_entity_type_check ${entityType},
        CONSTRAINT fsm_states_kind_check CHECK (kind IN ('initial', 'active', 'failure', 'terminal')),
        CONSTRAINT fsm_states_definition_version_fkey FOREIGN KEY (definition_version)
          REFERENCES delivery.fsm_definitions (version) ON DELETE CASCADE
      )`);
    await q(`
      CREATE TABLE delivery.fsm_actions (
        definition_version varchar(32) NOT NULL,
        entity_type varchar(8) NOT NULL,
        name varchar(64) NOT NULL,
        label varchar(255) NOT NULL,
        aliases jsonb NOT NULL DEFAULT '[]',
        CONSTRAINT fsm_actions_pkey PRIMARY KEY (definition_version, entity_type, name),
        CONSTRAINT fsm_actions_entity_type_check ${entityType},
        CONSTRAINT fsm_actions_definition_version_fkey FOREIGN KEY (definition_version)
          REFERENCES delivery.fsm_definitions (version) ON DELETE CASCADE
      )`);
    await q(`
      CREATE TABLE delivery.fsm_transitions (
        definition_version varchar(32) NOT NULL,
        entity_type varchar(8) NOT NULL,
        from_state varchar(64) NOT NULL,
        action varchar(64) NOT NULL,
        to_state varchar(64) NOT NULL,
        position integer NOT NULL,
        allowed jsonb NOT NULL,
        guard jsonb,
        effects jsonb NOT NULL DEFAULT '[]',
        CONSTRAINT fsm_transitions_pkey PRIMARY KEY (definition_version, entity_type, from_state, action),
        CONSTRAINT fsm_transitions_entity_type_check ${entityType},
        CONSTRAINT fsm_transitions_from_fkey FOREIGN KEY (definition_version, entity_type, from_state)
          REFERENCES delivery.fsm_states (definition_version, entity_type, name) ON DELETE CASCADE,
        CONSTRAINT fsm_transitions_to_fkey FOREIGN KEY (definition_version, entity_type, to_state)
          REFERENCES delivery.fsm_states (definition_version, entity_type, name) ON DELETE CASCADE,
        CONSTRAINT fsm_transitions_action_fkey FOREIGN KEY (definition_version, entity_type, action)
          REFERENCES delivery.fsm_actions (definition_version, entity_type, name) ON DELETE CASCADE
      )`);
    await seedDefinition(queryRunner, definition);

    // --- lockers and cells -----------------------------------------------------------------
    await q(`
      CREATE TABLE delivery.locker_models (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        name varchar(100) NOT NULL,
        description varchar(500) NOT NULL DEFAULT '',
        cells_s integer NOT NULL DEFAULT 0,
        cells_m integer NOT NULL DEFAULT 0,
        cells_l integer NOT NULL DEFAULT 0,
        cells_p integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT locker_models_pkey PRIMARY KEY (id),
        CONSTRAINT locker_models_name_key UNIQUE (name),
        CONSTRAINT locker_models_cells_check
          CHECK (cells_s >= 0 AND cells_m >= 0 AND cells_l >= 0 AND cells_p >= 0)
      )`);
    await q(`
      CREATE TABLE delivery.lockers (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        code varchar(50) NOT NULL,
        model_id uuid NOT NULL,
        city varchar(100) NOT NULL,
        address varchar(255) NOT NULL,
        latitude numeric(9,6),
        longitude numeric(9,6),
        status varchar(16) NOT NULL DEFAULT 'active',
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT lockers_pkey PRIMARY KEY (id),
        CONSTRAINT lockers_code_key UNIQUE (code),
        CONSTRAINT lockers_status_check CHECK (status IN ('active', 'inactive', 'maintenance')),
        CONSTRAINT lockers_model_id_fkey FOREIGN KEY (model_id)
          REFERENCES delivery.locker_models (id) ON DELETE RESTRICT
      )`);
    await q(`CREATE INDEX lockers_city_idx ON delivery.lockers (city, code)`);
    await q(`
      CREATE TABLE delivery.cells (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        locker_id uuid NOT NULL,
        code varchar(50) NOT NULL,
        size varchar(1) NOT NULL,
        state varchar(64) NOT NULL DEFAULT 'locker_free',
        state_version integer NOT NULL DEFAULT 0,
        definition_version varchar(32) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT cells_pkey PRIMARY KEY (id),
        CONSTRAINT cells_locker_id_code_key UNIQUE (locker_id, code),
        CONSTRAINT cells_size_check CHECK (size IN ('S', 'M', 'L', 'P')),
        CONSTRAINT cells_state_version_check CHECK (state_version >= 0),
        CONSTRAINT cells_locker_id_fkey FOREIGN KEY (locker_id)
          REFERENCES delivery.lockers (id) ON DELETE RESTRICT,
        CONSTRAINT cells_definition_version_fkey FOREIGN KEY (definition_version)
          REFERENCES delivery.fsm_definitions (version) ON DELETE RESTRICT
      )`);
    // The free-cell search of a reservation (FOR UPDATE SKIP LOCKED) walks this index.
    await q(
      `CREATE INDEX cells_locker_id_size_state_idx ON delivery.cells (locker_id, size, state)`,
    );

    // --- trips, orders, legs, cell holds ---------------------------------------------------
    await q(`
      CREATE TABLE delivery.trips (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        source_locker_id uuid NOT NULL,
        dest_locker_id uuid NOT NULL,
        driver_user_id uuid,
        capacity integer NOT NULL,
        state varchar(64) NOT NULL,
        state_version integer NOT NULL DEFAULT 0,
        definition_version varchar(32) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT trips_pkey PRIMARY KEY (id),
        CONSTRAINT trips_capacity_check CHECK (capacity > 0),
        CONSTRAINT trips_state_version_check CHECK (state_version >= 0),
        CONSTRAINT trips_source_locker_id_fkey FOREIGN KEY (source_locker_id)
          REFERENCES delivery.lockers (id) ON DELETE RESTRICT,
        CONSTRAINT trips_dest_locker_id_fkey FOREIGN KEY (dest_locker_id)
          REFERENCES delivery.lockers (id) ON DELETE RESTRICT,
        CONSTRAINT trips_definition_version_fkey FOREIGN KEY (definition_version)
          REFERENCES delivery.fsm_definitions (version) ON DELETE RESTRICT
      )`);
    await q(
      `CREATE INDEX trips_lockers_state_idx ON delivery.trips (source_locker_id, dest_locker_id, state)`,
    );
    await q(`CREATE INDEX trips_driver_user_id_idx ON delivery.trips (driver_user_id)`);
    await q(`CREATE INDEX trips_state_created_at_idx ON delivery.trips (state, created_at)`);

    await q(`
      CREATE TABLE delivery.orders (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        sender_user_id uuid NOT NULL,
        recipient_user_id uuid NOT NULL,
        pickup_type varchar(8) NOT NULL,
        delivery_type varchar(8) NOT NULL,
        parcel_size varchar(1) NOT NULL,
        description varchar(255) NOT NULL DEFAULT '',
        source_locker_id uuid NOT NULL,
        dest_locker_id uuid NOT NULL,
        source_cell_id uuid,
        dest_cell_id uuid,
        trip_id uuid,
        state varchar(64) NOT NULL,
        state_version integer NOT NULL DEFAULT 0,
        definition_version varchar(32) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT orders_pkey PRIMARY KEY (id),
        CONSTRAINT orders_pickup_type_check CHECK (pickup_type IN ('self', 'courier')),
        CONSTRAINT orders_delivery_type_check CHECK (delivery_type IN ('self', 'courier')),
        CONSTRAINT orders_parcel_size_check CHECK (parcel_size IN ('S', 'M', 'L', 'P')),
        CONSTRAINT orders_lockers_differ CHECK (source_locker_id <> dest_locker_id),
        CONSTRAINT orders_state_version_check CHECK (state_version >= 0),
        CONSTRAINT orders_source_locker_id_fkey FOREIGN KEY (source_locker_id)
          REFERENCES delivery.lockers (id) ON DELETE RESTRICT,
        CONSTRAINT orders_dest_locker_id_fkey FOREIGN KEY (dest_locker_id)
          REFERENCES delivery.lockers (id) ON DELETE RESTRICT,
        CONSTRAINT orders_source_cell_id_fkey FOREIGN KEY (source_cell_id)
          REFERENCES delivery.cells (id) ON DELETE RESTRICT,
        CONSTRAINT orders_dest_cell_id_fkey FOREIGN KEY (dest_cell_id)
          REFERENCES delivery.cells (id) ON DELETE RESTRICT,
        CONSTRAINT orders_trip_id_fkey FOREIGN KEY (trip_id)
          REFERENCES delivery.trips (id) ON DELETE SET NULL,
        CONSTRAINT orders_definition_version_fkey FOREIGN KEY (definition_version)
          REFERENCES delivery.fsm_definitions (version) ON DELETE RESTRICT
      )`);
    await q(`CREATE INDEX orders_sender_idx ON delivery.orders (sender_user_id, created_at)`);
    await q(`CREATE INDEX orders_recipient_idx ON delivery.orders (recipient_user_id, created_at)`);
    await q(`CREATE INDEX orders_trip_id_idx ON delivery.orders (trip_id)`);
    await q(`CREATE INDEX orders_state_created_at_idx ON delivery.orders (state, created_at)`);

    await q(`
      CREATE TABLE delivery.order_legs (
        order_id uuid NOT NULL,
        leg varchar(8) NOT NULL,
        courier_user_id uuid,
        assigned_at timestamptz,
        CONSTRAINT order_legs_pkey PRIMARY KEY (order_id, leg),
        CONSTRAINT order_legs_leg_check CHECK (leg IN ('pickup', 'delivery')),
        CONSTRAINT order_legs_order_id_fkey FOREIGN KEY (order_id)
          REFERENCES delivery.orders (id) ON DELETE CASCADE
      )`);
    await q(`CREATE INDEX order_legs_courier_user_id_idx ON delivery.order_legs (courier_user_id)`);

    await q(`
      CREATE TABLE delivery.cell_holds (
        id bigint GENERATED ALWAYS AS IDENTITY,
        cell_id uuid NOT NULL,
        order_id uuid NOT NULL,
        side varchar(8) NOT NULL,
        held_at timestamptz NOT NULL DEFAULT now(),
        released_at timestamptz,
        CONSTRAINT cell_holds_pkey PRIMARY KEY (id),
        CONSTRAINT cell_holds_side_check CHECK (side IN ('source', 'dest')),
        CONSTRAINT cell_holds_cell_id_fkey FOREIGN KEY (cell_id)
          REFERENCES delivery.cells (id) ON DELETE RESTRICT,
        CONSTRAINT cell_holds_order_id_fkey FOREIGN KEY (order_id)
          REFERENCES delivery.orders (id) ON DELETE CASCADE
      )`);
    // THE no-double-booking guarantee: whatever the code does, a second live hold on a cell fails.
    await q(
      `CREATE UNIQUE INDEX cell_holds_live_cell_key ON delivery.cell_holds (cell_id) WHERE released_at IS NULL`,
    );
    await q(
      `CREATE UNIQUE INDEX cell_holds_live_side_key ON delivery.cell_holds (order_id, side) WHERE released_at IS NULL`,
    );

    // --- audit and hardware ----------------------------------------------------------------
    await q(`
      CREATE TABLE delivery.audit_log (
        id bigint GENERATED ALWAYS AS IDENTITY,
        entity_type varchar(8) NOT NULL,
        entity_id uuid NOT NULL,
        from_state varchar(64) NOT NULL,
        action varchar(64) NOT NULL,
        to_state varchar(64) NOT NULL,
        state_version integer NOT NULL,
        definition_version varchar(32) NOT NULL,
        actor_role varchar(16) NOT NULL,
        actor_user_id uuid,
        actor_device_id uuid,
        cause varchar(16) NOT NULL,
        request_id varchar(128),
        at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT audit_log_pkey PRIMARY KEY (id),
        CONSTRAINT audit_log_entity_type_check ${entityType},
        CONSTRAINT audit_log_cause_check CHECK (cause IN ('request', 'cascade', 'timeout', 'creation', 'pin', 'hardware'))
      )`);
    await q(`CREATE INDEX audit_log_entity_idx ON delivery.audit_log (entity_type, entity_id, id)`);
    await q(`CREATE INDEX audit_log_at_idx ON delivery.audit_log (at)`);

    await q(`
      CREATE TABLE delivery.locker_commands (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        locker_id uuid NOT NULL,
        cell_id uuid NOT NULL,
        order_id uuid,
        command varchar(32) NOT NULL,
        cell_state_version integer NOT NULL,
        status varchar(16) NOT NULL DEFAULT 'pending',
        last_result varchar(32),
        issued_at timestamptz NOT NULL DEFAULT now(),
        delivered_at timestamptz,
        closed_at timestamptz,
        CONSTRAINT locker_commands_pkey PRIMARY KEY (id),
        CONSTRAINT locker_commands_status_check
          CHECK (status IN ('pending', 'delivered', 'done', 'expired')),
        CONSTRAINT locker_commands_locker_id_fkey FOREIGN KEY (locker_id)
          REFERENCES delivery.lockers (id) ON DELETE CASCADE,
        CONSTRAINT locker_commands_cell_id_fkey FOREIGN KEY (cell_id)
          REFERENCES delivery.cells (id) ON DELETE CASCADE
      )`);
    await q(
      `CREATE INDEX locker_commands_queue_idx ON delivery.locker_commands (locker_id, status, issued_at)`,
    );
    await q(
      `CREATE INDEX locker_commands_cell_id_idx ON delivery.locker_commands (cell_id, status)`,
    );

    await q(`
      CREATE TABLE delivery.hardware_command_log (
        id bigint GENERATED ALWAYS AS IDENTITY,
        command_id uuid,
        locker_id uuid NOT NULL,
        cell_id uuid,
        command varchar(32) NOT NULL,
        event varchar(16) NOT NULL,
        result varchar(32),
        request_id varchar(128),
        at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT hardware_command_log_pkey PRIMARY KEY (id),
        CONSTRAINT hardware_command_log_event_check
          CHECK (event IN ('issued', 'delivered', 'ack', 'expired'))
      )`);
    await q(
      `CREATE INDEX hardware_command_log_command_id_idx ON delivery.hardware_command_log (command_id)`,
    );
    await q(`CREATE INDEX hardware_command_log_at_idx ON delivery.hardware_command_log (at)`);

    // --- PINs and idempotency keys -----------------------------------------------------------
    await q(`
      CREATE TABLE delivery.pins (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        order_id uuid NOT NULL,
        side varchar(8) NOT NULL,
        holder_user_id uuid NOT NULL,
        salt varchar(32) NOT NULL,
        pin_hash varchar(64) NOT NULL,
        status varchar(16) NOT NULL DEFAULT 'active',
        attempts integer NOT NULL DEFAULT 0,
        expires_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        used_at timestamptz,
        CONSTRAINT pins_pkey PRIMARY KEY (id),
        CONSTRAINT pins_side_check CHECK (side IN ('source', 'dest')),
        CONSTRAINT pins_status_check CHECK (status IN ('active', 'used', 'locked', 'revoked')),
        CONSTRAINT pins_attempts_check CHECK (attempts >= 0),
        CONSTRAINT pins_order_id_fkey FOREIGN KEY (order_id)
          REFERENCES delivery.orders (id) ON DELETE CASCADE
      )`);
    await q(
      `CREATE UNIQUE INDEX pins_live_key ON delivery.pins (order_id, side) WHERE status = 'active'`,
    );

    await q(`
      CREATE TABLE delivery.idempotency_keys (
        caller_id uuid NOT NULL,
        key varchar(255) NOT NULL,
        request_hash varchar(64) NOT NULL,
        order_id uuid,
        response jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        CONSTRAINT idempotency_keys_pkey PRIMARY KEY (caller_id, key),
        CONSTRAINT idempotency_keys_order_id_fkey FOREIGN KEY (order_id)
          REFERENCES delivery.orders (id) ON DELETE CASCADE
      )`);
    await q(
      `CREATE INDEX idempotency_keys_expires_at_idx ON delivery.idempotency_keys (expires_at)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'idempotency_keys',
      'pins',
      'hardware_command_log',
      'locker_commands',
      'audit_log',
      'cell_holds',
      'order_legs',
      'orders',
      'trips',
      'cells',
      'lockers',
      'locker_models',
      'fsm_transitions',
      'fsm_actions',
      'fsm_states',
      'fsm_definitions',
    ]) {
      await queryRunner.query(`DROP TABLE delivery.${table}`);
    }
  }
}

export interface SeedDefinition {
  version: string;
  entityTypes: unknown[];
  states: {
    name: string;
    entityType: string;
    kind: string;
    label: string;
    aliases?: unknown[];
    timeouts?: unknown[];
  }[];
  actions: { name: string; entityType: string; label: string; aliases?: unknown[] }[];
  transitions: {
    entityType: string;
    from: string;
    action: string;
    to: string;
    allowed: unknown;
    guard?: unknown;
    effects: unknown[];
  }[];
}

/** One definition version into the four tables (a later version is seeded by its own migration). */
export async function seedDefinition(
  queryRunner: QueryRunner,
  seed: SeedDefinition,
): Promise<void> {
  const json = (value: unknown) => JSON.stringify(value);
  await queryRunner.query(
    `INSERT INTO delivery.fsm_definitions (version, entity_types) VALUES ($1, $2::jsonb)`,
    [seed.version, json(seed.entityTypes)],
  );
  await queryRunner.query(
    `INSERT INTO delivery.fsm_states (definition_version, entity_type, name, kind, label, aliases, timeouts)
     SELECT $1, s."entityType", s.name, s.kind, s.label,
            coalesce(s.aliases, '[]'::jsonb), coalesce(s.timeouts, '[]'::jsonb)
       FROM jsonb_to_recordset($2::jsonb)
         AS s("entityType" text, name text, kind text, label text, aliases jsonb, timeouts jsonb)`,
    [seed.version, json(seed.states)],
  );
  await queryRunner.query(
    `INSERT INTO delivery.fsm_actions (definition_version, entity_type, name, label, aliases)
     SELECT $1, a."entityType", a.name, a.label, coalesce(a.aliases, '[]'::jsonb)
       FROM jsonb_to_recordset($2::jsonb) AS a("entityType" text, name text, label text, aliases jsonb)`,
    [seed.version, json(seed.actions)],
  );
  await queryRunner.query(
    `INSERT INTO delivery.fsm_transitions
       (definition_version, entity_type, from_state, action, to_state, position, allowed, guard, effects)
     SELECT $1, e.t->>'entityType', e.t->>'from', e.t->>'action', e.t->>'to', e.n,
            e.t->'allowed', e.t->'guard', e.t->'effects'
       FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS e(t, n)`,
    [seed.version, json(seed.transitions)],
  );
}
