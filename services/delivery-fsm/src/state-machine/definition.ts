import type {
  ActionDefinition,
  AllowedRoles,
  Effect,
  EntityType,
  FsmDefinition,
  StateDefinition,
  TransitionDefinition,
  TransitionGuard,
} from './model';

/**
 * The delivery state machine. Identifiers are those of the tables the service replaces (so their
 * clients keep working); the few new ones fill gaps the checker or an audit found.
 * docs/delivery-fsm.md explains every change; definition.spec.ts proves each old identifier is
 * still here. 1.1.0 (docs/delivery-fsm.md, "Version 1.1.0"): a trip leaves without the orders it
 * did not load, and what it did not unload goes to staff; a door's last report decides whether a
 * cell holds a parcel; a parcel no order holds goes to staff. 1.2.0 ("Version 1.2.0"): a cancelled
 * trip hands what it carries to staff instead of regrouping it; staff can put a parcel that is in
 * a vehicle back on the way into locker B; cell B is let go once the delivery courier hands over.
 * 1.3.0 ("Version 1.3.0"): the delivery courier's handover, and the recipient's confirmation of
 * it, have deadlines that hand the order to staff.
 */
export const DELIVERY_FSM_VERSION = '1.3.0';

/** Staff may fire every transition, whoever owns the entity (checked by checkDefinition). */
function withStaff(allowed: AllowedRoles): AllowedRoles {
  return { ...allowed, operator: 'any', admin: 'any' };
}

function transitionsOf(entityType: EntityType) {
  return (
    from: string,
    action: string,
    to: string,
    allowed: AllowedRoles,
    options: { readonly guard?: TransitionGuard; readonly effects?: readonly Effect[] } = {},
  ): TransitionDefinition => ({
    entityType,
    from,
    action,
    to,
    allowed: withStaff(allowed),
    ...(options.guard ? { guard: options.guard } : {}),
    effects: options.effects ?? [],
  });
}

const STAFF_ONLY: AllowedRoles = {};
const SYSTEM: AllowedRoles = { system: 'any' };

// ---------------------------------------------------------------------------------------------
// Order
// ---------------------------------------------------------------------------------------------

const RESERVE_BOTH_CELLS: readonly Effect[] = [
  { kind: 'reserve_cell', cell: 'source' },
  { kind: 'reserve_cell', cell: 'dest' },
  { kind: 'attach_to_trip' },
];
const RELEASE_BOTH_CELLS: readonly Effect[] = [
  { kind: 'release_cell', cell: 'source' },
  { kind: 'release_cell', cell: 'dest' },
];
/** An order that ends before delivery also gives its seat on the trip back. */
const ABANDON: readonly Effect[] = [...RELEASE_BOTH_CELLS, { kind: 'detach_from_trip' }];

const orderStates: readonly StateDefinition[] = [
  {
    name: 'order_created',
    entityType: 'order',
    kind: 'initial',
    label: 'Created, cells not yet reserved',
  },
  {
    name: 'order_client_reserved_post1_and_post2',
    entityType: 'order',
    kind: 'active',
    label: 'Cells reserved, waiting for the sender at locker A',
    timeouts: [{ name: 'reservation_unused', action: 'order_timeout_reservation' }],
  },
  {
    name: 'order_courier_reserved_post1_and_post2',
    entityType: 'order',
    kind: 'active',
    label: 'Cells reserved, on the pickup exchange',
    timeouts: [{ name: 'reservation_unused', action: 'order_timeout_reservation' }],
  },
  {
    name: 'order_client_post1',
    entityType: 'order',
    kind: 'active',
    label: 'Sender is dropping the parcel into cell A',
  },
  {
    name: 'order_courier1_assigned',
    entityType: 'order',
    kind: 'active',
    label: 'Pickup courier assigned',
    timeouts: [{ name: 'courier_no_pickup', action: 'order_timeout_no_pickup' }],
  },
  {
    name: 'order_courier_has_parcel',
    entityType: 'order',
    kind: 'active',
    label: 'Pickup courier is dropping the parcel into cell A',
  },
  {
    name: 'order_parcel_confirmed',
    entityType: 'order',
    kind: 'active',
    label: 'Parcel in cell A, waiting for the trip',
  },
  {
    name: 'order_parcel_submitted',
    entityType: 'order',
    kind: 'active',
    label: 'Driver is taking the parcel out of cell A',
  },
  {
    name: 'order_picked_up_from_post1',
    entityType: 'order',
    kind: 'active',
    label: 'Parcel loaded, trip not started',
  },
  {
    name: 'order_in_transit_to_post2',
    entityType: 'order',
    kind: 'active',
    label: 'On the way to locker B',
  },
  {
    name: 'order_arrived_at_post2',
    entityType: 'order',
    kind: 'active',
    label: 'Trip arrived at locker B',
  },
  {
    name: 'order_placing_in_post2',
    entityType: 'order',
    kind: 'active',
    label: 'Driver is putting the parcel into cell B',
  },
  {
    name: 'order_parcel_confirmed_post2',
    entityType: 'order',
    kind: 'active',
    label: 'Parcel in cell B, waiting for the recipient or a delivery courier',
    timeouts: [{ name: 'recipient_no_collect', action: 'order_timeout_confirmation' }],
  },
  {
    name: 'order_courier2_assigned',
    entityType: 'order',
    kind: 'active',
    label: 'Delivery courier assigned',
    timeouts: [{ name: 'courier_no_pickup', action: 'order_timeout_no_pickup' }],
  },
  {
    name: 'order_courier2_has_parcel',
    entityType: 'order',
    kind: 'active',
    label: 'Delivery courier took the parcel from cell B',
    // 1.3.0: a parcel outside any locker with nobody reporting on it goes to staff
    timeouts: [{ name: 'courier_no_handover', action: 'order_request_manual_intervention' }],
  },
  {
    name: 'order_courier2_parcel_delivered',
    entityType: 'order',
    kind: 'active',
    label: 'Handed to the recipient, waiting for confirmation',
    // 1.3.0: staff ask the recipient rather than the order waiting for ever
    timeouts: [{ name: 'recipient_no_confirm', action: 'order_request_manual_intervention' }],
  },
  {
    name: 'order_delivered_to_client',
    entityType: 'order',
    kind: 'active',
    label: 'Recipient is taking the parcel out of cell B',
  },
  { name: 'order_completed', entityType: 'order', kind: 'terminal', label: 'Completed' },
  { name: 'order_cancelled', entityType: 'order', kind: 'terminal', label: 'Cancelled' },
  {
    name: 'order_reservation_expired',
    entityType: 'order',
    kind: 'terminal',
    label: 'Reservation expired unused',
  },
  {
    name: 'order_courier_failed',
    entityType: 'order',
    kind: 'failure',
    label: 'Pickup courier failed',
  },
  {
    name: 'order_parcel_missing',
    entityType: 'order',
    kind: 'failure',
    label: 'Parcel not found in its cell',
  },
  { name: 'order_delivery_failed', entityType: 'order', kind: 'failure', label: 'Delivery failed' },
  {
    name: 'order_manual_intervention_required',
    entityType: 'order',
    kind: 'failure',
    label: 'Manual intervention required',
  },
];

const orderActions: readonly ActionDefinition[] = [
  {
    name: 'order_reserve_for_client_A_to_B',
    entityType: 'order',
    label: 'Reserve cells A and B (sender drops off)',
  },
  {
    name: 'order_reserve_for_courier_A_to_B',
    entityType: 'order',
    label: 'Reserve cells A and B (courier picks up)',
  },
  {
    name: 'order_client_deliv_post1',
    entityType: 'order',
    label: 'Sender opens cell A to drop the parcel',
    aliases: ['order_sender_opens_post1', 'order_client_will_deliver'],
  },
  {
    name: 'order_assign_courier1_to_order',
    entityType: 'order',
    label: 'Assign the pickup courier',
    aliases: ['order_take_pickup'],
  },
  {
    name: 'order_courier_pickup_parcel',
    entityType: 'order',
    label: 'Pickup courier has the parcel, opens cell A',
  },
  { name: 'order_confirm_parcel_in', entityType: 'order', label: 'Parcel confirmed in cell A' },
  {
    name: 'order_parcel_submitted',
    entityType: 'order',
    label: 'Driver opens cell A',
    aliases: ['order_driver_opens_post1'],
  },
  {
    name: 'order_pickup_by_voditel',
    entityType: 'order',
    label: 'Driver took the parcel from cell A',
    aliases: ['order_picked_up_by_driver'],
  },
  { name: 'order_start_transit', entityType: 'order', label: 'Trip started' },
  { name: 'order_arrive_at_post2', entityType: 'order', label: 'Trip arrived at locker B' },
  { name: 'order_driver_opens_post2', entityType: 'order', label: 'Driver opens cell B' },
  { name: 'order_confirm_post2', entityType: 'order', label: 'Parcel confirmed in cell B' },
  {
    name: 'order_pickup_poluchatel',
    entityType: 'order',
    label: 'Recipient opens cell B',
    aliases: ['order_recipient_opens_post2'],
  },
  {
    name: 'order_delivered_parcel',
    entityType: 'order',
    label: 'Recipient took the parcel',
    aliases: ['order_recipient_collected'],
  },
  {
    name: 'order_assign_courier2_to_order',
    entityType: 'order',
    label: 'Assign the delivery courier',
    aliases: ['order_take_delivery'],
  },
  {
    name: 'order_courier2_pickup_parcel',
    entityType: 'order',
    label: 'Delivery courier opens cell B',
  },
  {
    name: 'order_courier2_delivered_parcel',
    entityType: 'order',
    label: 'Delivery courier handed the parcel over',
  },
  { name: 'order_recipient_confirmed', entityType: 'order', label: 'Recipient confirms receipt' },
  {
    name: 'order_courier1_cancel',
    entityType: 'order',
    label: 'Pickup courier gives the order back',
  },
  {
    name: 'order_courier2_cancel',
    entityType: 'order',
    label: 'Delivery courier gives the order back',
  },
  {
    name: 'order_cancel_reservation',
    entityType: 'order',
    label: 'Cancel the order',
    aliases: ['order_cancel'],
  },
  { name: 'order_timeout_reservation', entityType: 'order', label: 'Timeout: reservation unused' },
  {
    name: 'order_timeout_confirmation',
    entityType: 'order',
    label: 'Timeout or deadline: not confirmed in time',
  },
  {
    name: 'order_timeout_no_pickup',
    entityType: 'order',
    label: 'Timeout: courier did not pick up',
  },
  { name: 'order_report_parcel_missing', entityType: 'order', label: 'Report the parcel missing' },
  {
    name: 'order_report_delivery_failed',
    entityType: 'order',
    label: 'Report the delivery failed',
  },
  {
    name: 'order_request_manual_intervention',
    entityType: 'order',
    label: 'Request manual intervention',
  },
];

const order = transitionsOf('order');

/**
 * Staff may always escalate an order; where a cell of the order is open, a cell fault or a timeout
 * can too (the system, or that locker's controller), and where a trip ends without unloading the
 * order, the system.
 */
function manualIntervention(
  from: string,
  by: 'staff' | 'system' | 'source_locker' | 'dest_locker' = 'staff',
) {
  const allowed: AllowedRoles =
    by === 'staff' ? STAFF_ONLY : by === 'system' ? SYSTEM : { system: 'any', locker: by };
  return order(
    from,
    'order_request_manual_intervention',
    'order_manual_intervention_required',
    allowed,
  );
}

/** Orders holding their two cells while the parcel is not in locker A yet. */
export const AWAITING_DROP_OFF = [
  'order_client_reserved_post1_and_post2',
  'order_courier_reserved_post1_and_post2',
  'order_client_post1',
  'order_courier1_assigned',
  'order_courier_has_parcel',
] as const;
/**
 * Orders that wait for their trip at locker A (or for the parcel to get there): a trip that leaves
 * without them hands them to another trip of their pair.
 */
const WAITING_FOR_TRIP = [...AWAITING_DROP_OFF, 'order_parcel_confirmed'] as const;
/** Staff put an order back on the way to locker A: it needs a trip that has not left yet. */
const BACK_TO_LOCKER_A: Effect = { kind: 'attach_to_trip' };

const orderTransitions: readonly TransitionDefinition[] = [
  // Creation: the reservation step branches on the pickup type.
  order(
    'order_created',
    'order_reserve_for_client_A_to_B',
    'order_client_reserved_post1_and_post2',
    SYSTEM,
    {
      guard: { pickupType: 'self' },
      effects: RESERVE_BOTH_CELLS,
    },
  ),
  order(
    'order_created',
    'order_reserve_for_courier_A_to_B',
    'order_courier_reserved_post1_and_post2',
    SYSTEM,
    {
      guard: { pickupType: 'courier' },
      effects: RESERVE_BOTH_CELLS,
    },
  ),
  order(
    'order_created',
    'order_cancel_reservation',
    'order_cancelled',
    { client: 'order_sender' },
    { effects: ABANDON },
  ),
  manualIntervention('order_created'),

  // First leg, sender drops off.
  order(
    'order_client_reserved_post1_and_post2',
    'order_client_deliv_post1',
    'order_client_post1',
    { client: 'order_sender' },
    {
      effects: [{ kind: 'open_cell', cell: 'source' }],
    },
  ),
  order(
    'order_client_reserved_post1_and_post2',
    'order_timeout_reservation',
    'order_reservation_expired',
    SYSTEM,
    { effects: ABANDON },
  ),
  order(
    'order_client_reserved_post1_and_post2',
    'order_cancel_reservation',
    'order_cancelled',
    { client: 'order_sender' },
    {
      effects: ABANDON,
    },
  ),
  manualIntervention('order_client_reserved_post1_and_post2'),
  order('order_client_post1', 'order_confirm_parcel_in', 'order_parcel_confirmed', {
    locker: 'source_locker',
  }),
  manualIntervention('order_client_post1', 'source_locker'),

  // First leg, courier picks up.
  order(
    'order_courier_reserved_post1_and_post2',
    'order_assign_courier1_to_order',
    'order_courier1_assigned',
    { courier: 'any' },
    {
      effects: [{ kind: 'assign_leg_courier', leg: 'pickup' }],
    },
  ),
  order(
    'order_courier_reserved_post1_and_post2',
    'order_timeout_reservation',
    'order_reservation_expired',
    SYSTEM,
    { effects: ABANDON },
  ),
  order(
    'order_courier_reserved_post1_and_post2',
    'order_cancel_reservation',
    'order_cancelled',
    { client: 'order_sender' },
    {
      effects: ABANDON,
    },
  ),
  manualIntervention('order_courier_reserved_post1_and_post2'),
  order(
    'order_courier1_assigned',
    'order_courier_pickup_parcel',
    'order_courier_has_parcel',
    { courier: 'pickup_courier' },
    {
      effects: [{ kind: 'open_cell', cell: 'source' }],
    },
  ),
  order(
    'order_courier1_assigned',
    'order_courier1_cancel',
    'order_courier_reserved_post1_and_post2',
    { courier: 'pickup_courier' },
    {
      effects: [{ kind: 'clear_leg_courier', leg: 'pickup' }],
    },
  ),
  order(
    'order_courier1_assigned',
    'order_timeout_no_pickup',
    'order_courier_reserved_post1_and_post2',
    SYSTEM,
    {
      effects: [{ kind: 'clear_leg_courier', leg: 'pickup' }],
    },
  ),
  order(
    'order_courier1_assigned',
    'order_timeout_confirmation',
    'order_courier_failed',
    STAFF_ONLY,
  ),
  manualIntervention('order_courier1_assigned'),
  order('order_courier_has_parcel', 'order_confirm_parcel_in', 'order_parcel_confirmed', {
    locker: 'source_locker',
  }),
  order('order_courier_has_parcel', 'order_report_delivery_failed', 'order_delivery_failed', {
    courier: 'pickup_courier',
  }),
  manualIntervention('order_courier_has_parcel', 'source_locker'),

  // Locker A to locker B on a trip.
  order(
    'order_parcel_confirmed',
    'order_parcel_submitted',
    'order_parcel_submitted',
    { driver: 'trip_driver' },
    {
      effects: [{ kind: 'open_cell', cell: 'source' }],
    },
  ),
  order('order_parcel_confirmed', 'order_report_parcel_missing', 'order_parcel_missing', {
    driver: 'trip_driver',
  }),
  manualIntervention('order_parcel_confirmed'),
  order(
    'order_parcel_submitted',
    'order_pickup_by_voditel',
    'order_picked_up_from_post1',
    { locker: 'source_locker' },
    {
      effects: [{ kind: 'release_cell', cell: 'source' }],
    },
  ),
  order('order_parcel_submitted', 'order_report_parcel_missing', 'order_parcel_missing', {
    locker: 'source_locker',
    driver: 'trip_driver',
  }),
  manualIntervention('order_parcel_submitted', 'source_locker'),
  order('order_picked_up_from_post1', 'order_start_transit', 'order_in_transit_to_post2', SYSTEM),
  manualIntervention('order_picked_up_from_post1', 'system'),
  order('order_in_transit_to_post2', 'order_arrive_at_post2', 'order_arrived_at_post2', SYSTEM),
  order('order_in_transit_to_post2', 'order_report_delivery_failed', 'order_delivery_failed', {
    driver: 'trip_driver',
  }),
  manualIntervention('order_in_transit_to_post2', 'system'),
  order(
    'order_arrived_at_post2',
    'order_driver_opens_post2',
    'order_placing_in_post2',
    { driver: 'trip_driver' },
    {
      effects: [{ kind: 'open_cell', cell: 'dest' }],
    },
  ),
  manualIntervention('order_arrived_at_post2', 'system'),
  order('order_placing_in_post2', 'order_confirm_post2', 'order_parcel_confirmed_post2', {
    locker: 'dest_locker',
  }),
  manualIntervention('order_placing_in_post2', 'dest_locker'),

  // Last leg: the delivery type decides who may take the parcel out of cell B.
  order(
    'order_parcel_confirmed_post2',
    'order_pickup_poluchatel',
    'order_delivered_to_client',
    { recipient: 'order_recipient' },
    {
      guard: { deliveryType: 'self' },
      effects: [{ kind: 'open_cell', cell: 'dest' }],
    },
  ),
  order(
    'order_parcel_confirmed_post2',
    'order_assign_courier2_to_order',
    'order_courier2_assigned',
    { courier: 'any' },
    {
      guard: { deliveryType: 'courier' },
      effects: [{ kind: 'assign_leg_courier', leg: 'delivery' }],
    },
  ),
  order(
    'order_parcel_confirmed_post2',
    'order_timeout_confirmation',
    'order_delivery_failed',
    SYSTEM,
  ),
  order(
    'order_parcel_confirmed_post2',
    'order_report_parcel_missing',
    'order_parcel_missing',
    STAFF_ONLY,
  ),
  manualIntervention('order_parcel_confirmed_post2'),
  order(
    'order_delivered_to_client',
    'order_delivered_parcel',
    'order_completed',
    {
      locker: 'dest_locker',
      recipient: 'order_recipient',
    },
    { effects: RELEASE_BOTH_CELLS },
  ),
  order('order_delivered_to_client', 'order_report_parcel_missing', 'order_parcel_missing', {
    locker: 'dest_locker',
    recipient: 'order_recipient',
  }),
  manualIntervention('order_delivered_to_client', 'dest_locker'),
  order(
    'order_courier2_assigned',
    'order_courier2_pickup_parcel',
    'order_courier2_has_parcel',
    { courier: 'delivery_courier' },
    {
      effects: [{ kind: 'open_cell', cell: 'dest' }],
    },
  ),
  order(
    'order_courier2_assigned',
    'order_courier2_cancel',
    'order_parcel_confirmed_post2',
    { courier: 'delivery_courier' },
    {
      effects: [{ kind: 'clear_leg_courier', leg: 'delivery' }],
    },
  ),
  order(
    'order_courier2_assigned',
    'order_timeout_no_pickup',
    'order_parcel_confirmed_post2',
    SYSTEM,
    {
      effects: [{ kind: 'clear_leg_courier', leg: 'delivery' }],
    },
  ),
  manualIntervention('order_courier2_assigned'),
  // The parcel is with the recipient: cell B is no longer needed while they confirm.
  order(
    'order_courier2_has_parcel',
    'order_courier2_delivered_parcel',
    'order_courier2_parcel_delivered',
    {
      courier: 'delivery_courier',
    },
    { effects: [{ kind: 'release_cell', cell: 'dest' }] },
  ),
  order('order_courier2_has_parcel', 'order_report_delivery_failed', 'order_delivery_failed', {
    courier: 'delivery_courier',
  }),
  order('order_courier2_has_parcel', 'order_report_parcel_missing', 'order_parcel_missing', {
    locker: 'dest_locker',
    courier: 'delivery_courier',
  }),
  manualIntervention('order_courier2_has_parcel', 'dest_locker'),
  order(
    'order_courier2_parcel_delivered',
    'order_recipient_confirmed',
    'order_completed',
    { recipient: 'order_recipient' },
    {
      effects: RELEASE_BOTH_CELLS,
    },
  ),
  manualIntervention('order_courier2_parcel_delivered', 'system'),

  // Staff recovery from failure states: resume where the parcel is, or cancel (cells released).
  order(
    'order_courier_failed',
    'order_assign_courier1_to_order',
    'order_courier1_assigned',
    STAFF_ONLY,
    {
      effects: [{ kind: 'assign_leg_courier', leg: 'pickup' }, BACK_TO_LOCKER_A],
    },
  ),
  order('order_courier_failed', 'order_cancel_reservation', 'order_cancelled', STAFF_ONLY, {
    effects: ABANDON,
  }),
  manualIntervention('order_courier_failed'),
  order('order_parcel_missing', 'order_cancel_reservation', 'order_cancelled', STAFF_ONLY, {
    effects: ABANDON,
  }),
  manualIntervention('order_parcel_missing'),
  order('order_delivery_failed', 'order_cancel_reservation', 'order_cancelled', STAFF_ONLY, {
    effects: ABANDON,
  }),
  manualIntervention('order_delivery_failed'),
  order(
    'order_manual_intervention_required',
    'order_reserve_for_client_A_to_B',
    'order_client_reserved_post1_and_post2',
    STAFF_ONLY,
    {
      guard: { pickupType: 'self' },
      effects: RESERVE_BOTH_CELLS,
    },
  ),
  order(
    'order_manual_intervention_required',
    'order_reserve_for_courier_A_to_B',
    'order_courier_reserved_post1_and_post2',
    STAFF_ONLY,
    {
      guard: { pickupType: 'courier' },
      effects: RESERVE_BOTH_CELLS,
    },
  ),
  order(
    'order_manual_intervention_required',
    'order_assign_courier1_to_order',
    'order_courier1_assigned',
    STAFF_ONLY,
    {
      effects: [{ kind: 'assign_leg_courier', leg: 'pickup' }, BACK_TO_LOCKER_A],
    },
  ),
  order(
    'order_manual_intervention_required',
    'order_confirm_parcel_in',
    'order_parcel_confirmed',
    STAFF_ONLY,
    { effects: [BACK_TO_LOCKER_A] },
  ),
  order(
    'order_manual_intervention_required',
    'order_confirm_post2',
    'order_parcel_confirmed_post2',
    STAFF_ONLY,
  ),
  // The parcel is in a vehicle at locker B (its trip ended or failed): unloaded into a cell B.
  order(
    'order_manual_intervention_required',
    'order_arrive_at_post2',
    'order_arrived_at_post2',
    STAFF_ONLY,
    { effects: [{ kind: 'reserve_cell', cell: 'dest' }] },
  ),
  order(
    'order_manual_intervention_required',
    'order_assign_courier2_to_order',
    'order_courier2_assigned',
    STAFF_ONLY,
    {
      effects: [{ kind: 'assign_leg_courier', leg: 'delivery' }],
    },
  ),
  order(
    'order_manual_intervention_required',
    'order_delivered_parcel',
    'order_completed',
    STAFF_ONLY,
    {
      effects: RELEASE_BOTH_CELLS,
    },
  ),
  order(
    'order_manual_intervention_required',
    'order_cancel_reservation',
    'order_cancelled',
    STAFF_ONLY,
    { effects: ABANDON },
  ),
];

// ---------------------------------------------------------------------------------------------
// Trip
// ---------------------------------------------------------------------------------------------

const tripStates: readonly StateDefinition[] = [
  {
    name: 'trip_created',
    entityType: 'trip',
    kind: 'initial',
    label: 'Collecting orders',
    timeouts: [{ name: 'trip_activation_age', action: 'trip_activate' }],
  },
  {
    name: 'trip_activated',
    entityType: 'trip',
    kind: 'active',
    label: 'Closed for new orders, offered to drivers',
    timeouts: [{ name: 'trip_no_driver', action: 'trip_report_driver_not_found' }],
  },
  { name: 'trip_assigned', entityType: 'trip', kind: 'active', label: 'Driver assigned' },
  {
    name: 'trip_ready_for_pickup',
    entityType: 'trip',
    kind: 'active',
    label: 'Driver at locker A, loading',
  },
  { name: 'trip_parcel_picked_up', entityType: 'trip', kind: 'active', label: 'Loaded' },
  { name: 'trip_in_progress', entityType: 'trip', kind: 'active', label: 'On the way' },
  {
    name: 'trip_arrived_at_destination',
    entityType: 'trip',
    kind: 'active',
    label: 'At locker B, unloading',
  },
  { name: 'trip_parcel_delivered', entityType: 'trip', kind: 'active', label: 'Unloaded' },
  { name: 'trip_completed', entityType: 'trip', kind: 'terminal', label: 'Completed' },
  { name: 'trip_canceled', entityType: 'trip', kind: 'terminal', label: 'Cancelled' },
  { name: 'trip_driver_not_found', entityType: 'trip', kind: 'failure', label: 'No driver' },
  { name: 'trip_failed', entityType: 'trip', kind: 'failure', label: 'Failed' },
  {
    name: 'trip_manual_intervention_required',
    entityType: 'trip',
    kind: 'failure',
    label: 'Manual intervention required',
  },
];

const tripActions: readonly ActionDefinition[] = [
  { name: 'trip_activate', entityType: 'trip', label: 'Close for new orders (capacity or age)' },
  {
    name: 'trip_vzyat_reis',
    entityType: 'trip',
    label: 'Driver takes the trip',
    aliases: ['trip_take'],
  },
  {
    name: 'trip_assign_voditel',
    entityType: 'trip',
    label: 'Driver at locker A',
    aliases: ['trip_driver_at_pickup_locker', 'trip_start_pickup'],
  },
  { name: 'trip_confirm_pickup', entityType: 'trip', label: 'Loading finished' },
  { name: 'trip_start_trip', entityType: 'trip', label: 'Start the trip', aliases: ['trip_start'] },
  {
    name: 'trip_end_delivery',
    entityType: 'trip',
    label: 'Arrived at locker B',
    aliases: ['trip_arrive'],
  },
  { name: 'trip_confirm_delivery', entityType: 'trip', label: 'Unloading finished' },
  {
    name: 'trip_complete_trip',
    entityType: 'trip',
    label: 'Complete the trip',
    aliases: ['trip_complete'],
  },
  { name: 'trip_report_driver_not_found', entityType: 'trip', label: 'No driver for the trip' },
  { name: 'trip_report_failure', entityType: 'trip', label: 'Report the trip failed' },
  {
    name: 'trip_request_manual_intervention',
    entityType: 'trip',
    label: 'Request manual intervention',
  },
  { name: 'trip_reassign_driver', entityType: 'trip', label: 'Assign another driver' },
  { name: 'trip_cancel', entityType: 'trip', label: 'Cancel the trip' },
];

const trip = transitionsOf('trip');
const DRIVER: AllowedRoles = { driver: 'trip_driver' };
/**
 * A cancelled trip: orders still at locker A go to another trip; a parcel the trip took out of
 * cell A is in its vehicle, so its order goes to staff (regrouping it put it on a trip at
 * locker A that never loaded it).
 */
const CANCEL_TRIP: readonly Effect[] = [
  {
    kind: 'fan_out_to_trip_orders',
    action: 'order_request_manual_intervention',
    onlyFrom: [
      'order_parcel_submitted',
      'order_picked_up_from_post1',
      'order_in_transit_to_post2',
      'order_arrived_at_post2',
      'order_placing_in_post2',
    ],
  },
  { kind: 'detach_trip_orders', onlyFrom: WAITING_FOR_TRIP },
];
const ASSIGN_DRIVER: readonly Effect[] = [{ kind: 'assign_trip_driver' }];

/** Once the driver is on the road: the driver reports a failure, staff escalate. */
function tripTroubles(from: string): readonly TransitionDefinition[] {
  return [
    trip(from, 'trip_report_failure', 'trip_failed', DRIVER),
    trip(from, 'trip_request_manual_intervention', 'trip_manual_intervention_required', STAFF_ONLY),
  ];
}

const tripTransitions: readonly TransitionDefinition[] = [
  trip('trip_created', 'trip_activate', 'trip_activated', SYSTEM),
  trip('trip_created', 'trip_cancel', 'trip_canceled', SYSTEM, { effects: CANCEL_TRIP }),
  trip(
    'trip_activated',
    'trip_vzyat_reis',
    'trip_assigned',
    { driver: 'any' },
    { effects: ASSIGN_DRIVER },
  ),
  trip('trip_activated', 'trip_reassign_driver', 'trip_assigned', STAFF_ONLY, {
    effects: ASSIGN_DRIVER,
  }),
  trip('trip_activated', 'trip_report_driver_not_found', 'trip_driver_not_found', SYSTEM),
  trip('trip_activated', 'trip_cancel', 'trip_canceled', STAFF_ONLY, { effects: CANCEL_TRIP }),
  trip('trip_assigned', 'trip_assign_voditel', 'trip_ready_for_pickup', DRIVER),
  trip('trip_assigned', 'trip_report_driver_not_found', 'trip_driver_not_found', STAFF_ONLY, {
    effects: [{ kind: 'clear_trip_driver' }],
  }),
  trip('trip_assigned', 'trip_cancel', 'trip_canceled', STAFF_ONLY, { effects: CANCEL_TRIP }),
  ...tripTroubles('trip_assigned'),
  trip('trip_ready_for_pickup', 'trip_confirm_pickup', 'trip_parcel_picked_up', DRIVER),
  ...tripTroubles('trip_ready_for_pickup'),
  // The trip leaves locker A: what it loaded travels; a parcel the locker has not seen leave its
  // cell goes to staff; orders still waiting at locker A go to another trip.
  trip('trip_parcel_picked_up', 'trip_start_trip', 'trip_in_progress', DRIVER, {
    effects: [
      { kind: 'fan_out_to_trip_orders', action: 'order_start_transit' },
      {
        kind: 'fan_out_to_trip_orders',
        action: 'order_request_manual_intervention',
        onlyFrom: ['order_parcel_submitted'],
      },
      { kind: 'detach_trip_orders', onlyFrom: WAITING_FOR_TRIP },
    ],
  }),
  ...tripTroubles('trip_parcel_picked_up'),
  trip('trip_in_progress', 'trip_end_delivery', 'trip_arrived_at_destination', DRIVER, {
    effects: [{ kind: 'fan_out_to_trip_orders', action: 'order_arrive_at_post2' }],
  }),
  ...tripTroubles('trip_in_progress'),
  trip('trip_arrived_at_destination', 'trip_confirm_delivery', 'trip_parcel_delivered', DRIVER),
  ...tripTroubles('trip_arrived_at_destination'),
  // A parcel still in the vehicle when the trip ends goes to staff.
  trip('trip_parcel_delivered', 'trip_complete_trip', 'trip_completed', DRIVER, {
    effects: [
      {
        kind: 'fan_out_to_trip_orders',
        action: 'order_request_manual_intervention',
        onlyFrom: ['order_arrived_at_post2'],
      },
    ],
  }),
  trip(
    'trip_parcel_delivered',
    'trip_request_manual_intervention',
    'trip_manual_intervention_required',
    STAFF_ONLY,
  ),
  // Staff recovery: another driver takes over where the trip stopped, or the trip is cancelled.
  ...['trip_failed', 'trip_driver_not_found', 'trip_manual_intervention_required'].flatMap(
    (from) => [
      trip(from, 'trip_reassign_driver', 'trip_assigned', STAFF_ONLY, { effects: ASSIGN_DRIVER }),
      trip(from, 'trip_cancel', 'trip_canceled', STAFF_ONLY, { effects: CANCEL_TRIP }),
    ],
  ),
];

// ---------------------------------------------------------------------------------------------
// Cell (a compartment of a locker; the controller reports what its sensors see)
// ---------------------------------------------------------------------------------------------

/** While the door is open the controller must report it closed before this timeout. */
const DOOR_OPEN = [{ name: 'hardware_no_ack', action: 'locker_dont_closed' }] as const;
/** The states of a cell whose door is open (a command is outstanding until one of them is left). */
export const DOOR_OPEN_STATES = [
  'locker_opened',
  'locker_parcel_confirmed',
  'locker_parcel_pickup_driver',
  'locker_parcel_pickup_recipient',
  'locker_parcel_missing',
] as const;
const DOOR_OPEN_STATE_SET = new Set<string>(DOOR_OPEN_STATES);
export const isDoorOpenState = (state: string): boolean => DOOR_OPEN_STATE_SET.has(state);

const cellStates: readonly StateDefinition[] = [
  { name: 'locker_free', entityType: 'cell', kind: 'initial', label: 'Free' },
  {
    name: 'locker_reserved',
    entityType: 'cell',
    kind: 'active',
    label: 'Reserved for an order, empty',
  },
  {
    name: 'locker_opened',
    entityType: 'cell',
    kind: 'active',
    label: 'Open command sent, door open',
    timeouts: DOOR_OPEN,
  },
  {
    name: 'locker_parcel_confirmed',
    entityType: 'cell',
    kind: 'active',
    label: 'Parcel seen inside, door open',
    timeouts: DOOR_OPEN,
  },
  {
    name: 'locker_parcel_pickup_driver',
    entityType: 'cell',
    kind: 'active',
    label: 'Driver took the parcel, door open',
    timeouts: DOOR_OPEN,
  },
  {
    name: 'locker_parcel_pickup_recipient',
    entityType: 'cell',
    kind: 'active',
    label: 'Recipient took the parcel, door open',
    timeouts: DOOR_OPEN,
  },
  {
    name: 'locker_parcel_missing',
    entityType: 'cell',
    kind: 'active',
    label: 'Expected parcel not found, door open',
    timeouts: DOOR_OPEN,
  },
  {
    name: 'locker_occupied',
    entityType: 'cell',
    kind: 'active',
    label: 'Closed with a parcel inside',
    aliases: ['locker_parcel_submitted'],
  },
  {
    name: 'locker_closed_empty',
    entityType: 'cell',
    kind: 'active',
    label: 'Closed empty, still held by its order',
  },
  { name: 'locker_error', entityType: 'cell', kind: 'failure', label: 'Fault' },
  { name: 'locker_maintenance', entityType: 'cell', kind: 'active', label: 'Out of service' },
];

const cellActions: readonly ActionDefinition[] = [
  { name: 'locker_reserve_cell', entityType: 'cell', label: 'Reserve' },
  { name: 'locker_open_locker', entityType: 'cell', label: 'Open', aliases: ['locker_open'] },
  {
    name: 'locker_close_locker',
    entityType: 'cell',
    label: 'Door closed, parcel inside (or as reported)',
  },
  {
    name: 'locker_close_with_parcel',
    entityType: 'cell',
    label: 'Door closed, the sensor sees a parcel inside',
  },
  { name: 'locker_close_pickup', entityType: 'cell', label: 'Door closed, cell empty' },
  { name: 'locker_confirm_parcel_in', entityType: 'cell', label: 'Parcel seen inside' },
  {
    name: 'locker_confirm_parcel_out',
    entityType: 'cell',
    label: 'Parcel taken out by the driver',
  },
  {
    name: 'locker_confirm_parcel_out_recipient',
    entityType: 'cell',
    label: 'Parcel taken out by the recipient',
  },
  {
    name: 'locker_confirm_parcel_not_found',
    entityType: 'cell',
    label: 'Expected parcel not found',
  },
  {
    name: 'locker_dont_closed',
    entityType: 'cell',
    label: 'Door not closed in time',
    aliases: ['locker_not_closed'],
  },
  { name: 'locker_failed_to_open', entityType: 'cell', label: 'Failed to open' },
  {
    name: 'locker_cancel_reservation',
    entityType: 'cell',
    label: 'Release',
    aliases: ['locker_release'],
  },
  { name: 'locker_reset', entityType: 'cell', label: 'Reset to free' },
  {
    name: 'locker_report_unclaimed_parcel',
    entityType: 'cell',
    label: 'A parcel inside that no order holds',
  },
  { name: 'locker_set_locker_to_maintenance', entityType: 'cell', label: 'Take out of service' },
];

const cell = transitionsOf('cell');
const CONTROLLER: AllowedRoles = { locker: 'cell_locker' };
const OPEN: readonly Effect[] = [{ kind: 'issue_locker_command', command: 'OPEN_CELL' }];
/** The order actions a parcel put in a cell fires (and so: what expects a deposit). */
export const PARCEL_IN: Extract<Effect, { kind: 'notify_cell_order' }> = {
  kind: 'notify_cell_order',
  whenSource: ['order_confirm_parcel_in'],
  whenDest: ['order_confirm_post2'],
};
/** The order actions a parcel taken out of a cell fires (what expects a withdrawal). */
export const PARCEL_OUT: Extract<Effect, { kind: 'notify_cell_order' }> = {
  kind: 'notify_cell_order',
  whenSource: ['order_pickup_by_voditel'],
  whenDest: ['order_delivered_parcel'],
};
const PARCEL_MISSING: Effect = {
  kind: 'notify_cell_order',
  whenSource: ['order_report_parcel_missing'],
  whenDest: ['order_report_parcel_missing'],
};
const FAULT: Effect = {
  kind: 'notify_cell_order',
  whenSource: ['order_request_manual_intervention'],
  whenDest: ['order_request_manual_intervention'],
};

/** Door left open too long: the timeout (system) or the controller itself reports it. */
function doorNotClosed(from: string): TransitionDefinition {
  return cell(
    from,
    'locker_dont_closed',
    'locker_error',
    { system: 'any', locker: 'cell_locker' },
    { effects: [FAULT] },
  );
}

const cellTransitions: readonly TransitionDefinition[] = [
  cell('locker_free', 'locker_reserve_cell', 'locker_reserved', SYSTEM),
  cell('locker_free', 'locker_set_locker_to_maintenance', 'locker_maintenance', STAFF_ONLY),
  cell('locker_reserved', 'locker_open_locker', 'locker_opened', SYSTEM, { effects: OPEN }),
  cell('locker_reserved', 'locker_cancel_reservation', 'locker_free', SYSTEM),
  cell('locker_occupied', 'locker_open_locker', 'locker_opened', SYSTEM, { effects: OPEN }),
  cell('locker_opened', 'locker_close_locker', 'locker_occupied', CONTROLLER, {
    effects: [PARCEL_IN],
  }),
  cell('locker_opened', 'locker_close_pickup', 'locker_closed_empty', CONTROLLER, {
    effects: [PARCEL_OUT],
  }),
  cell('locker_opened', 'locker_confirm_parcel_in', 'locker_parcel_confirmed', CONTROLLER),
  cell('locker_opened', 'locker_confirm_parcel_out', 'locker_parcel_pickup_driver', CONTROLLER),
  cell(
    'locker_opened',
    'locker_confirm_parcel_out_recipient',
    'locker_parcel_pickup_recipient',
    CONTROLLER,
  ),
  cell('locker_opened', 'locker_confirm_parcel_not_found', 'locker_parcel_missing', CONTROLLER, {
    effects: [PARCEL_MISSING],
  }),
  cell('locker_opened', 'locker_failed_to_open', 'locker_error', CONTROLLER, { effects: [FAULT] }),
  doorNotClosed('locker_opened'),
  cell('locker_parcel_confirmed', 'locker_close_locker', 'locker_occupied', CONTROLLER, {
    effects: [PARCEL_IN],
  }),
  doorNotClosed('locker_parcel_confirmed'),
  cell('locker_parcel_pickup_driver', 'locker_close_locker', 'locker_closed_empty', CONTROLLER, {
    effects: [PARCEL_OUT],
  }),
  doorNotClosed('locker_parcel_pickup_driver'),
  cell('locker_parcel_pickup_recipient', 'locker_close_locker', 'locker_closed_empty', CONTROLLER, {
    effects: [PARCEL_OUT],
  }),
  doorNotClosed('locker_parcel_pickup_recipient'),
  cell('locker_parcel_missing', 'locker_close_locker', 'locker_closed_empty', CONTROLLER),
  doorNotClosed('locker_parcel_missing'),
  // The sensor's report as the door closes decides, whatever it saw while the door was open (a
  // parcel taken out and put back is inside; one seen and taken out again is not).
  ...DOOR_OPEN_STATES.map((from) =>
    cell(from, 'locker_close_with_parcel', 'locker_occupied', CONTROLLER, {
      effects: [PARCEL_IN],
    }),
  ),
  ...(
    [
      'locker_parcel_confirmed',
      'locker_parcel_pickup_driver',
      'locker_parcel_pickup_recipient',
    ] as const
  ).map((from) =>
    cell(from, 'locker_close_pickup', 'locker_closed_empty', CONTROLLER, {
      effects: [PARCEL_OUT],
    }),
  ),
  cell('locker_parcel_missing', 'locker_close_pickup', 'locker_closed_empty', CONTROLLER),
  // A parcel whose order ended (or that came in with none) is nobody's: staff empty the cell.
  cell('locker_occupied', 'locker_report_unclaimed_parcel', 'locker_error', SYSTEM),
  cell('locker_closed_empty', 'locker_cancel_reservation', 'locker_free', SYSTEM),
  cell('locker_closed_empty', 'locker_reset', 'locker_free', STAFF_ONLY),
  // Staff recovery after a fault: back in service, out of service, or confirm what is inside.
  cell('locker_error', 'locker_reset', 'locker_free', STAFF_ONLY),
  cell('locker_error', 'locker_set_locker_to_maintenance', 'locker_maintenance', STAFF_ONLY),
  cell('locker_error', 'locker_close_locker', 'locker_occupied', STAFF_ONLY, {
    effects: [PARCEL_IN],
  }),
  cell('locker_error', 'locker_close_pickup', 'locker_closed_empty', STAFF_ONLY),
  cell('locker_maintenance', 'locker_reset', 'locker_free', STAFF_ONLY),
];

export const deliveryFsmDefinition: FsmDefinition = {
  version: DELIVERY_FSM_VERSION,
  entityTypes: [
    { name: 'order', initialState: 'order_created', label: 'Order' },
    { name: 'trip', initialState: 'trip_created', label: 'Trip' },
    { name: 'cell', initialState: 'locker_free', label: 'Locker cell' },
  ],
  states: [...orderStates, ...tripStates, ...cellStates],
  actions: [...orderActions, ...tripActions, ...cellActions],
  transitions: [...orderTransitions, ...tripTransitions, ...cellTransitions],
};
