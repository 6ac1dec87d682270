import { IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Min } from 'class-validator';

/**
 * Events the delivery service publishes (Redis transport `emit`: pub/sub, fire-and-forget; nothing
 * is stored or retried), one per state-machine transition, after the transaction that made it
 * committed. A consumer that missed one reads the entity (or its audit log) back over HTTP.
 */
export const DELIVERY_EVENTS = {
  /** {@link DeliveryStateChangedEvent} of an order. */
  orderStateChanged: 'delivery.order.state_changed',
  /** {@link DeliveryStateChangedEvent} of a trip. */
  tripStateChanged: 'delivery.trip.state_changed',
  /** {@link DeliveryStateChangedEvent} of a locker cell. */
  cellStateChanged: 'delivery.cell.state_changed',
} as const;

export const DELIVERY_ENTITY_TYPES = ['order', 'trip', 'cell'] as const;
export type DeliveryEntityType = (typeof DELIVERY_ENTITY_TYPES)[number];

/** The pattern of `delivery.<entity>.state_changed` for an entity type. */
export function deliveryStateChangedPattern(entityType: DeliveryEntityType): string {
  return `delivery.${entityType}.state_changed`;
}

export class DeliveryStateChangedEvent {
  @IsIn(DELIVERY_ENTITY_TYPES)
  entityType!: DeliveryEntityType;

  @IsUUID()
  entityId!: string;

  @IsString()
  fromState!: string;

  /** The canonical action name. */
  @IsString()
  action!: string;

  @IsString()
  toState!: string;

  /** The entity's version after the transition (one more per transition). */
  @IsInt()
  @Min(1)
  stateVersion!: number;

  /** The state-machine definition version the entity runs under. */
  @IsString()
  definitionVersion!: string;

  /** The role the actor fired it as (`system` for timeouts and cascades). */
  @IsString()
  actorRole!: string;

  @IsOptional()
  @IsString()
  requestId?: string | null;

  /** ISO-8601 instant of the commit. */
  @IsISO8601()
  at!: string;
}
