import { POSTGRES_UNAVAILABLE } from '@platform/errors';
import {
  api,
  expectUnavailable,
  timed,
  UNAVAILABLE_WITHIN_MS,
  waitFor,
  withFault,
} from '@platform/testing';
import {
  type Body,
  expectConsistent,
  ok,
  people,
  removeSite,
  type Site,
  site,
  V1,
  type World,
} from './delivery-world';

/**
 * State-machine transitions with Postgres dead (stopped) or stuck (SIGSTOPped), through the
 * gateway (@platform/testing faults): each attempt is answered within 5 s with 503
 * POSTGRES_UNAVAILABLE, the service recovers by itself, and the order is consistent afterwards:
 * the transition happened once or not at all, with one audit row per version. Redis is not on a
 * transition's path (people's tokens are checked locally; timeouts are scheduled after the commit
 * and restored by the timeout sweep when that failed): with Redis stuck a transition still
 * happens, answered within the job queue's deadline.
 */
describe('delivery-fsm with a dead or stuck dependency', () => {
  let world: World;
  let s: Site;
  const orders: string[] = [];
  const admin = () => world.tokens['dev-admin'];

  const take = (orderId: string) =>
    api<Body>('POST', `${V1}/orders/${orderId}/actions/order_assign_courier1_to_order`, {
      token: world.tokens['dev-courier'],
      body: {},
    });

  const newOrder = async (): Promise<Body> => {
    const order = await ok<Body>(
      'order',
      api('POST', `${V1}/orders`, {
        token: world.tokens['dev-client'],
        body: {
          recipient_user_id: world.ids['dev-recipient'],
          pickup_type: 'courier',
          delivery_type: 'self',
          parcel_size: 'S',
          source_locker_id: s.a,
          dest_locker_id: s.b,
        },
      }),
    );
    orders.push(order['id'] as string);
    return order;
  };

  beforeAll(async () => {
    world = await people();
    s = await site(admin(), 4);
  });

  afterAll(async () => {
    for (const id of orders) {
      await api('POST', `${V1}/orders/${id}/actions/order_cancel_reservation`, {
        token: admin(),
        body: {},
      });
    }
    await removeSite(admin(), s);
  });

  describe.each(['stopped', 'stuck'] as const)('Postgres %s', (kind) => {
    it('answers 503 POSTGRES_UNAVAILABLE within 5 s, recovers, and the order is consistent', async () => {
      const order = await newOrder();
      const id = order['id'] as string;
      await withFault(kind, 'postgres', async () => {
        expectUnavailable(await timed(() => take(id)), POSTGRES_UNAVAILABLE);
      });
      // The attempt during the fault left nothing behind: once back, the courier takes it once.
      const taken = await waitFor(
        async () => {
          const answer = await take(id);
          return answer.status === 200 ? answer.body : undefined;
        },
        { timeoutMs: 30_000, what: 'the transition after Postgres came back' },
      );
      expect(taken['to_state']).toBe('order_courier1_assigned');
      expect(taken['state_version']).toBe((order['state_version'] as number) + 1);
      await expectConsistent(admin(), [id]);
    });
  });

  it('answers a transition within 5 s while Redis is stuck, committed once', async () => {
    const order = await newOrder();
    const id = order['id'] as string;
    await withFault('stuck', 'redis', async () => {
      const [answer, elapsedMs] = await timed(() => take(id));
      expect([answer.status, answer.body['to_state']]).toEqual([200, 'order_courier1_assigned']);
      expect(answer.body['state_version']).toBe((order['state_version'] as number) + 1);
      expect(elapsedMs).toBeLessThan(UNAVAILABLE_WITHIN_MS);
    });
    expect((await take(id)).status).toBe(409);
    await expectConsistent(admin(), [id]);
  });
});
