import { IsBoolean, IsUUID } from 'class-validator';

/**
 * Base service RPC (Redis transport), read-only. The store service asks it whether a passenger
 * exists before it sells to them (a robot sends the passenger's id it got from identification).
 */
export const BASE_PATTERNS = {
  /** {@link UserExistsRequest} → {@link UserExistsResponse}. Read-only. */
  userExists: 'base.users.exists',
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
