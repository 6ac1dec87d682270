import { Inject, Injectable } from '@nestjs/common';
import {
  PASSENGER_NOT_IDENTIFIED,
  PASSENGER_NOT_IDENTIFIED_MESSAGE,
  ROBOT_PASSENGER_TTL_SECONDS,
} from '@platform/contracts';
import { errorCatalog } from '@platform/errors';
import { REDIS_CONNECTION } from '@platform/runtime';
import type Redis from 'ioredis';

const robotPassengerError = errorCatalog({ [PASSENGER_NOT_IDENTIFIED]: 'forbidden' });

function passengerKey(robotId: string): string {
  return `robot-api:passenger:${robotId.toLowerCase()}`;
}

/**
 * The passenger each robot is serving: the one it identified last, by face or by a ticket
 * validated at its door (one per robot: a kiosk serves one passenger at a time). The seed let any
 * robot buy for any user id (robot-platform.md §15.1.7); store now asks this
 * (`base.robots.servesUser`) before a robot buys for a passenger or reads what they bought.
 */
@Injectable()
export class RobotPassengers {
  constructor(@Inject(REDIS_CONNECTION) private readonly redis: Redis) {}

  async serve(robotId: string, userId: string): Promise<void> {
    await this.redis.set(
      passengerKey(robotId),
      userId.toLowerCase(),
      'EX',
      ROBOT_PASSENGER_TTL_SECONDS,
    );
  }

  /** Whether the robot is serving this passenger; renews its time with its passenger. */
  async serves(robotId: string, userId: string): Promise<boolean> {
    const current = await this.redis.getex(
      passengerKey(robotId),
      'EX',
      ROBOT_PASSENGER_TTL_SECONDS,
    );
    return current === userId.toLowerCase();
  }

  /** 403 PASSENGER_NOT_IDENTIFIED unless the robot is serving this passenger (renews it). */
  async assertServes(robotId: string, userId: string): Promise<void> {
    if (!(await this.serves(robotId, userId))) {
      throw robotPassengerError(PASSENGER_NOT_IDENTIFIED, PASSENGER_NOT_IDENTIFIED_MESSAGE);
    }
  }
}
