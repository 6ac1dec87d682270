import { Injectable } from '@nestjs/common';
import {
  BASE_PATTERNS,
  PASSENGER_NOT_IDENTIFIED,
  PASSENGER_NOT_IDENTIFIED_MESSAGE,
  type RobotServesUserRequest,
  RobotServesUserResponse,
  type UserExistsRequest,
  UserExistsResponse,
} from '@platform/contracts';
import { errorCatalog } from '@platform/errors';
import { callRemote, RpcClient } from '@platform/messaging';

/**
 * How long a "this passenger exists" answer is reused. A passenger buys several things in one
 * visit to the robot; asking base each time was the largest cost of a purchase after the stock
 * update. A passenger deleted in base can still be sold to for at most this long.
 */
export const KNOWN_USER_TTL_MS = 60_000;
const KNOWN_USERS_MAX = 10_000;

const robotPassengerError = errorCatalog({ [PASSENGER_NOT_IDENTIFIED]: 'forbidden' });

/** A robot's call for a passenger it did not identify last (base.robots.servesUser). */
export const passengerNotIdentified = () =>
  robotPassengerError(PASSENGER_NOT_IDENTIFIED, PASSENGER_NOT_IDENTIFIED_MESSAGE);

/** Base's passenger directory over RPC (`base.users.exists`), positive answers cached briefly. */
@Injectable()
export class BaseUsersClient {
  /**
   * user id, or "robot id user id", → when the positive answer expires (insertion order = age,
   * for eviction).
   */
  private readonly knownUntil = new Map<string, number>();

  constructor(private readonly rpc: RpcClient) {}

  /** Whether the passenger exists; 503 BASE_SERVICE_UNAVAILABLE when base does not answer. */
  async exists(userId: string, now = Date.now()): Promise<boolean> {
    const until = this.knownUntil.get(userId);
    if (until !== undefined && until > now) return true;
    this.knownUntil.delete(userId);
    const request: UserExistsRequest = { userId };
    const reply = await callRemote('base', () =>
      this.rpc.send(BASE_PATTERNS.userExists, request, { responseType: UserExistsResponse }),
    );
    if (reply.exists) this.remember(userId, now + KNOWN_USER_TTL_MS);
    return reply.exists;
  }

  /**
   * Whether `robotId` may act for the passenger: `unknown` when base knows no such passenger,
   * `not-served` when the robot did not identify them last (robot-platform.md §15.1.7). A yes is
   * reused like {@link exists}'s, per robot and passenger: a robot that turned to its next
   * passenger can still act for the previous one for at most KNOWN_USER_TTL_MS.
   */
  async robotMayActFor(
    robotId: string,
    userId: string,
    now = Date.now(),
  ): Promise<'yes' | 'unknown' | 'not-served'> {
    const key = `${robotId} ${userId}`;
    const until = this.knownUntil.get(key);
    if (until !== undefined && until > now) return 'yes';
    this.knownUntil.delete(key);
    const request: RobotServesUserRequest = { robotId, userId };
    const reply = await callRemote('base', () =>
      this.rpc.send(BASE_PATTERNS.robotServesUser, request, {
        responseType: RobotServesUserResponse,
      }),
    );
    if (!reply.exists) return 'unknown';
    if (!reply.serves) return 'not-served';
    this.remember(key, now + KNOWN_USER_TTL_MS);
    return 'yes';
  }

  private remember(key: string, until: number): void {
    if (this.knownUntil.size >= KNOWN_USERS_MAX) {
      const oldest = this.knownUntil.keys().next().value;
      if (oldest !== undefined) this.knownUntil.delete(oldest);
    }
    this.knownUntil.set(key, until);
  }
}
