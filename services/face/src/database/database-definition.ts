import { migrations } from './migrations';

/** The schema this service owns, and the classes TypeORM maps into it. */
export const databaseDefinition = {
  schema: 'face',
  entities: [],
  migrations,
};
