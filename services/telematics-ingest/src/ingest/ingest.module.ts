import { Logger, type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { JobsModule } from '@platform/jobs';
import { Pool } from 'pg';
import { ApiKeysModule } from '../api-keys/api-keys.module';
import { TelemetryV1Controller, TelemetryV2Controller } from '../api/telemetry.controller';
import { TelemetryQueries } from '../api/telemetry-queries';
import { V1DeprecationMiddleware } from '../api/v1-deprecation.middleware';
import { TelematicsConfig } from '../config/service.config';
import { IngestMetrics } from '../metrics/ingest-metrics';
import { MetricsController } from '../metrics/metrics.controller';
import { IngestWriter } from '../storage/ingest-writer';
import { INGEST_POOL, MAINTENANCE_QUEUE, StorageMaintenance } from '../storage/storage-maintenance';
import { IngestPipeline } from './ingest-pipeline';
import { PositionPublisher } from './position-publisher';
import { TrackerServer } from './tracker-server';

/** A group commit may take this long before its connection is cut and it is retried. */
const COMMIT_TIMEOUT_MS = 10_000;

/**
 * The tracker ingest (TCP listener, group commit, storage maintenance) and the REST API over
 * what it stored. The ingest writes through a pg pool of its own (COPY needs a raw client, and
 * API reads must not wait behind commits), sized by INGEST_COMMIT_CONCURRENCY plus one for
 * maintenance.
 */
const poolLogger = new Logger('IngestPool');

@Module({
  imports: [ApiKeysModule, JobsModule.forRoot({ queues: [MAINTENANCE_QUEUE] })],
  controllers: [TelemetryV2Controller, TelemetryV1Controller, MetricsController],
  providers: [
    { provide: IngestMetrics, useFactory: () => new IngestMetrics() },
    {
      provide: INGEST_POOL,
      inject: [TelematicsConfig],
      useFactory: (config: TelematicsConfig) => {
        const pool = new Pool({
          host: config.database.host,
          port: config.database.port,
          database: config.database.database,
          user: config.database.username,
          password: config.database.password,
          max: config.ingest.commitConcurrency + 1,
          application_name: `${config.serviceName}-ingest`,
          connectionTimeoutMillis: 5000,
          keepAlive: true,
          statement_timeout: COMMIT_TIMEOUT_MS,
          idle_in_transaction_session_timeout: 30_000,
          lock_timeout: 5000,
        });
        // An idle client whose server went away (Postgres restarted) errors on the pool: without
        // a listener that is an uncaught 'error' event and ends the process. The pool drops the
        // client; the next commit opens a fresh one (and fails, unacknowledged, until Postgres
        // is back).
        pool.on('error', (error) => poolLogger.warn({ err: error }, 'idle ingest connection lost'));
        return pool;
      },
    },
    {
      provide: IngestWriter,
      inject: [INGEST_POOL, TelematicsConfig],
      useFactory: (pool: Pool, config: TelematicsConfig) =>
        new IngestWriter(pool, {
          commitTimeoutMs: COMMIT_TIMEOUT_MS,
          returnStored: config.ingest.publishPositions,
        }),
    },
    PositionPublisher,
    IngestPipeline,
    StorageMaintenance,
    TrackerServer,
    TelemetryQueries,
    TelemetryV2Controller,
  ],
})
export class IngestModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(V1DeprecationMiddleware).forRoutes(TelemetryV1Controller);
  }
}
