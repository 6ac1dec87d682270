import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The service's Prometheus metrics (its own registry, so tests and several instances in one
 * process never collide). Names are what ops/prometheus/telematics-rules.yml alerts on.
 */
export class IngestMetrics {
  readonly registry = new Registry();

  readonly connections = new Gauge({
    name: 'telematics_tracker_connections',
    help: 'Open tracker TCP connections',
    registers: [this.registry],
  });

  readonly connectionsTotal = new Counter({
    name: 'telematics_tracker_connections_total',
    help: 'Tracker connections accepted or refused (by limit)',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  readonly connectionsClosed = new Counter({
    name: 'telematics_tracker_connections_closed_total',
    help: 'Tracker connections closed, by reason',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  readonly frames = new Counter({
    name: 'telematics_frames_total',
    help: 'Frames decoded, by type (ntcb-handshake, flex-A, text-position, ping, ...)',
    labelNames: ['type'] as const,
    registers: [this.registry],
  });

  readonly damagedFrames = new Counter({
    name: 'telematics_damaged_frames_total',
    help: 'Damaged units (no reply sent), by reason',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  readonly refusedFrames = new Counter({
    name: 'telematics_refused_frames_total',
    help: 'Frames not acknowledged because the device is unknown or refused',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  readonly recordsStored = new Counter({
    name: 'telematics_records_stored_total',
    help: 'Telemetry records committed (new rows)',
    registers: [this.registry],
  });

  readonly recordsDuplicate = new Counter({
    name: 'telematics_records_duplicate_total',
    help: 'Telemetry records received again and not stored twice',
    registers: [this.registry],
  });

  readonly batchSize = new Histogram({
    name: 'telematics_batch_size_frames',
    help: 'Frames per group commit',
    buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000],
    registers: [this.registry],
  });

  readonly batchRecords = new Histogram({
    name: 'telematics_batch_size_records',
    help: 'Telemetry records per group commit',
    buckets: [0, 1, 5, 10, 50, 100, 500, 1000, 2000, 5000, 10000],
    registers: [this.registry],
  });

  readonly commitSeconds = new Histogram({
    name: 'telematics_commit_duration_seconds',
    help: 'Duration of a successful group commit (one transaction)',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly commitFailures = new Counter({
    name: 'telematics_commit_failures_total',
    help: 'Group commits that failed and will be retried',
    registers: [this.registry],
  });

  readonly ackSeconds = new Histogram({
    name: 'telematics_ack_latency_seconds',
    help: 'From a frame fully received to its reply written (after commit)',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });

  /** What the pending-records gauge reads at each scrape (the ingest pipeline's committer). */
  pendingRecordsSource: () => number = () => 0;

  /**
   * Read when scraped, not set on each change: set after a commit, it missed the batch the
   * committer subtracts only once the commit's promise settles, and idled above 0 for good.
   */
  readonly pendingRecords: Gauge = new Gauge({
    name: 'telematics_ingest_pending_records',
    help: 'Records received and not yet committed (buffered or in flight)',
    registers: [this.registry],
    collect: (): void => this.pendingRecords.set(this.pendingRecordsSource()),
  });

  readonly readingPaused = new Gauge({
    name: 'telematics_ingest_reading_paused',
    help: '1 while sockets are not read because the buffer is full (backpressure)',
    registers: [this.registry],
  });

  readonly backpressureEvents = new Counter({
    name: 'telematics_ingest_backpressure_total',
    help: 'Times the buffer filled up and socket reads stopped',
    registers: [this.registry],
  });

  readonly positionsPublished = new Counter({
    name: 'telematics_positions_published_total',
    help: 'Positions published as telematics.position',
    registers: [this.registry],
  });

  readonly publishFailures = new Counter({
    name: 'telematics_publish_failures_total',
    help: 'telematics.position messages Redis did not take',
    registers: [this.registry],
  });

  readonly lastFrameTimestamp = new Gauge({
    name: 'telematics_last_frame_timestamp_seconds',
    help: 'Unix time of the last frame decoded',
    registers: [this.registry],
  });

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics ?? true) {
      collectDefaultMetrics({ register: this.registry, prefix: 'telematics_' });
    }
  }
}
