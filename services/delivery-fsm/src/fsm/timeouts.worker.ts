import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { InjectJobQueue, type JobContext, type JobQueue, JobWorkers } from '@platform/jobs';
import { type DataSource } from 'typeorm';
import { DeliveryConfig } from '../config/service.config';
import { decideTimeout, type TimeoutName } from '../state-machine';
import {
  SYSTEM_ACTOR,
  TIMEOUT_QUEUE,
  type TimeoutJobData,
  TransitionEngine,
} from './transition.engine';

export const MAINTENANCE_QUEUE = 'delivery-fsm-maintenance';
const LOG_RETENTION_JOB = 'log-retention';
const LOG_RETENTION_EVERY_MS = 6 * 3600 * 1000;

/**
 * The consumers of the service's BullMQ queues: state-machine timeouts (competing consumers, so
 * each job runs once across replicas) and the repeatable log-retention job.
 *
 * A timeout re-reads its entity under the row lock and asks `decideTimeout`: a job for a stay that
 * is over (the entity moved on, the job fired late or twice) does nothing.
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
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.workers.process<TimeoutJobData>(TIMEOUT_QUEUE, (job) => this.fireTimeout(job), 4);
    this.workers.process<object>(MAINTENANCE_QUEUE, () => this.deleteOldLogs());
    await this.maintenance
      .repeat(LOG_RETENTION_JOB, LOG_RETENTION_EVERY_MS, LOG_RETENTION_JOB, {})
      .catch((error: unknown) =>
        this.logger.warn({ err: error }, 'log retention job not scheduled (Redis down?)'),
      );
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
