import { deliveryFsmDefinition as definition } from './definition';
import {
  cascadeAction,
  createEntity,
  decide,
  decideTimeout,
  type AcceptedDecision,
  type Actor,
  type EntityFacts,
  type TimeoutJob,
} from './engine';
import {
  type CellSide,
  type DeliveryType,
  type Effect,
  type EntityType,
  type PickupType,
  reachesOrderIn,
  type TimeoutDurations,
} from './model';

/**
 * Whole lifecycles driven through decide() alone. The World below is the smallest interpreter of
 * the effects (what the service will do in SQL), so these walks prove the effects compose: cells
 * opened by orders report back through their controller, trips fan out, cells are released.
 */

const durations: TimeoutDurations = {
  reservation_unused: 1,
  courier_no_pickup: 2,
  recipient_no_collect: 3,
  courier_no_handover: 7,
  recipient_no_confirm: 8,
  hardware_no_ack: 4,
  trip_activation_age: 5,
  trip_no_driver: 6,
};

interface Row {
  state: string;
  version: number;
  /** Every state the entity went through, for the path assertions. */
  path: string[];
}
interface OrderRow extends Row {
  pickupType: PickupType;
  deliveryType: DeliveryType;
  pickupCourier?: string;
  deliveryCourier?: string;
  tripId?: string;
  cells: Partial<Record<CellSide, string>>;
}
interface TripRow extends Row {
  driver?: string;
}
interface CellRow extends Row {
  lockerDevice: string;
  orderId?: string;
}

const sender: Actor = { roles: ['client'], userId: 'sender' };
const recipient: Actor = { roles: ['recipient'], userId: 'recipient' };
const courier1: Actor = { roles: ['courier'], userId: 'courier-1' };
const courier2: Actor = { roles: ['courier'], userId: 'courier-2' };
const driver: Actor = { roles: ['driver'], userId: 'driver' };
const lockerA: Actor = { roles: ['locker'], deviceId: 'locker-A' };
const lockerB: Actor = { roles: ['locker'], deviceId: 'locker-B' };
const system: Actor = { roles: ['system'] };
const operator: Actor = { roles: ['operator'], userId: 'operator' };

class World {
  readonly orders = new Map<string, OrderRow>();
  readonly trips = new Map<string, TripRow>();
  readonly cells = new Map<string, CellRow>([
    ['a1', { state: 'locker_free', version: 0, path: ['locker_free'], lockerDevice: 'locker-A' }],
    ['b1', { state: 'locker_free', version: 0, path: ['locker_free'], lockerDevice: 'locker-B' }],
    ['a2', { state: 'locker_free', version: 0, path: ['locker_free'], lockerDevice: 'locker-A' }],
    ['b2', { state: 'locker_free', version: 0, path: ['locker_free'], lockerDevice: 'locker-B' }],
  ]);
  readonly jobs = new Map<string, TimeoutJob>();
  readonly commands: string[] = [];

  createOrder(pickupType: PickupType, deliveryType: DeliveryType): string {
    const id = `o${this.orders.size + 1}`;
    this.orders.set(id, { ...this.newRow('order', id), pickupType, deliveryType, cells: {} });
    return id;
  }

  /** What the service inserts: the initial state at version 0, its timeouts scheduled. */
  private newRow(type: EntityType, id: string): Row {
    const created = createEntity(definition, type, id, durations);
    for (const job of created.timeoutsToSchedule) this.jobs.set(job.jobId, job);
    return { state: created.state, version: created.stateVersion, path: [created.state] };
  }

  order(id: string): OrderRow {
    return this.orders.get(id) as OrderRow;
  }

  trip(id: string): TripRow {
    return this.trips.get(id) as TripRow;
  }

  cell(id: string): CellRow {
    return this.cells.get(id) as CellRow;
  }

  private row(type: EntityType, id: string): Row {
    const table = { order: this.orders, trip: this.trips, cell: this.cells }[type];
    const row = table.get(id);
    if (!row) throw new Error(`no ${type} ${id}`);
    return row;
  }

  private facts(type: EntityType, id: string): EntityFacts {
    if (type === 'cell') return { cellLockerDeviceId: this.cell(id).lockerDevice };
    if (type === 'trip') return { tripDriverUserId: this.trip(id).driver };
    const order = this.order(id);
    return {
      senderUserId: 'sender',
      recipientUserId: 'recipient',
      pickupCourierUserId: order.pickupCourier,
      deliveryCourierUserId: order.deliveryCourier,
      tripDriverUserId: order.tripId ? this.trip(order.tripId).driver : undefined,
      sourceLockerDeviceId: 'locker-A',
      destLockerDeviceId: 'locker-B',
      pickupType: order.pickupType,
      deliveryType: order.deliveryType,
    };
  }

  snapshot(type: EntityType, id: string) {
    const row = this.row(type, id);
    return {
      entityType: type,
      entityId: id,
      currentState: row.state,
      stateVersion: row.version,
      facts: this.facts(type, id),
    };
  }

  /** Fires an action and applies the outcome; throws on a refusal so a walk stops where it breaks. */
  fire(type: EntityType, id: string, action: string, actor: Actor, target?: string): void {
    const decision = decide(definition, { ...this.snapshot(type, id), action, actor }, durations);
    if (!decision.ok)
      throw new Error(`${type} ${id}: ${decision.error.code} ${decision.error.message}`);
    this.apply(type, id, decision, actor, target);
  }

  refusal(type: EntityType, id: string, action: string, actor: Actor): string {
    const decision = decide(definition, { ...this.snapshot(type, id), action, actor }, durations);
    return decision.ok ? 'accepted' : decision.error.code;
  }

  /** Runs a scheduled timeout job as the worker would; returns whether it changed anything. */
  expire(jobId: string): boolean {
    const job = this.jobs.get(jobId);
    if (!job) throw new Error(`no job ${jobId}`);
    this.jobs.delete(jobId);
    const outcome = decideTimeout(
      definition,
      this.snapshot(job.entityType, job.entityId),
      job,
      durations,
    );
    if (outcome.fire) this.apply(job.entityType, job.entityId, outcome.decision, system);
    return outcome.fire;
  }

  jobOf(type: EntityType, id: string): TimeoutJob {
    const job = [...this.jobs.values()].find((j) => j.entityType === type && j.entityId === id);
    if (!job) throw new Error(`no job for ${type} ${id}`);
    return job;
  }

  private apply(
    type: EntityType,
    id: string,
    decision: AcceptedDecision,
    actor: Actor,
    target?: string,
  ): void {
    const row = this.row(type, id);
    row.state = decision.toState;
    row.version = decision.newStateVersion;
    row.path.push(decision.toState);
    for (const jobId of decision.timeoutsToCancel) this.jobs.delete(jobId);
    for (const job of decision.timeoutsToSchedule) this.jobs.set(job.jobId, job);
    // A free cell holds no order: the service clears the link whenever a cell becomes free.
    if (type === 'cell' && decision.toState === 'locker_free') this.unlinkCell(id);
    for (const effect of decision.effects) this.effect(id, effect, actor, target);
  }

  private unlinkCell(cellId: string): void {
    const cell = this.cell(cellId);
    if (cell.orderId === undefined) return;
    const order = this.order(cell.orderId);
    for (const side of ['source', 'dest'] as const)
      if (order.cells[side] === cellId) order.cells[side] = undefined;
    cell.orderId = undefined;
  }

  /** Effects name no entity type: the checker guarantees each kind runs on its own type. */
  private effect(id: string, effect: Effect, actor: Actor, target?: string): void {
    switch (effect.kind) {
      case 'reserve_cell': {
        const order = this.order(id);
        if (order.cells[effect.cell] !== undefined) return;
        const device = effect.cell === 'source' ? 'locker-A' : 'locker-B';
        const free = [...this.cells].find(
          ([, c]) => c.lockerDevice === device && c.state === 'locker_free',
        );
        if (!free) throw new Error(`no free cell in ${device}`);
        this.fire('cell', free[0], 'locker_reserve_cell', system);
        free[1].orderId = id;
        order.cells[effect.cell] = free[0];
        return;
      }
      case 'release_cell': {
        const cellId = this.order(id).cells[effect.cell];
        if (cellId === undefined) return;
        const release = cascadeAction(definition, 'cell', this.cell(cellId).state, [
          'locker_cancel_reservation',
        ]);
        if (release) this.fire('cell', cellId, release, system);
        return;
      }
      case 'open_cell':
        this.fire(
          'cell',
          this.order(id).cells[effect.cell] as string,
          'locker_open_locker',
          system,
        );
        return;
      case 'assign_leg_courier':
        this.order(id)[effect.leg === 'pickup' ? 'pickupCourier' : 'deliveryCourier'] =
          target ?? actor.userId;
        return;
      case 'clear_leg_courier':
        this.order(id)[effect.leg === 'pickup' ? 'pickupCourier' : 'deliveryCourier'] = undefined;
        return;
      case 'attach_to_trip': {
        const current = this.order(id).tripId;
        if (current !== undefined && this.trip(current).state === 'trip_created') return;
        const open = [...this.trips].find(([, t]) => t.state === 'trip_created');
        const tripId = open?.[0] ?? `t${this.trips.size + 1}`;
        if (!open) this.trips.set(tripId, this.newRow('trip', tripId));
        this.order(id).tripId = tripId;
        return;
      }
      case 'detach_from_trip':
        this.order(id).tripId = undefined;
        return;
      case 'assign_trip_driver':
        this.trip(id).driver = target ?? actor.userId;
        return;
      case 'clear_trip_driver':
        this.trip(id).driver = undefined;
        return;
      case 'fan_out_to_trip_orders':
        for (const [orderId, order] of this.orders) {
          if (order.tripId !== id || !reachesOrderIn(order.state, effect.onlyFrom)) continue;
          const action = cascadeAction(definition, 'order', order.state, [effect.action]);
          if (action) this.fire('order', orderId, action, system);
        }
        return;
      case 'detach_trip_orders':
        for (const [orderId, order] of this.orders) {
          if (order.tripId === id && reachesOrderIn(order.state, effect.onlyFrom)) {
            order.tripId = undefined;
            this.effect(orderId, { kind: 'attach_to_trip' }, system);
          }
        }
        return;
      case 'issue_locker_command':
        this.commands.push(`${effect.command} ${id}`);
        return;
      case 'notify_cell_order': {
        const orderId = this.cell(id).orderId;
        if (orderId === undefined) return;
        const side = this.order(orderId).cells.source === id ? effect.whenSource : effect.whenDest;
        const action = cascadeAction(definition, 'order', this.order(orderId).state, side);
        if (action) this.fire('order', orderId, action, actor);
        return;
      }
    }
  }
}

/** Creation to locker A: the first leg of either pickup type, ending with the parcel in cell A. */
function firstLeg(world: World, orderId: string, pickupType: PickupType): void {
  if (pickupType === 'self') {
    world.fire('order', orderId, 'order_reserve_for_client_A_to_B', system);
    world.fire('order', orderId, 'order_client_deliv_post1', sender);
  } else {
    world.fire('order', orderId, 'order_reserve_for_courier_A_to_B', system);
    world.fire('order', orderId, 'order_assign_courier1_to_order', courier1);
    world.fire('order', orderId, 'order_courier_pickup_parcel', courier1);
  }
  world.fire('cell', 'a1', 'locker_close_locker', lockerA);
}

/** Locker A to locker B: activation, loading, the trip, unloading into cell B. */
function trip(world: World, orderId: string): string {
  const tripId = world.order(orderId).tripId as string;
  world.fire('trip', tripId, 'trip_activate', system);
  world.fire('trip', tripId, 'trip_vzyat_reis', driver);
  world.fire('trip', tripId, 'trip_assign_voditel', driver);
  world.fire('order', orderId, 'order_parcel_submitted', driver);
  world.fire('cell', 'a1', 'locker_close_pickup', lockerA);
  world.fire('trip', tripId, 'trip_confirm_pickup', driver);
  world.fire('trip', tripId, 'trip_start_trip', driver);
  world.fire('trip', tripId, 'trip_end_delivery', driver);
  world.fire('order', orderId, 'order_driver_opens_post2', driver);
  world.fire('cell', 'b1', 'locker_close_locker', lockerB);
  world.fire('trip', tripId, 'trip_confirm_delivery', driver);
  world.fire('trip', tripId, 'trip_complete_trip', driver);
  return tripId;
}

/** The driver takes the order's parcel out of cell A (`a1`), finishes loading and leaves. */
function departWith(world: World, tripId: string, orderId: string): void {
  world.fire('order', orderId, 'order_parcel_submitted', driver);
  world.fire('cell', 'a1', 'locker_close_pickup', lockerA);
  world.fire('trip', tripId, 'trip_confirm_pickup', driver);
  world.fire('trip', tripId, 'trip_start_trip', driver);
}

function lastLeg(world: World, orderId: string, deliveryType: DeliveryType): void {
  if (deliveryType === 'self') {
    world.fire('order', orderId, 'order_pickup_poluchatel', recipient);
    world.fire('cell', 'b1', 'locker_close_pickup', lockerB);
  } else {
    world.fire('order', orderId, 'order_assign_courier2_to_order', courier2);
    world.fire('order', orderId, 'order_courier2_pickup_parcel', courier2);
    world.fire('cell', 'b1', 'locker_close_pickup', lockerB);
    world.fire('order', orderId, 'order_courier2_delivered_parcel', courier2);
    world.fire('order', orderId, 'order_recipient_confirmed', recipient);
  }
}

/** An order (self drop-off, courier delivery) whose parcel the delivery courier took from cell B. */
function withDeliveryCourier(): [World, string] {
  const world = new World();
  const orderId = world.createOrder('self', 'courier');
  firstLeg(world, orderId, 'self');
  trip(world, orderId);
  world.fire('order', orderId, 'order_assign_courier2_to_order', courier2);
  world.fire('order', orderId, 'order_courier2_pickup_parcel', courier2);
  world.fire('cell', 'b1', 'locker_close_pickup', lockerB);
  return [world, orderId];
}

/** The deadline job escalates the order to staff, who complete it; every cell is free. */
function staffCompleteAfterDeadline(world: World, orderId: string, jobId: string): void {
  expect(world.expire(jobId)).toBe(true);
  expect(world.order(orderId).state).toBe('order_manual_intervention_required');
  world.fire('order', orderId, 'order_delivered_parcel', operator);
  expect(world.order(orderId).state).toBe('order_completed');
  expectAllCellsFree(world);
}

const FIRST_LEG_PATH: Record<PickupType, string[]> = {
  self: ['order_created', 'order_client_reserved_post1_and_post2', 'order_client_post1'],
  courier: [
    'order_created',
    'order_courier_reserved_post1_and_post2',
    'order_courier1_assigned',
    'order_courier_has_parcel',
  ],
};
const TRIP_PATH = [
  'order_parcel_confirmed',
  'order_parcel_submitted',
  'order_picked_up_from_post1',
  'order_in_transit_to_post2',
  'order_arrived_at_post2',
  'order_placing_in_post2',
  'order_parcel_confirmed_post2',
];
const LAST_LEG_PATH: Record<DeliveryType, string[]> = {
  self: ['order_delivered_to_client', 'order_completed'],
  courier: [
    'order_courier2_assigned',
    'order_courier2_has_parcel',
    'order_courier2_parcel_delivered',
    'order_completed',
  ],
};

function expectAllCellsFree(world: World): void {
  for (const [id, cell] of world.cells) {
    expect([id, cell.state, cell.orderId]).toEqual([id, 'locker_free', undefined]);
  }
}

describe('happy path of every pickup × delivery combination', () => {
  it.each<[PickupType, DeliveryType]>([
    ['self', 'self'],
    ['self', 'courier'],
    ['courier', 'self'],
    ['courier', 'courier'],
  ])('pickup %s, delivery %s: creation to completion', (pickupType, deliveryType) => {
    const world = new World();
    const orderId = world.createOrder(pickupType, deliveryType);
    firstLeg(world, orderId, pickupType);
    const tripId = trip(world, orderId);
    lastLeg(world, orderId, deliveryType);

    expect(world.order(orderId).path).toEqual([
      ...FIRST_LEG_PATH[pickupType],
      ...TRIP_PATH,
      ...LAST_LEG_PATH[deliveryType],
    ]);
    expect(world.trip(tripId).path).toEqual([
      'trip_created',
      'trip_activated',
      'trip_assigned',
      'trip_ready_for_pickup',
      'trip_parcel_picked_up',
      'trip_in_progress',
      'trip_arrived_at_destination',
      'trip_parcel_delivered',
      'trip_completed',
    ]);
    expect(world.cell('a1').path).toEqual([
      'locker_free',
      'locker_reserved',
      'locker_opened',
      'locker_occupied',
      'locker_opened',
      'locker_closed_empty',
      'locker_free',
    ]);
    expect(world.commands).toEqual([
      'OPEN_CELL a1',
      'OPEN_CELL a1',
      'OPEN_CELL b1',
      'OPEN_CELL b1',
    ]);
    expectAllCellsFree(world);
    expect([...world.jobs.values()]).toEqual([]);
  });
});

describe('cancel and timeout paths', () => {
  it('the sender cancels before dropping off: both cells released, trip seat given back', () => {
    const world = new World();
    const orderId = world.createOrder('self', 'self');
    world.fire('order', orderId, 'order_reserve_for_client_A_to_B', system);
    world.fire('order', orderId, 'order_cancel_reservation', sender);
    expect(world.order(orderId)).toMatchObject({
      state: 'order_cancelled',
      tripId: undefined,
      cells: {},
    });
    expectAllCellsFree(world);
    // Only the (now empty) trip's activation clock is left; the order's reservation clock is gone.
    expect([...world.jobs.values()].map((job) => job.timeout)).toEqual(['trip_activation_age']);
  });

  it('the reservation times out unused', () => {
    const world = new World();
    const orderId = world.createOrder('courier', 'self');
    world.fire('order', orderId, 'order_reserve_for_courier_A_to_B', system);
    expect(world.expire(world.jobOf('order', orderId).jobId)).toBe(true);
    expect(world.order(orderId).state).toBe('order_reservation_expired');
    expectAllCellsFree(world);
  });

  it('a courier gives the order back, the next one does not show up: back on the exchange both times', () => {
    const world = new World();
    const orderId = world.createOrder('courier', 'self');
    world.fire('order', orderId, 'order_reserve_for_courier_A_to_B', system);
    world.fire('order', orderId, 'order_assign_courier1_to_order', courier1);
    const firstStay = world.jobOf('order', orderId);
    world.fire('order', orderId, 'order_courier1_cancel', courier1);
    world.fire('order', orderId, 'order_assign_courier1_to_order', courier2);
    const secondStay = world.jobOf('order', orderId);
    expect(secondStay.jobId).not.toBe(firstStay.jobId);
    // The first stay's job was cancelled; if it still ran late it would change nothing.
    world.jobs.set(firstStay.jobId, firstStay);
    expect(world.expire(firstStay.jobId)).toBe(false);
    expect(world.order(orderId)).toMatchObject({
      state: 'order_courier1_assigned',
      pickupCourier: 'courier-2',
    });
    expect(world.expire(secondStay.jobId)).toBe(true);
    expect(world.order(orderId)).toMatchObject({
      state: 'order_courier_reserved_post1_and_post2',
      pickupCourier: undefined,
    });
  });

  it('the delivery courier gives the order back: it returns to the delivery exchange', () => {
    const world = new World();
    const orderId = world.createOrder('self', 'courier');
    firstLeg(world, orderId, 'self');
    trip(world, orderId);
    world.fire('order', orderId, 'order_assign_courier2_to_order', courier2);
    expect(world.refusal('order', orderId, 'order_courier2_cancel', courier1)).toBe('NOT_OWNER');
    world.fire('order', orderId, 'order_courier2_cancel', courier2);
    expect(world.order(orderId)).toMatchObject({
      state: 'order_parcel_confirmed_post2',
      deliveryCourier: undefined,
    });
    expect(world.refusal('order', orderId, 'order_assign_courier2_to_order', courier1)).toBe(
      'accepted',
    );
  });

  it('nobody collects from locker B: the deadline fails the delivery, staff cancel and cell B is emptied', () => {
    const world = new World();
    const orderId = world.createOrder('self', 'self');
    firstLeg(world, orderId, 'self');
    trip(world, orderId);
    expect(world.expire(world.jobOf('order', orderId).jobId)).toBe(true);
    expect(world.order(orderId).state).toBe('order_delivery_failed');
    world.fire('order', orderId, 'order_cancel_reservation', operator);
    expect(world.cell('b1').state).toBe('locker_occupied');
    world.fire('cell', 'b1', 'locker_open_locker', operator);
    world.fire('cell', 'b1', 'locker_close_pickup', lockerB);
    world.fire('cell', 'b1', 'locker_reset', operator);
    expectAllCellsFree(world);
  });

  it('a delivery courier who never reports the handover: the order goes to staff, who complete it (1.3.0)', () => {
    const [world, orderId] = withDeliveryCourier();
    const job = world.jobOf('order', orderId);
    expect(job.timeout).toBe('courier_no_handover');
    staffCompleteAfterDeadline(world, orderId, job.jobId);
  });

  it('a handover the recipient never confirms goes to staff instead of waiting for ever (1.3.0)', () => {
    const [world, orderId] = withDeliveryCourier();
    world.fire('order', orderId, 'order_courier2_delivered_parcel', courier2);
    const job = world.jobOf('order', orderId);
    expect(job.timeout).toBe('recipient_no_confirm');
    staffCompleteAfterDeadline(world, orderId, job.jobId);
    // a recipient who confirms in time cancels the deadline
    const [confirmed, confirmedId] = withDeliveryCourier();
    confirmed.fire('order', confirmedId, 'order_courier2_delivered_parcel', courier2);
    confirmed.fire('order', confirmedId, 'order_recipient_confirmed', recipient);
    expect([...confirmed.jobs.values()].filter((j) => j.entityId === confirmedId)).toEqual([]);
    expect(confirmed.order(confirmedId).state).toBe('order_completed');
  });

  it('an empty trip is activated by age and, without a driver, waits for staff', () => {
    const world = new World();
    const orderId = world.createOrder('self', 'self');
    world.fire('order', orderId, 'order_reserve_for_client_A_to_B', system);
    const tripId = world.order(orderId).tripId as string;
    expect(world.expire(world.jobOf('trip', tripId).jobId)).toBe(true);
    expect(world.expire(world.jobOf('trip', tripId).jobId)).toBe(true);
    expect(world.trip(tripId).state).toBe('trip_driver_not_found');
    world.fire('trip', tripId, 'trip_reassign_driver', operator, 'driver');
    expect(world.trip(tripId)).toMatchObject({ state: 'trip_assigned', driver: 'driver' });
  });
});

describe('failure paths and operator recovery', () => {
  it('cell A fails to open: the order escalates, staff reset the cell and restart the drop-off', () => {
    const world = new World();
    const orderId = world.createOrder('self', 'self');
    world.fire('order', orderId, 'order_reserve_for_client_A_to_B', system);
    world.fire('order', orderId, 'order_client_deliv_post1', sender);
    world.fire('cell', 'a1', 'locker_failed_to_open', lockerA);
    expect([world.cell('a1').state, world.order(orderId).state]).toEqual([
      'locker_error',
      'order_manual_intervention_required',
    ]);
    world.fire('cell', 'a1', 'locker_reset', operator);
    world.fire('order', orderId, 'order_reserve_for_client_A_to_B', operator);
    expect(world.order(orderId).cells).toEqual({ source: 'a1', dest: 'b1' });
    world.fire('order', orderId, 'order_client_deliv_post1', sender);
    world.fire('cell', 'a1', 'locker_close_locker', lockerA);
    expect(world.order(orderId).state).toBe('order_parcel_confirmed');
  });

  it('the door is not reported closed in time: the hardware timeout escalates cell and order', () => {
    const world = new World();
    const orderId = world.createOrder('courier', 'self');
    world.fire('order', orderId, 'order_reserve_for_courier_A_to_B', system);
    world.fire('order', orderId, 'order_assign_courier1_to_order', courier1);
    world.fire('order', orderId, 'order_courier_pickup_parcel', courier1);
    expect(world.expire(world.jobOf('cell', 'a1').jobId)).toBe(true);
    expect([world.cell('a1').state, world.order(orderId).state]).toEqual([
      'locker_error',
      'order_manual_intervention_required',
    ]);
    // The operator finds the parcel inside and closes the door: the order resumes at locker A.
    world.fire('cell', 'a1', 'locker_close_locker', operator);
    expect([world.cell('a1').state, world.order(orderId).state]).toEqual([
      'locker_occupied',
      'order_parcel_confirmed',
    ]);
  });

  it('the parcel is missing from cell A: order and cell report it, staff cancel, cells released', () => {
    const world = new World();
    const orderId = world.createOrder('self', 'self');
    firstLeg(world, orderId, 'self');
    const tripId = world.order(orderId).tripId as string;
    world.fire('trip', tripId, 'trip_activate', system);
    world.fire('trip', tripId, 'trip_vzyat_reis', driver);
    world.fire('order', orderId, 'order_parcel_submitted', driver);
    world.fire('cell', 'a1', 'locker_confirm_parcel_not_found', lockerA);
    world.fire('cell', 'a1', 'locker_close_locker', lockerA);
    expect([world.cell('a1').state, world.order(orderId).state]).toEqual([
      'locker_closed_empty',
      'order_parcel_missing',
    ]);
    expect(world.refusal('order', orderId, 'order_cancel_reservation', sender)).toBe(
      'ACTOR_NOT_ALLOWED',
    );
    world.fire('order', orderId, 'order_cancel_reservation', operator);
    expectAllCellsFree(world);
  });

  it('the driver gives up after loading: staff hand the trip to another driver, who finishes it', () => {
    const world = new World();
    const orderId = world.createOrder('self', 'self');
    firstLeg(world, orderId, 'self');
    const tripId = world.order(orderId).tripId as string;
    world.fire('trip', tripId, 'trip_activate', system);
    world.fire('trip', tripId, 'trip_vzyat_reis', driver);
    world.fire('trip', tripId, 'trip_report_failure', driver);
    const driver2: Actor = { roles: ['driver'], userId: 'driver-2' };
    expect(world.refusal('trip', tripId, 'trip_reassign_driver', driver2)).toBe(
      'ACTOR_NOT_ALLOWED',
    );
    world.fire('trip', tripId, 'trip_reassign_driver', operator, 'driver-2');
    expect(world.refusal('trip', tripId, 'trip_assign_voditel', driver)).toBe('NOT_OWNER');
    world.fire('trip', tripId, 'trip_assign_voditel', driver2);
    world.fire('order', orderId, 'order_parcel_submitted', driver2);
    expect(world.order(orderId).state).toBe('order_parcel_submitted');
  });

  it('a parcel lost in transit: the driver reports it, staff put it back into cell B and the recipient collects', () => {
    const world = new World();
    const orderId = world.createOrder('courier', 'self');
    firstLeg(world, orderId, 'courier');
    const tripId = world.order(orderId).tripId as string;
    world.fire('trip', tripId, 'trip_activate', system);
    world.fire('trip', tripId, 'trip_vzyat_reis', driver);
    world.fire('trip', tripId, 'trip_assign_voditel', driver);
    departWith(world, tripId, orderId);
    world.fire('order', orderId, 'order_report_delivery_failed', driver);
    world.fire('order', orderId, 'order_request_manual_intervention', operator);
    world.fire('order', orderId, 'order_confirm_post2', operator);
    lastLeg(world, orderId, 'self');
    expect(world.order(orderId).state).toBe('order_completed');
    expectAllCellsFree(world);
  });
});

describe('what a trip did not carry (1.1.0)', () => {
  /** Two orders on one trip; the first is dropped off into cell A, the second only reserved. */
  function twoOrdersOnATrip(): { world: World; loaded: string; waiting: string; tripId: string } {
    const world = new World();
    const loaded = world.createOrder('self', 'self');
    const waiting = world.createOrder('self', 'self');
    firstLeg(world, loaded, 'self');
    world.fire('order', waiting, 'order_reserve_for_client_A_to_B', system);
    const tripId = world.order(loaded).tripId as string;
    expect(world.order(waiting).tripId).toBe(tripId);
    world.fire('trip', tripId, 'trip_activate', system);
    world.fire('trip', tripId, 'trip_vzyat_reis', driver);
    world.fire('trip', tripId, 'trip_assign_voditel', driver);
    return { world, loaded, waiting, tripId };
  }

  it('a trip that leaves hands the orders still waiting at locker A to another trip', () => {
    const { world, loaded, waiting, tripId } = twoOrdersOnATrip();
    departWith(world, tripId, loaded);

    expect(world.order(loaded)).toMatchObject({ state: 'order_in_transit_to_post2', tripId });
    const next = world.order(waiting).tripId as string;
    expect(next).not.toBe(tripId);
    expect(world.trip(next).state).toBe('trip_created');
    // The sender can still drop off: the order waits for the next trip, its state unchanged.
    expect(world.order(waiting).state).toBe('order_client_reserved_post1_and_post2');
  });

  it('a parcel the locker has not seen leave cell A when the trip leaves goes to staff', () => {
    const { world, loaded, tripId } = twoOrdersOnATrip();
    world.fire('order', loaded, 'order_parcel_submitted', driver);
    world.fire('trip', tripId, 'trip_confirm_pickup', driver);
    world.fire('trip', tripId, 'trip_start_trip', driver);

    expect(world.order(loaded).state).toBe('order_manual_intervention_required');
  });

  it('a trip completed without unloading a parcel puts its order in staff hands', () => {
    const { world, loaded, tripId } = twoOrdersOnATrip();
    departWith(world, tripId, loaded);
    world.fire('trip', tripId, 'trip_end_delivery', driver);
    world.fire('trip', tripId, 'trip_confirm_delivery', driver);
    world.fire('trip', tripId, 'trip_complete_trip', driver);

    expect(world.order(loaded).path.slice(-2)).toEqual([
      'order_arrived_at_post2',
      'order_manual_intervention_required',
    ]);
  });

  it('a cancelled trip hands the parcel it carries to staff (1.2.0), who unload it into cell B', () => {
    const { world, loaded, waiting, tripId } = twoOrdersOnATrip();
    departWith(world, tripId, loaded);
    world.fire('trip', tripId, 'trip_report_failure', driver);
    world.fire('trip', tripId, 'trip_cancel', operator);

    // The parcel is in the failed vehicle: staff, not a new trip at locker A. The order that
    // never left locker A rides with the next trip.
    expect(world.order(loaded)).toMatchObject({
      state: 'order_manual_intervention_required',
      tripId,
    });
    expect(world.order(waiting).tripId).not.toBe(tripId);
    world.fire('order', loaded, 'order_arrive_at_post2', operator);
    world.fire('order', loaded, 'order_driver_opens_post2', operator);
    world.fire('cell', world.order(loaded).cells.dest as string, 'locker_close_locker', lockerB);
    expect(world.order(loaded).state).toBe('order_parcel_confirmed_post2');
  });
});
