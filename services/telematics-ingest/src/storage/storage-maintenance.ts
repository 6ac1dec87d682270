import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { InjectJobQueue, JobQueue, JobWorkers } from '@platform/jobs';
import { Pool } from 'pg';
import { TelematicsConfig } from '../config/service.config';
import { IngestWriter } from './ingest-writer';
import { maintainPartitions, partitionedTables } from './partitions';

export const MAINTENANCE_QUEUE = 'telematics-maintenance';
const PARTITIONS_JOB = 'partitions';
const PARTITIONS_EVERY_MS = 3_600_000;
const TOUCH_DEVICES_EVERY_MS = 5000;

export const INGEST_POOL = Symbol('INGEST_POOL');

/**
 * Partitions made ahead and dropped by retention: once at start-up (before the tracker port
 * opens, so the first records find their day) and every hour by a repeatable BullMQ job (one
 * run per hour across replicas). Also writes devices' `last_seen_at` every 5 s, off the ingest's
 * commit path.
 */
@Injectable()
export class StorageMaintenance implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('StorageMaintenance');
  private touchTimer: NodeJS.Timeout | undefined;
  private started: Promise<void> | undefined;

  constructor(
    @Inject(TelematicsConfig) private readonly config: TelematicsConfig,
    @Inject(INGEST_POOL) private readonly pool: Pool,
    private readonly writer: IngestWriter,
    @InjectJobQueue(MAINTENANCE_QUEUE) private readonly queue: JobQueue,
    private readonly workers: JobWorkers,
  ) {}

  /** Resolves when the start-up maintenance is done (or failed). */
  whenStarted(): Promise<void> {
    this.started ??= this.start();
    return this.started;
  }

  onApplicationBootstrap(): Promise<void> {
    return this.whenStarted();
  }

  private async start(): Promise<void> {
    try {
      await this.maintain();
    } catch (error) {
      // The default partitions take every row meanwhile; the job tries again within the hour.
      this.logger.error({ err: error }, 'partition maintenance at start-up failed');
    }
    this.workers.process(MAINTENANCE_QUEUE, async () => {
      await this.maintain();
    });
    await this.queue
      .repeat('telematics-partitions', PARTITIONS_EVERY_MS, PARTITIONS_JOB, {})
      .catch((error: unknown) =>
        this.logger.error(
          { err: error },
          'partition maintenance not scheduled yet: asked for again once Redis answers',
        ),
      );
    this.touchTimer = setInterval(() => {
      this.writer
        .touchDevices()
        .catch((error: unknown) => this.logger.warn({ err: error }, 'last_seen_at not written'));
    }, TOUCH_DEVICES_EVERY_MS);
    this.touchTimer.unref();
  }

  async maintain(): Promise<void> {
    const report = await maintainPartitions(this.pool, partitionedTables(this.config.retention), {
      now: new Date(),
      aheadDays: this.config.retention.partitionsAheadDays,
    });
    if (report.created.length || report.dropped.length || report.deletedFromDefault) {
      this.logger.log(report, 'partitions maintained');
    }
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.touchTimer);
    await this.writer.touchDevices().catch(() => undefined);
    await this.pool.end().catch(() => undefined);
  }
}
