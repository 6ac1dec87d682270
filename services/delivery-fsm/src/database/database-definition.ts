import { DELIVERY_ENTITIES } from './entities';
import { migrations } from './migrations';

/** The schema this service owns, and the classes TypeORM maps into it. */
export const databaseDefinition = {
  schema: 'delivery',
  entities: DELIVERY_ENTITIES,
  migrations,
};
