import { randomUUID } from 'node:crypto';
import { DomainError } from '@platform/errors';
import { type JobQueue } from '@platform/jobs';
import { type RpcClient } from '@platform/messaging';
import { untouched } from '@platform/testing';
import { createIntegrationDatabase, type IntegrationDatabase } from '@platform/testing/integration';
import { DataSource } from 'typeorm';
import { loadServiceConfig } from '../config/service.config';
import { databaseDefinition } from '../database/database-definition';
import { OrdersService } from '../orders/orders.service';
import { type Actor, DELIVERY_FSM_VERSION, timeoutJobId } from '../state-machine';
import { DefinitionRegistry } from './definition.registry';
import { FsmService } from './fsm.service';
import { LockerSignals } from './locker-signals';
import { TimeoutsWorker } from './timeouts.worker';
import { type TimeoutJobData, TransitionEngine } from './transition.engine';

/**
 * The transition transaction on the real Postgres (a database of its own, the real migrations):
 * many parallel callers on the same orders and the last free cells. No double transition, no
 * double booking, no lost audit row.
 */
describe('TransitionEngine on Postgres: concurrency', () => {
  let database: IntegrationDatabase;
  let dataSource: DataSource;
  let fsm: FsmService;
  let orders: OrdersService;
  /** Orders with MAX_PENDING_ORDERS_PER_LOCKER=3. */
  let limitedOrders: OrdersService;
  let sweeper: TimeoutsWorker;
  const scheduled: string[] = [];
  const cancelled: string[] = [];
  let lockerA: string;
  let lockerB: string;

  const env = {
    HTTP_PORT: '1',
    DATABASE_HOST: 'x',
    DATABASE_NAME: 'x',
    DATABASE_USER: 'x',
    DATABASE_PASSWORD: 'x',
    REDIS_HOST: 'x',
    KEYCLOAK_ISSUER: 'http://x/',
    KEYCLOAK_JWKS_URL: 'http://x/',
    KEYCLOAK_AUDIENCE: 'x',
    TRIP_CAPACITY: '100',
  };

  beforeAll(async () => {
    database = await createIntegrationDatabase(databaseDefinition);
    const options = database.dataSource.options;
    dataSource = await new DataSource({
      ...options,
      extra: { ...(options.extra as object), max: 24 },
    } as typeof options).initialize();
    const definitions = new DefinitionRegistry(dataSource);
    await definitions.onModuleInit();
    const schedule = async (job: { id: string }) => {
      scheduled.push(job.id);
    };
    const queue = {
      schedule,
      scheduleAgain: schedule,
      cancel: async (id: string) => {
        cancelled.push(id);
        return true;
      },
    } as unknown as JobQueue<TimeoutJobData>;
    const rpc = { emit: async () => undefined } as unknown as RpcClient;
    const engine = new TransitionEngine(
      dataSource,
      definitions,
      loadServiceConfig(env),
      queue,
      rpc,
      new LockerSignals(),
    );
    fsm = new FsmService(dataSource, engine, definitions);
    sweeper = new TimeoutsWorker(
      untouched('JobWorkers'),
      engine,
      loadServiceConfig(env),
      untouched('maintenance queue'),
      dataSource,
      queue,
      definitions,
    );
    orders = new OrdersService(dataSource, engine, definitions, fsm, loadServiceConfig(env));
    limitedOrders = new OrdersService(
      dataSource,
      engine,
      definitions,
      fsm,
      loadServiceConfig({ ...env, MAX_PENDING_ORDERS_PER_LOCKER: '3' }),
    );
    const [model] = await dataSource.query<{ id: string }[]>(
      `INSERT INTO delivery.locker_models (name) VALUES ('it') RETURNING id`,
    );
    [lockerA, lockerB] = (await Promise.all(
      ['A', 'B'].map(async (code) => {
        const [row] = await dataSource.query<{ id: string }[]>(
          `INSERT INTO delivery.lockers (code, model_id, city, address)
           VALUES ($1, $2, 'City', 'Street 1') RETURNING id`,
          [code, model?.id],
        );
        return row?.id as string;
      }),
    )) as [string, string];
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  async function addCells(lockerId: string, size: string, count: number): Promise<void> {
    for (let i = 0; i < count; i++) {
      await dataSource.query(
        `INSERT INTO delivery.cells (locker_id, code, size, definition_version)
         VALUES ($1, $2, $3, $4)`,
        [lockerId, `${size}-${randomUUID().slice(0, 8)}`, size, DELIVERY_FSM_VERSION],
      );
    }
  }

  const client = (): Actor => ({ roles: ['client'], userId: randomUUID() });
  const courier = (): Actor => ({ roles: ['courier'], userId: randomUUID() });

  function newOrder(
    sender: Actor,
    size: string,
    pickup: 'self' | 'courier' = 'courier',
    service: OrdersService = orders,
  ) {
    return service.create(
      sender,
      {
        recipient_user_id: randomUUID(),
        pickup_type: pickup,
        delivery_type: 'self',
        parcel_size: size as 'S',
        source_locker_id: lockerA,
        dest_locker_id: lockerB,
      },
      undefined,
      null,
    );
  }

  async function invariants(): Promise<void> {
    // No cell held twice (the partial unique index would have refused it; check anyway).
    const doubled = await dataSource.query(
      `SELECT cell_id FROM delivery.cell_holds WHERE released_at IS NULL
        GROUP BY cell_id HAVING count(*) > 1`,
    );
    expect(doubled).toEqual([]);
    // Every held cell is out of `locker_free`; no free cell is held.
    const freeHeld = await dataSource.query(
      `SELECT c.id FROM delivery.cells c JOIN delivery.cell_holds h
          ON h.cell_id = c.id AND h.released_at IS NULL WHERE c.state = 'locker_free'`,
    );
    expect(freeHeld).toEqual([]);
    // Every entity: as many audit rows as its version, the last one ends in its state.
    for (const [type, table] of [
      ['order', 'orders'],
      ['cell', 'cells'],
      ['trip', 'trips'],
    ] as const) {
      const broken = await dataSource.query(
        `SELECT e.id, e.state, e.state_version, a.n, a.last_to FROM delivery.${table} e
           LEFT JOIN LATERAL (
             SELECT count(*)::int AS n,
                    (SELECT to_state FROM delivery.audit_log l
                      WHERE l.entity_type = $1 AND l.entity_id = e.id ORDER BY id DESC LIMIT 1) AS last_to,
                    array_agg(state_version ORDER BY id) AS versions
               FROM delivery.audit_log l WHERE l.entity_type = $1 AND l.entity_id = e.id
           ) a ON TRUE
          WHERE a.n <> e.state_version
             OR (e.state_version > 0 AND a.last_to <> e.state)
             OR a.versions <> (SELECT array_agg(v ORDER BY v) FROM generate_series(1, e.state_version) v)`,
        [type],
      );
      expect(broken).toEqual([]);
    }
    // A finished order holds no cell.
    const finished = await dataSource.query(
      `SELECT o.id FROM delivery.orders o JOIN delivery.cell_holds h
          ON h.order_id = o.id AND h.released_at IS NULL
        WHERE o.state IN ('order_completed', 'order_cancelled', 'order_reservation_expired')`,
    );
    expect(finished).toEqual([]);
  }

  it('30 parallel orders for the last 4 free cells of a size: 4 win, 26 get NO_FREE_CELL', async () => {
    await addCells(lockerA, 'L', 4);
    await addCells(lockerB, 'L', 4);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 30 }, () => newOrder(client(), 'L')),
    );
    const won = outcomes.filter((o) => o.status === 'fulfilled');
    const lost = outcomes.filter((o) => o.status === 'rejected');
    expect(won).toHaveLength(4);
    for (const loss of lost) {
      expect((loss as PromiseRejectedResult).reason).toBeInstanceOf(DomainError);
      expect(((loss as PromiseRejectedResult).reason as DomainError).code).toBe('NO_FREE_CELL');
    }
    const cells = await dataSource.query<{ state: string; n: string }[]>(
      `SELECT c.state, count(h.id) AS n FROM delivery.cells c
         LEFT JOIN delivery.cell_holds h ON h.cell_id = c.id AND h.released_at IS NULL
        WHERE c.size = 'L' GROUP BY c.state`,
    );
    expect(cells).toEqual([{ state: 'locker_reserved', n: '8' }]);
    // A refused creation left nothing: no order without its two cells.
    const [count] = await dataSource.query<{ n: string }[]>(
      `SELECT count(*) AS n FROM delivery.orders WHERE parcel_size = 'L'`,
    );
    expect(Number(count?.n)).toBe(4);
    await invariants();
  });

  it('conflicting actions on one order from 24 parallel callers: exactly one transition wins', async () => {
    await addCells(lockerA, 'M', 10);
    await addCells(lockerB, 'M', 10);
    const sender = client();
    for (let round = 0; round < 5; round++) {
      const order = await newOrder(sender, 'M');
      const couriers = Array.from({ length: 16 }, courier);
      const attempts = [
        ...couriers.map((actor) => ({ actor, action: 'order_assign_courier1_to_order' })),
        ...Array.from({ length: 8 }, () => ({ actor: sender, action: 'order_cancel_reservation' })),
      ];
      const outcomes = await Promise.allSettled(
        attempts.map(({ actor, action }) =>
          fsm.fireAction({ entityType: 'order', entityId: order.id, action, actor }, null),
        ),
      );
      const won = outcomes.filter((o) => o.status === 'fulfilled');
      expect(won).toHaveLength(1);
      for (const loss of outcomes.filter((o) => o.status === 'rejected')) {
        const error = (loss as PromiseRejectedResult).reason as DomainError;
        expect(error.code).toBe('TRANSITION_NOT_FOUND');
        expect(error.details?.['current_state']).toBe(
          (won[0] as PromiseFulfilledResult<{ to_state: string }>).value.to_state,
        );
      }
      const after = await fsm.orderView(order.id);
      expect(after.state_version).toBe(2);
      const winner = (won[0] as PromiseFulfilledResult<{ action: string }>).value;
      if (winner.action === 'order_cancel_reservation') {
        expect(after.held_cells).toEqual([]);
        expect(after.trip_id).toBeNull();
      } else {
        expect(after.pickup_courier_user_id).not.toBeNull();
        expect(after.held_cells).toHaveLength(2);
      }
    }
    await invariants();
  });

  it('many orders, many callers each: every order moves once per step, audit complete', async () => {
    await addCells(lockerA, 'S', 12);
    await addCells(lockerB, 'S', 12);
    const created = await Promise.all(Array.from({ length: 12 }, () => newOrder(client(), 'S')));
    const takers = Array.from({ length: 6 }, courier);
    // Every courier tries to take every order at once: 72 attempts, 12 winners.
    const takes = await Promise.allSettled(
      created.flatMap((order) =>
        takers.map((actor) =>
          fsm.fireAction(
            {
              entityType: 'order',
              entityId: order.id,
              action: 'order_assign_courier1_to_order',
              actor,
            },
            null,
          ),
        ),
      ),
    );
    expect(takes.filter((t) => t.status === 'fulfilled')).toHaveLength(12);
    // Each order's courier gives it back while every other courier tries to give it back too: 404
    // while the order is another courier's (not theirs to read), 409 once it is back on the exchange.
    const views = await Promise.all(created.map((order) => fsm.orderView(order.id)));
    const giveBacks = await Promise.allSettled(
      views.flatMap((view) =>
        takers.map((actor) =>
          fsm.fireAction(
            {
              entityType: 'order',
              entityId: view.id,
              action: 'order_courier1_cancel',
              actor: { ...actor },
            },
            null,
          ),
        ),
      ),
    );
    const refusals = giveBacks
      .filter((g) => g.status === 'rejected')
      .map((g) => ((g as PromiseRejectedResult).reason as DomainError).code);
    expect(giveBacks.filter((g) => g.status === 'fulfilled')).toHaveLength(12);
    expect(new Set(refusals)).toEqual(new Set(['ORDER_NOT_FOUND', 'TRANSITION_NOT_FOUND']));
    for (const view of created) {
      const after = await fsm.orderView(view.id);
      expect([after.state, after.state_version, after.pickup_courier_user_id]).toEqual([
        'order_courier_reserved_post1_and_post2',
        3,
        null,
      ]);
    }
    // Timeouts: each stay in courier1_assigned was scheduled and its job cancelled on leaving.
    const ids = new Set(created.map((order) => order.id));
    const assignedJobs = scheduled.filter(
      (id) => id.includes('order_courier1_assigned') && ids.has(id.split('.')[2] as string),
    );
    expect(assignedJobs).toHaveLength(12);
    for (const id of assignedJobs) expect(cancelled).toContain(id);
    await invariants();
  });

  it('one courier taking and giving back one order from 16 callers: never a stale NOT_OWNER', async () => {
    await addCells(lockerA, 'P', 1);
    await addCells(lockerB, 'P', 1);
    const order = await newOrder(client(), 'P');
    const me = courier();
    // A caller that waited for the row lock must see the leg the winner just wrote (facts are read
    // after the lock is granted), so the owner is never refused as a stranger.
    const outcomes = await Promise.allSettled(
      Array.from({ length: 160 }, (_, i) =>
        fsm.fireAction(
          {
            entityType: 'order',
            entityId: order.id,
            action: i % 2 === 0 ? 'order_assign_courier1_to_order' : 'order_courier1_cancel',
            actor: me,
          },
          null,
        ),
      ),
    );
    const codes = outcomes
      .filter((o) => o.status === 'rejected')
      .map((o) => ((o as PromiseRejectedResult).reason as DomainError).code);
    expect(new Set(codes)).toEqual(new Set(['TRANSITION_NOT_FOUND']));
    const won = outcomes.filter((o) => o.status === 'fulfilled').length;
    expect((await fsm.orderView(order.id)).state_version).toBe(1 + won);
    await invariants();
  });

  it('12 parallel orders of one sender with room for 3 pending at a locker: 3 are created, 9 refused, no cell held for them', async () => {
    await addCells(lockerA, 'S', 12);
    await addCells(lockerB, 'S', 12);
    const sender = client();
    const outcomes = await Promise.allSettled(
      Array.from({ length: 12 }, () => newOrder(sender, 'S', 'self', limitedOrders)),
    );
    const created = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    expect(created).toHaveLength(3);
    const codes = outcomes.flatMap((o) =>
      o.status === 'rejected' ? [(o.reason as DomainError).code] : [],
    );
    expect(codes).toEqual(Array.from({ length: 9 }, () => 'RESERVATION_LIMIT_REACHED'));
    const [held] = await dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM delivery.cell_holds h JOIN delivery.orders o ON o.id = h.order_id
        WHERE o.sender_user_id = $1 AND h.released_at IS NULL`,
      [sender.userId],
    );
    expect(held?.n).toBe(6);
    // Staff are not limited (the same account as staff has a fourth); cancelled orders make room.
    const staff: Actor = { roles: ['operator'], userId: sender.userId as string };
    await newOrder(staff, 'S', 'self', limitedOrders);
    for (const order of created.slice(0, 2)) {
      await fsm.fireAction(
        {
          entityType: 'order',
          entityId: order.id,
          action: 'order_cancel_reservation',
          actor: sender,
        },
        null,
      );
    }
    // An order left for staff still holds its cells, and still counts.
    await fsm.fireAction(
      {
        entityType: 'order',
        entityId: (created[2] as { id: string }).id,
        action: 'order_request_manual_intervention',
        actor: { roles: ['operator'], userId: randomUUID() },
      },
      null,
    );
    await newOrder(sender, 'S', 'self', limitedOrders);
    await expect(newOrder(sender, 'S', 'self', limitedOrders)).rejects.toMatchObject({
      code: 'RESERVATION_LIMIT_REACHED',
      details: { limit: 3, locker_id: lockerA },
    });
    await invariants();
  });

  it('a new order joins a trip of the current definition, never an open one of an older version', async () => {
    const [lockerC, lockerD] = await Promise.all(
      ['C', 'D'].map(async (code) => {
        const [row] = await dataSource.query<{ id: string }[]>(
          `INSERT INTO delivery.lockers (code, model_id, city, address)
           SELECT $1, model_id, 'City', 'Street 2' FROM delivery.lockers WHERE id = $2
           RETURNING id`,
          [code, lockerA],
        );
        return row?.id as string;
      }),
    );
    await addCells(lockerC as string, 'M', 1);
    await addCells(lockerD as string, 'M', 1);
    const [old] = await dataSource.query<{ id: string }[]>(
      `INSERT INTO delivery.trips (source_locker_id, dest_locker_id, state, capacity, definition_version)
       VALUES ($1, $2, 'trip_created', 5, '1.0.0') RETURNING id`,
      [lockerC, lockerD],
    );
    const order = await orders.create(
      client(),
      {
        recipient_user_id: randomUUID(),
        pickup_type: 'self',
        delivery_type: 'self',
        parcel_size: 'M',
        source_locker_id: lockerC as string,
        dest_locker_id: lockerD as string,
      },
      undefined,
      null,
    );
    expect(order.trip_id).not.toBe(old?.id);
    const [trip] = await dataSource.query<{ definition_version: string }[]>(
      `SELECT definition_version FROM delivery.trips WHERE id = $1`,
      [order.trip_id],
    );
    expect(trip?.definition_version).toBe(DELIVERY_FSM_VERSION);
  });

  it('the sweep settles closed cells no order holds: free when empty, staff’s with a parcel inside', async () => {
    const codes = { empty: `E-${randomUUID().slice(0, 8)}`, full: `F-${randomUUID().slice(0, 8)}` };
    const cells = await dataSource.query<{ id: string; code: string }[]>(
      `INSERT INTO delivery.cells (locker_id, code, size, state, definition_version)
       VALUES ($1, $2, 'L', 'locker_closed_empty', $4), ($1, $3, 'L', 'locker_occupied', $4)
       RETURNING id, code`,
      [lockerB, codes.empty, codes.full, DELIVERY_FSM_VERSION],
    );
    expect(await sweeper.settleUnheldCells()).toBeGreaterThanOrEqual(2);
    const states = await dataSource.query<{ code: string; state: string }[]>(
      `SELECT code, state FROM delivery.cells WHERE id = ANY($1::uuid[]) ORDER BY code`,
      [cells.map((cell) => cell.id)],
    );
    expect(states).toEqual([
      { code: codes.empty, state: 'locker_free' },
      { code: codes.full, state: 'locker_error' },
    ]);
    expect(await sweeper.settleUnheldCells()).toBe(0);
    await invariants();
  });

  it('the database itself refuses a second live hold on a cell', async () => {
    const [hold] = await dataSource.query<{ cell_id: string; order_id: string }[]>(
      `SELECT cell_id, order_id FROM delivery.cell_holds WHERE released_at IS NULL LIMIT 1`,
    );
    const [other] = await dataSource.query<{ id: string }[]>(
      `SELECT id FROM delivery.orders WHERE id <> $1 LIMIT 1`,
      [hold?.order_id],
    );
    await expect(
      dataSource.query(
        `INSERT INTO delivery.cell_holds (cell_id, order_id, side) VALUES ($1, $2, 'dest')`,
        [hold?.cell_id, other?.id],
      ),
    ).rejects.toThrow(/cell_holds_live_cell_key/);
  });
  it('the timeout sweep schedules again the timeouts of overdue stays, and only theirs', async () => {
    await addCells(lockerA, 'L', 2);
    await addCells(lockerB, 'L', 2);
    const overdue = await newOrder(client(), 'L', 'self');
    const fresh = await newOrder(client(), 'L', 'self');
    // Its reservation timeout was never scheduled (say Redis failed after the commit), and the
    // stay began long enough ago for it to be overdue by more than the grace.
    await dataSource.query(
      `UPDATE delivery.orders SET updated_at = now() - interval '2 days' WHERE id = $1`,
      [overdue.id],
    );
    scheduled.length = 0;
    await sweeper.sweepTimeouts();
    const view = await fsm.orderView(overdue.id);
    expect(scheduled.filter((id) => id.includes(overdue.id))).toEqual([
      timeoutJobId({
        entityType: 'order',
        entityId: overdue.id,
        state: view.state,
        timeout: 'reservation_unused',
        stateVersion: view.state_version,
      }),
    ]);
    expect(scheduled.filter((id) => id.includes(fresh.id))).toEqual([]);
  });

  it('a timeout racing a manual cancel: one of them moves the order, the other is a no-op', async () => {
    await addCells(lockerA, 'M', 12);
    await addCells(lockerB, 'M', 12);
    const staff: Actor = { roles: ['operator'], userId: randomUUID() };
    for (let round = 0; round < 12; round++) {
      const order = await newOrder(client(), 'M', 'self');
      const stay = {
        entityType: 'order' as const,
        entityId: order.id,
        state: order.state,
        stateVersion: order.state_version,
        timeout: 'reservation_unused',
      };
      const job = { id: `race-${round}`, name: 'fsm-timeout', data: stay, attempt: 1 };
      const [, cancel] = await Promise.allSettled([
        sweeper.fireTimeout(job),
        fsm.fireAction(
          {
            entityType: 'order',
            entityId: order.id,
            action: 'order_cancel_reservation',
            actor: staff,
          },
          null,
        ),
      ]);
      // The same job again (BullMQ retried it, or the sweep restored it): the stay is over.
      await sweeper.fireTimeout(job);
      const view = await fsm.orderView(order.id);
      expect(view.state_version).toBe(order.state_version + 1);
      expect(view.state).toBe(
        cancel.status === 'fulfilled' ? 'order_cancelled' : 'order_reservation_expired',
      );
      if (cancel.status === 'rejected') {
        expect((cancel.reason as DomainError).code).toBe('TRANSITION_NOT_FOUND');
      }
      expect(view.held_cells).toEqual([]);
    }
    await invariants();
  });
});
