import { createIntegrationDatabase, type IntegrationDatabase } from '@platform/testing/integration';
import { databaseDefinition } from '../database/database-definition';
import { EngineerEntity } from '../engineers/entities/engineer.entity';
import { DeviceRepository } from './device.repository';
import { DeviceEntity } from './entities/device.entity';
import { describeDeviceRepositoryContract } from './testing/device-repository.contract';

let database: IntegrationDatabase;
let engineerIds: [string, string];

beforeAll(async () => {
  database = await createIntegrationDatabase(databaseDefinition);
  const engineers = database.dataSource.getRepository(EngineerEntity);
  const [first, second] = await engineers.save([
    { login: 'contract-a', passwordHash: 'not-a-hash' },
    { login: 'contract-b', passwordHash: 'not-a-hash' },
  ]);
  engineerIds = [first?.id as string, second?.id as string];
});

afterAll(async () => {
  await database?.drop();
});

describeDeviceRepositoryContract('DeviceRepository on Postgres', async () => {
  const devices = database.dataSource.getRepository(DeviceEntity);
  await devices.clear();
  return { devices: new DeviceRepository(devices), engineerIds };
});
