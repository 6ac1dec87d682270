import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsISO8601,
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

/**
 * Events the store service publishes (Redis transport `emit`: pub/sub, fire-and-forget; every
 * subscriber receives each one, nothing is stored or retried). Consumers must tolerate a missed
 * event: the task's state can always be read back (the store's terminal; the robot serving the task's
 * passenger, `GET /robot/store/{id}/task/{task_id}`).
 */
export const STORE_EVENTS = {
  /** {@link StoreTaskReadyEvent}: a kitchen task became ready (marked, or ready at creation). */
  taskReady: 'store.task.ready',
} as const;

export class StoreTaskReadyEvent {
  @IsUUID()
  taskId!: string;

  @IsUUID()
  storeId!: string;

  @IsUUID()
  purchaseId!: string;

  /** The passenger (base `users.id`) the purchase was made for. */
  @IsUUID()
  userId!: string;

  /** ISO-8601 instant the task became ready. */
  @IsISO8601()
  readyAt!: string;
}
