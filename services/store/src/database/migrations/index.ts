import { StoreDomain1795500000000 } from './1795500000000-StoreDomain';
import { PurchaseInOneCall1795600000000 } from './1795600000000-PurchaseInOneCall';
import { PurchaseDeadline1796200000000 } from './1796200000000-PurchaseDeadline';

/** Every migration of this service, oldest first. Committed migrations are never edited. */
export const migrations: NewableFunction[] = [
  StoreDomain1795500000000,
  PurchaseInOneCall1795600000000,
  PurchaseDeadline1796200000000,
];
