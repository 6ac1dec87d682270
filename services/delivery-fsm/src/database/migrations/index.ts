import { DeliveryDomain1795600000000 } from './1795600000000-DeliveryDomain';

/** Every migration of this service, oldest first. Committed migrations are never edited. */
export const migrations: NewableFunction[] = [DeliveryDomain1795600000000];
