import { parseEnv, PlatformConfig, type PlatformEnv, platformEnvSchema } from '@platform/config';
import { z } from 'zod';

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const bool = z.enum(['true', 'false']).transform((value) => value === 'true');

const telematicsEnvSchema = platformEnvSchema.extend({
  /** The tracker listener (nginx `stream` proxies the public port 5221 to it). */
  TRACKER_TCP_PORT: int(1, 65535),
  /**
   * Connections start with a PROXY protocol v1 line carrying the device's address (nginx
   * `proxy_protocol on`, as both stacks run it); a connection without one is closed.
   */
  TRACKER_PROXY_PROTOCOL: bool.default(false),
  /** Address the tracker listener binds (default: HTTP_HOST). */
  TRACKER_TCP_HOST: z.string().min(1).optional(),
  /** Open tracker connections in total; one more is closed at once. */
  TRACKER_MAX_CONNECTIONS: int(1, 100_000).default(5000),
  /**
   * Open connections per device address (the PROXY protocol's, else the peer's). Carriers put
   * many trackers behind one address: keep it high.
   */
  TRACKER_MAX_CONNECTIONS_PER_ADDRESS: int(1, 100_000).default(2000),
  /** A connection silent this long is closed (devices ping every few minutes). */
  TRACKER_IDLE_TIMEOUT_MS: int(1000, 86_400_000).default(600_000),
  /** Largest NTCB/FLEX unit (16-byte header + body); larger ones are dropped unbuffered. */
  TRACKER_MAX_FRAME_BYTES: int(64, 65_551).default(65_551),
  /** A group commit holds at most this many records... */
  INGEST_BATCH_MAX_RECORDS: int(1, 50_000).default(2000),
  /** ...and waits at most this long for more after its first frame. */
  INGEST_BATCH_MAX_DELAY_MS: int(0, 10_000).default(5),
  /** Group commits in flight at once (each on its own Postgres connection). */
  INGEST_COMMIT_CONCURRENCY: int(1, 16).default(2),
  /** Records buffered (not yet committed) above which sockets stop being read. */
  INGEST_PENDING_MAX_RECORDS: int(100, 1_000_000).default(20_000),
  /** Bytes of frames buffered above which sockets stop being read. */
  INGEST_PENDING_MAX_BYTES: int(65_536, 1_073_741_824).default(16_777_216),
  /** First retry of a failed commit after this long, doubling up to INGEST_RETRY_MAX_MS. */
  INGEST_RETRY_MIN_MS: int(10, 60_000).default(200),
  INGEST_RETRY_MAX_MS: int(100, 600_000).default(5000),
  /** Keep every received frame's bytes (raw_frames) for this many days; 0 = do not store them. */
  RAW_FRAME_RETENTION_DAYS: int(0, 3650).default(7),
  /** Positions, vehicle-bus values and events are kept this many days. */
  POSITION_RETENTION_DAYS: int(1, 36_500).default(365),
  /** Daily partitions are created this many days ahead. */
  PARTITIONS_AHEAD_DAYS: int(1, 365).default(7),
  /** Publish `telematics.position` on Redis after each commit. */
  PUBLISH_POSITIONS: bool.default(true),
  /**
   * Through the gateway GET /telematics_api/metrics needs `Authorization: Bearer <token>`, and is
   * a 404 while this is unset; on the service's own port it needs nothing (metrics.controller.ts).
   */
  METRICS_TOKEN: z.string().min(16).optional(),
});

export interface IngestSettings {
  readonly tcpHost: string;
  readonly tcpPort: number;
  readonly proxyProtocol: boolean;
  readonly maxConnections: number;
  readonly maxConnectionsPerAddress: number;
  readonly idleTimeoutMs: number;
  readonly maxFrameBytes: number;
  readonly batchMaxRecords: number;
  readonly batchMaxDelayMs: number;
  readonly commitConcurrency: number;
  readonly pendingMaxRecords: number;
  readonly pendingMaxBytes: number;
  readonly retryMinMs: number;
  readonly retryMaxMs: number;
  readonly storeRawFrames: boolean;
  readonly publishPositions: boolean;
}

export interface RetentionSettings {
  readonly rawFrameDays: number;
  readonly positionDays: number;
  readonly partitionsAheadDays: number;
}

/** telematics-ingest's configuration: the platform's settings, the tracker listener and storage. */
export class TelematicsConfig extends PlatformConfig {
  readonly ingest: IngestSettings;
  readonly retention: RetentionSettings;
  readonly metricsToken: string | undefined;

  constructor(env: PlatformEnv & z.infer<typeof telematicsEnvSchema>) {
    super('telematics-ingest', env);
    this.ingest = Object.freeze({
      tcpHost: env.TRACKER_TCP_HOST ?? env.HTTP_HOST,
      tcpPort: env.TRACKER_TCP_PORT,
      proxyProtocol: env.TRACKER_PROXY_PROTOCOL,
      maxConnections: env.TRACKER_MAX_CONNECTIONS,
      maxConnectionsPerAddress: env.TRACKER_MAX_CONNECTIONS_PER_ADDRESS,
      idleTimeoutMs: env.TRACKER_IDLE_TIMEOUT_MS,
      maxFrameBytes: env.TRACKER_MAX_FRAME_BYTES,
      batchMaxRecords: env.INGEST_BATCH_MAX_RECORDS,
      batchMaxDelayMs: env.INGEST_BATCH_MAX_DELAY_MS,
      commitConcurrency: env.INGEST_COMMIT_CONCURRENCY,
      pendingMaxRecords: env.INGEST_PENDING_MAX_RECORDS,
      pendingMaxBytes: env.INGEST_PENDING_MAX_BYTES,
      retryMinMs: env.INGEST_RETRY_MIN_MS,
      retryMaxMs: Math.max(env.INGEST_RETRY_MAX_MS, env.INGEST_RETRY_MIN_MS),
      storeRawFrames: env.RAW_FRAME_RETENTION_DAYS > 0,
      publishPositions: env.PUBLISH_POSITIONS,
    });
    this.retention = Object.freeze({
      rawFrameDays: env.RAW_FRAME_RETENTION_DAYS,
      positionDays: env.POSITION_RETENTION_DAYS,
      partitionsAheadDays: env.PARTITIONS_AHEAD_DAYS,
    });
    this.metricsToken = env.METRICS_TOKEN;
  }
}

export function loadServiceConfig(env: NodeJS.ProcessEnv = process.env): TelematicsConfig {
  return Object.freeze(
    new TelematicsConfig(parseEnv('telematics-ingest', telematicsEnvSchema, env)),
  );
}
