import { Injectable, Logger } from '@nestjs/common';
import {
  TELEMATICS_EVENTS,
  TELEMATICS_POSITION_BATCH_MAX,
  type TelematicsPosition,
} from '@platform/contracts';
import { RpcClient } from '@platform/messaging';
import { IngestMetrics } from '../metrics/ingest-metrics';
import { type StoredPosition } from '../storage/ingest-writer';

/** The message shape of one stored position (libs/contracts TelematicsPosition). */
export function positionMessage(stored: StoredPosition): TelematicsPosition {
  const { record } = stored.row;
  return {
    imei: stored.imei,
    deviceId: stored.deviceId,
    eventTime: stored.row.eventTime.toISOString(),
    recordIndex: stored.row.recordIndex,
    latitude: record.latitude,
    longitude: record.longitude,
    speedKmh: record.speedKmh,
    course: record.course,
    altitudeM: record.altitudeM,
    valid: record.valid,
    satellites: record.satellites,
  };
}

/**
 * Publishes committed positions as `telematics.position` (batches of at most 500) after the
 * commit: never awaited by the acknowledgement path, a failure is logged and counted.
 */
@Injectable()
export class PositionPublisher {
  private readonly logger = new Logger('PositionPublisher');

  constructor(
    private readonly rpc: RpcClient,
    private readonly metrics: IngestMetrics,
  ) {}

  publish(stored: readonly StoredPosition[]): void {
    for (let start = 0; start < stored.length; start += TELEMATICS_POSITION_BATCH_MAX) {
      const positions = stored
        .slice(start, start + TELEMATICS_POSITION_BATCH_MAX)
        .map(positionMessage);
      this.rpc.emit(TELEMATICS_EVENTS.position, { positions }).then(
        () => this.metrics.positionsPublished.inc(positions.length),
        (error: unknown) => {
          this.metrics.publishFailures.inc();
          this.logger.warn(
            { err: error, positions: positions.length },
            'telematics.position not published',
          );
        },
      );
    }
  }
}
