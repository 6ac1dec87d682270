import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Page, pageOf, type PageWindow } from '@platform/http';
import { type DataSource } from 'typeorm';
import { DeliveryConfig } from '../config/service.config';
import { type Actor, AWAITING_DROP_OFF } from '../state-machine';
import { DefinitionRegistry } from '../fsm/definition.registry';
import { deliveryErrors } from '../fsm/delivery.errors';
import {
  DELIVERY_EXCHANGE_STATE,
  FsmService,
  ORDER_SELECT,
  PICKUP_EXCHANGE_STATE,
} from '../fsm/fsm.service';
import { type TransitionContext } from '../fsm/transition-context';
import { SYSTEM_ACTOR, TransitionEngine } from '../fsm/transition.engine';
import { type HeldCellView, heldCellView, type OrderView, orderView } from '../fsm/views';
import { type OrderCreationDto, type OrderRole } from './orders.dto';

export const IDEMPOTENCY_KEY_TTL_SECONDS = 24 * 3600;
/**
 * Orders: creation (one transaction: the order, its legs, the system's reservation step with its
 * two cells and its trip, the audit rows and the Idempotency-Key), reads per role, exchanges.
 */
@Injectable()
export class OrdersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly engine: TransitionEngine,
    private readonly definitions: DefinitionRegistry,
    private readonly fsm: FsmService,
    @Inject(DeliveryConfig) private readonly config: DeliveryConfig,
  ) {}

  async create(
    sender: Actor,
    body: OrderCreationDto,
    key: string | undefined,
    requestId: string | null,
  ): Promise<OrderView> {
    const senderId = sender.userId as string;
    const order = {
      recipient: body.recipient_user_id.toLowerCase(),
      pickup: body.pickup_type,
      delivery: body.delivery_type,
      size: body.parcel_size,
      source: body.source_locker_id.toLowerCase(),
      dest: body.dest_locker_id.toLowerCase(),
      description: body.description ?? '',
    };
    if (order.source === order.dest) throw deliveryErrors.sameLocker();
    const hash = createHash('sha256').update(JSON.stringify(order)).digest('hex');
    return this.engine.run(requestId, {}, async (ctx) => {
      if (key !== undefined) {
        const replay = await claimKey(ctx, senderId, key, hash);
        if (replay) return replay;
      }
      if (!TransitionEngine.isStaff(sender)) await this.checkPendingLimit(ctx, senderId, order);
      const lockers = await ctx.rows<{ id: string; status: string }>(
        `SELECT id, status FROM delivery.lockers WHERE id = ANY($1::uuid[]) FOR KEY SHARE`,
        [[order.source, order.dest]],
      );
      for (const id of [order.source, order.dest]) {
        const locker = lockers.find((l) => l.id === id);
        if (!locker) throw deliveryErrors.lockerNotFound();
        if (locker.status !== 'active') throw deliveryErrors.lockerNotActive(id);
      }
      const definition = this.definitions.current;
      const [created] = await ctx.rows<{ id: string }>(
        `INSERT INTO delivery.orders
           (sender_user_id, recipient_user_id, pickup_type, delivery_type, parcel_size, description,
            source_locker_id, dest_locker_id, state, definition_version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
        [
          senderId,
          order.recipient,
          order.pickup,
          order.delivery,
          order.size,
          order.description,
          order.source,
          order.dest,
          definition.entityTypes.find((t) => t.name === 'order')?.initialState,
          definition.version,
        ],
      );
      const id = created?.id as string;
      await ctx.affected(
        `INSERT INTO delivery.order_legs (order_id, leg) VALUES ($1, 'pickup'), ($1, 'delivery')`,
        [id],
      );
      const entity = await this.engine.lock(ctx, 'order', id);
      if (!entity) throw new Error('order vanished in its own transaction');
      // The reservation step of the pickup type: both cells, the trip (docs/delivery-fsm.md).
      await this.engine.fireOn(ctx, entity, {
        action:
          order.pickup === 'self'
            ? 'order_reserve_for_client_A_to_B'
            : 'order_reserve_for_courier_A_to_B',
        actor: SYSTEM_ACTOR,
        cause: 'creation',
      });
      const view = await orderViewIn(ctx, id);
      if (key !== undefined) {
        await ctx.affected(
          `UPDATE delivery.idempotency_keys SET order_id = $3, response = $4::jsonb
            WHERE caller_id = $1 AND key = $2`,
          [senderId, key, id, JSON.stringify(view)],
        );
      }
      return view;
    });
  }

  /**
   * Refuses a sender's order while they have `MAX_PENDING_ORDERS_PER_LOCKER` orders holding a cell
   * at its locker A or B that are not under way: the parcel not in locker A yet, or the order in a
   * failure state waiting for staff (an order abandoned at the open door lands there and would
   * otherwise free a place in the count while still holding its cells). The transaction-scoped
   * advisory lock on the sender, held to COMMIT, serialises one sender's creations: two parallel
   * requests cannot both pass the count.
   */
  private async checkPendingLimit(
    ctx: TransitionContext,
    senderId: string,
    order: { source: string; dest: string },
  ): Promise<void> {
    await ctx.rows(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
      `delivery.orders.sender:${senderId}`,
    ]);
    const waiting = this.definitions.current.states
      .filter((state) => state.entityType === 'order' && state.kind === 'failure')
      .map((state) => state.name);
    const [pending] = await ctx.rows<{ at_source: number; at_dest: number }>(
      `SELECT count(DISTINCT o.id) FILTER (WHERE c.locker_id = $3)::int AS at_source,
              count(DISTINCT o.id) FILTER (WHERE c.locker_id = $4)::int AS at_dest
         FROM delivery.orders o
         JOIN delivery.cell_holds h ON h.order_id = o.id AND h.released_at IS NULL
         JOIN delivery.cells c ON c.id = h.cell_id
        WHERE o.sender_user_id = $1 AND o.state = ANY($2::varchar[])`,
      [senderId, [...AWAITING_DROP_OFF, ...waiting], order.source, order.dest],
    );
    const limit = this.config.delivery.maxPendingOrdersPerLocker;
    if ((pending?.at_source ?? 0) >= limit) {
      throw deliveryErrors.reservationLimitReached(limit, order.source);
    }
    if ((pending?.at_dest ?? 0) >= limit) {
      throw deliveryErrors.reservationLimitReached(limit, order.dest);
    }
  }

  async get(id: string, actor: Actor): Promise<OrderView> {
    const entity = await this.fsm.read('order', id);
    if (!entity || !this.fsm.canSee(entity, actor)) throw deliveryErrors.orderNotFound();
    return this.fsm.orderView(id);
  }

  async mine(
    actor: Actor,
    role: OrderRole | undefined,
    state: string | undefined,
    window: PageWindow,
  ): Promise<Page<OrderView>> {
    const staff = TransitionEngine.isStaff(actor);
    const chosen: OrderRole =
      role ??
      (staff
        ? 'all'
        : actor.roles.includes('courier')
          ? 'courier'
          : actor.roles.includes('driver')
            ? 'driver'
            : actor.roles.includes('recipient') && !actor.roles.includes('client')
              ? 'recipient'
              : 'sender');
    if (chosen === 'all' && !staff) throw deliveryErrors.staffOnly('role=all');
    const me = actor.userId ?? '00000000-0000-0000-0000-000000000000';
    const mine: Record<Exclude<OrderRole, 'all'>, string> = {
      sender: 'o.sender_user_id = $1',
      recipient: 'o.recipient_user_id = $1',
      courier: '(pl.courier_user_id = $1 OR dl.courier_user_id = $1)',
      driver: 't.driver_user_id = $1',
    };
    // Every placeholder must appear in the statement (Postgres cannot type an unused one).
    const [condition, parameters]: [string, unknown[]] =
      chosen === 'all' ? ['TRUE', []] : [mine[chosen], [me]];
    const stateParameter = `$${parameters.length + 1}`;
    return this.page(
      `${condition} AND (${stateParameter}::text IS NULL OR o.state = ${stateParameter})`,
      [...parameters, state ?? null],
      window,
    );
  }

  /** Orders open for couriers to take: the pickup or the delivery exchange, oldest first. */
  exchange(kind: 'pickup' | 'delivery', window: PageWindow): Promise<Page<OrderView>> {
    return kind === 'pickup'
      ? this.page(
          `o.state = $1 AND pl.courier_user_id IS NULL`,
          [PICKUP_EXCHANGE_STATE],
          window,
          'ASC',
        )
      : this.page(
          `o.state = $1 AND o.delivery_type = 'courier' AND dl.courier_user_id IS NULL`,
          [DELIVERY_EXCHANGE_STATE],
          window,
          'ASC',
        );
  }

  private async page(
    where: string,
    parameters: unknown[],
    window: PageWindow,
    order: 'ASC' | 'DESC' = 'DESC',
  ): Promise<Page<OrderView>> {
    const n = parameters.length;
    const rows = await this.dataSource.query<Record<string, unknown>[]>(
      `${ORDER_SELECT.replace('SELECT o.*', 'SELECT o.*, count(*) OVER () AS total')}
        WHERE ${where}
        ORDER BY o.created_at ${order}, o.id LIMIT $${n + 1} OFFSET $${n + 2}`,
      [...parameters, window.take, window.skip],
    );
    const held = await this.heldOf(rows.map((r) => r['id'] as string));
    return pageOf(
      rows.map((row) => orderView(row, held.get(row['id'] as string) ?? [])),
      Number(rows[0]?.['total'] ?? 0),
      window,
    );
  }

  private async heldOf(orderIds: string[]): Promise<Map<string, HeldCellView[]>> {
    const rows = await this.dataSource.query<Record<string, unknown>[]>(
      `SELECT h.order_id, h.cell_id, h.side, c.code, c.state FROM delivery.cell_holds h
         JOIN delivery.cells c ON c.id = h.cell_id
        WHERE h.order_id = ANY($1::uuid[]) AND h.released_at IS NULL ORDER BY h.side DESC`,
      [orderIds],
    );
    const result = new Map<string, HeldCellView[]>();
    for (const r of rows) {
      const list = result.get(r['order_id'] as string) ?? [];
      list.push(heldCellView(r));
      result.set(r['order_id'] as string, list);
    }
    return result;
  }
}

async function orderViewIn(ctx: TransitionContext, id: string): Promise<OrderView> {
  const [row] = await ctx.rows(`${ORDER_SELECT} WHERE o.id = $1`, [id]);
  const held = await ctx.rows(
    `SELECT h.cell_id, h.side, c.code, c.state FROM delivery.cell_holds h
       JOIN delivery.cells c ON c.id = h.cell_id
      WHERE h.order_id = $1 AND h.released_at IS NULL ORDER BY h.side DESC`,
    [id],
  );
  return orderView(row as Record<string, unknown>, held.map(heldCellView));
}

/**
 * Claims an Idempotency-Key in the creating transaction: a fresh (or expired) key is this
 * transaction's (a concurrent duplicate waits on the primary key until this one ends); a live one
 * replays its first answer, or 422 when the request differs. An order is never created twice.
 */
async function claimKey(
  ctx: TransitionContext,
  callerId: string,
  key: string,
  hash: string,
): Promise<OrderView | null> {
  const claimed = await ctx.rows(
    `INSERT INTO delivery.idempotency_keys (caller_id, key, request_hash, expires_at)
     VALUES ($1, $2, $3, now() + make_interval(secs => $4))
     ON CONFLICT (caller_id, key) DO UPDATE
       SET request_hash = EXCLUDED.request_hash, order_id = NULL, response = NULL,
           created_at = now(), expires_at = EXCLUDED.expires_at
       WHERE idempotency_keys.expires_at <= now()
     RETURNING caller_id`,
    [callerId, key, hash, IDEMPOTENCY_KEY_TTL_SECONDS],
  );
  if (claimed.length > 0) return null;
  const [first] = await ctx.rows<{ request_hash: string; response: OrderView | null }>(
    `SELECT request_hash, response FROM delivery.idempotency_keys WHERE caller_id = $1 AND key = $2`,
    [callerId, key],
  );
  if (!first || first.response === null) throw new Error('idempotency key without an answer');
  if (first.request_hash !== hash) throw deliveryErrors.keyReused();
  return first.response;
}
