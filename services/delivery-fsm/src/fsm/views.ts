import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

const iso = (value: unknown): string => (value as Date).toISOString();
const str = (value: unknown): string | null =>
  value === null || value === undefined ? null : String(value);

export class HeldCellView {
  @ApiProperty({ format: 'uuid' }) cell_id!: string;
  @ApiProperty({ enum: ['source', 'dest'] }) side!: string;
  @ApiProperty() cell_code!: string;
  @ApiProperty() cell_state!: string;
}

export class OrderView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() state!: string;
  @ApiProperty() state_version!: number;
  @ApiProperty() definition_version!: string;
  @ApiProperty({ format: 'uuid' }) sender_user_id!: string;
  @ApiProperty({ format: 'uuid' }) recipient_user_id!: string;
  @ApiProperty({ enum: ['self', 'courier'] }) pickup_type!: string;
  @ApiProperty({ enum: ['self', 'courier'] }) delivery_type!: string;
  @ApiProperty({ enum: ['S', 'M', 'L', 'P'] }) parcel_size!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ format: 'uuid' }) source_locker_id!: string;
  @ApiProperty({ format: 'uuid' }) dest_locker_id!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) source_cell_id!: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) dest_cell_id!: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) trip_id!: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  pickup_courier_user_id!: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  delivery_courier_user_id!: string | null;
  @ApiProperty({ type: [HeldCellView], description: 'Cells the order holds now' })
  held_cells!: HeldCellView[];
  @ApiProperty() created_at!: string;
  @ApiProperty() updated_at!: string;
}

export class TripView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() state!: string;
  @ApiProperty() state_version!: number;
  @ApiProperty() definition_version!: string;
  @ApiProperty({ format: 'uuid' }) source_locker_id!: string;
  @ApiProperty({ format: 'uuid' }) dest_locker_id!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) driver_user_id!: string | null;
  @ApiProperty() capacity!: number;
  @ApiProperty({ type: [String], description: 'Orders on the trip' }) order_ids!: string[];
  @ApiProperty() created_at!: string;
}

export class CellView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) locker_id!: string;
  @ApiProperty() code!: string;
  @ApiProperty({ enum: ['S', 'M', 'L', 'P'] }) size!: string;
  @ApiProperty() state!: string;
  @ApiProperty() state_version!: number;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) order_id!: string | null;
  @ApiPropertyOptional({ enum: ['source', 'dest'], nullable: true, type: String })
  side!: string | null;
}

export class TransitionView {
  @ApiProperty({ enum: ['order', 'trip', 'cell'] }) entity_type!: string;
  @ApiProperty({ format: 'uuid' }) entity_id!: string;
  @ApiProperty() from_state!: string;
  @ApiProperty() action!: string;
  @ApiProperty() to_state!: string;
  @ApiProperty() state_version!: number;
  @ApiProperty({ description: 'The role the caller fired it as' }) fired_as!: string;
}

export class AvailableActionView {
  @ApiProperty() action!: string;
  @ApiProperty() label!: string;
  @ApiProperty() to_state!: string;
}

export class AvailableActionsView {
  @ApiProperty() entity_type!: string;
  @ApiProperty({ format: 'uuid' }) entity_id!: string;
  @ApiProperty() state!: string;
  @ApiProperty() state_version!: number;
  @ApiProperty({ type: [AvailableActionView] }) actions!: AvailableActionView[];
}

export class AuditEntryView {
  @ApiProperty() id!: string;
  @ApiProperty() from_state!: string;
  @ApiProperty() action!: string;
  @ApiProperty() to_state!: string;
  @ApiProperty() state_version!: number;
  @ApiProperty() definition_version!: string;
  @ApiProperty() actor_role!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) actor_user_id!: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) actor_device_id!: string | null;
  @ApiProperty({ enum: ['request', 'cascade', 'timeout', 'creation', 'pin', 'hardware'] })
  cause!: string;
  @ApiProperty({ nullable: true, type: String }) request_id!: string | null;
  @ApiProperty() at!: string;
}

export function orderView(row: Record<string, unknown>, held: HeldCellView[]): OrderView {
  return {
    id: row['id'] as string,
    state: row['state'] as string,
    state_version: Number(row['state_version']),
    definition_version: row['definition_version'] as string,
    sender_user_id: row['sender_user_id'] as string,
    recipient_user_id: row['recipient_user_id'] as string,
    pickup_type: row['pickup_type'] as string,
    delivery_type: row['delivery_type'] as string,
    parcel_size: row['parcel_size'] as string,
    description: row['description'] as string,
    source_locker_id: row['source_locker_id'] as string,
    dest_locker_id: row['dest_locker_id'] as string,
    source_cell_id: str(row['source_cell_id']),
    dest_cell_id: str(row['dest_cell_id']),
    trip_id: str(row['trip_id']),
    pickup_courier_user_id: str(row['pickup_courier']),
    delivery_courier_user_id: str(row['delivery_courier']),
    held_cells: held,
    created_at: iso(row['created_at']),
    updated_at: iso(row['updated_at']),
  };
}

export function tripView(row: Record<string, unknown>, orderIds: string[]): TripView {
  return {
    id: row['id'] as string,
    state: row['state'] as string,
    state_version: Number(row['state_version']),
    definition_version: row['definition_version'] as string,
    source_locker_id: row['source_locker_id'] as string,
    dest_locker_id: row['dest_locker_id'] as string,
    driver_user_id: str(row['driver_user_id']),
    capacity: Number(row['capacity']),
    order_ids: orderIds,
    created_at: iso(row['created_at']),
  };
}

export function cellView(row: Record<string, unknown>): CellView {
  return {
    id: row['id'] as string,
    locker_id: row['locker_id'] as string,
    code: row['code'] as string,
    size: row['size'] as string,
    state: row['state'] as string,
    state_version: Number(row['state_version']),
    order_id: str(row['order_id']),
    side: str(row['side']),
  };
}

export function auditView(row: Record<string, unknown>): AuditEntryView {
  return {
    id: String(row['id']),
    from_state: row['from_state'] as string,
    action: row['action'] as string,
    to_state: row['to_state'] as string,
    state_version: Number(row['state_version']),
    definition_version: row['definition_version'] as string,
    actor_role: row['actor_role'] as string,
    actor_user_id: str(row['actor_user_id']),
    actor_device_id: str(row['actor_device_id']),
    cause: row['cause'] as string,
    request_id: str(row['request_id']),
    at: iso(row['at']),
  };
}

/** A fired transition as the API answers it. */
export function transitionView(fired: {
  entityType: string;
  entityId: string;
  fromState: string;
  action: string;
  toState: string;
  stateVersion: number;
  firedAs: string;
}): TransitionView {
  return {
    entity_type: fired.entityType,
    entity_id: fired.entityId,
    from_state: fired.fromState,
    action: fired.action,
    to_state: fired.toState,
    state_version: fired.stateVersion,
    fired_as: fired.firedAs,
  };
}

/** A `cell_holds` row joined with its cell (`cell_id, side, code, state`). */
export function heldCellView(row: Record<string, unknown>): HeldCellView {
  return {
    cell_id: row['cell_id'] as string,
    side: row['side'] as string,
    cell_code: row['code'] as string,
    cell_state: row['state'] as string,
  };
}
