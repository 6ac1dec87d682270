import { TelematicsDomain1795600000000 } from './1795600000000-TelematicsDomain';
import { IngestCopy1796000000000 } from './1796000000000-IngestCopy';
import { OfflineDevicesRepair1796100000000 } from './1796100000000-OfflineDevicesRepair';

/** Every migration of this service, oldest first. Committed migrations are never edited. */
export const migrations: NewableFunction[] = [
  TelematicsDomain1795600000000,
  IngestCopy1796000000000,
  OfflineDevicesRepair1796100000000,
];
