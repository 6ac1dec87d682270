import { Injectable } from '@nestjs/common';
import { BASE_PATTERNS, type UserExistsRequest, UserExistsResponse } from '@platform/contracts';
import { callRemote, RpcClient } from '@platform/messaging';

/**
 * How long a "this passenger exists" answer is reused. A passenger buys several things in one
 * visit to the robot; asking base each time was the largest cost of a purchase after the stock
 * update. A passenger deleted in base can still be sold to for at most this long.
 */
export const KNOWN_USER_TTL_MS = 60_000;
const KNOWN_USERS_MAX = 10_000;

/** Base's passenger directory over RPC (`base.users.exists`), positive answers cached briefly. */
@Injectable()
export class BaseUsersClient {
  /** user id → when the positive answer expires (insertion order = age, for eviction). */
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

  private remember(userId: string, until: number): void {
    if (this.knownUntil.size >= KNOWN_USERS_MAX) {
      const oldest = this.knownUntil.keys().next().value;
      if (oldest !== undefined) this.knownUntil.delete(oldest);
    }
    this.knownUntil.set(userId, until);
  }
}
