import { createIntegrationDatabase, type IntegrationDatabase } from '@platform/testing/integration';
import { databaseDefinition } from '../database/database-definition';
import { UserEntity } from './entities/user.entity';
import { describeUsersStorageContract } from './testing/users-storage.contract';

let database: IntegrationDatabase;

beforeAll(async () => {
  database = await createIntegrationDatabase(databaseDefinition);
});

afterAll(async () => {
  await database?.drop();
});

describeUsersStorageContract('users on Postgres', async () => {
  const users = database.dataSource.getRepository(UserEntity);
  await users.deleteAll();
  return users;
});
