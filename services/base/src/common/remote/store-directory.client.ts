import { Injectable } from '@nestjs/common';
import {
  STORE_PATTERNS,
  STORES_BY_IDS_MAX,
  type StoresByIdsRequest,
  StoresByIdsResponse,
  type StoreSummary,
} from '@platform/contracts';
import { callRemote, RpcClient } from '@platform/messaging';

/** The store service's directory of stores, over RPC (`store.stores.byIds`). */
@Injectable()
export class StoreDirectoryClient {
  constructor(private readonly rpc: RpcClient) {}

  /**
   * The existing stores among `ids` (at most 50). An empty list asks nothing (the seed sent it on
   * and 500'd). 503 STORE_SERVICE_UNAVAILABLE when the store service does not answer.
   */
  async storesByIds(ids: readonly string[]): Promise<StoreSummary[]> {
    if (ids.length === 0) {
      return [];
    }
    const request: StoresByIdsRequest = { ids: ids.slice(0, STORES_BY_IDS_MAX) };
    const reply = await callRemote('store', () =>
      this.rpc.send(STORE_PATTERNS.storesByIds, request, { responseType: StoresByIdsResponse }),
    );
    return reply.stores;
  }
}
