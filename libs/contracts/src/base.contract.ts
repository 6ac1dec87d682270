import { IsBoolean, IsUUID } from 'class-validator';

/**
 * Base service RPC (Redis transport), read-only. The store service asks it whether a passenger
 * exists before it sells to them (a robot sends the passenger's id it got from identification).
 */
export const BASE_PATTERNS = {
  /** {@link UserExistsRequest} → {@link UserExistsResponse}. Read-only. */
  userExists: 'base.users.exists',
  /**
   * {@link RobotServesUserRequest} → {@link RobotServesUserResponse}: whether the robot may act
   * for the passenger (it identified them last, by face or ticket). Renews the robot's time with
   * them when it may.
   */
  robotServesUser: 'base.robots.servesUser',
} as const;

export class UserExistsRequest {
  @IsUUID()
  userId!: string;
}

export class UserExistsResponse {
  @IsUUID()
  userId!: string;

  @IsBoolean()
  exists!: boolean;
}

/** How long a robot may act for the passenger it identified last; each use renews it. */
export const ROBOT_PASSENGER_TTL_SECONDS = 30 * 60;

/**
 * The refusal of a robot's call for a passenger it did not identify last (403, by base for its
 * own routes and by store for purchases and recommendations).
 */
export const PASSENGER_NOT_IDENTIFIED = 'PASSENGER_NOT_IDENTIFIED';
export const PASSENGER_NOT_IDENTIFIED_MESSAGE = `This robot has not identified this passenger (face or ticket) in the last ${ROBOT_PASSENGER_TTL_SECONDS / 60} minutes`;

/** The refusal as the OpenAPI documents name it. */
export const PASSENGER_NOT_IDENTIFIED_DOC = `${PASSENGER_NOT_IDENTIFIED}: ${PASSENGER_NOT_IDENTIFIED_MESSAGE}`;

export class RobotServesUserRequest {
  @IsUUID()
  robotId!: string;

  @IsUUID()
  userId!: string;
}

export class RobotServesUserResponse {
  @IsUUID()
  userId!: string;

  /** The passenger exists in base. */
  @IsBoolean()
  exists!: boolean;

  /** The robot identified this passenger last, within ROBOT_PASSENGER_TTL_SECONDS. */
  @IsBoolean()
  serves!: boolean;
}
