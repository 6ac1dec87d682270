import { Injectable } from '@nestjs/common';
import { RateLimitedError } from '@platform/errors';

/** Face checks one robot may have in flight at once (a kiosk sends a frame and waits). */
export const FACE_CHECKS_IN_FLIGHT_PER_ROBOT = 2;

/**
 * The face checks each robot has in flight on this replica. The face service runs one inference
 * at a time with 16 waiting: a burst from one robot filled that queue, and every other robot got
 * 503 FACE_SERVICE_UNAVAILABLE. A check beyond the limit is refused at once (429). Per replica:
 * N replicas admit N times the limit, still far below the queue.
 */
@Injectable()
export class FaceChecksInFlight {
  private readonly inFlight = new Map<string, number>();

  async run<T>(robotId: string, check: () => Promise<T>): Promise<T> {
    const running = this.inFlight.get(robotId) ?? 0;
    if (running >= FACE_CHECKS_IN_FLIGHT_PER_ROBOT) throw new RateLimitedError(1);
    this.inFlight.set(robotId, running + 1);
    try {
      return await check();
    } finally {
      const left = (this.inFlight.get(robotId) ?? 1) - 1;
      if (left === 0) this.inFlight.delete(robotId);
      else this.inFlight.set(robotId, left);
    }
  }
}
