import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DELIVERY_EVENTS, type DeliveryStateChangedEvent } from '@platform/contracts';
import { type DelayedJob, InjectJobQueue, type JobQueue } from '@platform/jobs';
import { RpcClient } from '@platform/messaging';
import { type DataSource, QueryFailedError } from 'typeorm';
import { DeliveryConfig } from '../config/service.config';
import {
  type AcceptedDecision,
  type Actor,
  cascadeAction,
  createEntity,
  decide,
  isDoorOpenState,
  reachesOrderIn,
  type Effect,
  type EntityFacts,
  type EntityType,
  type FsmDefinition,
  type Role,
  STAFF_ROLES,
  type TimeoutJob,
} from '../state-machine';
import { indexDefinition, stateKey } from '../state-machine/definition-index';
import { DefinitionRegistry } from './definition.registry';
import { factsOfOrder } from './facts';
import { deliveryErrors, refusalError } from './delivery.errors';
import { LockerSignals } from './locker-signals';
import { type ActionParams, type TransitionCause, TransitionContext } from './transition-context';

export const TIMEOUT_QUEUE = 'delivery-fsm-timeouts';
export const TIMEOUT_JOB = 'fsm-timeout';
/** 1 s, 2 s, 4 s, 8 s between the attempts: rides out a restart of Postgres or Redis. */
const TIMEOUT_JOB_ATTEMPTS = 5;
const TIMEOUT_JOB_BACKOFF_MS = 1000;

/** What a timeout job carries: the stay it was scheduled for. */
export interface TimeoutJobData {
  entityType: EntityType;
  entityId: string;
  state: string;
  stateVersion: number;
  timeout: string;
}

/** The table of each entity type. */
export const ENTITY_TABLES: Readonly<Record<EntityType, string>> = {
  order: 'delivery.orders',
  trip: 'delivery.trips',
  cell: 'delivery.cells',
};

/**
 * A timeout of the core as the BullMQ job that fires it. Retried: a firing that failed (Postgres
 * away for a moment) is safe to repeat, as the job re-reads its stay and ignores one that is over.
 */
export function delayedTimeoutJob(job: TimeoutJob): DelayedJob<TimeoutJobData> {
  return {
    name: TIMEOUT_JOB,
    id: job.jobId,
    delayMs: job.delayMs,
    attempts: TIMEOUT_JOB_ATTEMPTS,
    backoffMs: TIMEOUT_JOB_BACKOFF_MS,
    data: {
      entityType: job.entityType,
      entityId: job.entityId,
      state: job.state,
      stateVersion: job.stateVersion,
      timeout: job.timeout,
    },
  };
}

/** An entity row locked in the current transaction, with the facts ownership rules need. */
export interface LockedEntity {
  readonly entityType: EntityType;
  readonly id: string;
  readonly state: string;
  readonly stateVersion: number;
  readonly definitionVersion: string;
  readonly facts: EntityFacts;
  readonly row: Record<string, unknown>;
}

export interface FireRequest {
  readonly entityType: EntityType;
  readonly entityId: string;
  readonly action: string;
  readonly actor: Actor;
  readonly cause: TransitionCause;
  /** Compare-and-set: refuse with 409 when the entity is no longer at this version. */
  readonly expectedVersion?: number;
}

export interface FiredTransition {
  readonly entityType: EntityType;
  readonly entityId: string;
  readonly fromState: string;
  readonly action: string;
  readonly toState: string;
  readonly stateVersion: number;
  readonly firedAs: Role;
}

const RETRIED_SQLSTATES = new Set(['40P01', '40001']); // deadlock detected, serialization failure
const ATTEMPTS = 4;

function sqlState(error: unknown): string | undefined {
  return error instanceof QueryFailedError
    ? ((error.driverError as { code?: string }).code ?? undefined)
    : undefined;
}

const lower = (value: unknown): string | undefined =>
  typeof value === 'string' ? value.toLowerCase() : undefined;

/**
 * The service side of the state machine. Every transition, with all its cascades, runs in ONE
 * READ COMMITTED transaction (`run`), and this is what guarantees what:
 *
 * - **Row lock.** `fire` reads the entity with `SELECT ... FOR UPDATE` before `decide()`. Two
 *   callers on one entity serialise on that lock; the second reads the state the first committed
 *   and is refused by `decide()` (409 TRANSITION_NOT_FOUND with the current state) unless its
 *   action is still valid there. Exactly one of two conflicting transitions wins.
 * - **Compare-and-set.** The UPDATE also says `WHERE state_version = <read version>` and must touch
 *   one row: a belt to the lock's braces (a code path that forgot the lock fails loudly rather than
 *   writing a lost update), and callers may send `expected_state_version` to refuse a stale click.
 * - **Lock order** trip → order → cell. Order actions lock their cells after the order; a cell
 *   reported by a controller (or timed out) first locks the order holding it (`lockCellForUpdate`).
 *   Order creation locks an open trip after the order (the one exception; a deadlock there is
 *   detected by Postgres and the whole transaction is retried, as is a serialization failure).
 * - **No double booking.** Free cells are chosen with `FOR UPDATE SKIP LOCKED` (concurrent
 *   reservations take different cells instead of queueing on one), and the partial unique index
 *   `cell_holds_live_cell_key` makes a second live hold on a cell impossible whatever the code does.
 * - **Audit.** The audit row is written by the same transaction as the state change: both or none.
 * - **After COMMIT** only: timeouts cancelled and scheduled in BullMQ (deterministic job ids from
 *   the core; a job scheduled and cancelled within one transaction is never added), events
 *   `delivery.<entity>.state_changed` published, controllers' long-polls woken. A timeout that fires
 *   anyway re-reads its entity under the lock and `decideTimeout` ignores a stay that is over.
 */
@Injectable()
export class TransitionEngine {
  private readonly logger = new Logger('Transitions');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly definitions: DefinitionRegistry,
    @Inject(DeliveryConfig) private readonly config: DeliveryConfig,
    @InjectJobQueue(TIMEOUT_QUEUE) private readonly timeouts: JobQueue<TimeoutJobData>,
    private readonly rpc: RpcClient,
    private readonly signals: LockerSignals,
  ) {}

  /** Runs `work` in one transaction (retried whole on deadlock), then the after-commit steps. */
  async run<T>(
    requestId: string | null,
    params: ActionParams,
    work: (ctx: TransitionContext) => Promise<T>,
  ): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const runner = this.dataSource.createQueryRunner();
      await runner.connect();
      const ctx = new TransitionContext(runner, requestId, params);
      let result: T;
      try {
        result = await work(ctx);
        await ctx.transaction.commit();
      } catch (error) {
        await ctx.transaction.rollback(error).catch(() => undefined);
        await ctx.transaction.release();
        const state = sqlState(error);
        if (state !== undefined && RETRIED_SQLSTATES.has(state) && attempt < ATTEMPTS) {
          this.logger.warn({ sqlState: state, attempt }, 'transition retried');
          continue;
        }
        throw error;
      }
      await ctx.transaction.release();
      await this.afterCommit(ctx);
      return result;
    }
  }

  private async afterCommit(ctx: TransitionContext): Promise<void> {
    const cancelled = new Set(ctx.cancel);
    const schedule = ctx.schedule.filter((job) => !cancelled.has(job.jobId));
    await Promise.all([
      ...[...cancelled].map((id) =>
        this.timeouts.cancel(id).catch((error: unknown) => {
          this.logger.debug({ job: id, err: error }, 'timeout not cancelled (running or gone)');
        }),
      ),
      ...schedule.map((job) =>
        this.timeouts.schedule(delayedTimeoutJob(job)).catch((error: unknown) => {
          this.logger.error({ job: job.jobId, err: error }, 'timeout could not be scheduled');
        }),
      ),
    ]);
    for (const lockerId of ctx.wakeLockers) this.signals.notify(lockerId);
    for (const event of ctx.events) {
      const pattern =
        event.entityType === 'order'
          ? DELIVERY_EVENTS.orderStateChanged
          : event.entityType === 'trip'
            ? DELIVERY_EVENTS.tripStateChanged
            : DELIVERY_EVENTS.cellStateChanged;
      void this.rpc.emit(pattern, event).catch((error: unknown) => {
        this.logger.warn({ event: pattern, entityId: event.entityId, err: error }, 'unpublished');
      });
    }
  }

  get durations() {
    return this.config.delivery.durations;
  }

  // --- reading and locking ----------------------------------------------------------------

  /** Locks and reads an entity (and its facts); undefined when there is no such row. */
  async lock(
    ctx: TransitionContext,
    entityType: EntityType,
    id: string,
  ): Promise<LockedEntity | undefined> {
    if (entityType === 'order') {
      const row =
        (await this.lockOrderWithFacts(ctx, id)) ?? (await this.lockOrderThenRead(ctx, id));
      return row && entityOf('order', row, factsOfOrder(row));
    }
    const [locked] = await ctx.rows<{ entity: Record<string, unknown> }>(
      `SELECT to_jsonb(e) AS entity FROM ${ENTITY_TABLES[entityType]} e WHERE e.id = $1 FOR UPDATE`,
      [id],
    );
    if (!locked) return undefined;
    const row = locked.entity;
    return entityOf(
      entityType,
      row,
      entityType === 'trip'
        ? { ...optional('tripDriverUserId', row['driver_user_id']) }
        : { ...optional('cellLockerDeviceId', row['locker_id']) },
    );
  }

  /**
   * The common case in one round trip: the order locked and its facts joined in one statement.
   * Under READ COMMITTED a statement that had to wait for the lock returns the locked row's newest
   * version but joins rows from its own older snapshot, so legs or a driver committed by the
   * transaction it waited for would be missed. The scalar subquery reads the row's `xmin` from
   * that snapshot: when it equals the locked version's, nobody changed the order between the
   * snapshot and the lock, and the joined facts belong to the version we hold. Otherwise (or when
   * the re-check dropped the row) undefined, and the caller takes the two-statement path.
   */
  private async lockOrderWithFacts(
    ctx: TransitionContext,
    id: string,
  ): Promise<Record<string, unknown> | undefined> {
    const [row] = await ctx.rows(
      `SELECT to_jsonb(o) AS entity, pl.courier_user_id AS pickup_courier,
              dl.courier_user_id AS delivery_courier, t.driver_user_id AS trip_driver,
              o.xmin::text AS locked_xmin,
              (SELECT s.xmin::text FROM delivery.orders s WHERE s.id = $1) AS snapshot_xmin
         FROM delivery.orders o
         LEFT JOIN delivery.order_legs pl ON pl.order_id = o.id AND pl.leg = 'pickup'
         LEFT JOIN delivery.order_legs dl ON dl.order_id = o.id AND dl.leg = 'delivery'
         LEFT JOIN delivery.trips t ON t.id = o.trip_id
        WHERE o.id = $1
          FOR UPDATE OF o`,
      [id],
    );
    return row && row['locked_xmin'] === row['snapshot_xmin'] ? orderRowOf(row) : undefined;
  }

  /** Lock first, then read the facts in a statement whose snapshot is taken after the lock. */
  private async lockOrderThenRead(
    ctx: TransitionContext,
    id: string,
  ): Promise<Record<string, unknown> | undefined> {
    const [locked] = await ctx.rows(`SELECT id FROM delivery.orders WHERE id = $1 FOR UPDATE`, [
      id,
    ]);
    if (!locked) return undefined;
    const [row] = await ctx.rows(
      `SELECT to_jsonb(o) AS entity, pl.courier_user_id AS pickup_courier,
              dl.courier_user_id AS delivery_courier, t.driver_user_id AS trip_driver
         FROM delivery.orders o
         LEFT JOIN delivery.order_legs pl ON pl.order_id = o.id AND pl.leg = 'pickup'
         LEFT JOIN delivery.order_legs dl ON dl.order_id = o.id AND dl.leg = 'delivery'
         LEFT JOIN delivery.trips t ON t.id = o.trip_id
        WHERE o.id = $1`,
      [id],
    );
    return row && orderRowOf(row);
  }

  /**
   * Locks a cell for a transition that starts at the cell (a controller's report, staff, a
   * timeout): the order holding it first, then the cell, so that it takes locks in the same order
   * as order actions that open or release the cell (no deadlock between the two).
   */
  async lockCellForUpdate(
    ctx: TransitionContext,
    cellId: string,
  ): Promise<LockedEntity | undefined> {
    for (let tries = 0; tries < 5; tries++) {
      const holder = await this.holderOf(ctx, cellId);
      if (holder)
        await ctx.rows(`SELECT 1 FROM delivery.orders WHERE id = $1 FOR UPDATE`, [holder.orderId]);
      const cell = await this.lock(ctx, 'cell', cellId);
      const after = await this.holderOf(ctx, cellId);
      if (after?.orderId === holder?.orderId) return cell;
    }
    throw new Error(`cell ${cellId}: its holder kept changing`);
  }

  /**
   * Settles a closed cell no order holds (SETTLE_UNHELD_CELL), for the sweep: cells left so before
   * 1.1.0 settled them at once. Nothing when an order holds it or its door is open.
   */
  async settleIfUnheld(
    ctx: TransitionContext,
    cellId: string,
  ): Promise<FiredTransition | undefined> {
    const cell = await this.lockCellForUpdate(ctx, cellId);
    return cell && this.settleLockedIfUnheld(ctx, cell);
  }

  /** settleIfUnheld for a cell this transaction has locked already. */
  private async settleLockedIfUnheld(
    ctx: TransitionContext,
    cell: LockedEntity,
  ): Promise<FiredTransition | undefined> {
    if (!DOOR_CLOSED_STATES.has(cell.state) || (await this.holderOf(ctx, cell.id))) {
      return undefined;
    }
    return this.fireFirstAcceptedOn(ctx, cell, SETTLE_UNHELD_CELL, SYSTEM_ACTOR, 'cascade');
  }

  async holderOf(
    ctx: TransitionContext,
    cellId: string,
  ): Promise<{ orderId: string; side: 'source' | 'dest' } | undefined> {
    const [hold] = await ctx.rows<{ order_id: string; side: 'source' | 'dest' }>(
      `SELECT order_id, side FROM delivery.cell_holds WHERE cell_id = $1 AND released_at IS NULL`,
      [cellId],
    );
    return hold && { orderId: hold.order_id, side: hold.side };
  }

  private async heldCell(
    ctx: TransitionContext,
    orderId: string,
    side: 'source' | 'dest',
  ): Promise<string | undefined> {
    const [hold] = await ctx.rows<{ cell_id: string }>(
      `SELECT cell_id FROM delivery.cell_holds
        WHERE order_id = $1 AND side = $2 AND released_at IS NULL`,
      [orderId, side],
    );
    return hold?.cell_id;
  }

  definitionOf(entity: LockedEntity): FsmDefinition {
    return this.definitions.get(entity.definitionVersion);
  }

  // --- firing -------------------------------------------------------------------------------

  /** Fires an action on an entity (locking it); throws the refusal as a DomainError. */
  async fire(ctx: TransitionContext, request: FireRequest): Promise<FiredTransition> {
    const entity = await this.lock(ctx, request.entityType, request.entityId);
    if (!entity) throw notFound(request.entityType);
    return this.fireOn(ctx, entity, request);
  }

  /** Fires on an entity this transaction has locked already. */
  async fireOn(
    ctx: TransitionContext,
    entity: LockedEntity,
    request: Omit<FireRequest, 'entityType' | 'entityId'>,
  ): Promise<FiredTransition> {
    const definition = this.definitionOf(entity);
    const decision = this.decideOn(entity, definition, request.action, request.actor);
    if (!decision.ok) throw refusalError(decision.error, entity.stateVersion);
    if (request.expectedVersion !== undefined && request.expectedVersion !== entity.stateVersion) {
      throw deliveryErrors.stateVersionMismatch(entity, request.action);
    }
    return this.apply(ctx, entity, decision, request.actor, request.cause, definition);
  }

  /** What the definition says to `action` by `actor` on the locked entity now (pure). */
  private decideOn(
    entity: LockedEntity,
    definition: FsmDefinition,
    action: string,
    actor: Actor,
  ): ReturnType<typeof decide> {
    return decide(
      definition,
      {
        entityType: entity.entityType,
        entityId: entity.id,
        currentState: entity.state,
        stateVersion: entity.stateVersion,
        facts: entity.facts,
        action,
        actor,
      },
      this.durations,
    );
  }

  /**
   * For cascades: fires the first of `candidates` the entity's state accepts, as `actor`; does
   * nothing when none applies. A refusal by role or ownership is still an error (rolls back).
   */
  async fireFirstAccepted(
    ctx: TransitionContext,
    entityType: EntityType,
    id: string,
    candidates: readonly string[],
    actor: Actor,
    cause: TransitionCause,
  ): Promise<FiredTransition | undefined> {
    const entity = await this.lock(ctx, entityType, id);
    return entity && this.fireFirstAcceptedOn(ctx, entity, candidates, actor, cause);
  }

  /**
   * The first candidate the state takes and the actor may fire. A candidate the state takes only
   * from other roles (staff, once the order is in their hands) is passed over: the cascade's cause
   * (a door report, a timeout) has happened and stands, and the entity stays for whoever may act.
   * Refusing it would roll the fact back (a controller's report 403, a timeout job failing). Any
   * other refusal (ownership, a guard) is an error and rolls back.
   */
  private async fireFirstAcceptedOn(
    ctx: TransitionContext,
    entity: LockedEntity,
    candidates: readonly string[],
    actor: Actor,
    cause: TransitionCause,
  ): Promise<FiredTransition | undefined> {
    const definition = this.definitionOf(entity);
    for (const action of candidates) {
      if (cascadeAction(definition, entity.entityType, entity.state, [action]) === undefined) {
        continue;
      }
      const decision = this.decideOn(entity, definition, action, actor);
      if (decision.ok) return this.apply(ctx, entity, decision, actor, cause, definition);
      if (decision.error.code !== 'ACTOR_NOT_ALLOWED') {
        throw refusalError(decision.error, entity.stateVersion);
      }
      this.logger.warn(
        { entityType: entity.entityType, entityId: entity.id, state: entity.state, action },
        'cascade not for this actor in this state: the entity is left for whoever may act',
      );
    }
    return undefined;
  }

  private async apply(
    ctx: TransitionContext,
    entity: LockedEntity,
    decision: AcceptedDecision,
    actor: Actor,
    cause: TransitionCause,
    definition: FsmDefinition,
  ): Promise<FiredTransition> {
    // The state change, its audit row and, when every effect is a plain row write, the effects:
    // one statement. The audit row is inserted from the UPDATE's RETURNING, so no row comes back
    // when the compare-and-set touched nothing (and the whole transaction is then rolled back).
    const folded = decision.effects.every(isFoldableEffect)
      ? decision.effects.map((effect) =>
          this.effectWrite(ctx, entity, effect, actor, decision.firedAs),
        )
      : [];
    const parameters: unknown[] = [
      entity.entityType,
      entity.id,
      decision.fromState,
      decision.action,
      decision.toState,
      decision.newStateVersion,
      entity.definitionVersion,
      decision.firedAs,
      actor.userId ?? null,
      actor.deviceId ?? null,
      cause,
      ctx.requestId,
      entity.stateVersion,
    ];
    const effectClauses = folded.map((write, i) => {
      const offset = parameters.length;
      parameters.push(...write.parameters);
      return `, effect_${i} AS (${write.sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`)})`;
    });
    const [audit] = await ctx.rows<{ at: Date }>(
      `WITH changed AS (
         UPDATE ${ENTITY_TABLES[entity.entityType]}
            SET state = $5::varchar, state_version = $6::integer, updated_at = now()
          WHERE id = $2::uuid AND state_version = $13
          RETURNING id
       )${effectClauses.join('')}
       INSERT INTO delivery.audit_log
         (entity_type, entity_id, from_state, action, to_state, state_version, definition_version,
          actor_role, actor_user_id, actor_device_id, cause, request_id)
       SELECT $1, changed.id, $3, $4, $5, $6, $7, $8, $9::uuid, $10::uuid, $11, $12 FROM changed
       RETURNING at`,
      parameters,
    );
    if (!audit) {
      // Unreachable under the row lock; the compare-and-set makes a missing lock a loud failure.
      throw new Error(`${entity.entityType} ${entity.id}: compare-and-set on state_version failed`);
    }
    ctx.cancel.push(...decision.timeoutsToCancel);
    ctx.schedule.push(...decision.timeoutsToSchedule);
    const event: DeliveryStateChangedEvent = {
      entityType: entity.entityType,
      entityId: entity.id,
      fromState: decision.fromState,
      action: decision.action,
      toState: decision.toState,
      stateVersion: decision.newStateVersion,
      definitionVersion: entity.definitionVersion,
      actorRole: decision.firedAs,
      requestId: ctx.requestId,
      at: audit.at.toISOString(),
    };
    ctx.events.push(event);
    const fired: FiredTransition = {
      entityType: entity.entityType,
      entityId: entity.id,
      fromState: decision.fromState,
      action: decision.action,
      toState: decision.toState,
      stateVersion: decision.newStateVersion,
      firedAs: decision.firedAs,
    };
    if (folded.length === 0) {
      for (const effect of decision.effects) {
        await this.effect(ctx, entity, effect, actor, decision.firedAs, fired);
      }
    }
    await this.afterTransition(ctx, entity, fired, cause, definition);
    return fired;
  }

  /** Invariants that hold whichever transition led there. */
  private async afterTransition(
    ctx: TransitionContext,
    entity: LockedEntity,
    fired: FiredTransition,
    cause: TransitionCause,
    definition: FsmDefinition,
  ): Promise<void> {
    if (entity.entityType === 'cell') {
      if (fired.toState === 'locker_free') {
        // A free cell belongs to nobody: its live hold ends.
        await ctx.affected(
          `UPDATE delivery.cell_holds SET released_at = now()
            WHERE cell_id = $1 AND released_at IS NULL`,
          [entity.id],
        );
      }
      if (!isDoorOpenState(fired.toState)) await this.closeCommands(ctx, entity, cause);
      if (DOOR_CLOSED_STATES.has(fired.toState) && !(await this.holderOf(ctx, entity.id))) {
        // Re-read: the transition's own cascades may have moved the cell on (its order let it go).
        const cell = await this.lock(ctx, 'cell', entity.id);
        if (cell) await this.settleLockedIfUnheld(ctx, cell);
      }
      return;
    }
    if (entity.entityType !== 'order') return;
    // A PIN opens one stay: leaving a state a PIN is issued in retires its PINs.
    if (PIN_STATES.has(fired.fromState)) {
      await ctx.affected(
        `UPDATE delivery.pins SET status = 'revoked' WHERE order_id = $1 AND status = 'active'`,
        [entity.id],
      );
    }
    const kind = indexDefinition(definition).states.get(stateKey('order', fired.toState))?.kind;
    if (kind === 'terminal') await this.releaseAllCells(ctx, entity.id);
  }

  /**
   * An order that ended holds no cell: each live hold ends, then each cell is settled as one that
   * no order holds (SETTLE_UNHELD_CELL): reserved or closed empty goes back to free, a parcel inside
   * goes to staff (1.1.0), a faulty cell keeps its state for staff, and an open door is settled when
   * it closes (afterTransition). No cell is left held by nobody in a state only its order could end.
   */
  private async releaseAllCells(ctx: TransitionContext, orderId: string): Promise<void> {
    const released = await ctx.rows<{ cell_id: string }>(
      `UPDATE delivery.cell_holds SET released_at = now()
        WHERE order_id = $1 AND released_at IS NULL RETURNING cell_id`,
      [orderId],
    );
    for (const cellId of released.map((hold) => hold.cell_id).sort()) {
      await this.fireFirstAccepted(
        ctx,
        'cell',
        cellId,
        SETTLE_UNHELD_CELL,
        SYSTEM_ACTOR,
        'cascade',
      );
    }
  }

  /** The door is no longer open: the cell's open commands are done (or expired, on a timeout). */
  private async closeCommands(
    ctx: TransitionContext,
    cell: LockedEntity,
    cause: TransitionCause,
  ): Promise<void> {
    const status = cause === 'timeout' ? 'expired' : 'done';
    const closed = await ctx.rows<{ id: string; locker_id: string; command: string }>(
      `UPDATE delivery.locker_commands SET status = $2, closed_at = now()
        WHERE cell_id = $1 AND status IN ('pending', 'delivered')
        RETURNING id, locker_id, command`,
      [cell.id, status],
    );
    if (status === 'expired') {
      for (const command of closed) {
        await ctx.affected(
          `INSERT INTO delivery.hardware_command_log (command_id, locker_id, cell_id, command, event, request_id)
           VALUES ($1, $2, $3, $4, 'expired', $5)`,
          [command.id, command.locker_id, cell.id, command.command, ctx.requestId],
        );
      }
    }
  }

  // --- effects --------------------------------------------------------------------------------

  private async effect(
    ctx: TransitionContext,
    entity: LockedEntity,
    effect: Effect,
    actor: Actor,
    firedAs: Role,
    fired: FiredTransition,
  ): Promise<void> {
    const row = entity.row;
    switch (effect.kind) {
      case 'reserve_cell':
        return this.reserveCell(ctx, entity, effect.cell);
      case 'release_cell': {
        const cellId = await this.heldCell(ctx, entity.id, effect.cell);
        if (cellId === undefined) return;
        await this.fireFirstAccepted(
          ctx,
          'cell',
          cellId,
          ['locker_cancel_reservation'],
          SYSTEM_ACTOR,
          'cascade',
        );
        return;
      }
      case 'open_cell': {
        const cellId = await this.heldCell(ctx, entity.id, effect.cell);
        if (cellId === undefined) throw deliveryErrors.cellNotHeld(effect.cell);
        await this.fire(ctx, {
          entityType: 'cell',
          entityId: cellId,
          action: 'locker_open_locker',
          actor: SYSTEM_ACTOR,
          cause: 'cascade',
        });
        return;
      }
      case 'attach_to_trip': {
        const tripId = row['trip_id'] as string | null;
        // Its trip may have left locker A without it (or failed) while staff held the order.
        if (tripId !== null && TRIP_AT_LOCKER_A.has(await this.tripState(ctx, tripId))) return;
        await this.attachToTrip(ctx, entity.id, row);
        return;
      }
      case 'detach_from_trip': {
        const tripId = row['trip_id'] as string | null;
        if (tripId === null) return;
        await ctx.affected(`UPDATE delivery.orders SET trip_id = NULL WHERE id = $1`, [entity.id]);
        await this.cancelIfEmpty(ctx, tripId);
        return;
      }
      case 'fan_out_to_trip_orders': {
        for (const orderId of await this.tripOrders(ctx, entity.id)) {
          const order = await this.lock(ctx, 'order', orderId);
          if (!order || !reachesOrderIn(order.state, effect.onlyFrom)) continue;
          await this.fireFirstAcceptedOn(ctx, order, [effect.action], SYSTEM_ACTOR, 'cascade');
        }
        return;
      }
      case 'detach_trip_orders': {
        for (const orderId of await this.tripOrders(ctx, entity.id)) {
          const order = await this.lock(ctx, 'order', orderId);
          if (!order || this.isFinal(order) || !reachesOrderIn(order.state, effect.onlyFrom))
            continue;
          await ctx.affected(`UPDATE delivery.orders SET trip_id = NULL WHERE id = $1`, [orderId]);
          await this.attachToTrip(ctx, orderId, order.row);
        }
        return;
      }
      case 'issue_locker_command': {
        const holder = await this.holderOf(ctx, entity.id);
        const lockerId = row['locker_id'] as string;
        const [command] = await ctx.rows<{ id: string }>(
          `INSERT INTO delivery.locker_commands (locker_id, cell_id, order_id, command, cell_state_version)
           VALUES ($1, $2, $3, $4, $5) RETURNING id`,
          [lockerId, entity.id, holder?.orderId ?? null, effect.command, fired.stateVersion],
        );
        await ctx.affected(
          `INSERT INTO delivery.hardware_command_log (command_id, locker_id, cell_id, command, event, request_id)
           VALUES ($1, $2, $3, $4, 'issued', $5)`,
          [command?.id, lockerId, entity.id, effect.command, ctx.requestId],
        );
        ctx.wakeLockers.add(lockerId);
        return;
      }
      case 'notify_cell_order': {
        const holder = await this.holderOf(ctx, entity.id);
        if (!holder) return;
        await this.fireFirstAccepted(
          ctx,
          'order',
          holder.orderId,
          holder.side === 'source' ? effect.whenSource : effect.whenDest,
          actor,
          'cascade',
        );
        return;
      }
      case 'assign_leg_courier':
      case 'clear_leg_courier':
      case 'assign_trip_driver':
      case 'clear_trip_driver': {
        const write = this.effectWrite(ctx, entity, effect, actor, firedAs);
        await ctx.affected(write.sql, [...write.parameters]);
        return;
      }
      default:
        return assertNever(effect);
    }
  }

  /**
   * Puts the order into manual intervention as `actor` if its state lets that actor do so (for a
   * locker: the states with one of its cells open), else logs why not and changes nothing. For a
   * hardware report that contradicts what the door was opened for (locker-protocol.ts).
   */
  async requestInterventionIfAllowed(
    ctx: TransitionContext,
    orderId: string,
    actor: Actor,
  ): Promise<void> {
    const order = await this.lock(ctx, 'order', orderId);
    if (!order) return;
    const definition = this.definitionOf(order);
    const decision = this.decideOn(order, definition, 'order_request_manual_intervention', actor);
    if (!decision.ok) {
      this.logger.warn(
        { orderId, state: order.state, refusal: decision.error.code },
        'manual intervention not possible from the order state for this actor',
      );
      return;
    }
    await this.apply(ctx, order, decision, actor, 'cascade', definition);
  }

  /**
   * The effects that are one row write needing nothing back (who holds a leg or drives a trip),
   * as that statement: run on its own, or folded into the state change's statement (apply).
   * Throws when staff did not say which courier or driver.
   */
  private effectWrite(
    ctx: TransitionContext,
    entity: LockedEntity,
    effect: RowWriteEffect,
    actor: Actor,
    firedAs: Role,
  ): RowWrite {
    switch (effect.kind) {
      case 'assign_leg_courier': {
        const courier = firedAs === 'courier' ? actor.userId : lower(ctx.params.courierUserId);
        if (courier === undefined) throw deliveryErrors.courierRequired();
        return {
          sql: `INSERT INTO delivery.order_legs (order_id, leg, courier_user_id, assigned_at)
                VALUES ($1::uuid, $2::varchar, $3::uuid, now())
                ON CONFLICT (order_id, leg) DO UPDATE
                  SET courier_user_id = EXCLUDED.courier_user_id, assigned_at = now()`,
          parameters: [entity.id, effect.leg, courier],
        };
      }
      case 'clear_leg_courier':
        return {
          sql: `UPDATE delivery.order_legs SET courier_user_id = NULL, assigned_at = NULL
                 WHERE order_id = $1::uuid AND leg = $2::varchar`,
          parameters: [entity.id, effect.leg],
        };
      case 'assign_trip_driver': {
        const driver = firedAs === 'driver' ? actor.userId : lower(ctx.params.driverUserId);
        if (driver === undefined) throw deliveryErrors.driverRequired();
        return {
          sql: `UPDATE delivery.trips SET driver_user_id = $2::uuid WHERE id = $1::uuid`,
          parameters: [entity.id, driver],
        };
      }
      case 'clear_trip_driver':
        return {
          sql: `UPDATE delivery.trips SET driver_user_id = NULL WHERE id = $1::uuid`,
          parameters: [entity.id],
        };
      default:
        return assertNever(effect);
    }
  }

  private isFinal(entity: LockedEntity): boolean {
    const kind = indexDefinition(this.definitionOf(entity)).states.get(
      stateKey(entity.entityType, entity.state),
    )?.kind;
    return kind === 'terminal';
  }

  private async tripState(ctx: TransitionContext, tripId: string): Promise<string> {
    const [trip] = await ctx.rows<{ state: string }>(
      `SELECT state FROM delivery.trips WHERE id = $1`,
      [tripId],
    );
    return trip?.state ?? '';
  }

  private async tripOrders(ctx: TransitionContext, tripId: string): Promise<string[]> {
    const rows = await ctx.rows<{ id: string }>(
      `SELECT id FROM delivery.orders WHERE trip_id = $1 ORDER BY id`,
      [tripId],
    );
    return rows.map((r) => r.id);
  }

  /**
   * Holds a free cell of the order's size on that side. `FOR UPDATE SKIP LOCKED` makes concurrent
   * reservations take different cells (a cell another transaction is reserving is skipped, not
   * waited for); the cell's own transition to `locker_reserved` and the hold row's partial unique
   * index make booking a cell twice impossible. Idempotent: a side already held is kept.
   */
  private async reserveCell(
    ctx: TransitionContext,
    order: LockedEntity,
    side: 'source' | 'dest',
  ): Promise<void> {
    const heldId = await this.heldCell(ctx, order.id, side);
    if (heldId !== undefined) {
      const held = await this.lock(ctx, 'cell', heldId);
      if (!held || held.state === 'locker_reserved') return;
      // Staff reserving again for an order whose cell cannot be opened for it now (broken, closed
      // empty, a parcel inside, the door open): the hold ends and the cell is settled as one no
      // order holds (free, or staff's), and the order gets a reserved one.
      await ctx.affected(
        `UPDATE delivery.cell_holds SET released_at = now()
          WHERE order_id = $1 AND side = $2 AND released_at IS NULL`,
        [order.id, side],
      );
      await this.fireFirstAcceptedOn(ctx, held, SETTLE_UNHELD_CELL, SYSTEM_ACTOR, 'cascade');
    }
    const lockerId = order.row[side === 'source' ? 'source_locker_id' : 'dest_locker_id'] as string;
    const size = order.row['parcel_size'] as string;
    const [cell] = await ctx.rows<{ id: string }>(
      `SELECT c.id FROM delivery.cells c
         JOIN delivery.lockers l ON l.id = c.locker_id AND l.status = 'active'
        WHERE c.locker_id = $1 AND c.size = $2 AND c.state = 'locker_free'
        ORDER BY c.code
        LIMIT 1
        FOR UPDATE OF c SKIP LOCKED`,
      [lockerId, size],
    );
    if (!cell) throw deliveryErrors.noFreeCell(side, lockerId, size);
    await this.fire(ctx, {
      entityType: 'cell',
      entityId: cell.id,
      action: 'locker_reserve_cell',
      actor: SYSTEM_ACTOR,
      cause: 'cascade',
    });
    await ctx.affected(
      `INSERT INTO delivery.cell_holds (cell_id, order_id, side) VALUES ($1, $2, $3)`,
      [cell.id, order.id, side],
    );
    await ctx.affected(
      `UPDATE delivery.orders SET ${side === 'source' ? 'source_cell_id' : 'dest_cell_id'} = $2
        WHERE id = $1`,
      [order.id, cell.id],
    );
  }

  /**
   * Joins the oldest trip still collecting orders for the order's locker pair that has a seat
   * (the trip row is locked while its orders are counted, so two orders cannot take its last
   * seat), or opens a new trip. A trip that becomes full is activated at once.
   */
  private async attachToTrip(
    ctx: TransitionContext,
    orderId: string,
    row: Record<string, unknown>,
  ): Promise<void> {
    const source = row['source_locker_id'] as string;
    const dest = row['dest_locker_id'] as string;
    // Only trips of the version new entities run under: an order joining a trip of an older
    // definition would ride under that trip's rules (1.0.0 trips leave without unloaded orders).
    const candidates = await ctx.rows<{ id: string }>(
      `SELECT id FROM delivery.trips
        WHERE source_locker_id = $1 AND dest_locker_id = $2 AND state = 'trip_created'
          AND definition_version = $3
        ORDER BY created_at, id LIMIT 5`,
      [source, dest, this.definitions.current.version],
    );
    for (const { id } of candidates) {
      const trip = await this.lock(ctx, 'trip', id);
      if (!trip || trip.state !== 'trip_created') continue;
      const capacity = Number(trip.row['capacity']);
      const seated = await this.countOrders(ctx, id);
      if (seated >= capacity) continue;
      await ctx.affected(`UPDATE delivery.orders SET trip_id = $2 WHERE id = $1`, [orderId, id]);
      if (seated + 1 >= capacity) {
        await this.fireOn(ctx, trip, {
          action: 'trip_activate',
          actor: SYSTEM_ACTOR,
          cause: 'cascade',
        });
      }
      return;
    }
    const tripId = await this.createTrip(ctx, source, dest);
    await ctx.affected(`UPDATE delivery.orders SET trip_id = $2 WHERE id = $1`, [orderId, tripId]);
    if (this.config.delivery.tripCapacity <= 1) {
      await this.fire(ctx, {
        entityType: 'trip',
        entityId: tripId,
        action: 'trip_activate',
        actor: SYSTEM_ACTOR,
        cause: 'cascade',
      });
    }
  }

  private async countOrders(ctx: TransitionContext, tripId: string): Promise<number> {
    const [count] = await ctx.rows<{ n: string }>(
      `SELECT count(*) AS n FROM delivery.orders WHERE trip_id = $1`,
      [tripId],
    );
    return Number(count?.n ?? 0);
  }

  async createTrip(ctx: TransitionContext, source: string, dest: string): Promise<string> {
    const definition = this.definitions.current;
    const [trip] = await ctx.rows<{ id: string }>(
      `INSERT INTO delivery.trips (source_locker_id, dest_locker_id, capacity, state, definition_version)
       VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [
        source,
        dest,
        this.config.delivery.tripCapacity,
        definition.entityTypes.find((type) => type.name === 'trip')?.initialState,
        definition.version,
      ],
    );
    const id = trip?.id as string;
    // The new trip's own timeouts (its activation by age), from the core like every other.
    ctx.schedule.push(...createEntity(definition, 'trip', id, this.durations).timeoutsToSchedule);
    return id;
  }

  /** A trip still collecting orders that lost its last one is cancelled (it would drive empty). */
  private async cancelIfEmpty(ctx: TransitionContext, tripId: string): Promise<void> {
    const trip = await this.lock(ctx, 'trip', tripId);
    if (!trip || trip.state !== 'trip_created') return;
    if ((await this.countOrders(ctx, tripId)) > 0) return;
    await this.fireOn(ctx, trip, { action: 'trip_cancel', actor: SYSTEM_ACTOR, cause: 'cascade' });
  }

  /** Whether the actor is staff (operator or admin). */
  static isStaff(actor: Actor): boolean {
    return actor.roles.some((role) => (STAFF_ROLES as readonly string[]).includes(role));
  }
}

/** One statement and its parameters ($1..$n). */
interface RowWrite {
  readonly sql: string;
  readonly parameters: readonly unknown[];
}

type RowWriteEffect = Extract<
  Effect,
  { kind: 'assign_leg_courier' | 'clear_leg_courier' | 'assign_trip_driver' | 'clear_trip_driver' }
>;

/**
 * Row writes that may share the state change's statement: they touch another table's rows. A
 * trip's driver is a column of the trip row the statement's UPDATE changes, and Postgres does not
 * define which of two changes to one row in one statement wins, so those run on their own.
 */
function isFoldableEffect(effect: Effect): effect is RowWriteEffect {
  return effect.kind === 'assign_leg_courier' || effect.kind === 'clear_leg_courier';
}

export const SYSTEM_ACTOR: Actor = Object.freeze({ roles: Object.freeze(['system'] as Role[]) });

/** Order states in which a PIN can be issued (pins.service.ts). */
export const PIN_STATES = new Set([
  'order_client_reserved_post1_and_post2',
  'order_parcel_confirmed_post2',
]);

/**
 * What a cell that no order holds does: a reserved or closed empty cell is free again, one with a
 * parcel inside goes to staff (1.1.0). A door-open cell waits for its door to close.
 */
const SETTLE_UNHELD_CELL = ['locker_cancel_reservation', 'locker_report_unclaimed_parcel'];
/** The cell states a cell reaches when its door closes (one no order holds is settled). */
const DOOR_CLOSED_STATES = new Set(['locker_occupied', 'locker_closed_empty']);
/**
 * Trip states in which the trip is still at locker A and can load an order (see attach_to_trip);
 * after them it has left, or failed and may never load.
 */
const TRIP_AT_LOCKER_A = new Set([
  'trip_created',
  'trip_activated',
  'trip_assigned',
  'trip_ready_for_pickup',
  'trip_parcel_picked_up',
]);

/** The order's columns (from its `to_jsonb`) with the facts joined to it. */
function orderRowOf(result: Record<string, unknown>): Record<string, unknown> {
  return {
    ...(result['entity'] as Record<string, unknown>),
    pickup_courier: result['pickup_courier'],
    delivery_courier: result['delivery_courier'],
    trip_driver: result['trip_driver'],
  };
}

function optional<K extends string>(key: K, value: unknown): Partial<Record<K, string>> {
  const text = lower(value);
  return text === undefined ? {} : ({ [key]: text } as Record<K, string>);
}

function entityOf(
  entityType: EntityType,
  row: Record<string, unknown>,
  facts: EntityFacts,
): LockedEntity {
  return {
    entityType,
    id: row['id'] as string,
    state: row['state'] as string,
    stateVersion: Number(row['state_version']),
    definitionVersion: row['definition_version'] as string,
    facts,
    row,
  };
}

export function notFound(entityType: EntityType) {
  return entityType === 'order'
    ? deliveryErrors.orderNotFound()
    : entityType === 'trip'
      ? deliveryErrors.tripNotFound()
      : deliveryErrors.cellNotFound();
}

function assertNever(value: never): never {
  throw new Error(`unexpected effect ${JSON.stringify(value)}`);
}
