import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { STORE_PATTERNS, StoresByIdsRequest, type StoresByIdsResponse } from '@platform/contracts';
import { StoresService } from './stores.service';

/** The store directory over RPC (read-only, so every replica may answer). */
@Controller()
export class StoresRpcController {
  constructor(private readonly stores: StoresService) {}

  /** Validated by the global pipe (the DTO is the contract's); unknown ids are left out. */
  @MessagePattern(STORE_PATTERNS.storesByIds)
  async byIds(@Payload() request: StoresByIdsRequest): Promise<StoresByIdsResponse> {
    return { stores: await this.stores.summariesByIds(request.ids) };
  }
}
