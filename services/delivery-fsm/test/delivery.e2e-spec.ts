import { randomUUID } from 'node:crypto';
import { api } from '@platform/testing';
import {
  type Body,
  expectConsistent,
  handToDeliveryCourier,
  ok,
  people,
  placeOrder,
  removeSite,
  site,
  type Site,
  V1,
  type World,
} from './delivery-world';

/**
 * The delivery service end to end through Nginx: Keycloak users of every role, locker controllers
 * logged in through base, every pickup × delivery path, cancel and failure paths, refusals.
 */
describe('delivery-fsm through the gateway', () => {
  let world: World;
  let s: Site;
  const created: string[] = [];
  const t = (p: keyof World['tokens']) => world.tokens[p];

  beforeAll(async () => {
    world = await people();
    s = await site(t('dev-admin'), 12);
  }, 120_000);

  afterAll(async () => {
    if (s) await removeSite(t('dev-admin'), s);
  });

  async function createOrder(
    pickup: string,
    delivery: string,
    { key, at = s }: { key?: string; at?: Site } = {},
  ): Promise<Body> {
    const order = await placeOrder(world, at, {
      pickup,
      delivery,
      description: `${pickup}/${delivery}`,
      ...(key ? { idempotencyKey: key } : {}),
    });
    created.push(order['id'] as string);
    return order;
  }

  function act(
    person: keyof World['tokens'],
    entity: string,
    id: string,
    action: string,
    body: Body = {},
  ) {
    return api<Body>('POST', `${V1}/${entity}/${id}/actions/${action}`, { token: t(person), body });
  }

  const fire = (
    person: keyof World['tokens'],
    entity: string,
    id: string,
    action: string,
    body: Body = {},
  ) => ok(`${person} ${action}`, act(person, entity, id, action, body));

  async function stateOf(id: string): Promise<string> {
    return (await ok<Body>('order', api('GET', `${V1}/orders/${id}`, { token: t('dev-admin') })))[
      'state'
    ] as string;
  }

  /** A cell's state and the order holding it, as staff read them. */
  async function cellOf(id: string): Promise<[unknown, unknown]> {
    const cell = await ok<Body>('cell', api('GET', `${V1}/cells/${id}`, { token: t('dev-admin') }));
    return [cell['state'], cell['order_id']];
  }

  /** A self/self order whose sender typed a valid PIN at locker A: its cell is opening. */
  async function senderAtLockerA(): Promise<string> {
    const id = (await createOrder('self', 'self'))['id'] as string;
    await ok('pin at A', s.controllerA.pin(id, await pinFor('dev-client', id)));
    return id;
  }

  async function pinFor(person: 'dev-client' | 'dev-recipient', orderId: string): Promise<string> {
    const pin = await ok<Body>(
      'pin',
      api('POST', `${V1}/orders/${orderId}/pin`, { token: t(person) }),
    );
    expect(pin['pin']).toMatch(/^[0-9]{6}$/);
    return pin['pin'] as string;
  }

  it('every pickup × delivery combination runs from creation to order_completed, on one trip', async () => {
    const combos = [
      ['self', 'self'],
      ['self', 'courier'],
      ['courier', 'self'],
      ['courier', 'courier'],
    ] as const;
    const orders: Body[] = [];
    for (const [pickup, delivery] of combos) orders.push(await createOrder(pickup, delivery));
    const ids = orders.map((o) => o['id'] as string);
    expect(orders.map((o) => o['state'])).toEqual([
      'order_client_reserved_post1_and_post2',
      'order_client_reserved_post1_and_post2',
      'order_courier_reserved_post1_and_post2',
      'order_courier_reserved_post1_and_post2',
    ]);
    for (const order of orders) expect(order['held_cells']).toHaveLength(2);
    const tripId = orders[0]?.['trip_id'] as string;
    expect(new Set(orders.map((o) => o['trip_id']))).toEqual(new Set([tripId]));

    // Pickup leg. Self: the sender's PIN at locker A's keypad opens the cell; the controller
    // reports the parcel in and the door closed. Courier: a courier takes it from the exchange.
    for (const id of ids.slice(0, 2)) {
      const pin = await pinFor('dev-client', id);
      await ok('pin at A', s.controllerA.pin(id, pin));
      expect(await stateOf(id)).toBe('order_client_post1');
      await s.controllerA.handle(
        { result: 'opened' },
        { result: 'parcel_present' },
        { result: 'door_closed', parcel_present: true },
      );
      expect(await stateOf(id)).toBe('order_parcel_confirmed');
    }
    const exchange = await ok<{ items: Body[] }>(
      'exchange',
      api('GET', `${V1}/exchanges/pickup?size=100`, { token: t('dev-courier') }),
    );
    for (const id of ids.slice(2)) {
      expect(exchange.items.map((o) => o['id'])).toContain(id);
      await fire('dev-courier', 'orders', id, 'order_assign_courier1_to_order');
      await fire('dev-courier', 'orders', id, 'order_courier_pickup_parcel');
      await s.controllerA.handle({ result: 'door_closed', parcel_present: true });
      expect(await stateOf(id)).toBe('order_parcel_confirmed');
    }

    // The trip: activated by staff (it is not full), taken by the driver, loaded at A.
    await fire('dev-operator', 'trips', tripId, 'trip_activate');
    const available = await ok<{ items: Body[] }>(
      'available',
      api('GET', `${V1}/trips?scope=available`, { token: t('dev-driver') }),
    );
    expect(available.items.map((trip) => trip['id'])).toContain(tripId);
    await ok(
      'take',
      api('POST', `${V1}/trips/${tripId}/take`, { token: t('dev-driver'), body: {} }),
    );
    await fire('dev-driver', 'trips', tripId, 'trip_assign_voditel');
    for (const id of ids) {
      await fire('dev-driver', 'orders', id, 'order_parcel_submitted');
      await s.controllerA.handle(
        { result: 'parcel_absent' },
        { result: 'door_closed', parcel_present: false },
      );
      expect(await stateOf(id)).toBe('order_picked_up_from_post1');
    }
    await fire('dev-driver', 'trips', tripId, 'trip_confirm_pickup');
    await ok(
      'start',
      api('POST', `${V1}/trips/${tripId}/start`, { token: t('dev-driver'), body: {} }),
    );
    for (const id of ids) expect(await stateOf(id)).toBe('order_in_transit_to_post2');
    await ok(
      'arrive',
      api('POST', `${V1}/trips/${tripId}/arrive`, { token: t('dev-driver'), body: {} }),
    );
    for (const id of ids) {
      expect(await stateOf(id)).toBe('order_arrived_at_post2');
      await fire('dev-driver', 'orders', id, 'order_driver_opens_post2');
      await s.controllerB.handle({ result: 'door_closed', parcel_present: true });
      expect(await stateOf(id)).toBe('order_parcel_confirmed_post2');
    }
    await fire('dev-driver', 'trips', tripId, 'trip_confirm_delivery');
    await ok(
      'complete',
      api('POST', `${V1}/trips/${tripId}/complete`, { token: t('dev-driver'), body: {} }),
    );

    // Delivery leg. Self: the recipient's PIN at B; courier: from the delivery exchange.
    for (const id of [ids[0], ids[2]] as string[]) {
      const pin = await pinFor('dev-recipient', id);
      await ok('pin at B', s.controllerB.pin(id, pin));
      await s.controllerB.handle(
        { result: 'parcel_absent' },
        { result: 'door_closed', parcel_present: false },
      );
      expect(await stateOf(id)).toBe('order_completed');
    }
    for (const id of [ids[1], ids[3]] as string[]) {
      await fire('dev-courier2', 'orders', id, 'order_assign_courier2_to_order');
      await fire('dev-courier2', 'orders', id, 'order_courier2_pickup_parcel');
      await s.controllerB.handle(
        { result: 'parcel_absent' },
        { result: 'door_closed', parcel_present: false },
      );
      await fire('dev-courier2', 'orders', id, 'order_courier2_delivered_parcel');
      await fire('dev-recipient', 'orders', id, 'order_recipient_confirmed');
      expect(await stateOf(id)).toBe('order_completed');
    }
    const trip = await ok<Body>(
      'trip',
      api('GET', `${V1}/trips/${tripId}`, { token: t('dev-driver') }),
    );
    expect(trip['state']).toBe('trip_completed');
    // Every cell is free again.
    for (const locker of [s.a, s.b]) {
      const cells = await ok<{ items: Body[] }>(
        'cells',
        api('GET', `${V1}/lockers/${locker}/cells`, { token: t('dev-admin') }),
      );
      expect(cells.items.map((c) => [c['state'], c['order_id']])).toEqual(
        cells.items.map(() => ['locker_free', null]),
      );
    }
    await expectConsistent(t('dev-admin'), ids);
  });

  it('Idempotency-Key: a retry returns the first order; the same key with another body is 422', async () => {
    const key = `e2e-${randomUUID()}`;
    const first = await createOrder('courier', 'self', { key });
    const again = await createOrder('courier', 'self', { key });
    expect(again['id']).toBe(first['id']);
    const other = await api<Body>('POST', `${V1}/orders`, {
      token: t('dev-client'),
      headers: { 'idempotency-key': key },
      body: {
        recipient_user_id: world.ids['dev-recipient'],
        pickup_type: 'self',
        delivery_type: 'self',
        parcel_size: 'S',
        source_locker_id: s.a,
        dest_locker_id: s.b,
      },
    });
    expect([other.status, other.body['code']]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
    await fire('dev-client', 'orders', first['id'] as string, 'order_cancel_reservation');
    await expectConsistent(t('dev-admin'), [first['id'] as string]);
  });

  it('refusals: wrong role 403, a courier off the leg 404, invalid transition 409, bad input 400', async () => {
    const order = await createOrder('courier', 'courier');
    const id = order['id'] as string;
    const byRecipient = await act('dev-recipient', 'orders', id, 'order_assign_courier1_to_order');
    expect([byRecipient.status, byRecipient.body['code']]).toEqual([403, 'ACTOR_NOT_ALLOWED']);
    // Who may not read the order (not on an exchange, not his) learns nothing from a refusal.
    const byDriver = await act('dev-driver', 'orders', id, 'order_courier_pickup_parcel');
    expect([byDriver.status, byDriver.body['code']]).toEqual([404, 'ORDER_NOT_FOUND']);
    await fire('dev-courier', 'orders', id, 'order_assign_courier1_to_order');
    const notMine = await act('dev-courier2', 'orders', id, 'order_courier_pickup_parcel');
    expect([notMine.status, notMine.body['code']]).toEqual([404, 'ORDER_NOT_FOUND']);
    const conflict = await act('dev-operator', 'orders', id, 'order_recipient_confirmed');
    expect([
      conflict.status,
      conflict.body['code'],
      (conflict.body['details'] as Body)['current_state'],
    ]).toEqual([409, 'TRANSITION_NOT_FOUND', 'order_courier1_assigned']);
    const unknown = await act('dev-operator', 'orders', id, 'order_fly_away');
    expect([unknown.status, unknown.body['code']]).toEqual([400, 'UNKNOWN_ACTION']);
    const stale = await act('dev-courier', 'orders', id, 'order_courier1_cancel', {
      expected_state_version: 1,
    });
    expect([stale.status, stale.body['code'], stale.body['details']]).toEqual([
      409,
      'STATE_VERSION_MISMATCH',
      {
        entity_type: 'order',
        current_state: 'order_courier1_assigned',
        action: 'order_courier1_cancel',
        state_version: expect.any(Number),
      },
    ]);
    // everyone's orders and trips are staff's lists
    for (const [person, path] of [
      ['dev-client', 'orders?role=all'],
      ['dev-driver', 'trips?scope=all'],
    ] as const) {
      const refused = await api<Body>('GET', `${V1}/${path}`, { token: t(person) });
      expect([path, refused.status, refused.body['code']]).toEqual([path, 403, 'STAFF_ONLY']);
    }
    const badBody = await api<Body>('POST', `${V1}/orders`, {
      token: t('dev-client'),
      body: { parcel_size: 'XL' },
    });
    expect(badBody.status).toBe(400);
    const badId = await api<Body>('GET', `${V1}/orders/not-a-uuid`, { token: t('dev-client') });
    expect(badId.status).toBe(400);
    // The buttons are what decide() accepts: the owning courier sees pickup and give-back.
    const buttons = await ok<{ actions: Body[] }>(
      'buttons',
      api('GET', `${V1}/orders/${id}/actions`, { token: t('dev-courier') }),
    );
    expect(buttons.actions.map((a) => a['action']).sort()).toEqual([
      'order_courier1_cancel',
      'order_courier_pickup_parcel',
    ]);
    const strangers = await api<Body>('GET', `${V1}/orders/${id}/actions`, {
      token: t('dev-courier2'),
    });
    expect(strangers.status).toBe(404);
    // Nothing changed by the refusals.
    expect(await stateOf(id)).toBe('order_courier1_assigned');
    await fire('dev-operator', 'orders', id, 'order_request_manual_intervention');
    await fire('dev-operator', 'orders', id, 'order_cancel_reservation');
    await expectConsistent(t('dev-admin'), [id]);
  });

  it('PINs: wrong, then locked after the attempts; a new PIN works; another locker refuses it', async () => {
    const order = await createOrder('self', 'self');
    const id = order['id'] as string;
    const pin = await pinFor('dev-client', id);
    const wrong = pin === '000000' ? '000001' : '000000';
    const first = await s.controllerA.pin(id, wrong);
    expect([
      first.status,
      first.body['code'],
      (first.body['details'] as Body)['attempts_left'],
    ]).toEqual([403, 'PIN_INVALID', 4]);
    const elsewhere = await s.controllerB.pin(id, pin);
    expect([elsewhere.status, elsewhere.body['code']]).toEqual([403, 'PIN_INVALID']);
    for (let i = 0; i < 3; i++) await s.controllerA.pin(id, wrong);
    const locked = await s.controllerA.pin(id, wrong);
    expect([locked.status, locked.body['code']]).toEqual([403, 'PIN_LOCKED']);
    const evenRight = await s.controllerA.pin(id, pin);
    expect([evenRight.status, evenRight.body['code']]).toEqual([403, 'PIN_LOCKED']);
    expect(await stateOf(id)).toBe('order_client_reserved_post1_and_post2');
    const notRecipientsTurn = await api<Body>('POST', `${V1}/orders/${id}/pin`, {
      token: t('dev-recipient'),
    });
    expect([notRecipientsTurn.status, notRecipientsTurn.body['code']]).toEqual([
      409,
      'PIN_NOT_ISSUABLE',
    ]);
    const fresh = await pinFor('dev-client', id);
    await ok('fresh pin', s.controllerA.pin(id, fresh));
    const reused = await s.controllerA.pin(id, fresh);
    expect([reused.status, reused.body['code']]).toEqual([403, 'PIN_INVALID']);
    expect(await stateOf(id)).toBe('order_client_post1');
    await s.controllerA.handle({ result: 'door_closed', parcel_present: true });
    expect(await stateOf(id)).toBe('order_parcel_confirmed');
    await fire('dev-operator', 'orders', id, 'order_request_manual_intervention');
    await fire('dev-operator', 'orders', id, 'order_cancel_reservation');
    await expectConsistent(t('dev-admin'), [id]);
  });

  it('an empty cell seen as the door opens for a drop-off is no parcel taken out: the parcel then put in counts', async () => {
    const id = await senderAtLockerA();
    const command = await s.controllerA.handle(
      { result: 'opened' },
      { result: 'parcel_absent' },
      { result: 'door_closed', parcel_present: true },
    );
    expect(await stateOf(id)).toBe('order_parcel_confirmed');
    expect(await cellOf(command.cell_id)).toEqual(['locker_occupied', id]);
    await fire('dev-operator', 'orders', id, 'order_request_manual_intervention');
    await fire('dev-operator', 'orders', id, 'order_cancel_reservation');
    await expectConsistent(t('dev-admin'), [id]);
  });

  it('a door closed on an empty cell during a drop-off asks for manual intervention; staff recover', async () => {
    const id = await senderAtLockerA();
    expect(await stateOf(id)).toBe('order_client_post1');
    // The sender shut the door without putting the parcel in: the order used to stay in
    // order_client_post1 for good, no action left to the sender, no timeout, staff not told.
    const command = await s.controllerA.handle(
      { result: 'opened' },
      { result: 'door_closed', parcel_present: false },
    );
    expect(await stateOf(id)).toBe('order_manual_intervention_required');
    await fire('dev-operator', 'orders', id, 'order_cancel_reservation');
    expect(await cellOf(command.cell_id)).toEqual(['locker_free', null]);
    await expectConsistent(t('dev-admin'), [id]);
  });

  it('a cell that fails to open: the cell in error, the order to manual intervention, staff recover', async () => {
    const order = await createOrder('courier', 'self');
    const id = order['id'] as string;
    await fire('dev-courier', 'orders', id, 'order_assign_courier1_to_order');
    await fire('dev-courier', 'orders', id, 'order_courier_pickup_parcel');
    const command = await s.controllerA.handle({ result: 'failed_to_open' });
    expect(await stateOf(id)).toBe('order_manual_intervention_required');
    const closed = await s.controllerA.ack(command.id, {
      result: 'door_closed',
      parcel_present: true,
    });
    expect([closed.status, closed.body['code']]).toEqual([409, 'COMMAND_CLOSED']);
    expect((await cellOf(command.cell_id))[0]).toBe('locker_error');
    // Staff: the order is cancelled (its other cell released), the faulty cell reset.
    await fire('dev-operator', 'orders', id, 'order_cancel_reservation');
    await fire('dev-operator', 'cells', command.cell_id, 'locker_reset');
    expect(await cellOf(command.cell_id)).toEqual(['locker_free', null]);
    await expectConsistent(t('dev-admin'), [id]);
  });

  it('cancel paths: the sender before drop-off, the courier gives the leg back, a missing parcel', async () => {
    const cancelled = await createOrder('self', 'self');
    await fire('dev-client', 'orders', cancelled['id'] as string, 'order_cancel_reservation');
    expect(await stateOf(cancelled['id'] as string)).toBe('order_cancelled');

    const given = await createOrder('courier', 'self');
    const gid = given['id'] as string;
    await fire('dev-courier', 'orders', gid, 'order_assign_courier1_to_order');
    await fire('dev-courier', 'orders', gid, 'order_courier1_cancel');
    expect(await stateOf(gid)).toBe('order_courier_reserved_post1_and_post2');
    const exchange = await ok<{ items: Body[] }>(
      'exchange',
      api('GET', `${V1}/exchanges/pickup?size=100`, { token: t('dev-courier2') }),
    );
    expect(exchange.items.map((o) => o['id'])).toContain(gid);
    await fire('dev-client', 'orders', gid, 'order_cancel_reservation');

    const missing = await createOrder('courier', 'self');
    const mid = missing['id'] as string;
    await fire('dev-courier', 'orders', mid, 'order_assign_courier1_to_order');
    await fire('dev-courier', 'orders', mid, 'order_courier_pickup_parcel');
    await s.controllerA.handle(
      { result: 'parcel_not_found' },
      { result: 'door_closed', parcel_present: false },
    );
    // The courier's drop-off found no parcel and the door closed on the empty cell: the order
    // goes to manual intervention (the courier's state accepts no missing-parcel report).
    expect(await stateOf(mid)).toBe('order_manual_intervention_required');
    await fire('dev-operator', 'orders', mid, 'order_cancel_reservation');
    await expectConsistent(t('dev-admin'), [cancelled['id'] as string, gid, mid]);
  });

  /** A courier order of `pair` dropped into cell A, its driver opening the cell to load it. */
  async function driverOpensCellA(pair: Site): Promise<{ id: string; tripId: string }> {
    const order = await createOrder('courier', 'self', { at: pair });
    const [id, tripId] = [order['id'] as string, order['trip_id'] as string];
    await dropAndDriverAtLockerA(pair, id, tripId);
    await fire('dev-driver', 'orders', id, 'order_parcel_submitted');
    return { id, tripId };
  }

  /** Staff take the order over and cancel it; a cell left with a parcel (locker_error) is reset. */
  async function staffCancel(id: string, ...cells: string[]): Promise<void> {
    if ((await stateOf(id)) !== 'order_manual_intervention_required') {
      await fire('dev-operator', 'orders', id, 'order_request_manual_intervention');
    }
    await fire('dev-operator', 'orders', id, 'order_cancel_reservation');
    for (const cell of cells) {
      if ((await cellOf(cell))[0] === 'locker_error') {
        await fire('dev-operator', 'cells', cell, 'locker_reset');
      }
    }
    await expectConsistent(t('dev-admin'), [id]);
  }

  /** A courier's drop-off into cell A of `pair`, then the order's trip taken, the driver at A. */
  async function dropAndDriverAtLockerA(pair: Site, id: string, tripId: string): Promise<void> {
    await fire('dev-courier', 'orders', id, 'order_assign_courier1_to_order');
    await fire('dev-courier', 'orders', id, 'order_courier_pickup_parcel');
    await pair.controllerA.handle({ result: 'door_closed', parcel_present: true });
    await fire('dev-operator', 'trips', tripId, 'trip_activate');
    await ok(
      'take',
      api('POST', `${V1}/trips/${tripId}/take`, { token: t('dev-driver'), body: {} }),
    );
    await fire('dev-driver', 'trips', tripId, 'trip_assign_voditel');
  }

  it('a trip leaves without the orders it did not load, and ends without one it did not unload: neither is stranded', async () => {
    // Lockers of its own, so that the trip holds these two orders only.
    const pair = await site(t('dev-admin'), 2);
    const loaded = (await createOrder('courier', 'self', { at: pair }))['id'] as string;
    const waiting = await createOrder('courier', 'self', { at: pair });
    const tripId = waiting['trip_id'] as string;
    await dropAndDriverAtLockerA(pair, loaded, tripId);
    await fire('dev-driver', 'orders', loaded, 'order_parcel_submitted');
    await pair.controllerA.handle({ result: 'door_closed', parcel_present: false });
    await fire('dev-driver', 'trips', tripId, 'trip_confirm_pickup');
    await fire('dev-driver', 'trips', tripId, 'trip_start_trip');

    // The order nobody picked up yet waits for the next trip of its pair (it stayed on the
    // departed one for good under 1.0.0, and no trip would ever load it).
    const moved = await ok<Body>(
      'order',
      api('GET', `${V1}/orders/${waiting['id'] as string}`, { token: t('dev-admin') }),
    );
    expect(moved['state']).toBe('order_courier_reserved_post1_and_post2');
    expect(moved['trip_id']).not.toBe(tripId);
    const next = await ok<Body>(
      'trip',
      api('GET', `${V1}/trips/${moved['trip_id'] as string}`, { token: t('dev-admin') }),
    );
    expect(next['state']).toBe('trip_created');
    expect(await stateOf(loaded)).toBe('order_in_transit_to_post2');

    // The driver ends the trip with the parcel still in the vehicle: staff are told.
    await fire('dev-driver', 'trips', tripId, 'trip_end_delivery');
    await fire('dev-driver', 'trips', tripId, 'trip_confirm_delivery');
    await fire('dev-driver', 'trips', tripId, 'trip_complete_trip');
    expect(await stateOf(loaded)).toBe('order_manual_intervention_required');

    await fire('dev-operator', 'orders', loaded, 'order_cancel_reservation');
    await fire('dev-client', 'orders', waiting['id'] as string, 'order_cancel_reservation');
    await expectConsistent(t('dev-admin'), [loaded, waiting['id'] as string]);
    await removeSite(t('dev-admin'), pair);
  });

  /** A self/self order staff moved to "parcel in cell B", its recipient's PIN typed at B. */
  async function recipientAtLockerB(): Promise<{ id: string; cellB: string }> {
    const order = await createOrder('self', 'self');
    const id = order['id'] as string;
    await fire('dev-operator', 'orders', id, 'order_request_manual_intervention');
    await fire('dev-operator', 'orders', id, 'order_confirm_post2');
    await ok('pin at B', s.controllerB.pin(id, await pinFor('dev-recipient', id)));
    expect(await stateOf(id)).toBe('order_delivered_to_client');
    return { id, cellB: order['dest_cell_id'] as string };
  }

  it("the recipient's button while the door is open: the cell is settled when it closes, never left to nobody", async () => {
    for (const [present, settled] of [
      [false, 'locker_free'],
      [true, 'locker_error'],
    ] as const) {
      const { id, cellB } = await recipientAtLockerB();
      await fire('dev-recipient', 'orders', id, 'order_delivered_parcel');
      expect(await stateOf(id)).toBe('order_completed');
      await s.controllerB.handle({ result: 'door_closed', parcel_present: present });
      // Empty: free again. A parcel left inside belongs to no order: staff empty the cell.
      // (Both stayed out of the pool for good before: closed empty or occupied, held by nobody.)
      expect(await cellOf(cellB)).toEqual([settled, null]);
      if (present) await fire('dev-operator', 'cells', cellB, 'locker_reset');
      await expectConsistent(t('dev-admin'), [id]);
    }
  });

  it('a parcel put back before the door closes at a pickup is inside: the order goes to staff, not completed', async () => {
    const { id, cellB } = await recipientAtLockerB();
    await s.controllerB.handle(
      { result: 'parcel_absent' },
      { result: 'door_closed', parcel_present: true },
    );
    expect(await stateOf(id)).toBe('order_manual_intervention_required');
    expect(await cellOf(cellB)).toEqual(['locker_occupied', id]);
    // Staff cancel: the parcel is nobody's now, so the cell waits for staff to empty it.
    await fire('dev-operator', 'orders', id, 'order_cancel_reservation');
    expect(await cellOf(cellB)).toEqual(['locker_error', null]);
    await fire('dev-operator', 'cells', cellB, 'locker_reset');
    await expectConsistent(t('dev-admin'), [id]);
  });

  it('staff reserving again for an order whose cell broke give it a working cell', async () => {
    const id = await senderAtLockerA();
    const broken = (await s.controllerA.handle({ result: 'failed_to_open' })).cell_id;
    expect(await stateOf(id)).toBe('order_manual_intervention_required');
    await fire('dev-operator', 'orders', id, 'order_reserve_for_client_A_to_B');
    const order = await ok<Body>(
      'order',
      api('GET', `${V1}/orders/${id}`, { token: t('dev-admin') }),
    );
    expect(order['state']).toBe('order_client_reserved_post1_and_post2');
    expect(order['source_cell_id']).not.toBe(broken);
    expect(await cellOf(order['source_cell_id'] as string)).toEqual(['locker_reserved', id]);
    expect(await cellOf(broken)).toEqual(['locker_error', null]);
    // The sender's PIN opens the new cell.
    await ok('pin at A', s.controllerA.pin(id, await pinFor('dev-client', id)));
    expect(
      (await s.controllerA.handle({ result: 'door_closed', parcel_present: true })).cell_id,
    ).toBe(order['source_cell_id']);
    expect(await stateOf(id)).toBe('order_parcel_confirmed');
    await fire('dev-operator', 'orders', id, 'order_request_manual_intervention');
    await fire('dev-operator', 'orders', id, 'order_cancel_reservation');
    await fire('dev-operator', 'cells', broken, 'locker_reset');
    const source = order['source_cell_id'] as string;
    if ((await cellOf(source))[0] === 'locker_error') {
      await fire('dev-operator', 'cells', source, 'locker_reset');
    }
    await expectConsistent(t('dev-admin'), [id]);
  });

  it('a controller without a parcel sensor (no parcel_present) and one that repeats a report are answered 200', async () => {
    const dropped = await senderAtLockerA();
    const command = await s.controllerA.handle(
      { result: 'opened' },
      { result: 'parcel_present' },
      { result: 'parcel_present' },
      { result: 'door_closed' },
    );
    expect(await stateOf(dropped)).toBe('order_parcel_confirmed');
    expect(await cellOf(command.cell_id)).toEqual(['locker_occupied', dropped]);
    const { id, cellB } = await recipientAtLockerB();
    await s.controllerB.handle(
      { result: 'parcel_absent' },
      { result: 'parcel_absent' },
      { result: 'door_closed', parcel_present: null },
    );
    expect(await stateOf(id)).toBe('order_completed');
    expect(await cellOf(cellB)).toEqual(['locker_free', null]);
    await fire('dev-operator', 'orders', dropped, 'order_request_manual_intervention');
    await fire('dev-operator', 'orders', dropped, 'order_cancel_reservation');
    await fire('dev-operator', 'cells', command.cell_id, 'locker_reset');
    await expectConsistent(t('dev-admin'), [dropped, id]);
  });

  it('a door report for an order staff hold is recorded on the cell, not refused; the order stays with staff', async () => {
    const pair = await site(t('dev-admin'), 2);
    const { id, tripId } = await driverOpensCellA(pair);
    await fire('dev-driver', 'trips', tripId, 'trip_confirm_pickup');
    await fire('dev-driver', 'trips', tripId, 'trip_start_trip');
    expect(await stateOf(id)).toBe('order_manual_intervention_required');
    // The driver left the parcel in cell A and the door closes now: a 403 here left the door
    // report unrecorded and the cell went to locker_error two minutes later.
    const command = await pair.controllerA.handle({ result: 'door_closed', parcel_present: true });
    expect(await cellOf(command.cell_id)).toEqual(['locker_occupied', id]);
    expect(await stateOf(id)).toBe('order_manual_intervention_required');
    await fire('dev-operator', 'orders', id, 'order_cancel_reservation');
    expect(await cellOf(command.cell_id)).toEqual(['locker_error', null]);
    await fire('dev-operator', 'cells', command.cell_id, 'locker_reset');
    await expectConsistent(t('dev-admin'), [id]);
    await removeSite(t('dev-admin'), pair);
  });

  it('staff reserving again for an order whose cell closed empty give it a cell the sender can open', async () => {
    const id = await senderAtLockerA();
    const closed = (await s.controllerA.handle({ result: 'door_closed', parcel_present: false }))
      .cell_id;
    expect(await stateOf(id)).toBe('order_manual_intervention_required');
    await fire('dev-operator', 'orders', id, 'order_reserve_for_client_A_to_B');
    const order = await ok<Body>(
      'order',
      api('GET', `${V1}/orders/${id}`, { token: t('dev-admin') }),
    );
    expect(await cellOf(order['source_cell_id'] as string)).toEqual(['locker_reserved', id]);
    if (order['source_cell_id'] !== closed)
      expect(await cellOf(closed)).toEqual(['locker_free', null]);
    await ok('pin at A', s.controllerA.pin(id, await pinFor('dev-client', id)));
    expect(await stateOf(id)).toBe('order_client_post1');
    await s.controllerA.handle({ result: 'door_closed', parcel_present: true });
    expect(await stateOf(id)).toBe('order_parcel_confirmed');
    await staffCancel(id, order['source_cell_id'] as string);
  });

  it('a courier taking a self-collection order it was never offered hears 404, as for the reads', async () => {
    const id = (await createOrder('self', 'self'))['id'] as string;
    await fire('dev-operator', 'orders', id, 'order_request_manual_intervention');
    await fire('dev-operator', 'orders', id, 'order_confirm_post2');
    expect(await stateOf(id)).toBe('order_parcel_confirmed_post2');
    const take = await act('dev-courier2', 'orders', id, 'order_take_delivery');
    expect([take.status, take.body['code']]).toEqual([404, 'ORDER_NOT_FOUND']);
    await fire('dev-operator', 'orders', id, 'order_request_manual_intervention');
    await fire('dev-operator', 'orders', id, 'order_cancel_reservation');
  });

  it('a cancelled trip hands its loaded parcel to staff, who unload it into cell B (1.2.0)', async () => {
    const pair = await site(t('dev-admin'), 2);
    const { id, tripId } = await driverOpensCellA(pair);
    await pair.controllerA.handle({ result: 'door_closed', parcel_present: false });
    await fire('dev-driver', 'trips', tripId, 'trip_confirm_pickup');
    await fire('dev-driver', 'trips', tripId, 'trip_start_trip');
    await fire('dev-driver', 'trips', tripId, 'trip_report_failure');
    await fire('dev-operator', 'trips', tripId, 'trip_cancel');
    // 1.1.0 put it on a new trip at locker A that never loaded it.
    const held = await ok<Body>(
      'order',
      api('GET', `${V1}/orders/${id}`, { token: t('dev-admin') }),
    );
    expect([held['state'], held['trip_id']]).toEqual([
      'order_manual_intervention_required',
      tripId,
    ]);
    await fire('dev-operator', 'orders', id, 'order_arrive_at_post2');
    await fire('dev-operator', 'orders', id, 'order_driver_opens_post2');
    await pair.controllerB.handle({ result: 'door_closed', parcel_present: true });
    expect(await stateOf(id)).toBe('order_parcel_confirmed_post2');
    await staffCancel(id, held['dest_cell_id'] as string);
    await removeSite(t('dev-admin'), pair);
  });

  it('the delivery courier handing the parcel over lets cell B go, before the recipient confirms (1.2.0)', async () => {
    const order = await createOrder('self', 'courier');
    const id = order['id'] as string;
    const cellB = order['dest_cell_id'] as string;
    await handToDeliveryCourier(world, s, id);
    expect(await cellOf(cellB)).toEqual(['locker_closed_empty', id]);
    await fire('dev-courier2', 'orders', id, 'order_courier2_delivered_parcel');
    expect(await cellOf(cellB)).toEqual(['locker_free', null]);
    await fire('dev-recipient', 'orders', id, 'order_recipient_confirmed');
    expect(await stateOf(id)).toBe('order_completed');
    await expectConsistent(t('dev-admin'), [id]);
  });

  it('the definition and its Mermaid diagram come from the API', async () => {
    const definition = await ok<Body>(
      'definition',
      api('GET', `${V1}/fsm/definition`, { token: t('dev-client') }),
    );
    expect(definition['version']).toBe('1.3.0');
    const diagram = await api<string>('GET', `${V1}/fsm/diagram?entity=order`, {
      token: t('dev-client'),
    });
    expect(diagram.status).toBe(200);
    expect(diagram.body).toContain('stateDiagram-v2');
    expect(diagram.body).toContain('order_created');
  });

  it('after all of it: no cell is held by a finished order', async () => {
    await expectConsistent(t('dev-admin'), created);
  });
});
