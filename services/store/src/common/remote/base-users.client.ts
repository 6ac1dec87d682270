import { Injectable } from '@nestjs/common';
import { BASE_PATTERNS, type UserExistsRequest, UserExistsResponse } from '@platform/contracts';
import { callRemote, RpcClient } from '@platform/messaging';

/** Base's passenger directory over RPC (`base.users.exists`). */
@Injectable()
export class BaseUsersClient {
  constructor(private readonly rpc: RpcClient) {}

  /** Whether the passenger exists; 503 BASE_SERVICE_UNAVAILABLE when base does not answer. */
  async exists(userId: string): Promise<boolean> {
    const request: UserExistsRequest = { userId };
    const reply = await callRemote('base', () =>
      this.rpc.send(BASE_PATTERNS.userExists, request, { responseType: UserExistsResponse }),
    );
    return reply.exists;
  }
}
