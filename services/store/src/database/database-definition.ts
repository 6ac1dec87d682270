import { ItemEntity } from '../items/entities/item.entity';
import { IdempotencyKeyEntity } from '../purchases/entities/idempotency-key.entity';
import { PurchaseLineEntity } from '../purchases/entities/purchase-line.entity';
import { PurchaseEntity } from '../purchases/entities/purchase.entity';
import { StoreEntity } from '../stores/entities/store.entity';
import { TaskEntity } from '../tasks/entities/task.entity';
import { migrations } from './migrations';

/** The schema this service owns, and the classes TypeORM maps into it. */
export const databaseDefinition = {
  schema: 'store',
  entities: [
    StoreEntity,
    ItemEntity,
    PurchaseEntity,
    PurchaseLineEntity,
    TaskEntity,
    IdempotencyKeyEntity,
  ],
  migrations,
};
