import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { BASE_PATTERNS, UserExistsRequest, type UserExistsResponse } from '@platform/contracts';
import { UsersService } from './users.service';

/** Passengers over RPC (read-only, so every replica may answer). */
@Controller()
export class UsersRpcController {
  constructor(private readonly users: UsersService) {}

  /** Validated by the global pipe (the DTO is the contract's). */
  @MessagePattern(BASE_PATTERNS.userExists)
  async exists(@Payload() request: UserExistsRequest): Promise<UserExistsResponse> {
    return { userId: request.userId, exists: await this.users.exists(request.userId) };
  }
}
