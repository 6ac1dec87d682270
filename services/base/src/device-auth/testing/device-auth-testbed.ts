import { randomUUID } from 'node:crypto';
import { type StoreSummary } from '@platform/contracts';
import { remoteUnavailable } from '@platform/messaging';
import { InMemoryRateLimiter } from '@platform/rate-limit/testing';
import { type StoreDirectoryClient } from '../../common/remote/store-directory.client';
import { type EngineerCredentialsService } from '../../engineers/engineer-credentials.service';
import { engineerErrors } from '../../engineers/engineer.errors';
import { DeviceAdminService } from '../device-admin.service';
import { type DeviceAuthSettings, loadDeviceAuthSettings } from '../device-auth.settings';

/** The defaults of every DEVICE_* setting, as base runs without them set. */
const DEFAULT_DEVICE_AUTH_SETTINGS = loadDeviceAuthSettings({});
import { DeviceLoginService } from '../device-login.service';
import { DeviceRegistrationService } from '../device-registration.service';
import { type DeviceRepository } from '../device.repository';
import { DeviceSessionsService } from '../device-sessions.service';
import { DeviceAuthRateLimiter } from '../rate-limiter';
import { InMemoryDeviceAuthStore } from './in-memory-device-auth.store';
import { InMemoryDeviceRepository } from './in-memory-device.repository';

export interface FakeEngineer {
  id: string;
  login: string;
  password: string;
  privileges: number;
}

/** Engineers that EngineerCredentialsService.verify knows, with its one failure. */
export class FakeEngineers {
  readonly engineers: FakeEngineer[] = [];
  readonly calls: string[] = [];

  async verify(login: string, password: string): Promise<{ id: string; privileges: number }> {
    this.calls.push(login);
    const engineer = this.engineers.find((e) => e.login === login && e.password === password);
    if (!engineer) {
      throw engineerErrors.invalidCredentials();
    }
    return { id: engineer.id, privileges: engineer.privileges };
  }
}

/**
 * The store service's directory as StoreDirectoryClient answers it (held to the same contract as
 * the real one: common/remote/testing/store-directory.contract.ts). Down (STORE_SERVICE_UNAVAILABLE)
 * until a spec says `available`: a spec that never thinks of stores sees what base does then.
 */
export class FakeStores {
  /** By id, in lower case. */
  readonly stores = new Map<string, StoreSummary>();
  available = false;

  /** A store the directory knows from now on; its new id. */
  add(store: Partial<Omit<StoreSummary, 'id'>> = {}): string {
    const id = randomUUID();
    this.stores.set(id, {
      id,
      name: 'Bistro',
      description: '',
      logoUrl: '',
      storeType: 'RESTAURANT',
      ...store,
    });
    return id;
  }

  async storesByIds(ids: readonly string[]): Promise<StoreSummary[]> {
    if (!this.available) {
      throw remoteUnavailable('store');
    }
    const wanted = [...new Set(ids.map((id) => id.toLowerCase()))];
    return wanted.flatMap((id) => this.stores.get(id) ?? []);
  }
}

export interface DeviceAuthTestbed {
  settings: DeviceAuthSettings;
  store: InMemoryDeviceAuthStore;
  /** Rate windows on the store's clock (`store.advance` moves both). */
  rateLimiter: InMemoryRateLimiter;
  devices: InMemoryDeviceRepository;
  engineers: FakeEngineers;
  stores: FakeStores;
  sessions: DeviceSessionsService;
  limiter: DeviceAuthRateLimiter;
  login: DeviceLoginService;
  registration: DeviceRegistrationService;
  admin: DeviceAdminService;
}

/** The device-auth services wired as in DeviceAuthModule, with fakes at Redis and Postgres. */
export function deviceAuthTestbed(overrides: Partial<DeviceAuthSettings> = {}): DeviceAuthTestbed {
  const settings = { ...DEFAULT_DEVICE_AUTH_SETTINGS, ...overrides };
  const store = new InMemoryDeviceAuthStore();
  const devices = new InMemoryDeviceRepository();
  const engineers = new FakeEngineers();
  const stores = new FakeStores();
  const repository = devices as unknown as DeviceRepository;
  const sessions = new DeviceSessionsService(store, devices, settings, () => store.now);
  const rateLimiter = new InMemoryRateLimiter(() => store.now);
  const limiter = new DeviceAuthRateLimiter(rateLimiter, settings);
  const login = new DeviceLoginService(store, devices, sessions, limiter, settings);
  const registration = new DeviceRegistrationService(
    engineers as unknown as EngineerCredentialsService,
    repository,
    sessions,
    limiter,
    stores as unknown as StoreDirectoryClient,
  );
  const admin = new DeviceAdminService(
    repository,
    sessions,
    stores as unknown as StoreDirectoryClient,
  );
  return {
    settings,
    store,
    rateLimiter,
    devices,
    engineers,
    stores,
    sessions,
    limiter,
    login,
    registration,
    admin,
  };
}
