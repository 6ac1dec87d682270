import { api, gatewayUrl } from '@platform/testing';
import {
  type Body,
  expectConsistent,
  ok,
  type Person,
  placeOrder,
  useScene,
  V1,
} from './delivery-world';

/**
 * What an outside caller who is not the entity's participant, a fuzzer or a flaky controller
 * connection can do through the gateway, and what they must not learn or break.
 */
describe('delivery-fsm against hostile and unlucky callers', () => {
  const scene = useScene(8);
  const t = scene.token;
  const createOrder = (pickup: string) => placeOrder(scene.world, scene.site, { pickup });

  const act = (person: Person, path: string, body: Body = {}) =>
    api<Body>('POST', `${V1}/${path}`, { token: t(person), body });

  const codeOf = (r: { status: number; body: Body }) => [r.status, r.body['code']];

  it('a refusal tells nothing to who may not read the entity: 404 as for the reads', async () => {
    const order = await createOrder('self');
    const id = order['id'] as string;
    // A stranger to the order, in a state where the action does not exist (409 would name it).
    expect(
      codeOf(await act('dev-courier', `orders/${id}/actions/order_recipient_confirmed`)),
    ).toEqual([404, 'ORDER_NOT_FOUND']);
    expect(
      codeOf(await act('dev-driver', `orders/${id}/actions/order_cancel_reservation`)),
    ).toEqual([404, 'ORDER_NOT_FOUND']);
    // A take (`any` for couriers and drivers) at what was never offered to them: no state either.
    expect(
      codeOf(await act('dev-courier', `orders/${id}/actions/order_assign_courier1_to_order`)),
    ).toEqual([404, 'ORDER_NOT_FOUND']);
    // Cells are staff's and their controller's; trips their driver's.
    const cell = order['source_cell_id'] as string;
    expect(codeOf(await act('dev-client', `cells/${cell}/actions/locker_open_locker`))).toEqual([
      404,
      'CELL_NOT_FOUND',
    ]);
    const trip = order['trip_id'] as string;
    expect(codeOf(await act('dev-client', `trips/${trip}/actions/trip_start_trip`))).toEqual([
      404,
      'TRIP_NOT_FOUND',
    ]);
    // Its participants still hear why (here the recipient, whose role may not fire it).
    const byRecipient = await act('dev-recipient', `orders/${id}/actions/order_cancel_reservation`);
    expect(codeOf(byRecipient)).toEqual([403, 'ACTOR_NOT_ALLOWED']);
    await expectConsistent(t('dev-admin'), [id]);
  });

  it('two couriers take one leg at once: one wins, the other hears 409 with the new state', async () => {
    const order = await createOrder('courier');
    const id = order['id'] as string;
    const takes = await Promise.all(
      (['dev-courier', 'dev-courier2'] as const).map((p) =>
        act(p, `orders/${id}/actions/order_assign_courier1_to_order`),
      ),
    );
    expect(takes.map((r) => r.status).sort()).toEqual([200, 409]);
    const lost = takes.find((r) => r.status === 409) as { body: Body };
    expect(lost.body['code']).toBe('TRANSITION_NOT_FOUND');
    expect((lost.body['details'] as Body)['current_state']).toBe('order_courier1_assigned');
    await expectConsistent(t('dev-admin'), [id]);
  });

  it('the input is what the OpenAPI document says: else 400 before any lookup, nothing fires', async () => {
    const order = await createOrder('self');
    const id = order['id'] as string;
    // expected_state_version is a JSON integer, not a string or a boolean coerced to one.
    for (const version of ['1', true]) {
      const response = await act('dev-client', `orders/${id}/actions/order_cancel_reservation`, {
        expected_state_version: version,
      });
      expect(codeOf(response)).toEqual([400, 'VALIDATION_FAILED']);
    }
    // The action segment matches ^[A-Za-z0-9_]{1,64}$, whether or not the order exists.
    for (const target of [id, '11111111-1111-4111-8111-111111111111']) {
      for (const action of ['order-cancel', 'a'.repeat(65), 'order_cancel%20x']) {
        const response = await act('dev-client', `orders/${target}/actions/${action}`);
        expect(codeOf(response)).toEqual([400, 'VALIDATION_FAILED']);
      }
    }
    const after = await ok<Body>(
      'order',
      api('GET', `${V1}/orders/${id}`, { token: t('dev-admin') }),
    );
    expect(after['state_version']).toBe(1);
  });

  it('names, cities and addresses are one line of visible text, stored without the spaces around', async () => {
    const admin = t('dev-admin');
    const tag = `e2e-name-${Date.now()}`;
    const model = await ok<Body>(
      'model',
      api('POST', `${V1}/locker-models`, {
        token: admin,
        body: { name: ` ${tag}\u3000`, cells_s: 1 },
      }),
    );
    expect(model['name']).toBe(tag);
    for (const [city, address] of [
      ['   ', '1 Main st.'],
      ['Tver', '\u200b'],
      ['\u202eTver', '1 Main st.'],
      ['Tver', '1 Main st.\n2nd floor'],
    ]) {
      const refused = await api<Body>('POST', `${V1}/lockers`, {
        token: admin,
        body: { code: `${tag}-x`, model_id: model['id'], city, address },
      });
      expect(codeOf(refused)).toEqual([400, 'VALIDATION_FAILED']);
    }
    const blankFilter = await api<Body>('GET', `${V1}/lockers?city=%20`, { token: admin });
    expect(codeOf(blankFilter)).toEqual([400, 'VALIDATION_FAILED']);
  });

  it('wait_seconds is 0..25 in decimal digits: anything else is a 400 at once, 0 answers at once', async () => {
    const token = scene.site.controllerB.client.token as string;
    for (const wait of ['', '%205', '0x5', '1e1', 'abc', '-1', '26', '1.5', '5&wait_seconds=6']) {
      const started = Date.now();
      const response = await api<Body>('GET', `${V1}/locker/commands?wait_seconds=${wait}`, {
        token,
      });
      expect([wait, ...codeOf(response)]).toEqual([wait, 400, 'VALIDATION_FAILED']);
      expect(Date.now() - started).toBeLessThan(1000);
    }
    const now = await ok<Body>(
      'poll',
      api('GET', `${V1}/locker/commands?wait_seconds=0`, { token }),
    );
    expect(now).toEqual({ commands: [] });
  });

  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  /** A self-service drop-off at locker A: its OPEN_CELL command is queued for controller A. */
  async function dropOff(): Promise<Body> {
    const order = await createOrder('self');
    await ok(
      'drop-off',
      act('dev-client', `orders/${order['id']}/actions/order_client_deliv_post1`),
    );
    return order;
  }

  /** Controller A acknowledges the drop-off's command; the order and its cells are consistent. */
  async function finish(order: Body, commands: { id: string; cell_id: string }[]): Promise<void> {
    expect(commands.map((c) => c.cell_id)).toEqual([order['source_cell_id']]);
    const command = commands[0] as { id: string };
    for (const report of [
      { result: 'parcel_present' },
      { result: 'door_closed', parcel_present: true },
    ]) {
      await ok('ack', scene.site.controllerA.ack(command.id, report));
    }
    await expectConsistent(t('dev-admin'), [order['id'] as string]);
  }

  const rawPoll = (waitSeconds: number, signal?: AbortSignal) =>
    fetch(`${gatewayUrl()}${V1}/locker/commands?wait_seconds=${waitSeconds}`, {
      headers: { authorization: `Bearer ${scene.site.controllerA.client.token as string}` },
      ...(signal ? { signal } : {}),
    });

  it('a long-poll the controller hung up on claims nothing: the command waits for the next poll', async () => {
    const abandoned = new AbortController();
    const poll = rawPoll(20, abandoned.signal).catch(() => undefined);
    await pause(500);
    abandoned.abort();
    await poll;
    await pause(300);
    const order = await dropOff();
    // Long enough for a poll still running server-side to have claimed the command.
    await pause(1500);
    await finish(order, await scene.site.controllerA.poll(3));
  });

  it('a newer poll of the same locker supersedes the older one (whose link may be dead)', async () => {
    // The older poll's connection stays open, as a dropped mobile link can for a while.
    const started = Date.now();
    const older = rawPoll(20).then(async (r) => [Date.now() - started, await r.json()] as const);
    await pause(500);
    const newer = scene.site.controllerA.poll(5);
    const [tookMs, answer] = await older;
    expect(answer).toEqual({ commands: [] });
    expect(tookMs).toBeLessThan(5000);
    const order = await dropOff();
    await finish(order, await newer);
  });
});
