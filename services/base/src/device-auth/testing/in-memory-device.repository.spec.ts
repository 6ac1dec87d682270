import { randomUUID } from 'node:crypto';
import { describeDeviceRepositoryContract } from './device-repository.contract';
import { InMemoryDeviceRepository } from './in-memory-device.repository';

// The fake keeps no engineers table: any id stands for an existing engineer.
describeDeviceRepositoryContract('InMemoryDeviceRepository', async () => ({
  devices: new InMemoryDeviceRepository(),
  engineerIds: [randomUUID(), randomUUID()],
}));
