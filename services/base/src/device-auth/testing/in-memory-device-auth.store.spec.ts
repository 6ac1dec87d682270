import { describeDeviceAuthStoreContract } from './device-auth-store.contract';
import { InMemoryDeviceAuthStore } from './in-memory-device-auth.store';

describeDeviceAuthStoreContract('InMemoryDeviceAuthStore', () => {
  const store = new InMemoryDeviceAuthStore();
  return { store, advance: async (ms) => store.advance(ms) };
});
