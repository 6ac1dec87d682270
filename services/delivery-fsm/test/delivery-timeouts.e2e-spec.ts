import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
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
 * Each timeout firing, with short durations: the service is restarted for this file with
 * SERVICE_DELIVERY_FSM_ENV (like scripts/bench/run.sh does for base) and restored afterwards.
 */
const SHORT = [
  'FSM_TIMEOUT_RESERVATION_UNUSED_MS=5000',
  'FSM_TIMEOUT_COURIER_NO_PICKUP_MS=1500',
  'FSM_TIMEOUT_RECIPIENT_NO_COLLECT_MS=1500',
  'FSM_TIMEOUT_COURIER_NO_HANDOVER_MS=2000',
  'FSM_TIMEOUT_RECIPIENT_NO_CONFIRM_MS=2000',
  'FSM_TIMEOUT_HARDWARE_NO_ACK_MS=1500',
  'FSM_TIMEOUT_TRIP_ACTIVATION_AGE_MS=2000',
  'FSM_TIMEOUT_TRIP_NO_DRIVER_MS=2000',
  'PIN_TTL_SECONDS=1',
].join(' ');

const run = promisify(execFile);

/**
 * stop-service and start-service with SERVICE_DELIVERY_FSM_ENV given explicitly (a test's
 * `process.env` is Jest's sandbox copy, which child processes do not inherit).
 */
async function restartDelivery(env: string): Promise<void> {
  const root = resolve(__dirname, '../../..');
  const options = {
    cwd: root,
    timeout: 180_000,
    env: { ...process.env, SERVICE_DELIVERY_FSM_ENV: env },
  };
  await run(
    'bash',
    [resolve(root, 'scripts/platform.sh'), 'stop-service', 'delivery-fsm'],
    options,
  );
  await run(
    'bash',
    [resolve(root, 'scripts/platform.sh'), 'start-service', 'delivery-fsm'],
    options,
  );
}

describe('delivery-fsm timeouts through the gateway', () => {
  let world: World;
  let s: Site;
  const t = (p: keyof World['tokens']) => world.tokens[p];

  beforeAll(async () => {
    await restartDelivery(SHORT);
    world = await people();
    s = await site(t('dev-admin'), 8);
  }, 240_000);

  afterAll(async () => {
    if (s) await removeSite(t('dev-admin'), s);
    await restartDelivery('');
  }, 240_000);

  async function createOrder(pickup: string): Promise<string> {
    return (await placeOrder(world, s, { pickup }))['id'] as string;
  }

  const fire = (person: keyof World['tokens'], entity: string, id: string, action: string) =>
    ok(
      `${action}`,
      api('POST', `${V1}/${entity}/${id}/actions/${action}`, { token: t(person), body: {} }),
    );

  async function get(path: string): Promise<Body> {
    return ok<Body>(path, api('GET', `${V1}/${path}`, { token: t('dev-admin') }));
  }

  async function eventually(path: string, state: string, ms = 15_000): Promise<Body> {
    const deadline = Date.now() + ms;
    for (;;) {
      const entity = await get(path);
      if (entity['state'] === state) return entity;
      if (Date.now() > deadline)
        throw new Error(`${path} stayed in ${String(entity['state'])}, not ${state}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  it('reservation_unused: the order expires and both cells are free again', async () => {
    const id = await createOrder('self');
    const order = await eventually(`orders/${id}`, 'order_reservation_expired');
    expect(order['held_cells']).toEqual([]);
    for (const cell of [order['source_cell_id'], order['dest_cell_id']]) {
      expect((await get(`cells/${String(cell)}`))['state']).toBe('locker_free');
    }
    const audit = await ok<{ items: Body[] }>(
      'audit',
      api('GET', `${V1}/orders/${id}/audit`, { token: t('dev-admin') }),
    );
    expect(audit.items.at(-1)).toMatchObject({
      action: 'order_timeout_reservation',
      actor_role: 'system',
      cause: 'timeout',
    });
    await expectConsistent(t('dev-admin'), [id]);
  });

  it('courier_no_pickup: the leg goes back to the exchange, the courier is cleared', async () => {
    const id = await createOrder('courier');
    await fire('dev-courier', 'orders', id, 'order_assign_courier1_to_order');
    const back = await eventually(`orders/${id}`, 'order_courier_reserved_post1_and_post2');
    expect(back['pickup_courier_user_id']).toBeNull();
    await fire('dev-client', 'orders', id, 'order_cancel_reservation');
    await expectConsistent(t('dev-admin'), [id]);
  });

  it('hardware_no_ack: an open cell nobody reports on goes to error, the order to manual intervention', async () => {
    const id = await createOrder('courier');
    await fire('dev-courier', 'orders', id, 'order_assign_courier1_to_order');
    await fire('dev-courier', 'orders', id, 'order_courier_pickup_parcel');
    const [command] = await s.controllerA.poll(1);
    expect(command?.command).toBe('OPEN_CELL');
    await eventually(`orders/${id}`, 'order_manual_intervention_required');
    expect((await get(`cells/${String(command?.cell_id)}`))['state']).toBe('locker_error');
    const late = await s.controllerA.ack(command?.id as string, {
      result: 'door_closed',
      parcel_present: true,
    });
    expect([late.status, late.body['code']]).toEqual([409, 'COMMAND_CLOSED']);
    await fire('dev-operator', 'orders', id, 'order_cancel_reservation');
    await fire('dev-operator', 'cells', command?.cell_id as string, 'locker_reset');
    await expectConsistent(t('dev-admin'), [id]);
  });

  it('recipient_no_collect: nobody collects at locker B, the order fails for staff to decide', async () => {
    const id = await createOrder('courier');
    await fire('dev-operator', 'orders', id, 'order_request_manual_intervention');
    await fire('dev-operator', 'orders', id, 'order_confirm_post2');
    await eventually(`orders/${id}`, 'order_delivery_failed');
    await fire('dev-operator', 'orders', id, 'order_cancel_reservation');
    await expectConsistent(t('dev-admin'), [id]);
  });

  async function parcelWithDeliveryCourier(): Promise<string> {
    const id = (await placeOrder(world, s, { pickup: 'self', delivery: 'courier' }))[
      'id'
    ] as string;
    await handToDeliveryCourier(world, s, id);
    return id;
  }

  async function lastAudit(id: string): Promise<Body | undefined> {
    const audit = await ok<{ items: Body[] }>(
      'audit',
      api('GET', `${V1}/orders/${id}/audit`, { token: t('dev-admin') }),
    );
    return audit.items.at(-1);
  }

  it('courier_no_handover: a delivery courier who keeps the parcel puts the order in staff hands (1.3.0)', async () => {
    const id = await parcelWithDeliveryCourier();
    expect((await get(`orders/${id}`))['state']).toBe('order_courier2_has_parcel');
    await eventually(`orders/${id}`, 'order_manual_intervention_required');
    expect(await lastAudit(id)).toMatchObject({
      action: 'order_request_manual_intervention',
      actor_role: 'system',
      cause: 'timeout',
    });
    await fire('dev-operator', 'orders', id, 'order_delivered_parcel');
    expect((await get(`orders/${id}`))['state']).toBe('order_completed');
    await expectConsistent(t('dev-admin'), [id]);
  });

  it('recipient_no_confirm: a handover nobody confirms goes to staff; a confirmed one is left alone (1.3.0)', async () => {
    const unconfirmed = await parcelWithDeliveryCourier();
    await fire('dev-courier2', 'orders', unconfirmed, 'order_courier2_delivered_parcel');
    const confirmed = await parcelWithDeliveryCourier();
    await fire('dev-courier2', 'orders', confirmed, 'order_courier2_delivered_parcel');
    await fire('dev-recipient', 'orders', confirmed, 'order_recipient_confirmed');
    await eventually(`orders/${unconfirmed}`, 'order_manual_intervention_required');
    expect(await lastAudit(unconfirmed)).toMatchObject({
      action: 'order_request_manual_intervention',
      actor_role: 'system',
      cause: 'timeout',
    });
    expect((await get(`orders/${confirmed}`))['state']).toBe('order_completed');
    await fire('dev-operator', 'orders', unconfirmed, 'order_delivered_parcel');
    await expectConsistent(t('dev-admin'), [unconfirmed, confirmed]);
  });

  it('trip_activation_age then trip_no_driver: the trip is offered, then flagged for staff', async () => {
    const id = await createOrder('courier');
    const tripId = (await get(`orders/${id}`))['trip_id'] as string;
    await eventually(`trips/${tripId}`, 'trip_activated');
    await eventually(`trips/${tripId}`, 'trip_driver_not_found');
    await fire('dev-operator', 'trips', tripId, 'trip_cancel');
    // Meanwhile nobody dropped the parcel: the order's own reservation expires too.
    await eventually(`orders/${id}`, 'order_reservation_expired');
    await expectConsistent(t('dev-admin'), [id]);
  });

  it('an expired PIN is refused', async () => {
    const id = await createOrder('self');
    const pin = await ok<Body>(
      'pin',
      api('POST', `${V1}/orders/${id}/pin`, { token: t('dev-client') }),
    );
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const late = await s.controllerA.pin(id, pin['pin'] as string);
    expect([late.status, late.body['code']]).toEqual([403, 'PIN_EXPIRED']);
    await fire('dev-client', 'orders', id, 'order_cancel_reservation');
    await expectConsistent(t('dev-admin'), [id]);
  });
});
