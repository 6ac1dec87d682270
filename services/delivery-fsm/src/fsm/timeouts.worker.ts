import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { InjectJobQueue, type JobContext, type JobQueue, JobWorkers } from '@platform/jobs';
import { type DataSource } from 'typeorm';
import { DeliveryConfig } from '../config/service.config';
import {
  decideTimeout,
  ENTITY_TYPES,
  type EntityType,
  type TimeoutName,
  timeoutsOfStay,
} from '../state-machine';
import { DefinitionRegistry } from './definition.registry';
import {
  delayedTimeoutJob,
  ENTITY_TABLES,
  SYSTEM_ACTOR,
  TIMEOUT_QUEUE,
  type TimeoutJobData,
  TransitionEngine,
} from './transition.engine';

export const MAINTENANCE_QUEUE = 'delivery-fsm-maintenance';
const LOG_RETENTION_JOB = 'log-retention';
const LOG_RETENTION_EVERY_MS = 6 * 3600 * 1000;
export const TIMEOUT_SWEEP_JOB = 'timeout-sweep';
const TIMEOUT_SWEEP_EVERY_MS = 60_000;
/** How long past its due time a timeout may still be on its way before a sweep restores it. */
export const TIMEOUT_SWEEP_GRACE_MS = 60_000;
/** Stays looked at per entity type and sweep, oldest first. */
const TIMEOUT_SWEEP_BATCH = 500;

interface StayRow {
  id: string;
  state: string;
  state_version: number;
  definition_version: string;
  elapsed_ms: number;
}

/**
 * The consumers of the service's BullMQ queues: state-machine timeouts (competing consumers, so
 * each job runs once across replicas) and the repeatable log-retention job.
 *
 * A timeout re-reads its entity under the row lock and asks `decideTimeout`: a job for a stay that
 * is over (the entity moved on, the job fired late or twice) does nothing.
 *
 * Timeouts are scheduled after the commit, so Redis failing right then would leave a stay without
 * its timeout. The repeatable timeout sweep restores those: every minute it schedules again, under
 * the same job ids, the timeouts of stays that are overdue by more than the grace (a job that
 * exists is kept by BullMQ; one that ran found the stay over, or the stay would have moved on; one
 * that failed every attempt is replaced, so it runs again).
 */
@Injectable()
export class TimeoutsWorker implements OnApplicationBootstrap {
  private readonly logger = new Logger('Timeouts');

  constructor(
    private readonly workers: JobWorkers,
    private readonly engine: TransitionEngine,
    @Inject(DeliveryConfig) private readonly config: DeliveryConfig,
    @InjectJobQueue(MAINTENANCE_QUEUE) private readonly maintenance: JobQueue<object>,
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectJobQueue(TIMEOUT_QUEUE) private readonly timeouts: JobQueue<TimeoutJobData>,
    private readonly definitions: DefinitionRegistry,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.workers.process<TimeoutJobData>(TIMEOUT_QUEUE, (job) => this.fireTimeout(job), 4);
    this.workers.process<object>(MAINTENANCE_QUEUE, async (job) => {
      if (job.name === TIMEOUT_SWEEP_JOB) {
        await this.sweepTimeouts();
        await this.settleUnheldCells();
      } else {
        await this.deleteOldLogs();
      }
    });
    for (const [name, everyMs] of [
      [LOG_RETENTION_JOB, LOG_RETENTION_EVERY_MS],
      [TIMEOUT_SWEEP_JOB, TIMEOUT_SWEEP_EVERY_MS],
    ] as const) {
      await this.maintenance
        .repeat(name, everyMs, name, {})
        .catch((error: unknown) =>
          this.logger.warn(
            { err: error, job: name },
            'repeatable job not scheduled yet: asked for again once Redis answers',
          ),
        );
    }
  }

  /** Schedules again the timeouts of overdue stays (see above); how many it scheduled. */
  async sweepTimeouts(): Promise<number> {
    let swept = 0;
    for (const entityType of ENTITY_TYPES) {
      const dueAfterMs = this.dueAfterMs(entityType);
      if (dueAfterMs.size === 0) continue;
      const stays = await this.dataSource.query<StayRow[]>(
        `SELECT e.id, e.state, e.state_version, e.definition_version,
                (extract(epoch FROM now() - e.updated_at) * 1000)::float8 AS elapsed_ms
           FROM ${ENTITY_TABLES[entityType]} e
           JOIN unnest($1::varchar[], $2::float8[]) AS due(state, after_ms) ON due.state = e.state
          WHERE e.updated_at < now() - make_interval(secs => due.after_ms / 1000)
          ORDER BY e.updated_at
          LIMIT $3`,
        [[...dueAfterMs.keys()], [...dueAfterMs.values()], TIMEOUT_SWEEP_BATCH],
      );
      for (const stay of stays) {
        const overdue = timeoutsOfStay(
          this.definitions.get(stay.definition_version),
          {
            entityType,
            entityId: stay.id,
            state: stay.state,
            stateVersion: Number(stay.state_version),
          },
          this.engine.durations,
          Number(stay.elapsed_ms) - TIMEOUT_SWEEP_GRACE_MS,
        ).filter((job) => job.delayMs === 0);
        for (const job of overdue) {
          await this.timeouts.scheduleAgain(delayedTimeoutJob(job));
          swept += 1;
        }
      }
    }
    if (swept > 0) this.logger.log({ swept }, 'overdue timeouts scheduled again');
    return swept;
  }

  /**
   * Settles closed cells no order holds (free when empty, staff's when a parcel is inside): the
   * engine does so as a hold ends, this catches cells left so by 1.0.0 or by a crash between.
   * How many it settled.
   */
  async settleUnheldCells(): Promise<number> {
    const cells = await this.dataSource.query<{ id: string }[]>(
      `SELECT c.id FROM delivery.cells c
        WHERE c.state IN ('locker_occupied', 'locker_closed_empty')
          AND NOT EXISTS (SELECT 1 FROM delivery.cell_holds h
                           WHERE h.cell_id = c.id AND h.released_at IS NULL)
        ORDER BY c.updated_at
        LIMIT $1`,
      [TIMEOUT_SWEEP_BATCH],
    );
    let settled = 0;
    for (const { id } of cells) {
      const fired = await this.engine.run(null, {}, (ctx) => this.engine.settleIfUnheld(ctx, id));
      if (fired) settled += 1;
    }
    if (settled > 0) this.logger.log({ settled }, 'cells no order holds settled');
    return settled;
  }

  /** Per state of this entity type with timeouts: when its first timeout is overdue, plus grace. */
  private dueAfterMs(entityType: EntityType): Map<string, number> {
    const due = new Map<string, number>();
    for (const version of this.definitions.versions()) {
      for (const state of this.definitions.get(version).states) {
        if (state.entityType !== entityType || !state.timeouts?.length) continue;
        const first = Math.min(...state.timeouts.map((t) => this.engine.durations[t.name]));
        due.set(
          state.name,
          Math.min(due.get(state.name) ?? Infinity, first + TIMEOUT_SWEEP_GRACE_MS),
        );
      }
    }
    return due;
  }

  /** One timeout: fired as `system` if the entity is still in the stay it was scheduled for. */
  async fireTimeout(job: JobContext<TimeoutJobData>): Promise<void> {
    const fired = job.data;
    const outcome = await this.engine.run(`timeout:${job.id}`.slice(0, 128), {}, async (ctx) => {
      const entity =
        fired.entityType === 'cell'
          ? await this.engine.lockCellForUpdate(ctx, fired.entityId)
          : await this.engine.lock(ctx, fired.entityType, fired.entityId);
      if (!entity) return 'ENTITY_GONE';
      const decision = decideTimeout(
        this.engine.definitionOf(entity),
        {
          entityType: entity.entityType,
          entityId: entity.id,
          currentState: entity.state,
          stateVersion: entity.stateVersion,
          facts: entity.facts,
        },
        {
          state: fired.state,
          stateVersion: fired.stateVersion,
          timeout: fired.timeout as TimeoutName,
        },
        this.engine.durations,
      );
      if (!decision.fire) return decision.reason;
      // An empty trip is not offered to drivers: its age timeout cancels it instead.
      const action =
        entity.entityType === 'trip' &&
        decision.decision.action === 'trip_activate' &&
        (await ctx.rows(`SELECT 1 FROM delivery.orders WHERE trip_id = $1 LIMIT 1`, [entity.id]))
          .length === 0
          ? 'trip_cancel'
          : decision.decision.action;
      await this.engine.fireOn(ctx, entity, {
        action,
        actor: SYSTEM_ACTOR,
        cause: 'timeout',
        expectedVersion: fired.stateVersion,
      });
      return 'FIRED';
    });
    this.logger.log({ job: job.id, outcome }, 'timeout handled');
  }

  /** Audit and hardware log rows older than the retention are deleted (idempotent). */
  async deleteOldLogs(): Promise<void> {
    const days = this.config.delivery.logRetentionDays;
    for (const table of ['audit_log', 'hardware_command_log']) {
      await this.dataSource.query(
        `DELETE FROM delivery.${table} WHERE at < now() - make_interval(days => $1)`,
        [days],
      );
    }
  }
}
