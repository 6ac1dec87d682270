/**
 * The vocabulary of the delivery state machine: what a definition is made of. The definition itself
 * is data (definition.ts) so that a migration can seed it into tables and the checker can prove it
 * sound before the service accepts traffic.
 */

export const ENTITY_TYPES = ['order', 'trip', 'cell'] as const;
/** `cell` is one compartment of a parcel locker (the reference system called it `locker`). */
export type EntityType = (typeof ENTITY_TYPES)[number];

export const PERSON_ROLES = [
  'client',
  'recipient',
  'courier',
  'driver',
  'operator',
  'admin',
] as const;
/** Keycloak realm roles of people, the `locker` device kind and the service's own `system` actor. */
export const ROLES = [...PERSON_ROLES, 'locker', 'system'] as const;
export type Role = (typeof ROLES)[number];
/** Roles that may fire every transition of the machine, without ownership. */
export const STAFF_ROLES = ['operator', 'admin'] as const satisfies readonly Role[];

/**
 * Whose entity it must be for a role to fire a transition. `any` means the role alone is enough
 * (a courier taking an order from the exchange, staff, the system). The others compare the actor's
 * user id (people) or device id (locker controllers) with a fact the service loads with the entity.
 */
export const OWNERSHIP_RULES = [
  'any',
  'order_sender',
  'order_recipient',
  'pickup_courier',
  'delivery_courier',
  'trip_driver',
  'source_locker',
  'dest_locker',
  'order_locker',
  'cell_locker',
] as const;
export type OwnershipRule = (typeof OWNERSHIP_RULES)[number];

/** The entity types each ownership rule can be evaluated on (the facts exist only there). */
export const OWNERSHIP_RULE_ENTITIES: Readonly<Record<OwnershipRule, readonly EntityType[]>> = {
  any: ENTITY_TYPES,
  order_sender: ['order'],
  order_recipient: ['order'],
  pickup_courier: ['order'],
  delivery_courier: ['order'],
  trip_driver: ['order', 'trip'],
  source_locker: ['order'],
  dest_locker: ['order'],
  order_locker: ['order'],
  cell_locker: ['cell'],
};

/** Rules that compare a device id; the others compare a user id. */
export const DEVICE_OWNERSHIP_RULES = [
  'source_locker',
  'dest_locker',
  'order_locker',
  'cell_locker',
] as const satisfies readonly OwnershipRule[];

export type AllowedRoles = Readonly<Partial<Record<Role, OwnershipRule>>>;

export const PICKUP_TYPES = ['self', 'courier'] as const;
/** How the parcel reaches locker A: the sender drops it (`self`) or a courier collects it. */
export type PickupType = (typeof PICKUP_TYPES)[number];
export const DELIVERY_TYPES = ['self', 'courier'] as const;
/** How the parcel leaves locker B: the recipient collects it (`self`) or a courier delivers it. */
export type DeliveryType = (typeof DELIVERY_TYPES)[number];

/** A condition on the order's own data, checked after the role and ownership. */
export interface TransitionGuard {
  readonly pickupType?: PickupType;
  readonly deliveryType?: DeliveryType;
}

/** Which of an order's two cells: in locker A (drop-off) or locker B (collection). */
export type CellSide = 'source' | 'dest';
/** Courier legs: pickup = sender to locker A, delivery = locker B to the recipient. */
export type Leg = 'pickup' | 'delivery';
export const LOCKER_COMMANDS = ['OPEN_CELL'] as const;
export type LockerCommand = (typeof LOCKER_COMMANDS)[number];

/**
 * Side effects the service applies in the same database transaction as the state change. They are
 * data: the engine only reports them, the service executes them.
 */
export type Effect =
  /** Order: hold a free cell on that side for the order (no double booking; idempotent). */
  | { readonly kind: 'reserve_cell'; readonly cell: CellSide }
  /** Order: fire `locker_cancel_reservation` on the order's cell if the cell accepts it now. */
  | { readonly kind: 'release_cell'; readonly cell: CellSide }
  /** Order: fire `locker_open_locker` on the order's cell (which queues the hardware command). */
  | { readonly kind: 'open_cell'; readonly cell: CellSide }
  /** Order: the leg's courier becomes the acting courier, or the courier an operator names. */
  | { readonly kind: 'assign_leg_courier'; readonly leg: Leg }
  /** Order: the leg goes back on the courier exchange. */
  | { readonly kind: 'clear_leg_courier'; readonly leg: Leg }
  /** Order: join an open trip for its (locker A, locker B) pair, or open a new one. */
  | { readonly kind: 'attach_to_trip' }
  /** Order: leave its trip (it frees a seat; the trip keeps its history of the others). */
  | { readonly kind: 'detach_from_trip' }
  /** Trip: the trip's driver becomes the acting driver, or the driver an operator names. */
  | { readonly kind: 'assign_trip_driver' }
  /** Trip: nobody drives the trip any more. */
  | { readonly kind: 'clear_trip_driver' }
  /**
   * Trip: fire `action` (as `system`) on each order of the trip whose state accepts it; with
   * `onlyFrom`, only on the orders in one of those states.
   */
  | {
      readonly kind: 'fan_out_to_trip_orders';
      readonly action: string;
      readonly onlyFrom?: readonly string[];
    }
  /**
   * Trip: every order (with `onlyFrom`: every order in one of those states) leaves the trip and is
   * grouped again into another one.
   */
  | { readonly kind: 'detach_trip_orders'; readonly onlyFrom?: readonly string[] }
  /** Cell: queue a command for the locker controller and log it in the hardware command log. */
  | { readonly kind: 'issue_locker_command'; readonly command: LockerCommand }
  /**
   * Cell: fire, on the order that holds the cell, the first listed action its state accepts (as the
   * same actor); the list depends on whether the cell is the order's source or destination.
   */
  | {
      readonly kind: 'notify_cell_order';
      readonly whenSource: readonly string[];
      readonly whenDest: readonly string[];
    };
export type EffectKind = Effect['kind'];

/** Whether a trip effect reaches an order in `state` (no `onlyFrom` list: every state does). */
export function reachesOrderIn(state: string, onlyFrom: readonly string[] | undefined): boolean {
  return onlyFrom === undefined || onlyFrom.includes(state);
}

export const EFFECT_ENTITIES: Readonly<Record<EffectKind, EntityType>> = {
  reserve_cell: 'order',
  release_cell: 'order',
  open_cell: 'order',
  assign_leg_courier: 'order',
  clear_leg_courier: 'order',
  attach_to_trip: 'order',
  detach_from_trip: 'order',
  assign_trip_driver: 'trip',
  clear_trip_driver: 'trip',
  fan_out_to_trip_orders: 'trip',
  detach_trip_orders: 'trip',
  issue_locker_command: 'cell',
  notify_cell_order: 'cell',
};

export const TIMEOUT_NAMES = [
  /** The sender never dropped the parcel, or no courier took it from the exchange. */
  'reservation_unused',
  /** The assigned courier did not pick the parcel up: the leg goes back to the exchange. */
  'courier_no_pickup',
  /** Nobody collected the parcel from locker B (the recipient, or a courier from the exchange). */
  'recipient_no_collect',
  /** The delivery courier took the parcel from locker B and never reported it handed over. */
  'courier_no_handover',
  /** The recipient did not confirm the delivery courier's handover. */
  'recipient_no_confirm',
  /** The locker controller did not report the door closed after an open command. */
  'hardware_no_ack',
  /** A trip still collecting orders is closed for new ones and offered to drivers. */
  'trip_activation_age',
  /** No driver took an activated trip. */
  'trip_no_driver',
] as const;
export type TimeoutName = (typeof TIMEOUT_NAMES)[number];
/** Milliseconds per timeout; configuration, never constants in the engine. */
export type TimeoutDurations = Readonly<Record<TimeoutName, number>>;

export interface StateTimeout {
  readonly name: TimeoutName;
  /** Fired by `system` when the timeout expires while the entity is still in the state. */
  readonly action: string;
}

/**
 * `failure` states hold the entity (and its cells) until staff resolve them; `terminal` states end
 * it. Both are final for the people involved; only failure states must offer staff a way back.
 */
export type StateKind = 'initial' | 'active' | 'failure' | 'terminal';

export interface StateDefinition {
  readonly name: string;
  readonly entityType: EntityType;
  readonly kind: StateKind;
  readonly label: string;
  /** Other names clients may use for this state (legacy identifiers merged into it). */
  readonly aliases?: readonly string[];
  /** Timeouts started when the state is entered and cancelled when it is left. */
  readonly timeouts?: readonly StateTimeout[];
}

export interface ActionDefinition {
  readonly name: string;
  readonly entityType: EntityType;
  readonly label: string;
  /** Readable names, and legacy identifiers merged into this action; both are accepted as input. */
  readonly aliases?: readonly string[];
}

export interface TransitionDefinition {
  readonly entityType: EntityType;
  readonly from: string;
  readonly action: string;
  readonly to: string;
  /** Who may fire it and under which ownership rule; roles not listed are refused. */
  readonly allowed: AllowedRoles;
  readonly guard?: TransitionGuard;
  readonly effects: readonly Effect[];
}

export interface EntityTypeDefinition {
  readonly name: EntityType;
  readonly initialState: string;
  readonly label: string;
}

export interface FsmDefinition {
  /** Bumped on every change; each order remembers the version it runs under. */
  readonly version: string;
  readonly entityTypes: readonly EntityTypeDefinition[];
  readonly states: readonly StateDefinition[];
  readonly actions: readonly ActionDefinition[];
  readonly transitions: readonly TransitionDefinition[];
}
