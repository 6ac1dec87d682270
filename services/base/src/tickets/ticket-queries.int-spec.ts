import { createIntegrationDatabase, type IntegrationDatabase } from '@platform/testing/integration';
import { databaseDefinition } from '../database/database-definition';
import { UserEntity } from '../users/entities/user.entity';
import { TicketEntity } from './entities/ticket.entity';
import { TicketQueries } from './ticket-queries';
import {
  describeTicketLookupContract,
  TICKET_CONTRACT_USERS,
} from './testing/ticket-lookup.contract';

let database: IntegrationDatabase;

beforeAll(async () => {
  database = await createIntegrationDatabase(databaseDefinition);
  await database.dataSource
    .getRepository(UserEntity)
    .insert(TICKET_CONTRACT_USERS.map((id) => ({ id, name: `Passenger ${id.slice(0, 4)}` })));
});

afterAll(async () => {
  await database?.drop();
});

describeTicketLookupContract('TicketQueries on Postgres', async (tickets) => {
  const repository = database.dataSource.getRepository(TicketEntity);
  await repository.clear();
  if (tickets.length > 0) await repository.insert([...tickets]);
  return new TicketQueries(repository);
});
