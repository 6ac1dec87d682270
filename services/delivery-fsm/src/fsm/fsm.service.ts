import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Page, pageOf, type PageWindow } from '@platform/http';
import { type DataSource } from 'typeorm';
import {
  type Actor,
  availableActions,
  type EntityFacts,
  type EntityType,
  resolveAction,
  unmetGuard,
} from '../state-machine';
import { DefinitionRegistry } from './definition.registry';
import { factsOfOrder } from './facts';
import { type ActionParams, type TransitionContext } from './transition-context';
import { type LockedEntity, notFound, TransitionEngine } from './transition.engine';
import {
  type AuditEntryView,
  auditView,
  type AvailableActionsView,
  type CellView,
  cellView,
  type HeldCellView,
  heldCellView,
  type OrderView,
  orderView,
  type TransitionView,
  transitionView,
  type TripView,
  tripView,
} from './views';

export const ORDER_SELECT = `
  SELECT o.*, pl.courier_user_id AS pickup_courier, dl.courier_user_id AS delivery_courier,
         t.driver_user_id AS trip_driver
    FROM delivery.orders o
    LEFT JOIN delivery.order_legs pl ON pl.order_id = o.id AND pl.leg = 'pickup'
    LEFT JOIN delivery.order_legs dl ON dl.order_id = o.id AND dl.leg = 'delivery'
    LEFT JOIN delivery.trips t ON t.id = o.trip_id`;

/** Orders a courier may see (and take) although they are nobody's yet: the two exchanges. */
export const PICKUP_EXCHANGE_STATE = 'order_courier_reserved_post1_and_post2';
export const DELIVERY_EXCHANGE_STATE = 'order_parcel_confirmed_post2';

/**
 * Actions on entities by name, the buttons, entity reads and the audit log. Reads are plain
 * (no lock); every write goes through TransitionEngine.run.
 */
@Injectable()
export class FsmService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly engine: TransitionEngine,
    private readonly definitions: DefinitionRegistry,
  ) {}

  /** `POST /{entity}/{id}/actions/{action}`: one transition with its cascades, one transaction. */
  async fireAction(
    request: {
      entityType: EntityType;
      entityId: string;
      action: string;
      actor: Actor;
      expectedVersion?: number;
      params?: ActionParams;
    },
    requestId: string | null,
  ): Promise<TransitionView> {
    const fired = await this.engine.run(requestId, request.params ?? {}, async (ctx) => {
      const entity =
        request.entityType === 'cell'
          ? await this.engine.lockCellForUpdate(ctx, request.entityId)
          : await this.engine.lock(ctx, request.entityType, request.entityId);
      // A refusal names the entity's state: who may not read the entity gets the reads' 404.
      if (
        !entity ||
        (!this.canSee(entity, request.actor) &&
          !(await this.wasOfferedTo(ctx, entity, request.action, request.actor)))
      ) {
        throw notFound(request.entityType);
      }
      return this.engine.fireOn(ctx, entity, {
        action: request.action,
        actor: request.actor,
        cause: 'request',
        ...(request.expectedVersion === undefined
          ? {}
          : { expectedVersion: request.expectedVersion }),
      });
    });
    return transitionView(fired);
  }

  /**
   * Whether the actor may hear this entity's refusal without seeing it: a role of it takes such
   * entities unowned with this action (the `any` rule: a courier taking a leg, a driver a trip)
   * and the entity is or was in a state where the action takes it, i.e. it was offered. The
   * loser of a race for one can no longer see it and must still hear 409 with the state it moved
   * to; a courier firing a take at an order never offered (a stranger's self-pickup order) gets
   * the reads' 404, not the order's state (so does one whose guard the order fails: a
   * self-delivery order is never on the delivery exchange).
   */
  private async wasOfferedTo(
    ctx: TransitionContext,
    entity: LockedEntity,
    action: string,
    actor: Actor,
  ): Promise<boolean> {
    const definition = this.definitions.get(entity.definitionVersion);
    const name = resolveAction(definition, entity.entityType, action);
    const offeredIn = definition.transitions
      .filter(
        (t) =>
          t.entityType === entity.entityType &&
          t.action === name &&
          actor.roles.some((role) => t.allowed[role] === 'any') &&
          unmetGuard(t.guard, entity.facts) === undefined,
      )
      .map((t) => t.from);
    if (offeredIn.length === 0) return false;
    if (offeredIn.includes(entity.state)) return true;
    const rows = await ctx.rows(
      `SELECT 1 FROM delivery.audit_log
        WHERE entity_type = $1 AND entity_id = $2 AND to_state = ANY($3::varchar[]) LIMIT 1`,
      [entity.entityType, entity.id, offeredIn],
    );
    return rows.length > 0;
  }

  /** The buttons: what `decide()` would accept from this caller now (same rule, no second table). */
  async available(entityType: EntityType, id: string, actor: Actor): Promise<AvailableActionsView> {
    const entity = await this.read(entityType, id);
    if (!entity || !this.canSee(entity, actor)) throw notFound(entityType);
    const actions = availableActions(
      this.definitions.get(entity.definitionVersion),
      { entityType, currentState: entity.state, facts: entity.facts },
      actor,
    );
    return {
      entity_type: entityType,
      entity_id: id,
      state: entity.state,
      state_version: entity.stateVersion,
      actions: actions.map((a) => ({ action: a.action, label: a.label, to_state: a.toState })),
    };
  }

  async audit(
    entityType: EntityType,
    id: string,
    actor: Actor,
    window: PageWindow,
  ): Promise<Page<AuditEntryView>> {
    const entity = await this.read(entityType, id);
    if (!entity || !this.canSee(entity, actor)) throw notFound(entityType);
    const [rows, [count]] = await Promise.all([
      this.dataSource.query<Record<string, unknown>[]>(
        `SELECT * FROM delivery.audit_log WHERE entity_type = $1 AND entity_id = $2
          ORDER BY id LIMIT $3 OFFSET $4`,
        [entityType, id, window.take, window.skip],
      ),
      this.dataSource.query<{ n: string }[]>(
        `SELECT count(*) AS n FROM delivery.audit_log WHERE entity_type = $1 AND entity_id = $2`,
        [entityType, id],
      ),
    ]);
    return pageOf(rows.map(auditView), Number(count?.n ?? 0), window);
  }

  /** An entity with its facts, unlocked (reads). */
  async read(entityType: EntityType, id: string): Promise<LockedEntity | undefined> {
    const runner = this.dataSource.createQueryRunner();
    try {
      const rows = (sql: string, p: unknown[]) =>
        runner.query(sql, p) as Promise<Record<string, unknown>[]>;
      let row: Record<string, unknown> | undefined;
      let facts: EntityFacts;
      if (entityType === 'order') {
        [row] = await rows(`${ORDER_SELECT} WHERE o.id = $1`, [id]);
        if (!row) return undefined;
        facts = factsOfOrder(row);
      } else if (entityType === 'trip') {
        [row] = await rows(`SELECT * FROM delivery.trips WHERE id = $1`, [id]);
        if (!row) return undefined;
        facts = row['driver_user_id'] ? { tripDriverUserId: row['driver_user_id'] as string } : {};
      } else {
        [row] = await rows(`SELECT * FROM delivery.cells WHERE id = $1`, [id]);
        if (!row) return undefined;
        facts = { cellLockerDeviceId: row['locker_id'] as string };
      }
      return {
        entityType,
        id,
        state: row['state'] as string,
        stateVersion: Number(row['state_version']),
        definitionVersion: row['definition_version'] as string,
        facts,
        row,
      };
    } finally {
      await runner.release();
    }
  }

  /**
   * Who may read an entity (others get 404, so ids do not leak): staff; the order's sender,
   * recipient, couriers and driver; couriers for orders on an exchange; the trip's driver, and
   * drivers for trips offered to them; a cell's own locker controller.
   */
  canSee(entity: LockedEntity, actor: Actor): boolean {
    if (TransitionEngine.isStaff(actor)) return true;
    const { facts } = entity;
    const me = actor.userId;
    if (entity.entityType === 'cell') return actor.deviceId === facts.cellLockerDeviceId;
    if (me === undefined) return false;
    if (entity.entityType === 'trip') {
      return (
        facts.tripDriverUserId === me ||
        (actor.roles.includes('driver') && entity.state === 'trip_activated')
      );
    }
    if (
      [
        facts.senderUserId,
        facts.recipientUserId,
        facts.pickupCourierUserId,
        facts.deliveryCourierUserId,
        facts.tripDriverUserId,
      ].includes(me)
    ) {
      return true;
    }
    return actor.roles.includes('courier') && onExchange(entity.row);
  }

  async orderView(id: string): Promise<OrderView> {
    const [row] = await this.dataSource.query<Record<string, unknown>[]>(
      `${ORDER_SELECT} WHERE o.id = $1`,
      [id],
    );
    if (!row) throw notFound('order');
    return orderView(row, await this.heldCells(id));
  }

  async heldCells(orderId: string): Promise<HeldCellView[]> {
    const rows = await this.dataSource.query<Record<string, unknown>[]>(
      `SELECT h.cell_id, h.side, c.code, c.state FROM delivery.cell_holds h
         JOIN delivery.cells c ON c.id = h.cell_id
        WHERE h.order_id = $1 AND h.released_at IS NULL ORDER BY h.side DESC`,
      [orderId],
    );
    return rows.map(heldCellView);
  }

  async tripView(id: string): Promise<TripView> {
    const [row] = await this.dataSource.query<Record<string, unknown>[]>(
      `SELECT * FROM delivery.trips WHERE id = $1`,
      [id],
    );
    if (!row) throw notFound('trip');
    const orders = await this.dataSource.query<{ id: string }[]>(
      `SELECT id FROM delivery.orders WHERE trip_id = $1 ORDER BY created_at, id`,
      [id],
    );
    return tripView(
      row,
      orders.map((o) => o.id),
    );
  }

  async cellView(id: string): Promise<CellView> {
    const [row] = await this.dataSource.query<Record<string, unknown>[]>(
      `SELECT c.*, h.order_id, h.side FROM delivery.cells c
         LEFT JOIN delivery.cell_holds h ON h.cell_id = c.id AND h.released_at IS NULL
        WHERE c.id = $1`,
      [id],
    );
    if (!row) throw notFound('cell');
    return cellView(row);
  }
}

export function onExchange(row: Record<string, unknown>): boolean {
  return (
    (row['state'] === PICKUP_EXCHANGE_STATE && row['pickup_courier'] == null) ||
    (row['state'] === DELIVERY_EXCHANGE_STATE &&
      row['delivery_type'] === 'courier' &&
      row['delivery_courier'] == null)
  );
}
