import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsString,
  IsUUID,
  ValidateNested,
} from 'class-validator';

/**
 * Store service RPC (Redis transport), read-only. Base asks it whether stores exist (before binding
 * a store to a train) and for the summaries of the stores bound to a train (robot kiosk).
 */
export const STORE_PATTERNS = {
  /** {@link StoresByIdsRequest} → {@link StoresByIdsResponse}. Read-only. */
  storesByIds: 'store.stores.byIds',
} as const;

/** At most this many ids per call (the seed's limit on `GET /admin/ids/stores`). */
export const STORES_BY_IDS_MAX = 50;

export const STORE_TYPES = ['SHOP', 'RESTAURANT'] as const;
export type StoreType = (typeof STORE_TYPES)[number];

export class StoresByIdsRequest {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(STORES_BY_IDS_MAX)
  @IsUUID('all', { each: true })
  ids!: string[];
}

/** A store without its items. */
export class StoreSummary {
  @IsUUID()
  id!: string;

  @IsString()
  name!: string;

  @IsString()
  description!: string;

  @IsString()
  logoUrl!: string;

  @IsIn(STORE_TYPES)
  storeType!: StoreType;
}

/** Only the stores that exist, in the order of the requested ids; unknown ids are left out. */
export class StoresByIdsResponse {
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => StoreSummary)
  stores!: StoreSummary[];
}
