import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { describeFaceContract } from '../common/remote/testing/face.contract';
import { describeStoreDirectoryContract } from '../common/remote/testing/store-directory.contract';
import { FakeFaces, FakeStores } from './base-http-ports';

// The fakes of base's HTTP specs held to the contracts the real services are held to in
// test/remote-contracts.e2e-spec.ts.

describeStoreDirectoryContract('FakeStores', async () => {
  const fake = new FakeStores();
  fake.available = true;
  return {
    addStore: async (fields) => {
      const store = { id: randomUUID(), ...fields };
      fake.stores.set(store.id, store);
      return store;
    },
    storesByIds: (ids) => fake.storesByIds(ids),
  };
});

describeFaceContract('FakeFaces', async () => ({
  faces: new FakeFaces(),
  images: { first: 'image of Anna', second: 'image of Boris', stranger: 'image of Vera' },
}));
