import { BaseDomain1795390539941 } from './1795390539941-BaseDomain';
import { DeviceIdentity1795400000000 } from './1795400000000-DeviceIdentity';

/** Every migration of this service, oldest first. Committed migrations are never edited. */
export const migrations: NewableFunction[] = [BaseDomain1795390539941, DeviceIdentity1795400000000];
