import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  ForeignKey,
  Index,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  Unique,
} from 'typeorm';

/*
 * The tables of schema `delivery`, as migration DeliveryDomain creates them (constraint and index
 * names included): the drift check (schema-drift.int-spec.ts) holds the two together. The service
 * writes with SQL inside its transactions (fsm/transition.executor.ts); these classes are the
 * schema's description, read by TypeORM.
 */

const ENTITY_TYPE_CHECK = `entity_type IN ('order', 'trip', 'cell')`;
const now = () => 'now()';

@Entity({ schema: 'delivery', name: 'fsm_definitions' })
export class FsmDefinitionEntity {
  @PrimaryColumn({ name: 'version', type: 'varchar', length: 32 })
  version!: string;

  @Column({ name: 'entity_types', type: 'jsonb' })
  entityTypes!: unknown;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

@Entity({ schema: 'delivery', name: 'fsm_states' })
@Check('fsm_states_entity_type_check', ENTITY_TYPE_CHECK)
@Check('fsm_states_kind_check', `kind IN ('initial', 'active', 'failure', 'terminal')`)
export class FsmStateEntity {
  @PrimaryColumn({ name: 'definition_version', type: 'varchar', length: 32 })
  @ForeignKey(() => FsmDefinitionEntity, {
    name: 'fsm_states_definition_version_fkey',
    onDelete: 'CASCADE',
  })
  definitionVersion!: string;

  @PrimaryColumn({ name: 'entity_type', type: 'varchar', length: 8 })
  entityType!: string;

  @PrimaryColumn({ name: 'name', type: 'varchar', length: 64 })
  name!: string;

  @Column({ name: 'kind', type: 'varchar', length: 16 })
  kind!: string;

  @Column({ name: 'label', type: 'varchar', length: 255 })
  label!: string;

  @Column({ name: 'aliases', type: 'jsonb', default: () => `'[]'` })
  aliases!: string[];

  @Column({ name: 'timeouts', type: 'jsonb', default: () => `'[]'` })
  timeouts!: unknown[];
}

@Entity({ schema: 'delivery', name: 'fsm_actions' })
@Check('fsm_actions_entity_type_check', ENTITY_TYPE_CHECK)
export class FsmActionEntity {
  @PrimaryColumn({ name: 'definition_version', type: 'varchar', length: 32 })
  @ForeignKey(() => FsmDefinitionEntity, {
    name: 'fsm_actions_definition_version_fkey',
    onDelete: 'CASCADE',
  })
  definitionVersion!: string;

  @PrimaryColumn({ name: 'entity_type', type: 'varchar', length: 8 })
  entityType!: string;

  @PrimaryColumn({ name: 'name', type: 'varchar', length: 64 })
  name!: string;

  @Column({ name: 'label', type: 'varchar', length: 255 })
  label!: string;

  @Column({ name: 'aliases', type: 'jsonb', default: () => `'[]'` })
  aliases!: string[];
}

@Entity({ schema: 'delivery', name: 'fsm_transitions' })
@Check('fsm_transitions_entity_type_check', ENTITY_TYPE_CHECK)
@ForeignKey(
  () => FsmStateEntity,
  ['definitionVersion', 'entityType', 'fromState'] as const,
  ['definitionVersion', 'entityType', 'name'] as const,
  { name: 'fsm_transitions_from_fkey', onDelete: 'CASCADE' },
)
@ForeignKey(
  () => FsmStateEntity,
  ['definitionVersion', 'entityType', 'toState'] as const,
  ['definitionVersion', 'entityType', 'name'] as const,
  { name: 'fsm_transitions_to_fkey', onDelete: 'CASCADE' },
)
@ForeignKey(
  () => FsmActionEntity,
  ['definitionVersion', 'entityType', 'action'] as const,
  ['definitionVersion', 'entityType', 'name'] as const,
  { name: 'fsm_transitions_action_fkey', onDelete: 'CASCADE' },
)
export class FsmTransitionEntity {
  @PrimaryColumn({ name: 'definition_version', type: 'varchar', length: 32 })
  definitionVersion!: string;

  @PrimaryColumn({ name: 'entity_type', type: 'varchar', length: 8 })
  entityType!: string;

  @PrimaryColumn({ name: 'from_state', type: 'varchar', length: 64 })
  fromState!: string;

  @PrimaryColumn({ name: 'action', type: 'varchar', length: 64 })
  action!: string;

  @Column({ name: 'to_state', type: 'varchar', length: 64 })
  toState!: string;

  /** The order of the definition (buttons and cascades list transitions in it). */
  @Column({ name: 'position', type: 'integer' })
  position!: number;

  @Column({ name: 'allowed', type: 'jsonb' })
  allowed!: unknown;

  @Column({ name: 'guard', type: 'jsonb', nullable: true })
  guard!: unknown;

  @Column({ name: 'effects', type: 'jsonb', default: () => `'[]'` })
  effects!: unknown[];
}

@Entity({ schema: 'delivery', name: 'locker_models' })
@Unique('locker_models_name_key', ['name'])
@Check(
  'locker_models_cells_check',
  'cells_s >= 0 AND cells_m >= 0 AND cells_l >= 0 AND cells_p >= 0',
)
export class LockerModelEntity {
  @PrimaryGeneratedColumn('uuid', { name: 'id' })
  id!: string;

  @Column({ name: 'name', type: 'varchar', length: 100 })
  name!: string;

  @Column({ name: 'description', type: 'varchar', length: 500, default: '' })
  description!: string;

  @Column({ name: 'cells_s', type: 'integer', default: 0 })
  cellsS!: number;

  @Column({ name: 'cells_m', type: 'integer', default: 0 })
  cellsM!: number;

  @Column({ name: 'cells_l', type: 'integer', default: 0 })
  cellsL!: number;

  @Column({ name: 'cells_p', type: 'integer', default: 0 })
  cellsP!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

/** A parcel locker; its id is also the device id its controller logs in with through base. */
@Entity({ schema: 'delivery', name: 'lockers' })
@Unique('lockers_code_key', ['code'])
@Check('lockers_status_check', `status IN ('active', 'inactive', 'maintenance')`)
@Index('lockers_city_idx', ['city', 'code'])
export class LockerEntity {
  @PrimaryGeneratedColumn('uuid', { name: 'id' })
  id!: string;

  @Column({ name: 'code', type: 'varchar', length: 50 })
  code!: string;

  @Column({ name: 'model_id', type: 'uuid' })
  @ForeignKey(() => LockerModelEntity, { name: 'lockers_model_id_fkey', onDelete: 'RESTRICT' })
  modelId!: string;

  @Column({ name: 'city', type: 'varchar', length: 100 })
  city!: string;

  @Column({ name: 'address', type: 'varchar', length: 255 })
  address!: string;

  @Column({ name: 'latitude', type: 'numeric', precision: 9, scale: 6, nullable: true })
  latitude!: string | null;

  @Column({ name: 'longitude', type: 'numeric', precision: 9, scale: 6, nullable: true })
  longitude!: string | null;

  @Column({ name: 'status', type: 'varchar', length: 16, default: 'active' })
  status!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

/** One compartment of a locker: an entity of the state machine (type `cell`). */
@Entity({ schema: 'delivery', name: 'cells' })
@Unique('cells_locker_id_code_key', ['lockerId', 'code'])
@Check('cells_size_check', `size IN ('S', 'M', 'L', 'P')`)
@Check('cells_state_version_check', 'state_version >= 0')
@Index('cells_locker_id_size_state_idx', ['lockerId', 'size', 'state'])
export class CellEntity {
  @PrimaryGeneratedColumn('uuid', { name: 'id' })
  id!: string;

  @Column({ name: 'locker_id', type: 'uuid' })
  @ForeignKey(() => LockerEntity, { name: 'cells_locker_id_fkey', onDelete: 'RESTRICT' })
  lockerId!: string;

  @Column({ name: 'code', type: 'varchar', length: 50 })
  code!: string;

  @Column({ name: 'size', type: 'varchar', length: 1 })
  size!: string;

  @Column({ name: 'state', type: 'varchar', length: 64, default: 'locker_free' })
  state!: string;

  @Column({ name: 'state_version', type: 'integer', default: 0 })
  stateVersion!: number;

  @Column({ name: 'definition_version', type: 'varchar', length: 32 })
  @ForeignKey(() => FsmDefinitionEntity, {
    name: 'cells_definition_version_fkey',
    onDelete: 'RESTRICT',
  })
  definitionVersion!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: now })
  updatedAt!: Date;
}

@Entity({ schema: 'delivery', name: 'trips' })
@Check('trips_capacity_check', 'capacity > 0')
@Check('trips_state_version_check', 'state_version >= 0')
@Index('trips_lockers_state_idx', ['sourceLockerId', 'destLockerId', 'state'])
@Index('trips_driver_user_id_idx', ['driverUserId'])
@Index('trips_state_created_at_idx', ['state', 'createdAt'])
export class TripEntity {
  @PrimaryGeneratedColumn('uuid', { name: 'id' })
  id!: string;

  @Column({ name: 'source_locker_id', type: 'uuid' })
  @ForeignKey(() => LockerEntity, { name: 'trips_source_locker_id_fkey', onDelete: 'RESTRICT' })
  sourceLockerId!: string;

  @Column({ name: 'dest_locker_id', type: 'uuid' })
  @ForeignKey(() => LockerEntity, { name: 'trips_dest_locker_id_fkey', onDelete: 'RESTRICT' })
  destLockerId!: string;

  @Column({ name: 'driver_user_id', type: 'uuid', nullable: true })
  driverUserId!: string | null;

  @Column({ name: 'capacity', type: 'integer' })
  capacity!: number;

  @Column({ name: 'state', type: 'varchar', length: 64 })
  state!: string;

  @Column({ name: 'state_version', type: 'integer', default: 0 })
  stateVersion!: number;

  @Column({ name: 'definition_version', type: 'varchar', length: 32 })
  @ForeignKey(() => FsmDefinitionEntity, {
    name: 'trips_definition_version_fkey',
    onDelete: 'RESTRICT',
  })
  definitionVersion!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: now })
  updatedAt!: Date;
}

@Entity({ schema: 'delivery', name: 'orders' })
@Check('orders_pickup_type_check', `pickup_type IN ('self', 'courier')`)
@Check('orders_delivery_type_check', `delivery_type IN ('self', 'courier')`)
@Check('orders_parcel_size_check', `parcel_size IN ('S', 'M', 'L', 'P')`)
@Check('orders_lockers_differ', 'source_locker_id <> dest_locker_id')
@Check('orders_state_version_check', 'state_version >= 0')
@Index('orders_sender_idx', ['senderUserId', 'createdAt'])
@Index('orders_recipient_idx', ['recipientUserId', 'createdAt'])
@Index('orders_trip_id_idx', ['tripId'])
@Index('orders_state_created_at_idx', ['state', 'createdAt'])
export class OrderEntity {
  @PrimaryGeneratedColumn('uuid', { name: 'id' })
  id!: string;

  @Column({ name: 'sender_user_id', type: 'uuid' })
  senderUserId!: string;

  @Column({ name: 'recipient_user_id', type: 'uuid' })
  recipientUserId!: string;

  @Column({ name: 'pickup_type', type: 'varchar', length: 8 })
  pickupType!: string;

  @Column({ name: 'delivery_type', type: 'varchar', length: 8 })
  deliveryType!: string;

  @Column({ name: 'parcel_size', type: 'varchar', length: 1 })
  parcelSize!: string;

  @Column({ name: 'description', type: 'varchar', length: 255, default: '' })
  description!: string;

  @Column({ name: 'source_locker_id', type: 'uuid' })
  @ForeignKey(() => LockerEntity, { name: 'orders_source_locker_id_fkey', onDelete: 'RESTRICT' })
  sourceLockerId!: string;

  @Column({ name: 'dest_locker_id', type: 'uuid' })
  @ForeignKey(() => LockerEntity, { name: 'orders_dest_locker_id_fkey', onDelete: 'RESTRICT' })
  destLockerId!: string;

  /** The cell the order last held in locker A (kept after release, for the record). */
  @Column({ name: 'source_cell_id', type: 'uuid', nullable: true })
  @ForeignKey(() => CellEntity, { name: 'orders_source_cell_id_fkey', onDelete: 'RESTRICT' })
  sourceCellId!: string | null;

  @Column({ name: 'dest_cell_id', type: 'uuid', nullable: true })
  @ForeignKey(() => CellEntity, { name: 'orders_dest_cell_id_fkey', onDelete: 'RESTRICT' })
  destCellId!: string | null;

  @Column({ name: 'trip_id', type: 'uuid', nullable: true })
  @ForeignKey(() => TripEntity, { name: 'orders_trip_id_fkey', onDelete: 'SET NULL' })
  tripId!: string | null;

  @Column({ name: 'state', type: 'varchar', length: 64 })
  state!: string;

  @Column({ name: 'state_version', type: 'integer', default: 0 })
  stateVersion!: number;

  @Column({ name: 'definition_version', type: 'varchar', length: 32 })
  @ForeignKey(() => FsmDefinitionEntity, {
    name: 'orders_definition_version_fkey',
    onDelete: 'RESTRICT',
  })
  definitionVersion!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: now })
  updatedAt!: Date;
}

/** A courier leg of an order: `pickup` (sender → locker A) or `delivery` (locker B → recipient). */
@Entity({ schema: 'delivery', name: 'order_legs' })
@Check('order_legs_leg_check', `leg IN ('pickup', 'delivery')`)
@Index('order_legs_courier_user_id_idx', ['courierUserId'])
export class OrderLegEntity {
  @PrimaryColumn({ name: 'order_id', type: 'uuid' })
  @ForeignKey(() => OrderEntity, { name: 'order_legs_order_id_fkey', onDelete: 'CASCADE' })
  orderId!: string;

  @PrimaryColumn({ name: 'leg', type: 'varchar', length: 8 })
  leg!: string;

  /** Null: the leg is on the courier exchange. */
  @Column({ name: 'courier_user_id', type: 'uuid', nullable: true })
  courierUserId!: string | null;

  @Column({ name: 'assigned_at', type: 'timestamptz', nullable: true })
  assignedAt!: Date | null;
}

/**
 * An order holding a cell, live while `released_at` is null. The partial unique indexes are the
 * database's own guarantee against double booking.
 */
@Entity({ schema: 'delivery', name: 'cell_holds' })
@Check('cell_holds_side_check', `side IN ('source', 'dest')`)
@Index('cell_holds_live_cell_key', ['cellId'], { unique: true, where: 'released_at IS NULL' })
@Index('cell_holds_live_side_key', ['orderId', 'side'], {
  unique: true,
  where: 'released_at IS NULL',
})
export class CellHoldEntity {
  @PrimaryGeneratedColumn('identity', { name: 'id', type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column({ name: 'cell_id', type: 'uuid' })
  @ForeignKey(() => CellEntity, { name: 'cell_holds_cell_id_fkey', onDelete: 'RESTRICT' })
  cellId!: string;

  @Column({ name: 'order_id', type: 'uuid' })
  @ForeignKey(() => OrderEntity, { name: 'cell_holds_order_id_fkey', onDelete: 'CASCADE' })
  orderId!: string;

  @Column({ name: 'side', type: 'varchar', length: 8 })
  side!: string;

  @Column({ name: 'held_at', type: 'timestamptz', default: now })
  heldAt!: Date;

  @Column({ name: 'released_at', type: 'timestamptz', nullable: true })
  releasedAt!: Date | null;
}

/** One row per transition (requests, cascades, timeouts), written in the transition's transaction. */
@Entity({ schema: 'delivery', name: 'audit_log' })
@Check('audit_log_entity_type_check', ENTITY_TYPE_CHECK)
@Check(
  'audit_log_cause_check',
  `cause IN ('request', 'cascade', 'timeout', 'creation', 'pin', 'hardware')`,
)
@Index('audit_log_entity_idx', ['entityType', 'entityId', 'id'])
@Index('audit_log_at_idx', ['at'])
export class AuditLogEntity {
  @PrimaryGeneratedColumn('identity', { name: 'id', type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column({ name: 'entity_type', type: 'varchar', length: 8 })
  entityType!: string;

  @Column({ name: 'entity_id', type: 'uuid' })
  entityId!: string;

  @Column({ name: 'from_state', type: 'varchar', length: 64 })
  fromState!: string;

  @Column({ name: 'action', type: 'varchar', length: 64 })
  action!: string;

  @Column({ name: 'to_state', type: 'varchar', length: 64 })
  toState!: string;

  /** The entity's version after the transition. */
  @Column({ name: 'state_version', type: 'integer' })
  stateVersion!: number;

  @Column({ name: 'definition_version', type: 'varchar', length: 32 })
  definitionVersion!: string;

  @Column({ name: 'actor_role', type: 'varchar', length: 16 })
  actorRole!: string;

  @Column({ name: 'actor_user_id', type: 'uuid', nullable: true })
  actorUserId!: string | null;

  @Column({ name: 'actor_device_id', type: 'uuid', nullable: true })
  actorDeviceId!: string | null;

  @Column({ name: 'cause', type: 'varchar', length: 16 })
  cause!: string;

  @Column({ name: 'request_id', type: 'varchar', length: 128, nullable: true })
  requestId!: string | null;

  @Column({ name: 'at', type: 'timestamptz', default: now })
  at!: Date;
}

/** The per-locker command queue the controller long-polls. */
@Entity({ schema: 'delivery', name: 'locker_commands' })
@Check('locker_commands_status_check', `status IN ('pending', 'delivered', 'done', 'expired')`)
@Index('locker_commands_queue_idx', ['lockerId', 'status', 'issuedAt'])
@Index('locker_commands_cell_id_idx', ['cellId', 'status'])
export class LockerCommandEntity {
  @PrimaryGeneratedColumn('uuid', { name: 'id' })
  id!: string;

  @Column({ name: 'locker_id', type: 'uuid' })
  @ForeignKey(() => LockerEntity, { name: 'locker_commands_locker_id_fkey', onDelete: 'CASCADE' })
  lockerId!: string;

  @Column({ name: 'cell_id', type: 'uuid' })
  @ForeignKey(() => CellEntity, { name: 'locker_commands_cell_id_fkey', onDelete: 'CASCADE' })
  cellId!: string;

  @Column({ name: 'order_id', type: 'uuid', nullable: true })
  orderId!: string | null;

  @Column({ name: 'command', type: 'varchar', length: 32 })
  command!: string;

  /** The cell's version after the open: the stay in `locker_opened` this command belongs to. */
  @Column({ name: 'cell_state_version', type: 'integer' })
  cellStateVersion!: number;

  @Column({ name: 'status', type: 'varchar', length: 16, default: 'pending' })
  status!: string;

  @Column({ name: 'last_result', type: 'varchar', length: 32, nullable: true })
  lastResult!: string | null;

  @Column({ name: 'issued_at', type: 'timestamptz', default: now })
  issuedAt!: Date;

  @Column({ name: 'delivered_at', type: 'timestamptz', nullable: true })
  deliveredAt!: Date | null;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt!: Date | null;
}

/** Every command issued, delivered, acknowledged or expired (never edited). */
@Entity({ schema: 'delivery', name: 'hardware_command_log' })
@Check('hardware_command_log_event_check', `event IN ('issued', 'delivered', 'ack', 'expired')`)
@Index('hardware_command_log_command_id_idx', ['commandId'])
@Index('hardware_command_log_at_idx', ['at'])
export class HardwareCommandLogEntity {
  @PrimaryGeneratedColumn('identity', { name: 'id', type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column({ name: 'command_id', type: 'uuid', nullable: true })
  commandId!: string | null;

  @Column({ name: 'locker_id', type: 'uuid' })
  lockerId!: string;

  @Column({ name: 'cell_id', type: 'uuid', nullable: true })
  cellId!: string | null;

  @Column({ name: 'command', type: 'varchar', length: 32 })
  command!: string;

  @Column({ name: 'event', type: 'varchar', length: 16 })
  event!: string;

  @Column({ name: 'result', type: 'varchar', length: 32, nullable: true })
  result!: string | null;

  @Column({ name: 'request_id', type: 'varchar', length: 128, nullable: true })
  requestId!: string | null;

  @Column({ name: 'at', type: 'timestamptz', default: now })
  at!: Date;
}

/** A one-time 6-digit PIN (scrypt hash with its salt; the PIN itself is never stored). */
@Entity({ schema: 'delivery', name: 'pins' })
@Check('pins_side_check', `side IN ('source', 'dest')`)
@Check('pins_status_check', `status IN ('active', 'used', 'locked', 'revoked')`)
@Check('pins_attempts_check', 'attempts >= 0')
@Index('pins_live_key', ['orderId', 'side'], { unique: true, where: `status = 'active'` })
export class PinEntity {
  @PrimaryGeneratedColumn('uuid', { name: 'id' })
  id!: string;

  @Column({ name: 'order_id', type: 'uuid' })
  @ForeignKey(() => OrderEntity, { name: 'pins_order_id_fkey', onDelete: 'CASCADE' })
  orderId!: string;

  @Column({ name: 'side', type: 'varchar', length: 8 })
  side!: string;

  @Column({ name: 'holder_user_id', type: 'uuid' })
  holderUserId!: string;

  @Column({ name: 'salt', type: 'varchar', length: 32 })
  salt!: string;

  @Column({ name: 'pin_hash', type: 'varchar', length: 64 })
  pinHash!: string;

  @Column({ name: 'status', type: 'varchar', length: 16, default: 'active' })
  status!: string;

  @Column({ name: 'attempts', type: 'integer', default: 0 })
  attempts!: number;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt!: Date | null;
}

@Entity({ schema: 'delivery', name: 'idempotency_keys' })
@Index('idempotency_keys_expires_at_idx', ['expiresAt'])
export class IdempotencyKeyEntity {
  @PrimaryColumn({ name: 'caller_id', type: 'uuid' })
  callerId!: string;

  @PrimaryColumn({ name: 'key', type: 'varchar', length: 255 })
  key!: string;

  @Column({ name: 'request_hash', type: 'varchar', length: 64 })
  requestHash!: string;

  @Column({ name: 'order_id', type: 'uuid', nullable: true })
  @ForeignKey(() => OrderEntity, { name: 'idempotency_keys_order_id_fkey', onDelete: 'CASCADE' })
  orderId!: string | null;

  @Column({ name: 'response', type: 'jsonb', nullable: true })
  response!: unknown;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;
}

export const DELIVERY_ENTITIES = [
  FsmDefinitionEntity,
  FsmStateEntity,
  FsmActionEntity,
  FsmTransitionEntity,
  LockerModelEntity,
  LockerEntity,
  CellEntity,
  TripEntity,
  OrderEntity,
  OrderLegEntity,
  CellHoldEntity,
  AuditLogEntity,
  LockerCommandEntity,
  HardwareCommandLogEntity,
  PinEntity,
  IdempotencyKeyEntity,
];
